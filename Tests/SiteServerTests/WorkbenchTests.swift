import Foundation
import SiteDrivers
import SiteFiles
import SitePlanning
import SiteVocabulary
import XCTest
@testable import SiteServer

/// Accounts and writes over real HTTP on loopback, against a real GeoPackage plan of record: each
/// write route per role, CSRF, session expiry, the log-in limiter, traversal, and 100 events
/// from 10 editors at once.
final class WorkbenchTests: XCTestCase {
    /// A store with the Khojaly plan adopted, and users (quick hashes: N = 1024, for the test only).
    func makeStore(users: [(String, Role)]) throws -> (desk: StoreDesk, path: String, segments: [String]) {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("workbench-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("plan.gpkg").path
        let package = try ScenarioReader.loadPackage(folder: LiveServerTests.khojaly)
        let run = try package.run()
        let store = try PlanStores.open(path, creatingWith: run.scenario.frame.crs)
        _ = try PlanStores.adopt(run, on: try PlanStores.loadRecord(store), into: store, author: "test", message: "first", adoptedAt: "2026-12-01T00:00:00Z")
        let segments = PlanStores.segmentIDs(try PlanStores.loadRecord(store)).sorted()
        let desk = try StoreDesk(location: path)
        for (name, role) in users {
            try desk.saveUser(UserAccount(name: name, role: role, passwordHash: try PasswordHash.make("\(name)-password", n: 1024), createdAt: "2026-12-01T00:00:00Z", createdBy: "test"))
        }
        return (desk, path, segments)
    }

    func serve(_ desk: StoreDesk, lifetime: TimeInterval = 3600, source: WebMapSource? = nil) async throws -> (port: Int, live: LiveWebMap) {
        let live = try LiveWebMap(source: source ?? .fixed(try LiveServerTests.khojalyData()))
        let port = Box<Int?>(nil)
        let server = WebMapServer(live: live, workbench: Workbench(desk: desk, sessionLifetime: lifetime))
        let task = Task { try await server.run(port: 0) { port.set($0) } }
        addTeardownBlock { task.cancel() }
        for _ in 0..<400 where port.get == nil { try await Task.sleep(nanoseconds: 25_000_000) }
        return (try XCTUnwrap(port.get), live)
    }

    typealias Box = LiveServerTests.Box

    func post(_ port: Int, _ path: String, _ body: String, headers: [String: String] = [:]) throws -> (status: Int, headers: [String: String], body: String) {
        try request(port, path, method: "POST", headers: headers, body: body)
    }

    func login(_ port: Int, _ name: String, password: String? = nil) throws -> (token: String, csrf: String, cookie: String) {
        let answer = try post(port, "/api/login", #"{"name": "\#(name)", "password": "\#(password ?? name + "-password")"}"#)
        XCTAssertEqual(answer.status, 200, answer.body)
        let object = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(answer.body.utf8)) as? [String: Any])
        return (try XCTUnwrap(object["token"] as? String), try XCTUnwrap(object["csrf"] as? String), try XCTUnwrap(answer.headers["set-cookie"]))
    }

    func event(_ id: String, _ status: String = "under_construction", date: String = "2026-12-02") -> String {
        #"{"asset_id": "\#(id)", "status": "\#(status)", "date": "\#(date)", "note": "from the test"}"#
    }

