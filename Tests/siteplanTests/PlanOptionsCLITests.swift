import Foundation
import XCTest

/// `siteplan plan --options N` end to end on Khojaly.
final class PlanOptionsCLITests: XCTestCase {
    func khojalyCopy(editing edit: (inout [String: Any]) -> Void) throws -> URL {
        let folder = try CLIRunner.temporaryFolder(self)
        let source = CLIRunner.repositoryRoot.appendingPathComponent("geodata/khojaly")
        for name in try FileManager.default.contentsOfDirectory(atPath: source.path) {
            try FileManager.default.copyItem(at: source.appendingPathComponent(name), to: folder.appendingPathComponent(name))
        }
        let url = folder.appendingPathComponent("scenario.json")
        var manifest = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any])
        edit(&manifest)
        try JSONSerialization.data(withJSONObject: manifest).write(to: url)
        return folder
    }

    func testTwoOptionsAreWrittenSideBySideWithTheWinnerMarked() throws {
        let out = try CLIRunner.temporaryFolder(self).appendingPathComponent("options")
        let result = try CLIRunner.run(["plan", "--options", "2", "--out", out.path])
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertTrue(result.stdout.contains("option 1"), result.stdout)
        XCTAssertTrue(result.stdout.contains("winner: option "), result.stdout)
        XCTAssertTrue(result.stdout.contains("unit costs: the documented defaults"), result.stdout)
        let csv = try String(contentsOf: out.appendingPathComponent("options.csv"), encoding: .utf8).split(separator: "\n")
        XCTAssertEqual(csv.count, 3)
        XCTAssertEqual(csv.filter { $0.contains(",true,") }.count, 1, "exactly one winner")
        for k in 1...2 {
            let buildings = out.appendingPathComponent("option-\(k)/buildings.geojson")
            let doc = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(contentsOf: buildings)) as? [String: Any])
            let dwellings = (doc["features"] as? [[String: Any]])?.filter { ($0["properties"] as? [String: Any])?["use"] as? String == "dwelling" }
            XCTAssertEqual(dwellings?.count, 140 + 48 + 9 + 92, "option \(k)")
        }
        // The same run again writes the same bytes.
        let again = try CLIRunner.temporaryFolder(self).appendingPathComponent("options")
        XCTAssertEqual(try CLIRunner.run(["plan", "--options", "2", "--out", again.path]).status, 0)
        for name in ["options.csv", "options.json", "option-2/streets.geojson", "option-2/network.geojson"] {
            XCTAssertEqual(try Data(contentsOf: out.appendingPathComponent(name)), try Data(contentsOf: again.appendingPathComponent(name)), name)
        }
    }

    func testScenarioCostsAreUsedAndBadOnesNamed() throws {
        let good = try khojalyCopy { m in
            m["costs"] = ["currency": "AZN", "street_per_m2": 70, "crossing_per_m": 4000,
                          "network_per_m": ["water": 180, "sewer": 260, "power": 150, "gas": 120, "telecom": 60]]
        }
        let out = try CLIRunner.temporaryFolder(self).appendingPathComponent("o")
        let result = try CLIRunner.run(["plan", "--options", "1", "--scenario", good.path, "--out", out.path])
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertTrue(result.stdout.contains("unit costs: from the scenario (AZN)"), result.stdout)
        XCTAssertTrue(result.stdout.contains("cost_per_dwelling (AZN)"), result.stdout)

        let bad = try khojalyCopy { m in
            m["costs"] = ["currency": "AZN", "street_per_m2": 70, "crossing_per_m": 4000,
                          "network_per_m": ["water": 180, "sewer": 260, "power": 150, "gas": -3, "telecom": 60]]
        }
        let refused = try CLIRunner.run(["plan", "--options", "2", "--scenario", bad.path, "--out", out.path + "2"])
        XCTAssertNotEqual(refused.status, 0)
        XCTAssertTrue(refused.stderr.contains("scenario.json"), refused.stderr)
        XCTAssertTrue(refused.stderr.contains("costs.network_per_m.gas is -3.0"), refused.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: out.path + "2"))
    }

    func testOptionCountsOutOfRangeAreRefused() throws {
        let out = try CLIRunner.temporaryFolder(self).appendingPathComponent("o")
        let none = try CLIRunner.run(["plan", "--options", "0", "--out", out.path])
        XCTAssertNotEqual(none.status, 0)
        XCTAssertTrue(none.stderr.contains("--options 0: ask for 1 option or more"), none.stderr)
        let many = try CLIRunner.run(["plan", "--options", "9", "--out", out.path])
        XCTAssertNotEqual(many.status, 0)
        XCTAssertTrue(many.stderr.contains("has 8 distinct options"), many.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: out.path))
    }

    func testAlternativeAccessPointsAddOptions() throws {
        // Vertex 0 of P1-A as a second access point.
        let folder = try khojalyCopy { m in
            m["access_point_alternatives"] = ["P1-A": [["lon": 46.7809402, "lat": 39.9154862]]]
        }
        let out = try CLIRunner.temporaryFolder(self).appendingPathComponent("o")
        let many = try CLIRunner.run(["plan", "--options", "17", "--scenario", folder.path, "--out", out.path])
        XCTAssertTrue(many.stderr.contains("has 16 distinct options"), many.stderr)
        let bad = try khojalyCopy { m in m["access_point_alternatives"] = ["P9": [["lon": 46.78, "lat": 39.91]]] }
        let refused = try CLIRunner.run(["plan", "--options", "2", "--scenario", bad.path, "--out", out.path])
        XCTAssertTrue(refused.stderr.contains("access_point_alternatives: \"P9\" is not a parcel"), refused.stderr)
    }
}
