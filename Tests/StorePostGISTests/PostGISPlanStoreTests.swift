import Dispatch
import Foundation
import SiteDrivers
import SiteGeometry
import SitePlanning
import SiteProjection
import SiteVocabulary
import XCTest
@testable import StorePostGIS

/// The PostGIS store against a real PostgreSQL + PostGIS server, each test in a database of its
/// own (created from template1, dropped after). The server is SITEPLAN_TEST_POSTGIS_URL's, a role
/// with CREATEDB; without it these tests fail (they never skip):
///
///     export SITEPLAN_TEST_POSTGIS_URL="$(tools/pg_test_cluster.sh start)"
final class PostGISPlanStoreTests: XCTestCase {
    static let utm = CRS.epsg(32638)

    struct NoServer: Error, CustomStringConvertible {
        var description: String { "no PostGIS server to test against (SITEPLAN_TEST_POSTGIS_URL)" }
    }

    /// The URL of a new, empty database on the test server, dropped when the test ends.
    func freshDatabase() throws -> String {
        guard let base = ProcessInfo.processInfo.environment["SITEPLAN_TEST_POSTGIS_URL"], !base.isEmpty else {
            XCTFail("""
                SITEPLAN_TEST_POSTGIS_URL is not set: the PostGIS store is tested against a real PostgreSQL 15 + PostGIS server. \
                Start a throwaway one on loopback with `export SITEPLAN_TEST_POSTGIS_URL="$(tools/pg_test_cluster.sh start)"` \
                (needs postgresql-15 and postgresql-15-postgis-3: bash tools/setup.sh), then run the tests again.
                """)
            throw NoServer()
        }
        let name = "siteplan_test_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "").prefix(16)
        try PGConnection(url: base).query("CREATE DATABASE \(name)")
        addTeardownBlock {
            _ = try? PGConnection(url: base).query("DROP DATABASE IF EXISTS \(name) WITH (FORCE)")
        }
        return try Self.url(base, database: String(name))
    }

    /// `base` (a postgresql:// URL) with its database replaced by `database`.
    static func url(_ base: String, database: String) throws -> String {
        guard let scheme = base.range(of: "://") else {
            throw InputError("SITEPLAN_TEST_POSTGIS_URL must be a postgresql:// URL, not \(PGConnection.redacted(base))")
        }
        let rest = base[scheme.upperBound...]
        let authorityEnd = rest.firstIndex(where: { $0 == "/" || $0 == "?" }) ?? rest.endIndex
        let query = rest[authorityEnd...].firstIndex(of: "?").map { String(rest[$0...]) } ?? ""
        return String(base[..<authorityEnd]) + "/" + database + query
    }

    // MARK: plans made in code (UTM 38N metres near Khojaly)

    static func street(_ id: String, x: Double, class kind: String = "local") throws -> Feature {
        Feature(id: id, properties: JSONObject([("layer", "streets"), ("parcel_id", "P1"), ("class", .string(kind)), ("length_m", 40.5)]),
                geometry: try Geometry.lineString([XY(653_000 + x, 4_419_300), XY(653_040 + x, 4_419_300)]))
    }

    static func square(_ x: Double, _ y: Double, _ side: Double) throws -> Geometry {
        try Geometry.polygon(exterior: [XY(x, y), XY(x + side, y), XY(x + side, y + side), XY(x, y + side), XY(x, y)])
    }

    static func building(_ id: String, x: Double, type: String = "house") throws -> Feature {
        Feature(id: id, properties: JSONObject([("layer", "buildings"), ("parcel_id", "P1"), ("type", .string(type)), ("footprint_m2", 120),
                                                ("connected_all", true), ("note", .null)]),
                geometry: try square(653_000 + x, 4_419_000, 12))
    }

    static func layers(_ features: [String: [Feature]]) -> [Layer] {
        RecordLayers.names.map { Layer(name: $0, crs: utm, features: features[$0] ?? []) }
    }

    static func revision(_ number: Int, author: String = "alice") -> RevisionInfo {
        RevisionInfo(number: number, author: author, adoptedAt: "2026-12-0\(number)T09:15:00Z", message: "revision \(number)",
                     scenario: "khojaly", seed: 42 + UInt64(number), planningCRS: .epsg(32638))
    }

