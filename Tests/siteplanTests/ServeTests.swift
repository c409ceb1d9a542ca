import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import SitePlanning
import XCTest

/// `siteplan serve` over real HTTP on loopback: the layers, the report, queries and the JSON
/// errors of bad requests, after which the server still answers. (The page in a browser is
/// checked by tools/webmap_check.sh.)
final class ServeTests: XCTestCase {
    final class Box: @unchecked Sendable {
        var status = 0
        var body = Data()
        var contentType = ""
    }

    static func get(_ url: String) throws -> Box {
        let box = Box()
        let done = DispatchSemaphore(value: 0)
        let task = URLSession.shared.dataTask(with: try XCTUnwrap(URL(string: url))) { data, response, _ in
            box.body = data ?? Data()
            box.status = (response as? HTTPURLResponse)?.statusCode ?? -1
            box.contentType = (response as? HTTPURLResponse)?.value(forHTTPHeaderField: "Content-Type") ?? ""
            done.signal()
        }
        task.resume()
        XCTAssertEqual(done.wait(timeout: .now() + 30), .success, url)
        return box
    }

    func testServeLayersReportQueryAndErrors() throws {
        let process = Process()
        process.executableURL = CLIRunner.executable
        process.arguments = ["serve", "--port", "0"]
        process.currentDirectoryURL = CLIRunner.repositoryRoot
        var env = ProcessInfo.processInfo.environment
        env["SITEPLAN_SCENARIO"] = nil
        env["LOG_LEVEL"] = "warning"
        process.environment = env
        let out = Pipe()
        process.standardOutput = out
        process.standardError = FileHandle.nullDevice
        try process.run()
        defer { process.terminate(); process.waitUntilExit() }

        // "serving Khojaly, phase 1 on http://127.0.0.1:PORT/ (Ctrl-C to stop)"
        var printed = ""
        let deadline = Date().addingTimeInterval(60)
        while !printed.contains("/ (Ctrl-C"), Date() < deadline {
            let chunk = out.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            printed += String(decoding: chunk, as: UTF8.self)
        }
        let base = try XCTUnwrap(printed.range(of: "http://127.0.0.1:[0-9]+", options: .regularExpression).map { String(printed[$0]) }, printed)

        let buildings = try Self.get(base + "/layers/buildings.geojson")
        XCTAssertEqual(buildings.status, 200)
        XCTAssertEqual(buildings.contentType, "application/geo+json")
        let fc = try XCTUnwrap(JSONSerialization.jsonObject(with: buildings.body) as? [String: Any])
        let features = try XCTUnwrap(fc["features"] as? [[String: Any]])
        XCTAssertEqual(features.filter { ($0["properties"] as? [String: Any])?["use"] as? String == "dwelling" }.count, 289, "the houses, and the facility buildings")

        let index = try XCTUnwrap(JSONSerialization.jsonObject(with: Self.get(base + "/layers").body) as? [[String: Any]])
        XCTAssertEqual(index.compactMap { $0["name"] as? String }, PlanLayers.allLayerNames)

        let report = try XCTUnwrap(JSONSerialization.jsonObject(with: Self.get(base + "/report").body) as? [String: Any])
        XCTAssertEqual((report["parcels"] as? [Any])?.count, 2)

        // The query answers as `siteplan query --format json` does.
        let ring = try XCTUnwrap(((features[0]["geometry"] as? [String: Any])?["coordinates"] as? [[[Double]]])?.first)
        let centre = ring.dropLast().reduce([0.0, 0.0]) { [$0[0] + $1[0] / 4, $0[1] + $1[1] / 4] }
        let at = String(format: "%.7f,%.7f", centre[0], centre[1])
        let query = try Self.get(base + "/query?at=" + at)
        XCTAssertEqual(query.status, 200)
        XCTAssertEqual(String(decoding: query.body, as: UTF8.self), try CLIRunner.run(["query", "--at", at, "--format", "json"]).stdout)

        for (path, status) in [("/layers/nope.geojson", 404), ("/query?at=46.79", 400), ("/query?at=north,east", 400),
                               ("/query?at=39.91,146.79", 400), ("/query", 400), ("/no/such/page", 404)] {
            let answer = try Self.get(base + path)
            XCTAssertEqual(answer.status, status, path)
            XCTAssertEqual(answer.contentType, "application/json", path)
            let error = try XCTUnwrap(JSONSerialization.jsonObject(with: answer.body) as? [String: Any], path)
            XCTAssertNotNil(error["error"] as? String, path)
        }
        XCTAssertEqual(try Self.get(base + "/report").status, 200, "still serving after bad requests")
        XCTAssertTrue(process.isRunning)
    }

