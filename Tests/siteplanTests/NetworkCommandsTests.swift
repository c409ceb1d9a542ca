import Foundation
import XCTest

/// `siteplan progress`, `network`, `trace`, `households` on Khojaly, and bad status data.
final class NetworkCommandsTests: XCTestCase {
    func testProgressJSONCarriesTheKhojalyFigures() throws {
        let result = try CLIRunner.run(["progress", "--format", "json"])
        XCTAssertEqual(result.status, 0, result.stderr)
        let p = try XCTUnwrap(CLIRunner.json(result.stdout) as? [String: Any])
        let works = try XCTUnwrap(p["works_complete_pct"] as? [String: Double])
        XCTAssertEqual(try XCTUnwrap(works["overall"]), 90.0, accuracy: 0.5)
        XCTAssertEqual(Set(works.keys), ["overall", "water", "sewer", "power", "gas", "telecom"])
        XCTAssertEqual(p["buildings_fully_connected"] as? Int, 50)
        XCTAssertEqual(p["households_housed"] as? Int, 44)
        XCTAssertEqual(p["people_housed"] as? Int, 169)
        XCTAssertNotNil(p["buildings_connected"] as? [String: Int])
        XCTAssertNotNil(p["dwellings_connected"] as? [String: Int])
        let parcels = try XCTUnwrap(p["parcels"] as? [[String: Any]])
        let a = try XCTUnwrap(parcels.first { $0["parcel_id"] as? String == "P1-A" })
        XCTAssertEqual((a["mains_complete_pct"] as? [String: Double])?["overall"], 100.0)
        let next = try XCTUnwrap(p["next_work_packages"] as? [[String: Any]])
        XCTAssertEqual(next.count, 10)
        // The apartment buildings' missing gas service lines come first: 12 or 13 dwellings each.
        XCTAssertEqual(next.first?["rank"] as? Int, 1)
        XCTAssertEqual(next.first?["dwellings_unlocked"] as? Int, 13)
        XCTAssertEqual(next.first?["segment_ids"] as? [String], ["gas-\(next.first?["building_id"] as? String ?? "")"])
        XCTAssertEqual((p["warnings"] as? [Any])?.count, 0)
    }

    func testNetworkTraceAndHouseholds() throws {
        let network = try CLIRunner.run(["network", "--format", "csv"])
        XCTAssertEqual(network.status, 0, network.stderr)
        XCTAssertTrue(network.stdout.hasPrefix("utility,segments,length_m,planned_m,under_construction_m,laid_m,commissioned_m\n"))
        XCTAssertEqual(network.stdout.split(separator: "\n").count, 6)

        // P1-A-H0013: the first of the 50 connected houses (the lower ids are the facilities
        // and the apartment buildings, placed first).
        let trace = try CLIRunner.run(["trace", "--building", "P1-A-H0013", "--utility", "gas", "--format", "json"])
        XCTAssertEqual(trace.status, 0, trace.stderr)
        let t = try XCTUnwrap((CLIRunner.json(trace.stdout) as? [[String: Any]])?.first)
        XCTAssertEqual(t["connected"] as? Bool, true)
        let path = try XCTUnwrap(t["path"] as? [[String: Any]])
        XCTAssertEqual(path.first?["segment_id"] as? String, "gas-P1-A-H0013")
        XCTAssertTrue((path.last?["segment_id"] as? String ?? "").hasSuffix("-T"), "the path ends with the trunk from the source")

        let blocked = try CLIRunner.run(["trace", "--building", "P1-A-H0100", "--utility", "gas", "--format", "json"])
        let b = try XCTUnwrap((CLIRunner.json(blocked.stdout) as? [[String: Any]])?.first)
        XCTAssertEqual(b["connected"] as? Bool, false)
        XCTAssertEqual(b["blocking"] as? [String], ["gas-P1-A-H0100"])

        let unknown = try CLIRunner.run(["trace", "--building", "nope"])
        XCTAssertNotEqual(unknown.status, 0)
        XCTAssertTrue(unknown.stderr.contains("no building with id \"nope\""), unknown.stderr)

        let households = try CLIRunner.run(["households", "--format", "csv"])
        XCTAssertEqual(households.status, 0, households.stderr)
        let rows = households.stdout.split(separator: "\n").dropFirst()
        XCTAssertEqual(rows.count, 44)
        XCTAssertTrue(rows.allSatisfy { $0.contains(",true,") })
    }

    /// A copy of the Khojaly scenario to break.
    func khojalyCopy() throws -> URL {
        let folder = try CLIRunner.temporaryFolder(self)
        let source = CLIRunner.repositoryRoot.appendingPathComponent("geodata/khojaly")
        for name in try FileManager.default.contentsOfDirectory(atPath: source.path) {
            try FileManager.default.copyItem(at: source.appendingPathComponent(name), to: folder.appendingPathComponent(name))
        }
        return folder
    }

    func appendStatus(_ line: String, to folder: URL) throws {
        let url = folder.appendingPathComponent("status.csv")
        try (try String(contentsOf: url, encoding: .utf8) + line + "\n").write(to: url, atomically: true, encoding: .utf8)
    }

    func assertProgressFails(_ folder: URL, _ fragments: [String], file: StaticString = #filePath, line: UInt = #line) throws {
        let result = try CLIRunner.run(["progress", "--scenario", folder.path])
        XCTAssertNotEqual(result.status, 0, file: file, line: line)
        XCTAssertEqual(result.stdout, "", file: file, line: line)
        for f in fragments { XCTAssertTrue(result.stderr.contains(f), "\(f) in \(result.stderr)", file: file, line: line) }
    }

