import Foundation
import XCTest
import SiteDrivers
import SiteGeometry
@testable import SiteFiles
@testable import SitePlanning
import SiteVocabulary

/// Re-plans on the Khojaly plan of record (revision 1 and the status import) with what a
/// planner changes once works have begun: built assets stay, and the rest is sensible.
final class ReplanOnRecordTests: XCTestCase {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Fixtures/scenarios")

    /// A GeoPackage store holding revision 1 of Khojaly and its as-built records.
    func khojalyRecord() throws -> (store: any PlanStore, record: PlanRecord) {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("siteplan-replan-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(at: folder) }
        let package = try ScenarioReader.loadPackage(folder: KhojalyLayoutTests.folder)
        let store = try PlanStores.open(folder.appendingPathComponent("plan.gpkg").path, creatingWith: package.scenario.frame.crs)
        let empty = try PlanStores.loadRecord(store)
        _ = try PlanStores.adopt(try package.run(record: empty), on: empty, into: store, author: "t", message: "1",
                                 adoptedAt: "2026-12-03T10:00:00Z", scenarioDigest: package.digest)
        try store.record(try PlanStores.readEvents(csv: KhojalyLayoutTests.folder + "/status.csv", recordedBy: "t"))
        return (store, try PlanStores.loadRecord(store))
    }

    /// Every built segment of `record`, id → WKB.
    func builtSegments(_ record: PlanRecord) throws -> [String: [UInt8]] {
        let book = record.history.book(asOf: nil)
        var out: [String: [UInt8]] = [:]
        for layer in record.layers where layer.name == "network" || layer.name == "service_lines" {
            for f in layer.features where book.status(of: f.id!).isBuilt { out[f.id!] = try f.geometry!.wkb() }
        }
        return out
    }

    func testMovedAccessPointsKeepWhatIsBuiltAndLayNoSecondGrid() throws {
        let (_, record) = try khojalyRecord()
        let built = try builtSegments(record)
        // Every laid or commissioned row of status.csv.
        let rows = try String(contentsOfFile: KhojalyLayoutTests.folder + "/status.csv", encoding: .utf8).split(separator: "\n").dropFirst()
        XCTAssertEqual(built.count, rows.filter { $0.contains(",laid,") || $0.contains(",commissioned,") }.count)
        let package = try ScenarioReader.loadPackage(folder: Self.fixtures.appendingPathComponent("khojaly-moved-access").path)
        XCTAssertNotNil(PlanStores.scenarioNote(record, package), "a run on another scenario says it is a proposal")
        let run = try package.run(record: record)
        for (id, wkb) in built {
            let i = try XCTUnwrap(run.network.segmentIndex(id: id), id)
            XCTAssertEqual(try run.network.segments[i].geometryPlanar.wkb(), wkb, id)
        }
        XCTAssertEqual(run.progress.town.buildingsFullyConnected, 50)
        // One new street at most per moved access point (its spur), no grid beside the built one.
        let oldStreets = Set(record.layers.first { $0.name == "streets" }!.features.compactMap(\.id))
        let newStreets = run.plan.streets.filter { !oldStreets.contains($0.id) }
        XCTAssertLessThanOrEqual(newStreets.count, 2, "\(newStreets.map(\.id))")
        // No street corridor crosses a built lot.
        let builtLots = run.plan.lots.filter { l in run.fixed.lots.contains { $0.id == l.id } }
        for s in run.plan.streets {
            let corridor = try s.centrelinePlanar.buffer(s.widthMetres / 2 - 0.5)
            for lot in builtLots where try corridor.intersects(lot.polygonPlanar) {
                XCTAssertLessThan(try corridor.intersection(lot.polygonPlanar).area, 1, "\(s.id) crosses built lot \(lot.id)")
            }
        }
    }

    func testANewZoneOverABuiltHouseAndAProgramBelowWhatIsBuiltAreReported() throws {
        let (_, record) = try khojalyRecord()
        let package = try ScenarioReader.loadPackage(folder: Self.fixtures.appendingPathComponent("khojaly-changed").path)
        let run = try package.run(record: record)
        // The built house under the new zone (P1-B-H0001 before the facilities took the first
        // lots, P1-B-H0019 since), found from the geometry.
        let pylon = try XCTUnwrap(package.scenario.exclusions.first { $0.id == "B-pylon" }).boundaryPlanar
        let under = try run.fixed.buildings.filter { try $0.type.facility == nil && pylon.intersection($0.footprintPlanar).area > 1 }.map(\.id)
        XCTAssertFalse(under.isEmpty, "the zone is over a built house")
        XCTAssertTrue(run.recordNotes.contains { note in note.hasPrefix("exclusion zone B-pylon covers") && under.allSatisfy { note.contains($0) } }, "\(run.recordNotes)")
        XCTAssertTrue(run.recordNotes.contains("P1-A: 140 individual_house buildings are built (or occupied), 20 more than the program's 120; they stay in the plan"),
                      "\(run.recordNotes)")
        XCTAssertEqual(run.plan.buildings.filter { $0.parcelID == "P1-A" && $0.type.key == "individual_house" }.count, 140)
        for (id, wkb) in try builtSegments(record) {
            let i = try XCTUnwrap(run.network.segmentIndex(id: id), id)
            XCTAssertEqual(try run.network.segments[i].geometryPlanar.wkb(), wkb, id)
        }
    }

    func testAPipeLaidAfterTheScenariosAsOfDayIsStillFixed() throws {
        let (store, record) = try khojalyRecord()
        // P1-B-H0030's water service line, laid after Khojaly's as_of (2026-11-27).
        let id = "water-P1-B-H0030"
        let before = try XCTUnwrap(record.layers.first { $0.name == "service_lines" }?.features.first { $0.id == id })
        try store.record([WorksEvent(assetID: id, status: .laid, date: ISODate("2026-12-01")!, recordedBy: "crew")])
        let package = try ScenarioReader.loadPackage(folder: KhojalyLayoutTests.folder)
        let run = try package.run(seed: 3, record: try PlanStores.loadRecord(store))
        let i = try XCTUnwrap(run.network.segmentIndex(id: id))
        XCTAssertEqual(try run.network.segments[i].geometryPlanar.wkb(), try before.geometry!.wkb())
        XCTAssertTrue(run.plan.buildings.contains { $0.id == "P1-B-H0030" })
        XCTAssertTrue(run.recordNotes.contains { $0.contains("dated after 2026-11-27 not counted") }, "\(run.recordNotes)")
    }

    func testRowsAddedByHandAreChecked() throws {
        let (store, _) = try khojalyRecord()
        try store.record([WorksEvent(assetID: "water-P9-M001", status: .laid, date: ISODate("2026-06-01")!)])
        XCTAssertThrowsError(try PlanStores.loadRecord(store)) {
            XCTAssertTrue("\($0)".contains("(segment \"water-P9-M001\"): no revision of the plan of record has this segment"), "\($0)")
        }
    }

    func testARowDatedInTheFutureIsRefused() throws {
        let (store, _) = try khojalyRecord()
        try store.record([WorksEvent(assetID: "water-P1-A-T", status: .commissioned, date: ISODate("2999-01-01")!)])
        XCTAssertThrowsError(try PlanStores.loadRecord(store)) { XCTAssertTrue("\($0)".contains("is in the future"), "\($0)") }
    }
}