    /// Revision 1: two streets, a building, a lot and the parcel.
    static func first() throws -> AdoptRequest {
        AdoptRequest(revision: revision(1), layers: layers([
            "parcels": [Feature(id: "P1", properties: JSONObject([("layer", "parcels"), ("name", "Khojaly 1")]), geometry: try square(652_900, 4_418_900, 600))],
            "streets": [try street("S2", x: 100), try street("S1", x: 0)],
            "lots": [Feature(id: "L1", properties: JSONObject([("layer", "lots"), ("parcel_id", "P1")]), geometry: try square(653_000, 4_419_000, 20))],
            "buildings": [try building("B1", x: 0)],
        ]), idCounters: ["S": 2, "B": 1, "L": 1], households: [
            HouseholdRecord(familyID: "F1", group: "G1", size: 4, returnDate: ISODate("2027-05-01"), buildingID: "B1", unit: 1),
        ])
    }

    /// Revision 2: S1 and P1 unchanged, S2 moved, B1's type changed, B2 new, L1 removed.
    static func second(author: String = "alice") throws -> AdoptRequest {
        AdoptRequest(revision: revision(2, author: author), layers: layers([
            "parcels": [Feature(id: "P1", properties: JSONObject([("layer", "parcels"), ("name", "Khojaly 1")]), geometry: try square(652_900, 4_418_900, 600))],
            "streets": [try street("S1", x: 0), try street("S2", x: 105)],
            "buildings": [try building("B1", x: 0, type: "duplex"), try building("B2", x: 30)],
        ]), idCounters: ["S": 2, "B": 2, "L": 0], households: [
            HouseholdRecord(familyID: "F2", group: "G2", size: 3, returnDate: nil, buildingID: nil, unit: nil),
            HouseholdRecord(familyID: "F1", group: "G1", size: 4, returnDate: ISODate("2027-05-01"), buildingID: "B1", unit: 2),
        ])
    }

    /// `got` is `expected` as the store returns it: every layer of RecordLayers.names in order,
    /// in the planning CRS, features by asset id (byte order), each with its properties and the
    /// same WKB.
    func assertLayers(_ got: [Layer], _ expected: [Layer], _ what: String, file: StaticString = #filePath, line: UInt = #line) throws {
        XCTAssertEqual(got.map(\.name), RecordLayers.names, what, file: file, line: line)
        for (layer, want) in zip(got, expected) {
            XCTAssertEqual(layer.crs, Self.utm, "\(what) \(layer.name)", file: file, line: line)
            let sorted = want.features.sorted { ($0.id ?? "").utf8.lexicographicallyPrecedes(($1.id ?? "").utf8) }
            XCTAssertEqual(layer.features.map(\.id), sorted.map(\.id), "\(what) \(layer.name)", file: file, line: line)
            for (feature, expected) in zip(layer.features, sorted) {
                XCTAssertEqual(feature.properties, expected.properties, "\(what) \(layer.name) \(feature.id ?? "")", file: file, line: line)
                XCTAssertEqual(try feature.geometry?.wkb(), try expected.geometry?.wkb(), "\(what) \(layer.name) \(feature.id ?? "")", file: file, line: line)
            }
        }
    }

    /// (asset_id, rev_from, rev_to, fid) of every row of `table`, by fid.
    func rows(_ store: PostGISPlanStore, _ table: String) throws -> [[String?]] {
        try store.connection.query("SELECT asset_id, rev_from, rev_to, fid FROM \(table) ORDER BY fid").values
    }

    // MARK: tests