    func testStatusFileNamingUnknownSegment() throws {
        let folder = try khojalyCopy()
        try appendStatus("water-P9-M001,laid,2026-01-01", to: folder)
        try assertProgressFails(folder, ["status.csv", "(segment \"water-P9-M001\")", "unknown segment id"])
    }

    func testUnknownStatusWord() throws {
        let folder = try khojalyCopy()
        let url = folder.appendingPathComponent("status.csv")
        let text = try String(contentsOf: url, encoding: .utf8).replacingOccurrences(of: "water-P1-A-M001,commissioned", with: "water-P1-A-M001,finished")
        try text.write(to: url, atomically: true, encoding: .utf8)
        try assertProgressFails(folder, ["status.csv", "line ", "unknown status \"finished\"", "planned, under_construction, laid, commissioned"])
    }

    func testDateThatDoesNotParse() throws {
        let folder = try khojalyCopy()
        let url = folder.appendingPathComponent("status.csv")
        let text = try String(contentsOf: url, encoding: .utf8).replacingOccurrences(of: "water-P1-A-M001,commissioned,2025-10-01", with: "water-P1-A-M001,commissioned,2025-13-45")
        try text.write(to: url, atomically: true, encoding: .utf8)
        try assertProgressFails(folder, ["status.csv", "line 2 (segment \"water-P1-A-M001\")", "the date \"2025-13-45\" does not parse"])
    }

    func testUtilityWithoutSourceIsAWarningInTheReport() throws {
        let folder = try khojalyCopy()
        let url = folder.appendingPathComponent("scenario.json")
        var manifest = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any])
        var utilities = try XCTUnwrap(manifest["utilities"] as? [String: Any])
        var sources = try XCTUnwrap(utilities["sources"] as? [String: Any])
        sources["gas"] = nil
        utilities["sources"] = sources
        manifest["utilities"] = utilities
        try JSONSerialization.data(withJSONObject: manifest).write(to: url)
        // The gas trunks no longer exist: their status records now name unknown segments.
        let status = folder.appendingPathComponent("status.csv")
        let kept = try String(contentsOf: status, encoding: .utf8).split(separator: "\n").filter { !$0.hasPrefix("gas-") || !$0.contains("-T,") }
        try (kept.joined(separator: "\n") + "\n").write(to: status, atomically: true, encoding: .utf8)

        let result = try CLIRunner.run(["progress", "--scenario", folder.path, "--format", "json"])
        XCTAssertEqual(result.status, 0, result.stderr)
        let p = try XCTUnwrap(CLIRunner.json(result.stdout) as? [String: Any])
        let warnings = try XCTUnwrap(p["warnings"] as? [String])
        XCTAssertEqual(warnings.count, 1)
        XCTAssertTrue(warnings[0].contains("gas has no source"), warnings[0])
        XCTAssertTrue(warnings[0].contains("disconnected from every source"), warnings[0])
        XCTAssertEqual(p["buildings_fully_connected"] as? Int, 0)
        XCTAssertEqual((p["buildings_connected"] as? [String: Int])?["gas"], 0)
    }

    func testFamilyLargerThanAnyDwellingIsReported() throws {
        let folder = try khojalyCopy()
        let url = folder.appendingPathComponent("households.csv")
        try (try String(contentsOf: url, encoding: .utf8) + "G3-F01,3,14\n").write(to: url, atomically: true, encoding: .utf8)
        let result = try CLIRunner.run(["households", "--scenario", folder.path, "--format", "json"])
        XCTAssertEqual(result.status, 0, result.stderr)
        let h = try XCTUnwrap(CLIRunner.json(result.stdout) as? [String: Any])
        XCTAssertEqual(h["families_housed"] as? Int, 44)
        let unhoused = try XCTUnwrap(h["unhoused"] as? [[String: Any]])
        XCTAssertEqual(unhoused.first?["family_id"] as? String, "G3-F01")
        XCTAssertTrue((unhoused.first?["reason"] as? String ?? "").contains("a family of 14 is larger than any dwelling in the plan (the largest holds 8)"))
    }

    func testPlanWritesNetworkLayersThatGDALOpens() throws {
        let folder = try CLIRunner.temporaryFolder(self)
        XCTAssertEqual(try CLIRunner.run(["plan", "--out", folder.path]).status, 0)
        let buildings = try XCTUnwrap(CLIRunner.json(String(contentsOf: folder.appendingPathComponent("buildings.geojson"), encoding: .utf8)) as? [String: Any])
        let connected = (buildings["features"] as? [[String: Any]] ?? []).filter { ($0["properties"] as? [String: Any])?["connected_all"] as? Bool == true }
        XCTAssertEqual(connected.count, 50)
        guard GDALInteropTests.ogrinfo() != nil else { return }
        for (layer, geometry) in [("network", "Line String"), ("service_lines", "Line String"), ("households", "Point")] {
            let info = try GDALInteropTests.runOGRInfo(["-al", "-so", folder.appendingPathComponent("\(layer).geojson").path])
            XCTAssertEqual(info.err, "", layer)
            XCTAssertTrue(info.out.contains("Geometry: \(geometry)"), "\(layer): \(info.out)")
        }
        let services = try GDALInteropTests.runOGRInfo(["-al", "-so", folder.appendingPathComponent("service_lines.geojson").path])
        // Five service lines for each house and each facility building.
        XCTAssertTrue(services.out.contains("Feature Count: \((buildings["features"] as? [Any] ?? []).count * 5)"), services.out)
        XCTAssertTrue(services.out.contains("status: String"), services.out)
        XCTAssertTrue(services.out.contains("date: String") || services.out.contains("date: Date"), services.out)
    }
}