    func testListenBeyondLoopbackIsRefusedWithoutAccounts() throws {
        for address in ["0.0.0.0", "192.168.1.5", "::"] {
            let result = try CLIRunner.run(["serve", "--listen", address, "--port", "0"])
            XCTAssertNotEqual(result.status, 0, address)
            XCTAssertTrue(result.stderr.contains("loopback only"), result.stderr)
        }
        let halfTLS = try CLIRunner.run(["serve", "--tls-cert", "cert.pem", "--port", "0"])
        XCTAssertNotEqual(halfTLS.status, 0)
        XCTAssertTrue(halfTLS.stderr.contains("both --tls-cert and --tls-key"), halfTLS.stderr)
        let authWithoutStore = try CLIRunner.run(["serve", "--auth", "--port", "0"])
        XCTAssertNotEqual(authWithoutStore.status, 0)
        XCTAssertTrue(authWithoutStore.stderr.contains("--auth keeps its accounts in the plan of record"), authWithoutStore.stderr)
        let badOrigin = try CLIRunner.run(["serve", "--cors-origin", "geojson.io", "--port", "0"])
        XCTAssertNotEqual(badOrigin.status, 0)
        XCTAssertTrue(badOrigin.stderr.contains("scheme://host"), badOrigin.stderr)
    }

    /// A works event recorded in the store while the server runs is served without a restart.
    func testAnEventRecordedWhileServingIsServed() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("serve-live-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let store = folder.appendingPathComponent("plan.gpkg").path
        XCTAssertEqual(try CLIRunner.run(["adopt", "--store", store, "--message", "first", "--author", "test"]).status, 0)
        XCTAssertEqual(try CLIRunner.run(["works", "import", "geodata/khojaly/status.csv", "--store", store, "--by", "test"]).status, 0)

        let process = Process()
        process.executableURL = CLIRunner.executable
        process.arguments = ["serve", "--port", "0", "--store", store, "--poll", "0.2"]
        process.currentDirectoryURL = CLIRunner.repositoryRoot
        var env = ProcessInfo.processInfo.environment
        env["SITEPLAN_SCENARIO"] = nil
        env["LOG_LEVEL"] = "warning"
        process.environment = env
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        defer { process.terminate(); process.waitUntilExit() }
        var printed = ""
        let deadline = Date().addingTimeInterval(60)
        while !printed.contains("/ (Ctrl-C"), Date() < deadline {
            let chunk = out.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            printed += String(decoding: chunk, as: UTF8.self)
        }
        let base = try XCTUnwrap(printed.range(of: "http://127.0.0.1:[0-9]+", options: .regularExpression).map { String(printed[$0]) }, printed)

        func network() throws -> [String: String] {
            let fc = try XCTUnwrap(JSONSerialization.jsonObject(with: Self.get(base + "/layers/network.geojson").body) as? [String: Any])
            var status: [String: String] = [:]
            for f in try XCTUnwrap(fc["features"] as? [[String: Any]]) {
                if let id = f["id"] as? String, let p = f["properties"] as? [String: Any] { status[id] = p["status"] as? String }
            }
            return status
        }
        let before = try network()
        let segment = try XCTUnwrap(before.filter { $0.value == "laid" }.keys.sorted().first, "a laid segment to commission")
        let today = ISO8601DateFormatter.string(from: Date(), timeZone: TimeZone(identifier: "UTC")!, formatOptions: [.withFullDate])
        XCTAssertEqual(try CLIRunner.run(["works", "record", segment, "commissioned", "--date", today, "--store", store]).status, 0)
        var after = before
        let until = Date().addingTimeInterval(30)
        while after[segment] == "laid" && Date() < until {
            Thread.sleep(forTimeInterval: 0.2)
            after = try network()
        }
        XCTAssertEqual(after[segment], "commissioned", "served without a restart")
        XCTAssertEqual(after.filter { $0.key != segment && $0.value != before[$0.key] }.count, 0, "nothing else changed")
        process.terminate()
        process.waitUntilExit()
        let log = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        XCTAssertTrue(log.contains("the plan changed: version 2 served"), log)
    }
}
