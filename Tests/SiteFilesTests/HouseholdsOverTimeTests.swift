import Foundation
import XCTest
@testable import SiteFiles
import SiteDrivers
import SitePlanning
import SiteVocabulary

/// Households with return dates, and the plan of record keeping housed families where they are.
final class HouseholdsOverTimeTests: XCTestCase {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Fixtures/scenarios")

    /// A copy of geodata/khojaly with the fixture's households.csv.
    func scenarioWithReturnDates() throws -> String {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("siteplan-returns-\(UUID().uuidString)")
        addTeardownBlock { try? FileManager.default.removeItem(at: folder) }
        try FileManager.default.copyItem(atPath: KhojalyLayoutTests.folder, toPath: folder.path)
        let target = folder.appendingPathComponent("households.csv")
        try FileManager.default.removeItem(at: target)
        try FileManager.default.copyItem(at: Self.fixtures.appendingPathComponent("returns/households.csv"), to: target)
        return folder.path
    }

    func testFamiliesReturningAfterTheDayAreAwaitedAndOccupancyIsCounted() throws {
        let package = try ScenarioReader.loadPackage(folder: try scenarioWithReturnDates())
        let run = try package.run()   // as of 2026-11-27
        let h = run.households
        XCTAssertEqual(h.assignments.map(\.familyID).sorted(), ["G1-F01", "G1-F02", "G1-F03"])
        XCTAssertEqual(h.awaiting.map(\.id), ["G2-F01", "G2-F02"])
        XCTAssertEqual(h.unhoused, [])
        let town = try XCTUnwrap(h.occupancy.first)
        XCTAssertEqual(town.scope, "town")
        XCTAssertEqual(town.dwellings, 390)
        XCTAssertEqual(town.connectedDwellings, 50)
        XCTAssertEqual(town.occupiedDwellings, 3)
        XCTAssertEqual(h.occupancy.map(\.scope), ["town", "P1-A", "P1-B"])

        // By the second group's date, everyone is back.
        let later = try package.run(asOf: ISODate("2027-03-15"))
        XCTAssertEqual(later.households.awaiting, [])
        XCTAssertEqual(later.households.familiesHoused, 5)
    }

    func testABadReturnDateNamesTheLine() throws {
        let folder = try scenarioWithReturnDates()
        let path = folder + "/households.csv"
        try "family_id,group,size,return_date\nG1-F01,1,2,2026-13-01\n".write(toFile: path, atomically: true, encoding: .utf8)
        XCTAssertThrowsError(try ScenarioReader.loadPackage(folder: folder).run()) {
            XCTAssertTrue("\($0)".contains("line 2 (family \"G1-F01\"): return_date \"2026-13-01\" does not parse"), "\($0)")
        }
    }

    func testAReplanKeepsHousedFamiliesInTheirDwellings() throws {
        let package = try ScenarioReader.loadPackage(folder: KhojalyLayoutTests.folder)
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("siteplan-housed-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(at: folder) }
        let store = try PlanStores.open(folder.appendingPathComponent("plan.gpkg").path, creatingWith: package.scenario.frame.crs)
        let empty = try PlanStores.loadRecord(store)
        let first = try package.run(record: empty)
        _ = try PlanStores.adopt(first, on: empty, into: store, author: "t", message: "1", adoptedAt: "2026-12-03T10:00:00Z")
        try store.record(try PlanStores.readEvents(csv: KhojalyLayoutTests.folder + "/status.csv", recordedBy: "t"))
        let second = try package.run(record: try PlanStores.loadRecord(store))
        XCTAssertEqual(second.households.familiesHoused, 44)
        _ = try PlanStores.adopt(second, on: try PlanStores.loadRecord(store), into: store, author: "t", message: "2", adoptedAt: "2026-12-03T10:00:01Z")
        let housed = Dictionary(uniqueKeysWithValues: try store.households().compactMap { h in h.buildingID.map { (h.familyID, "\($0)#\(h.unit ?? 0)") } })
        XCTAssertEqual(housed.count, 44)
        // Seed 7 moves P1-B's houses; every family stays in the dwelling the record gave it.
        let third = try package.run(seed: 7, record: try PlanStores.loadRecord(store))
        for a in third.households.assignments { XCTAssertEqual(housed[a.familyID], "\(a.buildingID)#\(a.unit)", a.familyID) }
        XCTAssertEqual(third.households.familiesHoused, 44)
    }
}
