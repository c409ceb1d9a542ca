import Foundation
import XCTest

/// Each bad input gets one clear line on stderr naming the file, the feature and the problem,
/// a non-zero exit, and nothing on stdout.
final class BadInputTests: XCTestCase {
    static let square = "[[46.79,39.91],[46.80,39.91],[46.80,39.92],[46.79,39.92],[46.79,39.91]]"

    /// A scenario folder with the given parcels file text and planning CRS.
    func scenario(parcels: String?, crs: String = "EPSG:32638", extra: String = "") throws -> URL {
        let folder = try CLIRunner.temporaryFolder(self)
        let manifest = #"{"name": "Test", "planning_crs": "\#(crs)", "layers": {"parcels": "parcels.geojson"}\#(extra)}"#
        try manifest.write(to: folder.appendingPathComponent("scenario.json"), atomically: true, encoding: .utf8)
        if let parcels { try parcels.write(to: folder.appendingPathComponent("parcels.geojson"), atomically: true, encoding: .utf8) }
        return folder
    }

    func collection(_ features: [String]) -> String { #"{"type": "FeatureCollection", "features": [\#(features.joined(separator: ","))]}"# }

    func feature(_ id: String, _ coordinates: String) -> String {
        #"{"type": "Feature", "id": "\#(id)", "properties": {"name": "\#(id)"}, "geometry": {"type": "Polygon", "coordinates": \#(coordinates)}}"#
    }

    func assertFails(_ folder: URL, _ fragments: [String], command: String = "parcels", file: StaticString = #filePath, line: UInt = #line) throws {
        let result = try CLIRunner.run([command, "--scenario", folder.path])
        XCTAssertNotEqual(result.status, 0, file: file, line: line)
        XCTAssertEqual(result.stdout, "", file: file, line: line)
        let lines = result.stderr.split(separator: "\n")
        XCTAssertEqual(lines.count, 1, "one line: \(result.stderr)", file: file, line: line)
        for fragment in fragments {
            XCTAssertTrue(result.stderr.contains(fragment), "\(fragment) in: \(result.stderr)", file: file, line: line)
        }
    }

    func testValidScenarioPasses() throws {
        let folder = try scenario(parcels: collection([feature("A", "[\(Self.square)]")]))
        let result = try CLIRunner.run(["parcels", "--scenario", folder.path, "--format", "csv"])
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertTrue(result.stdout.hasPrefix("id,name,area_ha"))
    }

    func testMalformedJSON() throws {
        let folder = try scenario(parcels: "{\"type\": \"FeatureCollection\",\n \"features\": [ {\"type\": \"Feature\" \"id\": 1} ]}")
        try assertFails(folder, ["parcels.geojson", "malformed JSON at line 2, column 35", "expected ',' or '}'"])
    }

    func testUnclosedRing() throws {
        let open = "[[[46.79,39.91],[46.80,39.91],[46.80,39.92],[46.79,39.92],[46.79,39.915]]]"
        let folder = try scenario(parcels: collection([feature("A", "[\(Self.square)]"), feature("B", open)]))
        try assertFails(folder, ["parcels.geojson", "feature 1 (id \"B\")", "ring 0 (exterior) is not closed"])
    }

    func testSelfIntersectingParcel() throws {
        let bowtie = "[[[46.79,39.91],[46.80,39.92],[46.80,39.91],[46.79,39.92],[46.79,39.91]]]"
        let folder = try scenario(parcels: collection([feature("bow", bowtie)]))
        try assertFails(folder, ["parcels.geojson", "feature 0 (id \"bow\")", "Self-intersection", "lon 46.795, lat 39.915"])
    }

    func testLatitude95() throws {
        let bad = "[[[46.79,39.91],[46.80,95],[46.80,39.92],[46.79,39.91]]]"
        let folder = try scenario(parcels: collection([feature("A", "[\(Self.square)]"), feature("far", bad)]))
        try assertFails(folder, ["parcels.geojson", "feature 1 (id \"far\")", "latitude 95 is out of range -90..90"])
    }

    func testUnknownEPSGCode() throws {
        let folder = try scenario(parcels: collection([feature("A", "[\(Self.square)]")]), crs: "EPSG:999999")
        try assertFails(folder, ["scenario.json", "\"planning_crs\" \"EPSG:999999\"", "crs not found"])
    }

    func testMissingFile() throws {
        let folder = try scenario(parcels: nil)
        try assertFails(folder, ["parcels.geojson", "no such file"])
        let missingFolder = try CLIRunner.run(["parcels", "--scenario", "/nonexistent/scenario"])
        XCTAssertNotEqual(missingFolder.status, 0)
        XCTAssertTrue(missingFolder.stderr.contains("/nonexistent/scenario: no such scenario folder"), missingFolder.stderr)
    }

    func testDuplicateParcelID() throws {
        let folder = try scenario(parcels: collection([feature("A", "[\(Self.square)]"), feature("A", "[\(Self.square)]")]))
        try assertFails(folder, ["parcels.geojson", "feature 1 (id \"A\")", "duplicate parcel id"])
    }

    func testQueryOutOfRangeAndMalformed() throws {
        try CLIRunner.assertFails(["query", "--at", "46.79,95"], "latitude 95 is out of range")
        try CLIRunner.assertFails(["query", "--at", "here"], "longitude,latitude")
    }

    func testExportFailureLeavesNoFile() throws {
        let folder = try scenario(parcels: "{ broken")
        let out = folder.appendingPathComponent("out.geojson")
        let result = try CLIRunner.run(["export", "--scenario", folder.path, "--out", out.path])
        XCTAssertNotEqual(result.status, 0)
        XCTAssertFalse(FileManager.default.fileExists(atPath: out.path))
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.contains(".tmp") }
        XCTAssertEqual(leftovers, [])
    }