    func testEachWriteRouteChecksTheRoleOnTheServer() async throws {
        let (desk, _, segments) = try makeStore(users: [("vera", .viewer), ("eddie", .editor), ("ada", .admin)])
        let (port, _) = try await serve(desk)
        let writes: [(String, String)] = [("/api/works/events", event(segments[0])),
                                          ("/api/users", #"{"name": "newcomer", "role": "viewer", "password": "long enough"}"#)]
        for (path, body) in writes {
            XCTAssertEqual(try post(port, path, body).status, 401, "\(path) without credentials")
            let viewer = try login(port, "vera")
            XCTAssertEqual(try post(port, path, body, headers: ["Authorization": "Bearer \(viewer.token)"]).status, 403, "\(path) as a viewer")
        }
        let editor = try login(port, "eddie")
        let created = try post(port, "/api/works/events", event(segments[0]), headers: ["Authorization": "Bearer \(editor.token)"])
        XCTAssertEqual(created.status, 201, created.body)
        XCTAssertTrue(created.body.contains("\"recorded_by\": \"eddie\""), created.body)
        XCTAssertEqual(try post(port, "/api/users", writes[1].1, headers: ["Authorization": "Bearer \(editor.token)"]).status, 403, "editors do not manage users")
        let admin = try login(port, "ada")
        XCTAssertEqual(try post(port, "/api/users", writes[1].1, headers: ["Authorization": "Bearer \(admin.token)"]).status, 201)
        XCTAssertEqual(try desk.user(named: "newcomer")?.role, .viewer)
        XCTAssertEqual(try post(port, "/api/works/events", event(segments[1]), headers: ["Authorization": "Bearer \(admin.token)"]).status, 201, "admins record works too")

        // Reads need a session too; the page and the API's description do not.
        XCTAssertEqual(try request(port, "/layers/buildings.geojson").status, 401)
        XCTAssertEqual(try request(port, "/layers/buildings.geojson", headers: ["Authorization": "Bearer \(try login(port, "vera").token)"]).status, 200)
        XCTAssertEqual(try request(port, "/").status, 200)
        XCTAssertEqual(try request(port, "/api/openapi.json").status, 200)
        // The audit trail: who recorded what, in the store.
        let stored = try desk.events(of: segments[0])
        XCTAssertEqual(stored.map(\.recordedBy), ["eddie"])
    }

    func testCookieSessionsNeedTheirCSRFTokenAndExpire() async throws {
        let (desk, _, segments) = try makeStore(users: [("eddie", .editor)])
        let (port, _) = try await serve(desk, lifetime: 2)
        let session = try login(port, "eddie")
        XCTAssertTrue(session.cookie.contains("HttpOnly") && session.cookie.contains("SameSite=Strict") && session.cookie.contains("Path=/"), session.cookie)
        XCTAssertFalse(session.cookie.contains("Secure"), "no TLS here")
        let cookie = String(session.cookie.split(separator: ";")[0])
        XCTAssertTrue(Workbench(desk: desk, secureCookies: true).cookie("t", maxAge: 60).hasSuffix("; Secure"), "Secure with TLS")
        XCTAssertEqual(try post(port, "/api/works/events", event(segments[0]), headers: ["Cookie": cookie]).status, 403, "no CSRF token")
        XCTAssertEqual(try post(port, "/api/works/events", event(segments[0]), headers: ["Cookie": cookie, "X-CSRF-Token": "forged"]).status, 403, "a wrong one")
        XCTAssertEqual(try desk.events(of: segments[0]).count, 0, "nothing written")
        XCTAssertEqual(try post(port, "/api/works/events", event(segments[0]), headers: ["Cookie": cookie, "X-CSRF-Token": session.csrf]).status, 201)
        try await Task.sleep(nanoseconds: 2_300_000_000)
        XCTAssertEqual(try post(port, "/api/works/events", event(segments[1]), headers: ["Cookie": cookie, "X-CSRF-Token": session.csrf]).status, 401, "expired")
        XCTAssertEqual(try request(port, "/api/session", headers: ["Cookie": cookie]).status, 401)
    }

    func testRefusedEventsSayWhyAndWriteNothing() async throws {
        let (desk, _, segments) = try makeStore(users: [("eddie", .editor)])
        let (port, _) = try await serve(desk)
        let auth = ["Authorization": "Bearer \(try login(port, "eddie").token)"]
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withFullDate]
        let tomorrow = formatter.string(from: Date().addingTimeInterval(36 * 3600))
        for (body, status, words) in [(event("no-such-segment"), 422, "unknown segment id"),
                                      (event(segments[0], date: tomorrow), 422, "in the future"),
                                      (event(segments[0], "finished"), 400, "expected one of"),
                                      (event(segments[0], date: "02/12/2026"), 400, "not a date"),
                                      ("not json", 400, "expected a JSON body")] {
            let answer = try post(port, "/api/works/events", body, headers: auth)
            XCTAssertEqual(answer.status, status, body)
            XCTAssertTrue(answer.body.contains(words), answer.body)
            XCTAssertFalse(answer.body.contains("/work/") || answer.body.contains(".swift"), "no path or stack in \(answer.body)")
        }
        XCTAssertEqual(try post(port, "/api/works/events", event(segments[0], "laid"), headers: auth).status, 201)
        let backwards = try post(port, "/api/works/events", #"{"asset_id": "\#(segments[0])", "status": "planned", "date": "2026-12-03"}"#, headers: auth)
        XCTAssertEqual(backwards.status, 422, backwards.body)
        XCTAssertEqual(try desk.events(of: nil).count, 1, "only the good one stored")
    }

    func testTenWrongPasswordsAreRateLimitedAndTraversalIsRefused() async throws {
        let (desk, _, _) = try makeStore(users: [("eddie", .editor)])
        let (port, _) = try await serve(desk)
        var statuses: [Int] = []
        for _ in 0..<10 { statuses.append(try post(port, "/api/login", #"{"name": "eddie", "password": "guess"}"#).status) }
        XCTAssertEqual(Array(statuses.prefix(5)), [401, 401, 401, 401, 401])
        XCTAssertEqual(Set(statuses.dropFirst(5)), [429])
        let right = try post(port, "/api/login", #"{"name": "eddie", "password": "eddie-password"}"#)
        XCTAssertEqual(right.status, 429, "still locked, even with the right password")
        XCTAssertNotNil(right.headers["retry-after"])
        // Another name from the same address is its own counter (the address allows 20 failures):
        // one address cannot lock somebody else out by guessing at eddie.
        XCTAssertEqual(try post(port, "/api/login", #"{"name": "nobody", "password": "x"}"#).status, 401, "another name from the same address is not locked by eddie's counter")

        for path in ["/static/../../etc/passwd", "/static/leaflet/..%2f..%2f..%2fetc%2fpasswd", "/static/leaflet/%2e%2e%2f%2e%2e%2fetc%2fpasswd", "/%2e%2e/%2e%2e/etc/passwd"] {
            let answer = try request(port, path)
            XCTAssertTrue([400, 401, 404].contains(answer.status), "\(path): \(answer.status)")
            XCTAssertFalse(answer.body.contains("root:"), path)
            XCTAssertFalse(answer.body.contains("/usr/share") || answer.body.contains(".swift"), "\(path): \(answer.body)")
        }
    }

    func testAHundredEventsFromTenEditorsAtOnceAllLandInOneOrder() async throws {
        let editors = (0..<10).map { ("editor\($0)", Role.editor) }
        let (desk, _, segments) = try makeStore(users: editors)
        let (port, live) = try await serve(desk)
        let tokens = try editors.map { try login(port, $0.0).token }
        let statuses = Box<[Int]>([])
        // Ten clients on threads of their own (blocking sockets must not hold the server's
        // threads), each sending its ten events one after the other.
        let group = DispatchGroup()
        for (e, token) in tokens.enumerated() {
            let bodies = (0..<10).map { event(segments[e * 10 + $0]) }
            DispatchQueue.global().async(group: group) {
                for body in bodies {
                    let status = (try? RawHTTP.request(port, "/api/works/events", method: "POST", headers: ["Authorization": "Bearer \(token)"], body: body).status) ?? -1
                    statuses.mutate { $0.append(status) }
                }
            }
        }
        await withCheckedContinuation { (done: CheckedContinuation<Void, Never>) in group.notify(queue: .global()) { done.resume() } }
        XCTAssertEqual(statuses.get.count, 100)
        XCTAssertEqual(Set(statuses.get), [201])
        let stored = try desk.events(of: nil)
        XCTAssertEqual(stored.count, 100)
        XCTAssertEqual(Set(stored.map(\.assetID)), Set(segments.prefix(100)))
        // One order: the rows are numbered 1…100, and each editor's events are in the order sent.
        XCTAssertEqual(stored.map(\.origin), (1...100).map { "works_events fid \($0)" })
        for (e, (name, _)) in editors.enumerated() {
            XCTAssertEqual(stored.filter { $0.recordedBy == name }.map(\.assetID), Array(segments[(e * 10)..<(e * 10 + 10)]), name)
        }
        // Progress counts them, from the store's history.
        let record = try PlanStores.loadRecord(try PlanStores.open(desk.location))
        let run = try ScenarioReader.loadPackage(folder: LiveServerTests.khojaly).run(asOf: UTCClock.today(), record: record)
        let lines = try PlanLayers.runLayers(run).filter { $0.name == "network" || $0.name == "service_lines" }.flatMap(\.features)
        let underway = Set(lines.filter { $0.properties["status"]?.string == "under_construction" }.compactMap(\.id))
        XCTAssertEqual(underway, Set(segments.prefix(100)), "the plan run on the store shows the 100 segments under construction")
        _ = live
    }

    func testAdminsAdoptAndEveryoneSeesProgressOverTime() async throws {
        let (desk, path, segments) = try makeStore(users: [("eddie", .editor), ("ada", .admin)])
        let data = try LiveServerTests.khojalyData()
        let source = WebMapSource(mark: { "" }, load: { data }, adopt: { base, author, message in
            let package = try ScenarioReader.loadPackage(folder: LiveServerTests.khojaly)
            return try StoreDesk(location: path).adopt(base: base, author: author, message: message, digest: package.digest) { record in
                try package.run(seed: 7, record: record)
            }.revision
        })
        let (port, _) = try await serve(desk, source: source)
        let editor = ["Authorization": "Bearer \(try login(port, "eddie").token)"]
        let admin = ["Authorization": "Bearer \(try login(port, "ada").token)"]
        XCTAssertEqual(try post(port, "/api/revisions", #"{"message": "seed 7"}"#, headers: editor).status, 403, "editors do not adopt")
        XCTAssertEqual(try post(port, "/api/revisions", #"{"message": "seed 7", "base": 5}"#, headers: admin).status, 409, "a stale base is refused")
        let adopted = try post(port, "/api/revisions", #"{"message": "seed 7", "base": 1}"#, headers: admin)
        XCTAssertEqual(adopted.status, 201, adopted.body)
        XCTAssertEqual(try desk.revisions().map(\.author), ["test", "ada"])
        XCTAssertEqual(try desk.revisions().last?.seed, 7)

        // Two days of works: the history has a point per day, from the store.
        for (i, day) in ["2026-11-01", "2026-11-15"].enumerated() {
            let answer = try post(port, "/api/works/events", event(segments[i], "laid", date: day), headers: editor)
            XCTAssertEqual(answer.status, 201, answer.body)
        }
        let history = try request(port, "/api/progress/history", headers: editor)
        XCTAssertEqual(history.status, 200)
        let days = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(history.body.utf8)) as? [[String: Any]])
        XCTAssertEqual(days.compactMap { $0["date"] as? String }, ["2026-11-01", "2026-11-15"])
        let complete = days.compactMap { $0["works_complete_pct"] as? Double }
        XCTAssertEqual(complete.count, 2)
        XCTAssertGreaterThan(complete[1], complete[0], "more laid on the second day")
        XCTAssertGreaterThan(complete[0], 0)
    }

    func testTheOpenAPIDocumentListsEveryRouteAndEachAnswers() async throws {
        let (desk, _, _) = try makeStore(users: [("ada", .admin)])
        let (port, _) = try await serve(desk)
        let answer = try request(port, "/api/openapi.json")
        let document = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(answer.body.utf8)) as? [String: Any])
        XCTAssertEqual(document["openapi"] as? String, "3.1.0")
        let paths = try XCTUnwrap(document["paths"] as? [String: [String: Any]])
        XCTAssertEqual(Set(paths.keys), ["/api/login", "/api/logout", "/api/session", "/api/layers", "/api/layers/{name}", "/api/features/{id}", "/api/query",
                                         "/api/progress", "/api/progress/history", "/api/revisions", "/api/diff", "/api/measure", "/api/works/events", "/api/users", "/events"])
        let auth = ["Authorization": "Bearer \(try login(port, "ada").token)"]
        let examples = ["{name}": "buildings", "{id}": "P1-A-H0001"]
        for (path, methods) in paths where methods["get"] != nil && path != "/events" {
            var concrete = path
            for (k, v) in examples { concrete = concrete.replacingOccurrences(of: k, with: v) }
            if path == "/api/query" { concrete += "?at=46.79,39.91" }
            if path == "/api/measure" { concrete += "?path=46.79,39.91;46.80,39.91" }
            let got = try request(port, concrete, headers: auth)
            XCTAssertFalse(got.body.contains("no such page"), "\(path) is routed")
            XCTAssertTrue([200, 404].contains(got.status), "\(path): \(got.status) \(got.body.prefix(120))")
            if path != "/api/diff" { XCTAssertEqual(got.status, 200, "\(path): \(got.body.prefix(120))") }
        }
    }
}
