import Foundation
import SiteGeometry
import XCTest
@testable import SitePlanning
import SiteVocabulary

/// Compact and spread development, crossings, the access point, type-level setbacks: on
/// parcels drawn in code, each figure checked against GEOS.
final class CompactLayoutTests: XCTestCase {
    typealias S = SyntheticScenario

    /// A 1,200 × 600 m parcel, access point in the middle of its south side.
    func openField(_ program: [ProgramItem], rules: LayoutRules = LayoutRules(), zones: [(Geometry, String)] = []) throws -> Scenario {
        var scenario = try S.scenario(parcel: S.polygon(S.rect(0, 0, 1200, 600)), program: program, rules: rules)
        scenario.exclusions = try zones.enumerated().map { i, z in
            try ExclusionZone(id: "Z\(i)", name: "zone", kind: z.1, parcelID: "T", boundaryWGS84: z.0, frame: S.frame, feature: FeatureRef(index: i, id: "Z\(i)"))
        }
        scenario.accessPoints["T"] = try S.frame.toLonLat(XY(S.origin.x + 600, S.origin.y))
        return scenario
    }

    func streetLength(_ plan: SitePlan) throws -> Double { try plan.streets.reduce(0) { try $0 + $1.centrelinePlanar.length } }

    func testCompactLaysStreetsOnlyWhereTheProgramLandsAndReportsTheReserve() throws {
        var scenario = try openField([ProgramItem(type: S.house, count: 40)])
        let compact = try LayoutEngine(scenario: scenario, seed: 1).plan()
        scenario.rules.development = .spread
        let spread = try LayoutEngine(scenario: scenario, seed: 1).plan()
        for plan in [compact, spread] {
            XCTAssertEqual(plan.unplaced, [])
            XCTAssertEqual(plan.buildings.count, 40)
            XCTAssertEqual(try PlanCheck.violations(plan, scenario), [])
        }
        // Every compact street has a lot beside it or leads to one: none runs through empty land far from the lots.
        let lots = try Geometry.union(of: compact.lots.map(\.polygonPlanar))
        for street in compact.streets {
            XCTAssertLessThan(try street.centrelinePlanar.distance(to: lots), 100, street.id)
        }
        XCTAssertLessThan(try streetLength(compact), try streetLength(spread) / 3)
        // The reserve is the land less what is developed, and it holds lots: counted by placement,
        // so more than the developed part holds per hectare would give, never a fraction.
        let land = try XCTUnwrap(compact.landUse["T"])
        XCTAssertEqual(land.landSquareMetres, 1200 * 600, accuracy: 1)
        XCTAssertEqual(land.reserveSquareMetres + land.developedSquareMetres + land.unreachableSquareMetres, land.landSquareMetres, accuracy: 1)
        let blocks = try compact.blocks.reduce(0) { try $0 + $1.polygonPlanar.area }
        let corridorGeometry = try Geometry.union(of: compact.streets.map { try $0.centrelinePlanar.buffer($0.widthMetres / 2, style: .corridor) })
            .intersection(S.frame.toPlanar(scenario.parcels[0].boundaryWGS84))
        let corridors = try corridorGeometry.area
        XCTAssertEqual(land.developedSquareMetres, blocks + corridors, accuracy: 1)
        let capacity = try XCTUnwrap(land.reserveCapacity.first { $0.typeKey == "house" }).lots
        // About 24 houses a 250 × 70 m block; the reserve is most of 72 ha.
        XCTAssertGreaterThan(capacity, 300)
        XCTAssertLessThan(capacity, Int(land.reserveSquareMetres / 600))
        // The compact blocks are contiguous: their union (with the streets) is one piece.
        XCTAssertEqual(try Geometry.union(of: compact.blocks.map(\.polygonPlanar) + [corridorGeometry]).buffer(0.5).parts().count, 1)
    }

    func testAnAccessPointOffTheBoundaryIsAnErrorNamingTheParcelAndTheDistance() throws {
        var scenario = try openField([ProgramItem(type: S.house, count: 5)])
        scenario.accessPoints["T"] = try S.frame.toLonLat(XY(S.origin.x + 600, S.origin.y + 50))
        XCTAssertThrowsError(try LayoutEngine(scenario: scenario).plan()) { error in
            let text = "\(error)"
            XCTAssertTrue(text.contains("parcel T") && text.contains("50 m off the boundary"), text)
        }
    }

    /// A 30-m stream buffer across the parcel at x 390–420; the access point is west of it.
    func streamField(crossable: Bool, houses: Int) throws -> Scenario {
        let stream = try S.polygon(S.rect(390, -10, 420, 610))
        var rules = LayoutRules()
        if crossable { rules.crossingKinds = ["river_buffer"] }
        var scenario = try openField([ProgramItem(type: S.house, count: houses)], rules: rules, zones: [(stream, "river_buffer")])
        scenario.accessPoints["T"] = try S.frame.toLonLat(XY(S.origin.x, S.origin.y + 300))
        return scenario
    }

