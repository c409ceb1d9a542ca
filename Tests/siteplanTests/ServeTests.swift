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
        XCTAssertEqual(features.count, 289)

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
}
