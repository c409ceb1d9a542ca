import Foundation
import SiteGeometry
import XCTest
@testable import SitePlanning
import SiteVocabulary

/// A program the compact layout cannot place in full, but the spread one can: the run says so.
final class SpreadFitTests: XCTestCase {
    typealias S = SyntheticScenario

    /// A `width` × `height` m parcel with the access point in the middle of its south side.
    func field(_ width: Double, _ height: Double, houses: Int, apartments: Int) throws -> Scenario {
        var scenario = try S.scenario(parcel: S.polygon(S.rect(0, 0, width, height)),
                                      program: [ProgramItem(type: S.house, count: houses), ProgramItem(type: S.apartment, count: apartments)], rules: LayoutRules())
        scenario.accessPoints["T"] = try S.frame.toLonLat(XY(S.origin.x + width / 2, S.origin.y))
        return scenario
    }

    func placedHouses(_ plan: SitePlan) -> Int { plan.buildings.filter { $0.type.key == S.house.key }.count }

    func testAProgramThatFitsOnlySpreadIsSaidToFitWithSpread() throws {
        // 600 × 300 m, 6 apartment buildings and as many houses as the spread layout places.
        var spreading = try field(600, 300, houses: 1_000, apartments: 6)
        spreading.rules.development = .spread
        let spreadCapacity = placedHouses(try LayoutEngine(scenario: spreading, seed: 1).plan())
        let scenario = try field(600, 300, houses: spreadCapacity, apartments: 6)
        let compactPlaced = placedHouses(try LayoutEngine(scenario: scenario, seed: 1).plan())
        XCTAssertLessThan(compactPlaced, spreadCapacity, "the fixture must be a program only the spread layout places")

        let run = try PlanRun(scenario: scenario)
        XCTAssertEqual(run.plan.unplaced.count, 1, "\(run.plan.unplaced)")
        let missing = try XCTUnwrap(run.plan.unplaced.first)
        XCTAssertEqual(missing.typeKey, S.house.key)
        XCTAssertEqual(missing.count, spreadCapacity - compactPlaced)
        XCTAssertTrue(missing.reason.hasSuffix("; all \(missing.count) fit with --spread (the street grid over the whole parcel, rules.development: spread)"), missing.reason)
    }

    func testAProgramThatFitsNeitherWayIsNotSentToSpread() throws {
        let run = try PlanRun(scenario: try field(300, 300, houses: 0, apartments: 30))
        let missing = try XCTUnwrap(run.plan.unplaced.first)
        XCTAssertFalse(missing.reason.contains("--spread"), missing.reason)
        // A spread scenario is not checked against itself.
        var spread = try field(600, 300, houses: 1_000, apartments: 6)
        spread.rules.development = .spread
        XCTAssertTrue(try PlanRun(scenario: spread).plan.unplaced.allSatisfy { !$0.reason.contains("--spread") })
    }
}
