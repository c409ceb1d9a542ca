import Foundation
import XCTest
import SiteDrivers
import SiteGeometry
import SitePlanning
import SiteProjection
import SiteVocabulary
@testable import StoreGeoPackage

/// The GeoPackage plan of record: versioned layers, one transaction per write, the checks on
/// open, and GDAL (a real ogrinfo) opening every layer.
final class GeoPackagePlanStoreTests: XCTestCase {
    static let utm = CRS.epsg(32638)

    func folder() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("siteplan-store-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(at: url) }
        return url
    }

    func layers(buildingX: Double, extra: Bool = false) throws -> [Layer] {
        func f(_ id: String, _ g: Geometry, _ p: [(String, JSONValue)]) -> Feature { Feature(id: id, properties: JSONObject(p), geometry: g) }
        let base = XY(653_000, 4_419_000)
        func rect(_ x: Double, _ y: Double, _ w: Double, _ h: Double) throws -> Geometry {
            try .rectangle(Envelope(minX: base.x + x, minY: base.y + y, maxX: base.x + x + w, maxY: base.y + y + h))
        }
        var buildings = [f("P-H0001", try rect(buildingX, 0, 12, 10), [("type", "house"), ("units", 1)]),
                         f("P-H0002", try rect(100, 0, 12, 10), [("type", "house"), ("units", 1)])]
        if extra { buildings.append(f("P-H0003", try rect(200, 0, 12, 10), [("type", "house"), ("units", 1)])) }
        let street = try Geometry.lineString([XY(base.x, base.y - 10), XY(base.x + 300, base.y - 10)])
        return RecordLayers.names.map { name in
            switch name {
            case "parcels": return Layer(name: name, crs: Self.utm, features: [f("P", try! rect(-50, -50, 400, 200), [("name", "P")])])
            case "streets": return Layer(name: name, crs: Self.utm, features: [f("P-S01", street, [("class", "primary"), ("width_m", 14)])])
            case "buildings": return Layer(name: name, crs: Self.utm, features: buildings)
            default: return Layer(name: name, crs: Self.utm, features: [])
            }
        }
    }

    func revision(_ n: Int, by author: String = "planner") -> RevisionInfo {
        RevisionInfo(number: n, author: author, adoptedAt: "2026-12-03T09:00:0\(n)Z", message: "r\(n)", scenario: "test", seed: 1, planningCRS: .epsg(32638))
    }

    func testRevisionsAreVersionedAndEachReadsBackAsAdopted() throws {
        let path = try folder().appendingPathComponent("plan.gpkg").path
        let store = try GeoPackagePlanStore(path: path, creatingWith: Self.utm)
        let first = try layers(buildingX: 0)
        try store.adopt(AdoptRequest(revision: revision(1), layers: first, idCounters: ["P-H": 2], households: []))
        // Revision 2: H0001 moved 5 m, H0003 added.
        try store.adopt(AdoptRequest(revision: revision(2), layers: try layers(buildingX: 5, extra: true), idCounters: ["P-H": 3], households: []))
        XCTAssertEqual(try store.revisions().map(\.number), [1, 2])

        let r1 = try store.layers(revision: 1).first { $0.name == "buildings" }!
        XCTAssertEqual(r1.features.map(\.id), ["P-H0001", "P-H0002"])
        XCTAssertEqual(try r1.features[0].geometry!.wkb(), try first.first { $0.name == "buildings" }!.features[0].geometry!.wkb())
        let r2 = try store.layers(revision: 2).first { $0.name == "buildings" }!
        XCTAssertEqual(r2.features.map(\.id), ["P-H0001", "P-H0002", "P-H0003"])
        XCTAssertEqual(try r2.features[0].geometry!.envelope().minX, 653_005, accuracy: 1e-9)
        XCTAssertEqual(r2.features[2].properties["type"], .string("house"))

        // The unchanged building kept its one row; the moved one has two.
        let rows = try readSQL(path, "SELECT asset_id, rev_from, ifnull(rev_to, '-') FROM buildings ORDER BY fid")
        XCTAssertEqual(rows, ["P-H0001|1|2", "P-H0002|1|-", "P-H0001|2|-", "P-H0003|2|-"])
        XCTAssertEqual(try store.idCounters()["P-H"], 3)
        XCTAssertThrowsError(try store.layers(revision: 3)) { XCTAssertTrue("\($0)".contains("no revision 3 (revisions 1 to 2)"), "\($0)") }
    }