    func testTwoRevisionsRoundTripAndKeepUnchangedRows() throws {
        let url = try freshDatabase()
        let store = try PostGISPlanStore(url: url, planningCRS: Self.utm)
        XCTAssertEqual(try store.revisions(), [])
        XCTAssertNil(try store.latestRevision())
        let first = try Self.first(), second = try Self.second()
        try store.adopt(first)
        let s1Before = try rows(store, "streets").first { $0[0] == "S1" }
        try store.adopt(second)

        XCTAssertEqual(try store.revisions(), [first.revision, second.revision])
        try assertLayers(try store.layers(revision: 1), first.layers, "revision 1")
        try assertLayers(try store.layers(revision: 2), second.layers, "revision 2")

        // S1 unchanged: the same row, still current. S2 moved: its row closed at 2, a new one.
        let streets = try rows(store, "streets")
        XCTAssertEqual(streets.filter { $0[0] == "S1" }, [["S1", "1", nil, s1Before?[3] ?? "missing"]])
        XCTAssertEqual(streets.filter { $0[0] == "S2" }.map { [$0[1], $0[2]] }, [["1", "2"], ["2", nil]])
        // B1's attributes changed: a new row; B2 new; L1 removed: closed; P1 unchanged: one row.
        XCTAssertEqual(try rows(store, "buildings").map { [$0[0], $0[1], $0[2]] }, [["B1", "1", "2"], ["B1", "2", nil], ["B2", "2", nil]])
        XCTAssertEqual(try rows(store, "lots").map { [$0[0], $0[1], $0[2]] }, [["L1", "1", "2"]])
        XCTAssertEqual(try rows(store, "parcels").map { [$0[0], $0[1], $0[2]] }, [["P1", "1", nil]])
        // role and parcel_id as docs/STORE.md says; geometry typed with the planning CRS's SRID.
        XCTAssertEqual(try store.connection.query("SELECT role, parcel_id, ST_SRID(geom) FROM buildings WHERE rev_to IS NULL ORDER BY fid").values,
                       [["duplex", "P1", "32638"], ["house", "P1", "32638"]])

        XCTAssertEqual(try store.idCounters(), ["S": 2, "B": 2, "L": 1], "counters are only ever raised")
        XCTAssertEqual(try store.households(), second.households.sorted { $0.familyID < $1.familyID })

        XCTAssertThrowsError(try store.layers(revision: 3)) { error in
            XCTAssertEqual("\(error)", "\(PGConnection.redacted(url)): there is no revision 3 (the latest is 2)")
        }
        // Adopting revision 2 again (or skipping to 4) is refused.
        XCTAssertThrowsError(try store.adopt(second)) { XCTAssertTrue("\($0)".contains("revision 2 was adopted meanwhile by alice at 2026-12-02T09:15:00Z"), "\($0)") }
        var skip = second
        skip.revision = Self.revision(4)
        XCTAssertThrowsError(try store.adopt(skip)) { XCTAssertTrue("\($0)".hasSuffix("cannot adopt revision 4: the next revision is 3"), "\($0)") }

        // Reopened: the store's planning CRS wins; another one is refused.
        let reopened = try PostGISPlanStore(url: url)
        XCTAssertEqual(reopened.planningCRS, Self.utm)
        try assertLayers(try reopened.layers(revision: 1), first.layers, "revision 1, reopened")
        XCTAssertThrowsError(try PostGISPlanStore(url: url, planningCRS: .epsg(32639))) { error in
            XCTAssertTrue("\(error)".contains("the store's planning CRS is EPSG:32638, not EPSG:32639"), "\(error)")
        }
        // An empty database cannot become a store without a planning CRS.
        XCTAssertThrowsError(try PostGISPlanStore(url: try freshDatabase())) { error in
            XCTAssertTrue("\(error)".contains("the database has no plan of record yet; the planning CRS is needed to create one"), "\(error)")
        }
    }

