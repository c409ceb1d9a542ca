import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import SiteFiles
import SitePlanning
import SiteVocabulary
import XCTest
@testable import SiteServer

/// The web map server in process, over real HTTP on loopback: it serves the plan's layers and
/// a taken port is refused in words.
final class WebMapServerTests: XCTestCase {
    static let khojaly = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("geodata/khojaly").path

    final class Port: @unchecked Sendable {
        private let lock = NSLock()
        private var value: Int?
        func set(_ p: Int) { lock.lock(); value = p; lock.unlock() }
        func get() -> Int? { lock.lock(); defer { lock.unlock() }; return value }
    }

    func get(_ url: String) async throws -> (Int, String) {
        let (data, response) = try await URLSession.shared.data(from: try XCTUnwrap(URL(string: url)))
        return ((response as? HTTPURLResponse)?.statusCode ?? -1, String(decoding: data, as: UTF8.self))
    }

    func testServesTheLayersAndRefusesATakenPort() async throws {
        let run = try ScenarioReader.loadPackage(folder: Self.khojaly).run()
        let data = try WebMapData(run: run)
        let port = Port()
        let first = Task { try await WebMapServer(data: data).run(port: 0) { bound in port.set(bound) } }
        defer { first.cancel() }
        var waited = 0
        while port.get() == nil && waited < 300 { try await Task.sleep(nanoseconds: 50_000_000); waited += 1 }
        let bound = try XCTUnwrap(port.get(), "the server came up")

        let (status, body) = try await get("http://127.0.0.1:\(bound)/layers")
        XCTAssertEqual(status, 200)
        let index = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(body.utf8)) as? [[String: Any]])
        XCTAssertEqual(index.compactMap { $0["name"] as? String }, PlanLayers.allLayerNames)
        XCTAssertEqual(index.first { $0["name"] as? String == "buildings" }?["count"] as? Int, run.plan.buildings.count)
        XCTAssertEqual(run.plan.housingBuildings.count, 289)

        do {
            try await WebMapServer(data: data).run(port: bound)
            XCTFail("a second server on the same port must not start")
        } catch let error as OutputError {
            XCTAssertTrue(error.description.hasPrefix("port \(bound) is in use"), error.description)
        }
    }
}
