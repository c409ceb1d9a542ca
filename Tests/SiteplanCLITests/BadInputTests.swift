import Foundation
import XCTest

/// Each bad input gets one clear line on stderr naming the file, the feature and the problem,
/// a non-zero exit, and nothing on stdout.
final class BadInputTests: XCTestCase {
    static let square = "[[46.79,39.91],[46.80,39.91],[46.80,39.92],[46.79,39.92],[46.79,39.91]]"

    /// A scenario folder with the given parcels file text and planning CRS.
    func scenario(parcels: String?, crs: String = "EPSG:32638") throws -> URL {
        let folder = try CLIRunner.temporaryFolder(self)
        let manifest = #"{"name": "Test", "planning_crs": "\#(crs)", "layers": {"parcels": "parcels.geojson"}}"#
        try manifest.write(to: folder.appendingPathComponent("scenario.json"), atomically: true, encoding: .utf8)
        if let parcels { try parcels.write(to: folder.appendingPathComponent("parcels.geojson"), atomically: true, encoding: .utf8) }
        return folder
    }

    func collection(_ features: [String]) -> String { #"{"type": "FeatureCollection", "features": [\#(features.joined(separator: ","))]}"# }

    func feature(_ id: String, _ coordinates: String) -> String {
        #"{"type": "Feature", "id": "\#(id)", "properties": {"name": "\#(id)"}, "geometry": {"type": "Polygon", "coordinates": \#(coordinates)}}"#
    }

    func assertFails(_ folder: URL, _ fragments: [String], file: StaticString = #filePath, line: UInt = #line) throws {
        let result = try CLIRunner.run(["parcels", "--scenario", folder.path])
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
        let lat = try CLIRunner.run(["query", "--at", "46.79,95"])
        XCTAssertNotEqual(lat.status, 0)
        XCTAssertTrue(lat.stderr.contains("latitude 95 is out of range"), lat.stderr)
        let junk = try CLIRunner.run(["query", "--at", "here"])
        XCTAssertNotEqual(junk.status, 0)
        XCTAssertTrue(junk.stderr.contains("longitude,latitude"), junk.stderr)
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
}