    func testTwoAdoptsOnTheSameRevisionCannotBothWin() throws {
        let path = try folder().appendingPathComponent("plan.gpkg").path
        let a = try GeoPackagePlanStore(path: path, creatingWith: Self.utm)
        try a.adopt(AdoptRequest(revision: revision(1), layers: try layers(buildingX: 0), idCounters: [:], households: []))
        let b = try GeoPackagePlanStore(path: path)
        // Both planned on revision 1; alice adopts first, bob's adopt must fail and write nothing.
        try a.adopt(AdoptRequest(revision: revision(2, by: "alice"), layers: try layers(buildingX: 5), idCounters: [:], households: []))
        XCTAssertThrowsError(try b.adopt(AdoptRequest(revision: revision(2, by: "bob"), layers: try layers(buildingX: 9, extra: true), idCounters: [:], households: []))) {
            let text = "\($0)"
            XCTAssertTrue(text.contains("revision 2 was adopted meanwhile (by alice"), text)
        }
        XCTAssertEqual(try b.revisions().map(\.author), ["planner", "alice"])
        XCTAssertEqual(try b.layers(revision: 2).first { $0.name == "buildings" }!.features.count, 2)
    }

    func testAFailedAdoptWritesNothing() throws {
        let path = try folder().appendingPathComponent("plan.gpkg").path
        let store = try GeoPackagePlanStore(path: path, creatingWith: Self.utm)
        var bad = try layers(buildingX: 0)
        let k = bad.firstIndex { $0.name == "buildings" }!
        bad[k].features.append(bad[k].features[0])   // the same asset id twice
        XCTAssertThrowsError(try store.adopt(AdoptRequest(revision: revision(1), layers: bad, idCounters: ["P-H": 2], households: []))) {
            XCTAssertTrue("\($0)".contains("asset id \"P-H0001\" appears twice"), "\($0)")
        }
        XCTAssertEqual(try store.revisions(), [])
        XCTAssertEqual(try readSQL(path, "SELECT count(*) FROM streets"), ["0"])
        XCTAssertEqual(try store.idCounters(), [:])
    }

    func testEventsRoundTripAndARowAddedInQGISIsChecked() throws {
        let path = try folder().appendingPathComponent("plan.gpkg").path
        let store = try GeoPackagePlanStore(path: path, creatingWith: Self.utm)
        let d = ISODate("2026-06-10")!
        try store.record([WorksEvent(assetID: "water-P-M001", status: .laid, date: d, recordedBy: "crew 3", note: "trench 2"),
                          WorksEvent(assetID: "water-P-M002", status: .commissioned, date: d)])
        let events = try store.events(assetID: nil)
        XCTAssertEqual(events.map(\.assetID), ["water-P-M001", "water-P-M002"])
        XCTAssertEqual(events[0].recordedBy, "crew 3")
        XCTAssertEqual(events[0].note, "trench 2")
        XCTAssertEqual(events[1].origin, "works_events fid 2")
        XCTAssertEqual(try store.events(assetID: "water-P-M002").count, 1)
        // A QGIS user types a status by hand.
        _ = try readSQL(path, "INSERT INTO works_events (asset_id, status, date) VALUES ('water-P-M003', 'finished', '2026-07-01')")
        XCTAssertThrowsError(try store.events(assetID: nil)) {
            XCTAssertTrue("\($0)".contains("works_events fid 3 (asset \"water-P-M003\"): unknown status \"finished\""), "\($0)")
        }
    }

    func testAccountsRoundTripAndASchemaOneStoreIsMigrated() throws {
        let path = try folder().appendingPathComponent("plan.gpkg").path
        let store = try GeoPackagePlanStore(path: path, creatingWith: Self.utm)
        let amina = UserAccount(name: "amina", role: .editor, passwordHash: "scrypt$1024$8$1$c2FsdA==$aGFzaA==", createdAt: "2026-12-03T08:00:00Z", createdBy: "admin")
        try store.saveUser(amina)
        var promoted = amina
        promoted.role = .admin
        try store.saveUser(promoted)
        XCTAssertEqual(try store.users(), [promoted])
        XCTAssertEqual(try readSQL(path, "SELECT count(*) FROM gpkg_contents WHERE table_name = 'users'"), ["0"], "not offered to GIS clients")
        XCTAssertTrue(try store.removeUser(named: "amina"))
        XCTAssertFalse(try store.removeUser(named: "amina"))
        // A file of schema 1 (before accounts): opening it adds the table.
        _ = try readSQL(path, "DROP TABLE users; UPDATE siteplan_meta SET value = '1' WHERE key = 'schema_version'")
        let reopened = try GeoPackagePlanStore(path: path)
        XCTAssertEqual(try reopened.users(), [])
        XCTAssertEqual(try readSQL(path, "SELECT value FROM siteplan_meta WHERE key = 'schema_version'"), [String(PlanStoreSchema.version)])
    }