    func testACrossableStreamIsBridgedWithItsLengthRecorded() throws {
        // More houses than the land west of the stream holds.
        let scenario = try streamField(crossable: true, houses: 220)
        let plan = try LayoutEngine(scenario: scenario, seed: 1).plan()
        XCTAssertEqual(plan.unplaced, [])
        XCTAssertEqual(try PlanCheck.violations(plan, scenario), [])
        XCTAssertFalse(plan.crossings.isEmpty)
        let zone = scenario.exclusions[0].boundaryPlanar
        for crossing in plan.crossings {
            let street = try XCTUnwrap(plan.streets.first { $0.id == crossing.streetID })
            XCTAssertEqual(crossing.lengthMetres, try street.centrelinePlanar.intersection(zone).length, accuracy: 0.01)
            XCTAssertEqual(crossing.lengthMetres, 30, accuracy: 0.5)
            XCTAssertEqual(crossing.zoneID, "Z0")
        }
        // Every street inside the zone is a recorded crossing.
        let inZone = try plan.streets.reduce(0) { try $0 + $1.centrelinePlanar.intersection(zone).length }
        XCTAssertEqual(inZone, plan.crossings.reduce(0) { $0 + $1.lengthMetres }, accuracy: 0.01)
        XCTAssertTrue(try plan.buildings.contains { try $0.footprintPlanar.centroidXY().x > S.origin.x + 420 })
        XCTAssertEqual(try XCTUnwrap(plan.landUse["T"]).unreachableSquareMetres, 0, accuracy: 1)
    }

    func testLandBeyondAStreamStreetsMayNotCrossIsReportedUnreachable() throws {
        let scenario = try streamField(crossable: false, houses: 400)
        let plan = try LayoutEngine(scenario: scenario, seed: 1).plan()
        XCTAssertTrue(plan.crossings.isEmpty)
        XCTAssertEqual(try PlanCheck.violations(plan, scenario), [])
        let land = try XCTUnwrap(plan.landUse["T"])
        // East of the stream: (1200 - 420) × 600 m.
        XCTAssertEqual(land.unreachableSquareMetres, 780 * 600, accuracy: 780 * 600 * 0.02)
        XCTAssertFalse(try plan.buildings.contains { try $0.footprintPlanar.centroidXY().x > S.origin.x + 420 })
        XCTAssertFalse(plan.unplaced.isEmpty, "the west side alone cannot hold 400 houses")
        XCTAssertEqual(plan.buildings.count + plan.unplaced.reduce(0) { $0 + $1.count }, 400)
    }

    func testAnAccessPointWithNoStreetPastAZoneSaysWhy() throws {
        // The access point on the west edge, inside a barrier zone along that edge.
        let wall = try S.polygon(S.rect(-10, -10, 40, 610))
        var scenario = try openField([ProgramItem(type: S.house, count: 5)], zones: [(wall, "memorial")])
        scenario.accessPoints["T"] = try S.frame.toLonLat(XY(S.origin.x, S.origin.y + 300))
        let plan = try LayoutEngine(scenario: scenario, seed: 1).plan()
        XCTAssertEqual(plan.buildings.count, 0)
        XCTAssertEqual(plan.unplaced.count, 1)
        XCTAssertTrue(plan.unplaced[0].reason.contains("Z0 (memorial)"), plan.unplaced[0].reason)
    }

    func testTerracedHousesWithNoSideSetbackStandOnTheSharedLotLine() throws {
        var terrace = BuildingType(key: "terraced_house", label: "Terraced house", footprintWidthMetres: 7, footprintDepthMetres: 10,
                                   lotAreaSquareMetres: 200...300, lotFrontageMetres: 7...7, lotDepthMetres: 35, storeys: 2, unitsPerBuilding: 1)
        terrace.setbacks = Setbacks(frontMetres: 5, sideMetres: 0, rearMetres: 5)
        terrace.minBuildingSpacingMetres = 0
        let rules = LayoutRules()
        XCTAssertNoThrow(try rules.validate(terrace, at: "terrace"))
        // With the rules' 3-m side setback the type would not fit its 7-m lot.
        var global = terrace
        global.setbacks = nil
        XCTAssertThrowsError(try rules.validate(global, at: "terrace"))
        var negative = terrace
        negative.setbacks = Setbacks(frontMetres: 5, sideMetres: -1, rearMetres: 5)
        XCTAssertThrowsError(try rules.validate(negative, at: "programs.T[0]")) { XCTAssertTrue("\($0)".contains("setbacks_m.side"), "\($0)") }

        let scenario = try openField([ProgramItem(type: terrace, count: 30), ProgramItem(type: S.house, count: 10)])
        let plan = try LayoutEngine(scenario: scenario, seed: 1).plan()
        XCTAssertEqual(plan.unplaced, [])
        XCTAssertEqual(try PlanCheck.violations(plan, scenario), [])
        let terraced = plan.buildings.filter { $0.type.key == "terraced_house" }
        var touching = 0
        for (i, a) in terraced.enumerated() {
            for b in terraced[(i + 1)...] where try a.footprintPlanar.distance(to: b.footprintPlanar) < 0.01 {
                XCTAssertLessThan(try a.footprintPlanar.intersection(b.footprintPlanar).area, 1e-6)
                touching += 1
            }
        }
        XCTAssertGreaterThan(touching, 10, "terraced houses share walls")
        // Houses keep the rules' spacing from terraced houses and each other.
        for h in plan.buildings where h.type.key == "house" {
            for t in plan.buildings where t.id != h.id {
                XCTAssertGreaterThanOrEqual(try h.footprintPlanar.distance(to: t.footprintPlanar), rules.minBuildingSpacingMetres - 0.01)
            }
        }
    }
}
