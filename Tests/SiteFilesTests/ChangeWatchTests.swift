import Foundation
import SiteFiles
import SitePlanning
import SiteVocabulary
import XCTest

/// What a live view polls: a scenario file edited in place, or a store written to, moves the mark;
/// reading does not.
final class ChangeWatchTests: XCTestCase {
    static let khojaly = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("geodata/khojaly")

    func testAnEditedScenarioFileOrAStoreWriteMovesTheMark() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("watch-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        try FileManager.default.copyItem(at: Self.khojaly, to: folder)
        let files = ScenarioFiles(folder: folder.path)
        let watch = try ChangeWatch(storeLocation: nil, scenario: files)
        let first = try watch.mark()
        XCTAssertEqual(try watch.mark(), first, "reading does not move it")
        _ = try ScenarioReader.loadPackage(files)
        XCTAssertEqual(try watch.mark(), first, "loading the scenario does not move it")

        let status = folder.appendingPathComponent("status.csv")
        var text = try String(contentsOf: status, encoding: .utf8)
        text += "\n"
        try text.write(to: status, atomically: false, encoding: .utf8)
        let edited = try watch.mark()
        XCTAssertNotEqual(edited, first, "an edit in place")

        let store = folder.appendingPathComponent("plan.gpkg").path
        let package = try ScenarioReader.loadPackage(files)
        let run = try package.run()
        let opened = try PlanStores.open(store, creatingWith: run.scenario.frame.crs)
        _ = try PlanStores.adopt(run, on: try PlanStores.loadRecord(opened), into: opened, author: "test", message: "first", adoptedAt: "2026-12-03T00:00:00Z", scenarioDigest: package.digest)
        let storeWatch = try ChangeWatch(storeLocation: store, scenario: files)
        let withStore = try storeWatch.mark()
        XCTAssertEqual(try storeWatch.mark(), withStore)
        let record = try PlanStores.loadRecord(opened)
        let segment = try XCTUnwrap(PlanStores.segmentIDs(record).sorted().first)
        _ = try PlanStores.record([WorksEvent(assetID: segment, status: .underConstruction, date: ISODate("2026-11-01")!)],
                                  into: opened, on: record, source: "test")
        XCTAssertNotEqual(try storeWatch.mark(), withStore, "a works event recorded")
    }

    func testTheEmbeddedScenarioNeverChanges() throws {
        let watch = try ChangeWatch(storeLocation: nil, scenario: EmbeddedScenario.khojaly)
        XCTAssertEqual(try watch.mark(), try watch.mark())
    }
}