    /// `features(of:revision:batchSize:)` reads a layer through a server-side cursor: batches of
    /// at most the size asked, together the layer `layers(revision:)` returns, in the same order.
    func testALayerIsReadInBatchesThroughACursor() throws {
        let url = try freshDatabase()
        let store = try PostGISPlanStore(url: url, planningCRS: Self.utm)
        let buildings = try (0..<25).map { try Self.building($0 < 10 ? "B0\($0)" : "B\($0)", x: Double($0) * 20) }
        var request = try Self.first()
        request.layers = Self.layers(["buildings": buildings.reversed(), "parcels": request.layers[0].features])
        try store.adopt(request)
        var batches: [[Feature]] = []
        try store.features(of: "buildings", revision: 1, batchSize: 10) { batches.append($0) }
        XCTAssertEqual(batches.map(\.count), [10, 10, 5])
        let whole = try XCTUnwrap(try store.layers(revision: 1).first { $0.name == "buildings" })
        let read = batches.flatMap { $0 }
        XCTAssertEqual(read.map(\.id), whole.features.map(\.id))
        XCTAssertEqual(read.map(\.id), buildings.map(\.id), "by asset id, byte order")
        XCTAssertEqual(read.map(\.index), Array(0..<25))
        for (a, b) in zip(read, whole.features) { XCTAssertEqual(try a.geometry?.wkb(), try b.geometry?.wkb()) }
        // No such revision or layer: named, and the connection is usable after.
        XCTAssertThrowsError(try store.features(of: "buildings", revision: 2, batchSize: 10) { _ in }) { error in
            XCTAssertEqual("\(error)", "\(PGConnection.redacted(url)): there is no revision 2 (the latest is 1)")
        }
        XCTAssertThrowsError(try store.features(of: "roads", revision: 1, batchSize: 10) { _ in }) { error in
            XCTAssertTrue("\(error)".contains("no layer \"roads\" in a plan of record"), "\(error)")
        }
        var count = 0
        try store.features(of: "parcels", revision: 1, batchSize: 1) { count += $0.count }
        XCTAssertEqual(count, 1)
    }

    func testConcurrentAdoptOfOneNumberLetsOneWin() throws {
        let url = try freshDatabase()
        try PostGISPlanStore(url: url, planningCRS: Self.utm).adopt(try Self.first())
        let stores = Unchecked([try PostGISPlanStore(url: url), try PostGISPlanStore(url: url)])
        let requests = Unchecked([try Self.second(author: "alice"), try Self.second(author: "bob")])
        let outcomes = Unchecked(Array(repeating: "", count: 2))
        let lock = NSLock()
        // A third connection holds the revisions table until both adopts are inside their
        // transactions, waiting on it: they run truly at once, neither having read anything.
        let holder = try PGConnection(url: url)
        try holder.query("BEGIN")
        try holder.query("LOCK TABLE revisions IN EXCLUSIVE MODE")
        let group = DispatchGroup()
        for i in 0..<2 {
            DispatchQueue.global().async(group: group) {
                let outcome: String
                do {
                    try stores.value[i].adopt(requests.value[i])
                    outcome = "adopted"
                } catch {
                    outcome = "\(error)"
                }
                lock.withLock { outcomes.value[i] = outcome }
            }
        }
        // Watched from a fourth connection: within the holder's transaction pg_stat_activity
        // would show one snapshot.
        let watcher = try PGConnection(url: url)
        var waiting = 0
        for _ in 0..<250 where waiting < 2 {
            waiting = Int(try watcher.scalar("""
                SELECT count(*) FROM pg_stat_activity
                WHERE datname = current_database() AND wait_event_type = 'Lock' AND query LIKE 'LOCK TABLE revisions%'
                """) ?? "") ?? 0
            if waiting < 2 { usleep(20_000) }
        }
        XCTAssertEqual(waiting, 2, "both adopts wait on the revisions table")
        try holder.query("COMMIT")
        XCTAssertEqual(group.wait(timeout: .now() + 30), .success)
        let results = lock.withLock { outcomes.value }
        XCTAssertEqual(results.filter { $0 == "adopted" }.count, 1, "\(results)")
        let winner = results[0] == "adopted" ? "alice" : "bob"
        let loser = results.first { $0 != "adopted" } ?? ""
        XCTAssertEqual(loser, "\(PGConnection.redacted(url)): revision 2 was adopted meanwhile by \(winner) at 2026-12-02T09:15:00Z; plan again on top of it")
        let store = try PostGISPlanStore(url: url)
        XCTAssertEqual(try store.revisions().map(\.number), [1, 2])
        XCTAssertEqual(try store.revisions().last?.author, winner)
        XCTAssertEqual(try rows(store, "streets").filter { $0[1] == "2" }.count, 1, "only the winner's moved S2")
    }

