import Foundation
#if canImport(Glibc)
import Glibc
#endif
import SiteFiles
import SitePlanning
import SiteVocabulary
import XCTest
@testable import SiteServer

/// The server's HTTP behaviour over real sockets on loopback: entity tags and 304, HEAD, CORS,
/// the Host check, read-only methods, the header timeout, the per-client connection cap, and
/// live reloads pushed to /events.
final class LiveServerTests: XCTestCase {
    static let khojaly = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("geodata/khojaly").path

    /// The Khojaly plan, computed once for every test here.
    nonisolated(unsafe) static var cached: WebMapData?
    static func khojalyData() throws -> WebMapData {
        if let cached { return cached }
        let data = try WebMapData(run: try ScenarioReader.loadPackage(folder: khojaly).run())
        cached = data
        return data
    }

    final class Box<T>: @unchecked Sendable {
        private let lock = NSLock()
        private var value: T
        init(_ value: T) { self.value = value }
        var get: T { lock.withLock { value } }
        func set(_ v: T) { lock.withLock { value = v } }
        func mutate(_ change: (inout T) -> Void) { lock.withLock { change(&value) } }
    }

    /// Starts a server; returns its port. It stops when the test ends.
    func serve(_ live: LiveWebMap, _ options: WebMapServer.Options = .init()) async throws -> Int {
        let port = Box<Int?>(nil)
        let task = Task { try await WebMapServer(live: live, options: options).run(port: 0) { port.set($0) } }
        addTeardownBlock { task.cancel() }
        for _ in 0..<400 where port.get == nil { try await Task.sleep(nanoseconds: 25_000_000) }
        return try XCTUnwrap(port.get, "the server came up")
    }

    func testEntityTagsHeadAndCORS() async throws {
        let port = try await serve(try LiveWebMap(source: .fixed(try Self.khojalyData())))
        let first = try request(port, "/layers/buildings.geojson")
        XCTAssertEqual(first.status, 200)
        let etag = try XCTUnwrap(first.headers["etag"])
        XCTAssertEqual(first.headers["x-plan-version"], "1")
        XCTAssertEqual(first.headers["cache-control"], "no-cache")
        let again = try request(port, "/layers/buildings.geojson", headers: ["If-None-Match": etag])
        XCTAssertEqual(again.status, 304)
        XCTAssertEqual(again.body, "")
        XCTAssertEqual(try request(port, "/layers/buildings.geojson", headers: ["If-None-Match": "\"0000\""]).status, 200)
        XCTAssertNotEqual(try request(port, "/layers/streets.geojson").headers["etag"], etag, "each layer has its own tag")

        let head = try request(port, "/report", method: "HEAD")
        let get = try request(port, "/report")
        XCTAssertEqual(head.status, 200)
        XCTAssertEqual(head.body, "")
        XCTAssertEqual(head.headers["content-length"], String(get.body.utf8.count))
        XCTAssertEqual(try request(port, "/no/such/page", method: "HEAD").status, 404)

        let cors = try request(port, "/layers", headers: ["Origin": "https://geojson.io"])
        XCTAssertEqual(cors.headers["access-control-allow-origin"], "*")
        XCTAssertTrue(cors.headers["access-control-expose-headers"]?.contains("ETag") == true)
        let preflight = try request(port, "/layers/buildings.geojson", method: "OPTIONS", headers: ["Origin": "https://geojson.io", "Access-Control-Request-Method": "GET"])
        XCTAssertEqual(preflight.status, 204)
        XCTAssertEqual(preflight.headers["access-control-allow-methods"], "GET, HEAD")
    }

