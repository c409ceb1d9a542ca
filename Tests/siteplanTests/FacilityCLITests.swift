import Foundation
import XCTest

/// `siteplan plan` with facilities: the report section, the floor-area warning on stderr and in
/// report.json, and a bad norm refused before anything is written.
final class FacilityCLITests: XCTestCase {
    /// A copy of the Khojaly scenario with `edit` applied to its scenario.json.
    func khojalyCopy(_ edit: (inout [String: Any]) -> Void) throws -> URL {
        let folder = try CLIRunner.temporaryFolder(self).appendingPathComponent("khojaly")
        try FileManager.default.copyItem(at: CLIRunner.repositoryRoot.appendingPathComponent("geodata/khojaly"), to: folder)
        let manifest = folder.appendingPathComponent("scenario.json")
        var json = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(contentsOf: manifest)) as? [String: Any])
        edit(&json)
        try JSONSerialization.data(withJSONObject: json, options: [.sortedKeys]).write(to: manifest)
        return folder
    }

    func testFloorAreaOutsideTheRangeIsAWarningOnStderrAndInTheReport() throws {
        // Thirteen flats in a 24 × 12 m building of 12 storeys: 265.85 m² each. (Storeys move
        // neither the layout nor the residents, so the status file still fits.)
        let scenario = try khojalyCopy { json in
            var programs = json["programs"] as! [String: [[String: Any]]]
            programs["P1-A"] = programs["P1-A"]!.map { e in
                var e = e
                if e["type"] as? String == "apartment_building_13" { e["storeys"] = 12 }
                return e
            }
            json["programs"] = programs
        }
        let out = scenario.deletingLastPathComponent().appendingPathComponent("out")
        let result = try CLIRunner.run(["plan", "--scenario", scenario.path, "--out", out.path])
        XCTAssertEqual(result.status, 0, result.stderr)
        let expected = "P1-A apartment_building_13: 265.85 m² of floor per dwelling (footprint 24 × 12 m × 12 storeys / 13 dwellings) is above the plausible range 30–250 m² (rules.floor_area_per_unit_m2)"
        XCTAssertTrue(result.stderr.contains("siteplan: warning: " + expected), result.stderr)
        XCTAssertEqual(result.stderr.components(separatedBy: "warning:").count, 2, "one warning: \(result.stderr)")
        let report = try XCTUnwrap(CLIRunner.json(String(contentsOf: out.appendingPathComponent("report.json"), encoding: .utf8)) as? [String: Any])
        let warnings = try XCTUnwrap(report["warnings"] as? [String])
        XCTAssertEqual(warnings.count, 1)
        XCTAssertTrue(warnings[0].hasPrefix(expected), warnings[0])
        XCTAssertTrue(result.stdout.contains("\nfacilities (norms: rules.facilities"), "the text report has the facilities section")
        let facilities = try XCTUnwrap(report["facilities"] as? [[String: Any]])
        XCTAssertEqual(facilities.count, 12)
    }

    func testANegativeRadiusStopsThePlanNamingTheRule() throws {
        let scenario = try khojalyCopy { json in
            var rules = json["rules"] as! [String: Any]
            var facilities = rules["facilities"] as! [String: Any]
            facilities["school"] = ["radius_m": -5]
            rules["facilities"] = facilities
            json["rules"] = rules
        }
        let out = scenario.deletingLastPathComponent().appendingPathComponent("out")
        let result = try CLIRunner.run(["plan", "--scenario", scenario.path, "--out", out.path])
        XCTAssertNotEqual(result.status, 0)
        XCTAssertTrue(result.stderr.contains("scenario.json: rules.facilities.school.radius_m is -5: a service radius must be more than 0 m"), result.stderr)
        XCTAssertEqual(result.stdout, "")
        XCTAssertFalse(FileManager.default.fileExists(atPath: out.path), "nothing written")
    }
}