    func testTheChangeMarkMovesWithEveryWriteByUsOrByQGIS() throws {
        let path = try folder().appendingPathComponent("plan.gpkg").path
        let store = try GeoPackagePlanStore(path: path, creatingWith: Self.utm)
        let empty = try store.changeMark()
        XCTAssertEqual(try store.changeMark(), empty, "reading does not move it")
        try store.record([WorksEvent(assetID: "water-P-M001", status: .laid, date: ISODate("2026-06-10")!)])
        let afterEvent = try store.changeMark()
        XCTAssertNotEqual(afterEvent, empty)
        // A second connection (QGIS) adds a row.
        _ = try readSQL(path, "INSERT INTO works_events (asset_id, status, date) VALUES ('water-P-M002', 'laid', '2026-06-11')")
        let afterQGIS = try store.changeMark()
        XCTAssertNotEqual(afterQGIS, afterEvent)
        let reopened = try GeoPackagePlanStore(path: path)
        XCTAssertEqual(try reopened.changeMark(), afterQGIS, "the mark is the store's, not the connection's")
    }

    func testAStoreThatIsNotOursOrIsNewerIsRefused() throws {
        let dir = try folder()
        let text = dir.appendingPathComponent("notes.gpkg").path
        try "not a database at all".write(toFile: text, atomically: true, encoding: .utf8)
        XCTAssertThrowsError(try GeoPackagePlanStore(path: text)) { XCTAssertTrue("\($0)".contains("notes.gpkg"), "\($0)") }

        let missing = dir.appendingPathComponent("missing.gpkg").path
        XCTAssertThrowsError(try GeoPackagePlanStore(path: missing)) {
            XCTAssertTrue("\($0)".contains("no such plan of record; `siteplan adopt --store"), "\($0)")
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: missing))

        let newer = dir.appendingPathComponent("newer.gpkg").path
        _ = try GeoPackagePlanStore(path: newer, creatingWith: Self.utm)
        _ = try readSQL(newer, "UPDATE siteplan_meta SET value = '99' WHERE key = 'schema_version'")
        XCTAssertThrowsError(try GeoPackagePlanStore(path: newer)) {
            XCTAssertTrue("\($0)".contains("newer siteplan (store schema 99; this build reads up to \(PlanStoreSchema.version))"), "\($0)")
        }
        XCTAssertThrowsError(try GeoPackagePlanStore(path: newer, creatingWith: .epsg(32639))) { _ in }
    }

    func testGDALOpensEveryLayer() throws {
        let path = try folder().appendingPathComponent("plan.gpkg").path
        let store = try GeoPackagePlanStore(path: path, creatingWith: Self.utm)
        try store.adopt(AdoptRequest(revision: revision(1), layers: try layers(buildingX: 0), idCounters: [:], households: []))
        try store.record([WorksEvent(assetID: "x", status: .laid, date: ISODate("2026-06-10")!)])
        let (status, out, err) = try run("/usr/bin/ogrinfo", ["-ro", "-q", path])
        XCTAssertEqual(status, 0, err)
        XCTAssertEqual(err.trimmingCharacters(in: .whitespacesAndNewlines), "", "GDAL warned: \(err)")
        for name in RecordLayers.names + ["network_status", "service_lines_status", "works_events", "revisions", "households"] {
            XCTAssertTrue(out.contains(": \(name)"), "\(name) missing in\n\(out)")
        }
        let (s2, detail, err2) = try run("/usr/bin/ogrinfo", ["-ro", "-al", "-so", path, "buildings"])
        XCTAssertEqual(s2, 0, err2)
        XCTAssertTrue(detail.contains("Feature Count: 2"), detail)
        XCTAssertTrue(detail.contains("UTM zone 38N"), detail)
    }

    // MARK: helpers

    func run(_ tool: String, _ args: [String]) throws -> (Int32, String, String) {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: tool)
        p.arguments = args
        let out = Pipe(), err = Pipe()
        p.standardOutput = out
        p.standardError = err
        try p.run()
        let o = out.fileHandleForReading.readDataToEndOfFile(), e = err.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return (p.terminationStatus, String(decoding: o, as: UTF8.self), String(decoding: e, as: UTF8.self))
    }

    /// Runs SQL with the sqlite3 shell (a second, independent client), rows as `a|b|c`.
    func readSQL(_ path: String, _ sql: String) throws -> [String] {
        let (status, out, err) = try run("/usr/bin/sqlite3", [path, sql])
        XCTAssertEqual(status, 0, err)
        return out.split(separator: "\n").map(String.init)
    }
}