    func testOnlyTheConfiguredOriginsHostsAndMethods() async throws {
        var options = WebMapServer.Options()
        options.corsOrigins = ["https://planning.example"]
        options.allowedHosts = ["plan.khojaly.example"]
        let port = try await serve(try LiveWebMap(source: .fixed(try Self.khojalyData())), options)
        XCTAssertNil(try request(port, "/layers", headers: ["Origin": "https://geojson.io"]).headers["access-control-allow-origin"])
        let allowed = try request(port, "/layers", headers: ["Origin": "https://planning.example"])
        XCTAssertEqual(allowed.headers["access-control-allow-origin"], "https://planning.example")
        XCTAssertEqual(allowed.headers["vary"], "Origin")

        // DNS rebinding: a page of attacker.example whose name now points at 127.0.0.1.
        let rebound = try request(port, "/layers/buildings.geojson", host: "attacker.example")
        XCTAssertEqual(rebound.status, 421)
        XCTAssertFalse(rebound.body.contains("\"features\""))
        XCTAssertTrue(rebound.body.contains("attacker.example"), rebound.body)
        XCTAssertEqual(try request(port, "/layers", host: "plan.khojaly.example:8080").status, 200)
        XCTAssertEqual(try request(port, "/layers", host: "localhost").status, 200)
        XCTAssertEqual(try request(port, "/layers", host: "[::1]:\(port)").status, 200)

        for method in ["POST", "PUT", "DELETE", "PATCH"] {
            let answer = try request(port, "/layers", method: method)
            XCTAssertEqual(answer.status, 405, method)
            XCTAssertEqual(answer.headers["allow"], "GET, HEAD, OPTIONS")
        }
    }

    func testQueryTakesPlainDecimalNumbersOnly() async throws {
        let port = try await serve(try LiveWebMap(source: .fixed(try Self.khojalyData())))
        XCTAssertEqual(try request(port, "/query?at=46.79,39.91").status, 200)
        XCTAssertEqual(try request(port, "/query?at=%2046.79,%2039.91").status, 200, "spaces around the numbers are fine")
        for bad in ["0x1p5,39.91", "%E2%80%8B46.79,39.91", "46.79,39.91%00", "4.679e1,39.91", "nan,39.91", "46.79,,39.91", "+-46,39"] {
            let answer = try request(port, "/query?at=\(bad)")
            XCTAssertEqual(answer.status, 400, bad)
            XCTAssertFalse(answer.body.contains("\u{0}"), "the error echoes no raw control character")
        }
    }