    func testAccountsRoundTripAndASchemaOneStoreIsMigrated() throws {
        let url = try freshDatabase()
        let store = try PostGISPlanStore(url: url, planningCRS: Self.utm)
        XCTAssertEqual(try store.users(), [])
        let amina = UserAccount(name: "amina", role: .editor, passwordHash: "scrypt$1024$8$1$c2FsdA==$aGFzaA==", createdAt: "2026-12-03T08:00:00Z", createdBy: "admin")
        try store.saveUser(amina)
        var promoted = amina
        promoted.role = .admin
        try store.saveUser(promoted)
        XCTAssertEqual(try store.users(), [promoted])
        XCTAssertTrue(try store.removeUser(named: "amina"))
        XCTAssertFalse(try store.removeUser(named: "amina"))
        // A store of schema 1 (before accounts): the next open adds the table, once.
        try store.connection.query("DROP TABLE users")
        try store.connection.query("DELETE FROM schema_migrations WHERE version = 2")
        try store.connection.query("UPDATE siteplan_meta SET value = '1' WHERE key = 'schema_version'")
        let reopened = try PostGISPlanStore(url: url)
        XCTAssertEqual(try reopened.users(), [])
        XCTAssertEqual(try reopened.connection.scalar("SELECT value FROM siteplan_meta WHERE key = 'schema_version'"), "2")
    }

    func testTheChangeMarkMovesWithEveryWriteFromAnyClient() throws {
        let url = try freshDatabase()
        let store = try PostGISPlanStore(url: url, planningCRS: Self.utm)
        let empty = try store.changeMark()
        XCTAssertEqual(try store.changeMark(), empty, "reading does not move it")
        try store.record([WorksEvent(assetID: "W1", status: .planned, date: ISODate("2026-01-01")!)])
        let afterEvent = try store.changeMark()
        XCTAssertNotEqual(afterEvent, empty)
        // Another client edits a row in place (QGIS): count and ids stay, the row's version moves.
        try PGConnection(url: url).query("UPDATE works_events SET note = 'edited in QGIS' WHERE fid = 1")
        XCTAssertNotEqual(try store.changeMark(), afterEvent)
        try store.adopt(try Self.first())
        XCTAssertNotEqual(try store.changeMark(), afterEvent)
    }

    func testEventsRoundTripInOrderAndPeriodsNeverOverlap() throws {
        let store = try PostGISPlanStore(url: try freshDatabase(), planningCRS: Self.utm)
        func event(_ asset: String, _ status: WorksStatus, _ date: String) -> WorksEvent {
            WorksEvent(assetID: asset, status: status, date: ISODate(date)!, recordedBy: "crew \(asset)", note: "a \"quoted\" note, ünïcode")
        }
        let batches = [
            [event("W1", .planned, "2026-01-01"), event("W2", .planned, "2026-01-01")],
            [event("W1", .underConstruction, "2026-02-01"), event("W1", .laid, "2026-03-01"), event("W2", .laid, "2026-02-15")],
        ]
        for batch in batches { try store.record(batch) }
        let all = batches.flatMap { $0 }
        let read = try store.events(assetID: nil)
        XCTAssertEqual(read.map(\.origin), (1...5).map { "works_events fid \($0)" })
        XCTAssertEqual(read.map { WorksEvent(assetID: $0.assetID, status: $0.status, date: $0.date, recordedBy: $0.recordedBy, note: $0.note) }, all)
        XCTAssertEqual(try store.events(assetID: "W1").map(\.status), [.planned, .underConstruction, .laid])
        XCTAssertEqual(try store.events(assetID: "W9"), [])

        XCTAssertEqual(try store.connection.query("""
            SELECT status, lower(valid)::text, upper(valid)::text FROM works_periods WHERE asset_id = 'W1' ORDER BY lower(valid)
            """).values, [["planned", "2026-01-01", "2026-02-01"], ["under_construction", "2026-02-01", "2026-03-01"], ["laid", "2026-03-01", nil]])
        XCTAssertEqual(try store.connection.scalar("""
            SELECT count(*) FROM works_periods a JOIN works_periods b ON a.asset_id = b.asset_id AND a.ctid <> b.ctid AND a.valid && b.valid
            """), "0")
        // The exclusion constraint refuses an overlapping period outright.
        XCTAssertThrowsError(try store.connection.query("INSERT INTO works_periods VALUES ('W1', 'laid', daterange('2026-02-10', '2026-02-20'))")) { error in
            XCTAssertEqual((error as? PostgreSQLError)?.sqlState, "23P01", "\(error)")
        }
        XCTAssertEqual(try store.connection.scalar("SELECT count(*) FROM works_periods"), "5")
        XCTAssertEqual(try store.connection.scalar("SELECT count(*) FROM works_events WHERE recorded_at ~ '^\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ$'"), "5")

        // A row a QGIS user added with a status or date siteplan does not know stops the read.
        try store.connection.query("INSERT INTO works_events (asset_id, status, date) VALUES ('W3', 'built', '2026-04-01')")
        XCTAssertThrowsError(try store.events(assetID: nil)) { error in
            XCTAssertTrue(error is InputError)
            XCTAssertTrue("\(error)".hasSuffix("works_events fid 6: unknown status \"built\" (planned, under_construction, laid or commissioned)"), "\(error)")
        }
        try store.connection.query("UPDATE works_events SET status = 'laid', date = '2026-13-01' WHERE fid = 6")
        XCTAssertThrowsError(try store.events(assetID: "W3")) { error in
            XCTAssertTrue("\(error)".hasSuffix("works_events fid 6: the date \"2026-13-01\" is not a YYYY-MM-DD date"), "\(error)")
        }
        // Recording on top of it names the row too, and writes nothing.
        XCTAssertThrowsError(try store.record([event("W3", .commissioned, "2026-05-01")])) { error in
            XCTAssertTrue(error is InputError)
            XCTAssertTrue("\(error)".hasSuffix("works_events fid 6: the date \"2026-13-01\" is not a YYYY-MM-DD date"), "\(error)")
        }
        XCTAssertEqual(try store.connection.scalar("SELECT count(*) FROM works_events"), "6")
        XCTAssertEqual(try store.connection.scalar("SELECT count(*) FROM works_periods WHERE asset_id = 'W3'"), "0")
    }

