import Foundation
import SiteGeometry
import XCTest
@testable import SiteplanCore
@testable import SiteplanIO

final class KhojalyLayoutTests: XCTestCase {
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("geodata/khojaly").path

    func testKhojalyProgramIsPlacedInFull() throws {
        let scenario = try ScenarioReader.load(folder: Self.folder)
        let plan = try LayoutEngine(scenario: scenario, seed: 1).plan()
        XCTAssertEqual(plan.unplaced, [])
        func count(_ parcel: String, _ prefix: String) -> Int {
            plan.buildings.filter { $0.parcelID == parcel && $0.type.key.hasPrefix(prefix) }.count
        }
        XCTAssertEqual(count("P1-A", "individual_house"), 140)
        XCTAssertEqual(count("P1-A", "cottage"), 48)
        XCTAssertEqual(count("P1-A", "apartment_building"), 9)
        XCTAssertEqual(plan.buildings.filter { $0.parcelID == "P1-A" && $0.type.key.hasPrefix("apartment") }.reduce(0) { $0 + $1.units }, 110)
        XCTAssertEqual(count("P1-B", "finnish_house"), 92)
        XCTAssertEqual(plan.buildings.count, 140 + 48 + 9 + 92)
        try LayoutInvariants.check(plan, scenario)

        let coverage = try CoverageAnalysis.parcels(plan, scenario: scenario)
        let a = try XCTUnwrap(coverage.first { $0.parcelID == "P1-A" })
        XCTAssertEqual(a.figures.dwellingUnits, 140 + 48 + 110)
        let footprint = try plan.buildings.filter { $0.parcelID == "P1-A" }.reduce(0.0) { try $0 + $1.footprintPlanar.area }
        XCTAssertEqual(a.figures.coverageRatio, footprint / (try scenario.parcel(id: "P1-A").boundaryPlanar.area), accuracy: 1e-12)
        XCTAssertEqual(a.figures.unitsPerHectare, 298 / 166.982, accuracy: 0.01)
        XCTAssertEqual(a.figures.lotCount, 197)
        XCTAssertGreaterThan(a.streetAreaShare, 0.02)
        XCTAssertEqual(a.openSpaceShare, 1 - a.figures.coverageRatio - a.streetAreaShare, accuracy: 1e-12)
    }

    func testSameSeedSameBytesOtherSeedOtherLots() throws {
        let scenario = try ScenarioReader.load(folder: Self.folder)
        func render(_ seed: UInt64) throws -> [String] {
            let plan = try LayoutEngine(scenario: scenario, seed: seed).plan()
            return try PlanLayers.layoutLayers(scenario, plan).map { try GeoJSONWriter().featureCollection($0.features, name: $0.name) }
        }
        let first = try render(1), second = try render(1)
        XCTAssertEqual(first, second)
        XCTAssertNotEqual(try render(2)[4], first[4], "another seed varies the lot frontages")
    }
}

final class SyntheticLayoutTests: XCTestCase {
    typealias S = SyntheticScenario

    func layout(_ boundary: Geometry, _ program: [ProgramItem], exclusions: [Geometry] = []) throws -> (SitePlan, Scenario) {
        let scenario = try S.scenario(parcel: boundary, program: program, exclusions: exclusions)
        let plan = try LayoutEngine(scenario: scenario, seed: 3).plan()
        try LayoutInvariants.check(plan, scenario)
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

/// The bug a GeoPackage round trip showed: coordinates that moved by a few nanometres (another
/// CRS, PROJ both ways) changed the street grid. The layout now works on a 1 mm grid.
final class LayoutStabilityTests: XCTestCase {
    func testMicrometreNoiseDoesNotChangeThePlan() throws {
        let scenario = try ScenarioReader.load(folder: KhojalyLayoutTests.folder)
        var noisy = scenario
        var k = 0
        noisy.parcels = try scenario.parcels.map { p in
            let moved = try p.boundaryWGS84.mapCoordinates { pts in
                for i in pts.indices.dropLast() {  // keep rings closed
                    k += 1
                    pts[i].x += (k % 2 == 0 ? 1 : -1) * 3e-11   // about 3 micrometres
                    pts[i].y += (k % 3 == 0 ? 1 : -1) * 3e-11
                }
                pts[pts.count - 1] = pts[0]
            }
            return try Parcel(id: p.id, name: p.name, phase: p.phase, boundaryWGS84: moved, frame: scenario.frame,
                              feature: FeatureRef(index: 0, id: p.id))
        }
        let a = try LayoutEngine(scenario: scenario, seed: 1).plan()
        let b = try LayoutEngine(scenario: noisy, seed: 1).plan()
        XCTAssertEqual(a.streets.map(\.id), b.streets.map(\.id))
        XCTAssertEqual(a.lots.map(\.id), b.lots.map(\.id))
        XCTAssertEqual(a.buildings.map(\.lotID), b.buildings.map(\.lotID))
        for (x, y) in zip(a.buildings, b.buildings) {
            XCTAssertEqual(try x.footprintPlanar.centroidXY().distance(to: y.footprintPlanar.centroidXY()), 0, accuracy: 1e-6, x.id)
        }
        for (x, y) in zip(a.streets, b.streets) {
            XCTAssertEqual(try x.centrelinePlanar.length, try y.centrelinePlanar.length, accuracy: 1e-6, x.id)
        }
    }
}