    func testASlowClientIsDisconnectedAndOneClientHoldsOnlyItsShare() async throws {
        var options = WebMapServer.Options()
        options.headerTimeout = .seconds(1)
        options.maxConnectionsPerClient = 3
        let port = try await serve(try LiveWebMap(source: .fixed(try Self.khojalyData())), options)
        // A byte now and then, never the end of the head.
        let slow = try connect(port)
        defer { close(slow) }
        let started = Date()
        send(slow, "GET /layers HTTP/1.1\r\nHo")
        let answer = readAll(slow)   // returns when the server closes
        let held = Date().timeIntervalSince(started)
        XCTAssertEqual(answer, "", "no answer to an unfinished request")
        XCTAssertLessThan(held, 8, "closed after the header timeout, not held")

        // Five connections from one address: three are served, two are closed at once.
        let sockets = try (0..<5).map { _ in try connect(port) }
        try await Task.sleep(nanoseconds: 300_000_000)
        var served = 0
        for fd in sockets {
            send(fd, "GET /layers HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
            if readAll(fd).hasPrefix("HTTP/1.1 200") { served += 1 }
        }
        XCTAssertEqual(served, 3)
        // Closed connections give their share back.
        sockets.forEach { close($0) }
        try await Task.sleep(nanoseconds: 300_000_000)
        XCTAssertEqual(try request(port, "/layers").status, 200)
    }

    func testAChangeReachesListenersAndAFailedReloadKeepsThePlan() throws {
        let data = try Self.khojalyData()
        let mark = Box("a")
        let broken = Box(false)
        let live = try LiveWebMap(source: WebMapSource(mark: { mark.get }, load: {
            if broken.get { throw InputError(source: "status.csv", "line 7: unknown status \"finished\"") }
            return data
        }))
        var events = live.listen().makeAsyncIterator()
        XCTAssertFalse(live.poll(), "nothing changed")
        mark.set("b")
        XCTAssertTrue(live.poll())
        XCTAssertEqual(live.version, 2)

        broken.set(true)
        mark.set("c")
        XCTAssertFalse(live.poll())
        XCTAssertEqual(live.version, 2, "the previous plan is still served")
        XCTAssertTrue(live.current === data)
        broken.set(false)
        XCTAssertTrue(live.poll(), "the next poll tries again once the input is mended")
        XCTAssertEqual(live.version, 3)

        let expectation = expectation(description: "events")
        let received = Box<[LiveWebMap.Event]>([])
        Task {
            var seen: [LiveWebMap.Event] = []
            for _ in 0..<4 { if let e = await events.next() { seen.append(e) } }
            received.set(seen)
            expectation.fulfill()
        }
        wait(for: [expectation], timeout: 10)
        guard received.get.count == 4 else { return XCTFail("\(received.get)") }
        XCTAssertEqual(received.get[0], .version(1))
        XCTAssertEqual(received.get[1], .version(2))
        guard case .failed(let message) = received.get[2] else { return XCTFail("\(received.get)") }
        XCTAssertTrue(message.contains("status.csv") && message.contains("line 7"), message)
        XCTAssertEqual(received.get[3], .version(3))
    }

    func testEventsStreamTellsAnOpenPageOfANewVersion() async throws {
        let mark = Box("a")
        let data = try Self.khojalyData()
        var options = WebMapServer.Options()
        options.pollInterval = .milliseconds(100)
        let live = try LiveWebMap(source: WebMapSource(mark: { mark.get }, load: { data }))
        let port = try await serve(live, options)
        let fd = try connect(port)
        defer { close(fd) }
        send(fd, "GET /events HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
        var text = ""
        var buffer = [UInt8](repeating: 0, count: 4096)
        func read(until needle: String) {
            let end = Date().addingTimeInterval(10)
            while !text.contains(needle) && Date() < end {
                let n = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
                if n <= 0 { break }
                text += String(decoding: buffer[0..<n], as: UTF8.self)
            }
        }
        read(until: "{\"version\": 1}")
        XCTAssertTrue(text.contains("text/event-stream"), text)
        XCTAssertTrue(text.contains("event: version\ndata: {\"version\": 1}\n\n"), text)
        mark.set("b")
        read(until: "{\"version\": 2}")
        XCTAssertTrue(text.contains("event: version\ndata: {\"version\": 2}\n\n"), text)
        XCTAssertEqual(try request(port, "/layers").headers["x-plan-version"], "2")
    }
}

/// HTTPS with a certificate of our own (openssl), checked by curl against that certificate.
final class TLSServerTests: XCTestCase {
    func run(_ tool: String, _ arguments: [String]) throws -> (status: Int32, out: String, err: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: tool)
        process.arguments = arguments
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let o = out.fileHandleForReading.readDataToEndOfFile(), e = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: o, as: UTF8.self), String(decoding: e, as: UTF8.self))
    }

    func testServesHTTPSAndRefusesAFileThatIsNotPEM() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("tls-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let cert = folder.appendingPathComponent("cert.pem").path, key = folder.appendingPathComponent("key.pem").path
        let made = try run("/usr/bin/openssl", ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", cert, "-days", "1",
                                                 "-subj", "/CN=localhost", "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1"])
        XCTAssertEqual(made.status, 0, made.err)

        var options = WebMapServer.Options()
        options.tls = TLSFiles(certificatePath: cert, keyPath: key)
        let live = try LiveWebMap(source: .fixed(try LiveServerTests.khojalyData()))
        let port = LiveServerTests.Box<Int?>(nil)
        let task = Task { try await WebMapServer(live: live, options: options).run(port: 0) { port.set($0) } }
        defer { task.cancel() }
        for _ in 0..<400 where port.get == nil { try await Task.sleep(nanoseconds: 25_000_000) }
        let bound = try XCTUnwrap(port.get)
        let secure = try run("/usr/bin/curl", ["-s", "--cacert", cert, "-o", "/dev/null", "-w", "%{http_code} %{ssl_verify_result}", "https://127.0.0.1:\(bound)/layers"])
        XCTAssertEqual(secure.out, "200 0", secure.err)
        let plain = try run("/usr/bin/curl", ["-s", "-o", "/dev/null", "-w", "%{http_code}", "--max-time", "5", "http://127.0.0.1:\(bound)/layers"])
        XCTAssertNotEqual(plain.out, "200", "plain HTTP is not served on the TLS port")

        var broken = WebMapServer.Options()
        broken.tls = TLSFiles(certificatePath: key, keyPath: cert)
        do {
            try await WebMapServer(live: live, options: broken).run(port: 0)
            XCTFail("a key given as the certificate must be refused")
        } catch let error as InputError {
            XCTAssertTrue("\(error)".contains(key) && "\(error)".contains("not a PEM certificate chain"), "\(error)")
        }
    }
}