    /// Also the store's benchmark (tools/bench_store_pg.sh): prints how long recording and
    /// reading back 10,000 events take.
    func testRecordTenThousandEventsInOneCall() throws {
        let store = try PostGISPlanStore(url: try freshDatabase(), planningCRS: Self.utm)
        let days = ["2026-01-05", "2026-02-10", "2026-03-15", "2026-04-20"]
        let events = (0..<10_000).map { i in
            WorksEvent(assetID: "water-P1-A-M\(i / 4)", status: WorksStatus.allCases[i % 4], date: ISODate(days[i % 4])!, recordedBy: "crew", note: "batch \(i)")
        }
        let started = DispatchTime.now().uptimeNanoseconds
        try store.record(events)
        let recorded = DispatchTime.now().uptimeNanoseconds
        let read = try store.events(assetID: nil)
        let done = DispatchTime.now().uptimeNanoseconds
        print(String(format: "StorePostGIS bench: recorded 10000 events in one call in %.3f s; read them back in %.3f s",
                     Double(recorded - started) / 1e9, Double(done - recorded) / 1e9))
        XCTAssertEqual(read.count, 10_000)
        XCTAssertEqual(read.map { WorksEvent(assetID: $0.assetID, status: $0.status, date: $0.date, recordedBy: $0.recordedBy, note: $0.note) }, events)
        XCTAssertEqual(read.last?.origin, "works_events fid 10000")
        XCTAssertEqual(try store.connection.scalar("SELECT count(*) FROM works_periods"), "10000")
        XCTAssertEqual(try store.connection.scalar("SELECT count(*) FROM works_periods WHERE upper_inf(valid)"), "2500")
    }

    func testUnreachableServerFailsWithinFiveSecondsWithoutThePassword() {
        let started = Date()
        XCTAssertThrowsError(try PostGISPlanStore(url: "postgresql://siteplan:s3cret@127.0.0.1:1/x", planningCRS: Self.utm)) { error in
            let message = "\(error)"
            XCTAssertTrue(error is InputError, message)
            XCTAssertTrue(message.hasPrefix("cannot reach the PostGIS store postgresql://siteplan@127.0.0.1:1/x: "), message)
            XCTAssertTrue(message.contains("127.0.0.1"), message)
            XCTAssertFalse(message.contains("s3cret"), message)
            XCTAssertFalse(message.contains("\n"), message)
            print("unreachable store: \(message)")
        }
        XCTAssertLessThan(Date().timeIntervalSince(started), 5.5)
    }

