import Foundation
import SiteGeometry
import XCTest
@testable import SitePlanning
import SiteVocabulary

final class SyntheticLayoutTests: XCTestCase {
    typealias S = SyntheticScenario

    func layout(_ boundary: Geometry, _ program: [ProgramItem], exclusions: [Geometry] = []) throws -> (SitePlan, Scenario) {
        let scenario = try S.scenario(parcel: boundary, program: program, exclusions: exclusions)
        let plan = try LayoutEngine(scenario: scenario, seed: 3).plan()
        XCTAssertEqual(try PlanCheck.violations(plan, scenario), [])
        return (plan, scenario)
    }

    func testConvexParcel() throws {
        let (plan, _) = try layout(S.polygon(S.rect(0, 0, 600, 400)), [ProgramItem(type: S.house, count: 80), ProgramItem(type: S.apartment, count: 3)])
        XCTAssertEqual(plan.unplaced, [])
        XCTAssertEqual(plan.buildings.count, 83)
    }

    func testRotatedParcelGetsARotatedGrid() throws {
        let (plan, _) = try layout(S.polygon(S.rect(0, 0, 700, 300), rotatedBy: 33), [ProgramItem(type: S.house, count: 60)])
        XCTAssertEqual(plan.unplaced, [])
        // The streets follow the parcel's long axis (33 degrees), not the world grid.
        let street = try XCTUnwrap(plan.streets.max { try $0.centrelinePlanar.length < $1.centrelinePlanar.length })
        let pts = try street.centrelinePlanar.coordinates()
        var angle = atan2(pts.last!.y - pts[0].y, pts.last!.x - pts[0].x) * 180 / .pi
        if angle < 0 { angle += 180 }
        XCTAssertTrue(abs(angle - 33) < 0.5 || abs(angle - 123) < 0.5, "street angle \(angle)")
    }

    func testConcaveParcel() throws {
        let l: [XY] = [XY(0, 0), XY(800, 0), XY(800, 250), XY(250, 250), XY(250, 700), XY(0, 700), XY(0, 0)]
        let (plan, _) = try layout(S.polygon(l, rotatedBy: -12), [ProgramItem(type: S.house, count: 90)])
        XCTAssertEqual(plan.unplaced, [])
        XCTAssertEqual(plan.buildings.count, 90)
    }

    func testParcelWithHoleAndExclusion() throws {
        let boundary = try S.polygon(S.rect(0, 0, 700, 500), holes: [S.rect(250, 150, 400, 300)])
        let park = try S.polygon(S.rect(500, 50, 600, 140))
        let (plan, scenario) = try layout(boundary, [ProgramItem(type: S.house, count: 70)], exclusions: [park])
        XCTAssertEqual(plan.unplaced, [])
        let hole = try S.frame.toPlanar(S.polygon(S.rect(250, 150, 400, 300)))
        for b in plan.buildings { XCTAssertFalse(try hole.intersects(b.footprintPlanar), b.id) }
        for s in plan.streets {
            XCTAssertLessThan(try s.centrelinePlanar.intersection(scenario.exclusions[0].boundaryPlanar).length, 0.01, "streets avoid exclusion zones")
        }
    }

    func testProgramThatCannotFitIsReported() throws {
        let (plan, _) = try layout(S.polygon(S.rect(0, 0, 300, 200)), [ProgramItem(type: S.house, count: 500)])
        let missing = plan.unplaced.reduce(0) { $0 + $1.count }
        XCTAssertGreaterThan(missing, 0)
        XCTAssertEqual(plan.buildings.count + missing, 500)
        XCTAssertTrue(plan.unplaced[0].reason.contains("only \(plan.buildings.count) of 500 fit"), plan.unplaced[0].reason)
    }

    func testExclusionCoveringTheWholeParcel() throws {
        let boundary = try S.polygon(S.rect(0, 0, 300, 200))
        let everything = try S.polygon(S.rect(-10, -10, 310, 210))
        let (plan, _) = try layout(boundary, [ProgramItem(type: S.house, count: 10)], exclusions: [everything])
        XCTAssertEqual(plan.buildings.count, 0)
        XCTAssertEqual(plan.unplaced, [Unplaced(parcelID: "T", typeKey: "house", count: 10, reason: "no developable land: exclusion zones cover the whole parcel")])
    }

    func testNarrowParcelReportsInsteadOfBreaking() throws {
        let (plan, _) = try layout(S.polygon(S.rect(0, 0, 500, 12)), [ProgramItem(type: S.house, count: 5)])
        XCTAssertEqual(plan.buildings.count + plan.unplaced.reduce(0) { $0 + $1.count }, 5)
        XCTAssertFalse(plan.unplaced.isEmpty)
    }
}

/// The grid cells cut on two threads (each on its own copies of the geometries) against one
/// thread: the same blocks, lots, buildings, streets and land use, byte for byte.
final class LayoutCellThreadsTests: XCTestCase {
    typealias S = SyntheticScenario

    func layout(_ scenario: Scenario, cellThreads: Int) throws -> SitePlan {
        var plan = SitePlan(seed: 1)
        plan.development = scenario.rules.development
        for parcel in scenario.parcels {
            var rng = SplitMix64(seed: 1 ^ FNV1a.of(parcel.id))
            var layout = ParcelLayout(parcel: parcel, scenario: scenario, rng: &rng)
            layout.cellThreads = cellThreads
            try layout.run(into: &plan)
        }
        return plan
    }

    func testTwoThreadsCutTheSameCellsAsOne() throws {
        let boundary = try S.polygon([XY(0, 0), XY(900, 0), XY(1000, 500), XY(600, 800), XY(0, 650), XY(0, 0)], rotatedBy: 17)
        let park = try S.polygon(S.rect(300, 250, 420, 380), rotatedBy: 17)
        let scenario = try S.scenario(parcel: boundary, program: [ProgramItem(type: S.house, count: 150), ProgramItem(type: S.apartment, count: 6)],
                                      exclusions: [park])
        let one = try layout(scenario, cellThreads: 1)
        let two = try layout(scenario, cellThreads: 2)
        XCTAssertGreaterThanOrEqual(one.blocks.count, 8)
        XCTAssertGreaterThan(one.landUse["T"]?.reserveCapacity.map(\.lots).reduce(0, +) ?? 0, 50, "the reserve's capacity is counted")
        XCTAssertEqual(one.buildings.count, 156)
        func bytes(_ geometries: [Geometry]) throws -> [[UInt8]] { try geometries.map { try $0.wkb() } }
        XCTAssertEqual(try bytes(one.blocks.map(\.polygonPlanar)), try bytes(two.blocks.map(\.polygonPlanar)))
        XCTAssertEqual(one.blocks.map(\.id), two.blocks.map(\.id))
        XCTAssertEqual(try bytes(one.lots.map(\.polygonPlanar)), try bytes(two.lots.map(\.polygonPlanar)))
        XCTAssertEqual(one.lots.map(\.frontageMetres), two.lots.map(\.frontageMetres))
        XCTAssertEqual(one.lots.map(\.blockID), two.lots.map(\.blockID))
        XCTAssertEqual(try bytes(one.buildings.map(\.footprintPlanar)), try bytes(two.buildings.map(\.footprintPlanar)))
        XCTAssertEqual(try bytes(one.streets.map(\.centrelinePlanar)), try bytes(two.streets.map(\.centrelinePlanar)))
        XCTAssertEqual(one.landUse, two.landUse)
    }
}