    // Layout inputs (issue 3).

    static let house = #"{"type": "house", "count": 4, "footprint_m": [12, 10], "lot_m2": [600, 900], "lot_frontage_m": [18, 25], "storeys": 2, "units_per_building": 1}"#

    func testNegativeSetback() throws {
        let folder = try scenario(parcels: collection([feature("A", "[\(Self.square)]")]),
                                  extra: #", "rules": {"setbacks_m": {"front": -2}}"#)
        try assertFails(folder, ["scenario.json", "rules.setbacks_m.front is -2.0", "0 m or more"], command: "plan")
    }

    func testFootprintLargerThanItsLot() throws {
        let big = #"{"type": "hall", "count": 1, "footprint_m": [40, 30], "lot_m2": [600, 900], "lot_frontage_m": [18, 25], "storeys": 1, "units_per_building": 0}"#
        let folder = try scenario(parcels: collection([feature("A", "[\(Self.square)]")]), extra: #", "programs": {"A": [\#(big)]}"#)
        try assertFails(folder, ["scenario.json", "programs.A[0] (type \"hall\")", "footprint 40 × 30 m", "larger than its lot"], command: "plan")
    }

    func testUnknownBuildingType() throws {
        let folder = try scenario(parcels: collection([feature("A", "[\(Self.square)]")]),
                                  extra: #", "building_types": {"house": \#(Self.house)}, "programs": {"A": [{"type": "castle", "count": 2}]}"#)
        try assertFails(folder, ["scenario.json", "programs.A[0]", "unknown building type \"castle\"", "building_types: house"], command: "plan")
    }

    func testZeroAreaParcel() throws {
        let flat = "[[[46.79,39.91],[46.80,39.91],[46.81,39.91],[46.79,39.91]]]"
        let folder = try scenario(parcels: collection([feature("flat", flat)]))
        try assertFails(folder, ["parcels.geojson", "feature 0 (id \"flat\")", "invalid parcel boundary"], command: "plan")
    }

    func testProgramForUnknownParcel() throws {
        let folder = try scenario(parcels: collection([feature("A", "[\(Self.square)]")]), extra: #", "programs": {"Z": [\#(Self.house)]}"#)
        try assertFails(folder, ["scenario.json", "programs: \"Z\" is not a parcel"], command: "plan")
    }

    func testProgramThatCannotFitIsReportedNotAnError() throws {
        let many = Self.house.replacingOccurrences(of: "\"count\": 4", with: "\"count\": 4000")
        let folder = try scenario(parcels: collection([feature("A", "[\(Self.square)]")]), extra: #", "programs": {"A": [\#(many)]}"#)
        let out = folder.appendingPathComponent("out")
        let result = try CLIRunner.run(["plan", "--scenario", folder.path, "--out", out.path, "--format", "json"])
        XCTAssertEqual(result.status, 0, result.stderr)
        let report = try XCTUnwrap(CLIRunner.json(result.stdout) as? [String: Any])
        let parcel = try XCTUnwrap((report["parcels"] as? [[String: Any]])?.first)
        let unplaced = try XCTUnwrap(parcel["unplaced"] as? [[String: Any]])
        XCTAssertEqual(unplaced.count, 1)
        let first = try XCTUnwrap(unplaced.first)
        let placed = try XCTUnwrap((parcel["buildings_by_type"] as? [String: Int])?["house"])
        XCTAssertGreaterThan(placed, 100)
        XCTAssertEqual(placed + (first["count"] as! Int), 4000)
        XCTAssertTrue((first["reason"] as! String).contains("only \(placed) of 4000 fit"))
    }
}