    func testPasswordsAreNeverInTheLocation() {
        XCTAssertEqual(PGConnection.redacted("postgresql://u:p%40ss@db.example:5432/plan?sslmode=require&password=x"),
                       "postgresql://u@db.example:5432/plan?sslmode=require")
        XCTAssertEqual(PGConnection.redacted("postgres://u@h/db"), "postgres://u@h/db")
        XCTAssertEqual(PGConnection.redacted("host=h password='a b\\' c' dbname=plan"), "host=h dbname=plan")
        XCTAssertEqual(PGConnection.withConnectTimeout("postgresql://u@h/db"), "postgresql://u@h/db?connect_timeout=5")
        XCTAssertEqual(PGConnection.withConnectTimeout("postgresql://u@h/db?sslmode=disable"), "postgresql://u@h/db?sslmode=disable&connect_timeout=5")
        XCTAssertEqual(PGConnection.withConnectTimeout("postgresql://u@h/db?connect_timeout=2"), "postgresql://u@h/db?connect_timeout=2")
    }

    func testNewerSchemaIsRefusedAndMigrationsRunOnce() throws {
        let url = try freshDatabase()
        let store = try PostGISPlanStore(url: url, planningCRS: Self.utm)
        XCTAssertEqual(try store.connection.query("SELECT version FROM schema_migrations ORDER BY version").values, [["1"], ["2"]])
        XCTAssertEqual(try store.connection.scalar("SELECT value FROM siteplan_meta WHERE key = 'schema_version'"), "2")
        _ = try PostGISPlanStore(url: url)
        XCTAssertEqual(try store.connection.scalar("SELECT count(*) FROM schema_migrations"), "2")
        try store.connection.query("UPDATE siteplan_meta SET value = '3' WHERE key = 'schema_version'")
        XCTAssertThrowsError(try PostGISPlanStore(url: url)) { error in
            XCTAssertEqual("\(error)", "\(PGConnection.redacted(url)): the store's schema is version 3, newer than this siteplan's (2); use a newer siteplan")
        }
    }

    func testFailedAdoptWritesNothing() throws {
        let store = try PostGISPlanStore(url: try freshDatabase(), planningCRS: Self.utm)
        try store.adopt(try Self.first())
        func snapshot() throws -> [String] {
            try (RecordLayers.names + ["revisions", "id_counters", "households", "works_events"]).map { table in
                try store.connection.scalar("SELECT coalesce(string_agg(t::text, ';' ORDER BY t::text), '') FROM \(table) t") ?? ""
            }
        }
        let before = try snapshot()

        // A nil id in the last layer: the earlier layers' rows were already written in the transaction.
        var noID = try Self.second()
        noID.layers[RecordLayers.names.count - 1].features = [Feature(id: nil, properties: JSONObject(), geometry: try Geometry.point(XY(653_000, 4_419_000)))]
        XCTAssertThrowsError(try store.adopt(noID)) { error in
            XCTAssertTrue(error is InputError)
            XCTAssertTrue("\(error)".contains("feature 0: adopt: the service_lines feature has no asset id"), "\(error)")
        }
        XCTAssertEqual(try snapshot(), before)

        // A failure on the server's side, at the very end (two households with one id).
        var duplicate = try Self.second()
        duplicate.households.append(duplicate.households[0])
        XCTAssertThrowsError(try store.adopt(duplicate)) { error in
            XCTAssertEqual((error as? PostgreSQLError)?.sqlState, "23505", "\(error)")
        }
        XCTAssertEqual(try snapshot(), before)

        // The store still works: revision 2 can be adopted now.
        try store.adopt(try Self.second())
        XCTAssertEqual(try store.revisions().map(\.number), [1, 2])
    }
}

/// Values the concurrent-adopt test hands to its two threads; each thread touches its own.
final class Unchecked<T>: @unchecked Sendable {
    var value: T
    init(_ value: T) { self.value = value }
}
