import Foundation
import XCTest

/// `siteplan audit` on the inputs fuzzing found (Tests/Fixtures/audit/): one line on stderr
/// naming the file, the feature and the problem, exit 1, and no CSV in --out.
final class AuditBadInputTests: XCTestCase {
    static let fixtures = CLIRunner.repositoryRoot.appendingPathComponent("Tests/Fixtures/audit")

    static func fixture(_ name: String) -> String { fixtures.appendingPathComponent(name).path }

    /// Runs the audit on the valid fixture set with one file replaced; returns the result and
    /// the files left in --out.
    func audit(buildings: String = "buildings.geojson", network: String = "network.geojson",
               parcels: String = "parcels.geojson") throws -> (CLIRunner.Result, [String]) {
        let out = try CLIRunner.temporaryFolder(self).appendingPathComponent("out")
        let result = try CLIRunner.run(["audit", "--parcels", Self.fixture(parcels), "--buildings", Self.fixture(buildings),
                                        "--network", Self.fixture(network), "--out", out.path, "--quiet"])
        let left = (try? FileManager.default.contentsOfDirectory(atPath: out.path)) ?? []
        return (result, left)
    }

    func assertRefused(_ file: String, _ expected: String, buildings: String = "buildings.geojson", network: String = "network.geojson",
                       line: UInt = #line) throws {
        let (result, left) = try audit(buildings: buildings, network: network)
        XCTAssertEqual(result.status, 1, result.stderr, line: line)
        XCTAssertEqual(result.stdout, "", line: line)
        XCTAssertEqual(result.stderr, "siteplan: error: \(Self.fixture(file)): \(expected)\n", line: line)
        XCTAssertEqual(left, [], "no CSV left in --out", line: line)
    }

    func testValidFixturesPass() throws {
        let (result, left) = try audit()
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertEqual(left.sorted(), ["buildings.csv", "parcels.csv"])
    }

    /// Used to crash with SIGILL ("Index out of range" in `ConnectionAudit.usableSegmentIndex`).
    func testNetworkCoordinatesTwice() throws {
        try assertRefused("network-duplicate-coordinates.geojson",
                          #"feature 0 (id "N1"): malformed JSON at line 2, column 198: duplicate member name "coordinates" (a name may appear only once in an object)"#,
                          network: "network-duplicate-coordinates.geojson")
    }

    /// Used to exit 0 with B1 holding B0's geometry.
    func testBuildingCoordinatesTwice() throws {
        try assertRefused("buildings-duplicate-coordinates.geojson",
                          #"feature 0 (id "B0"): malformed JSON at line 2, column 238: duplicate member name "coordinates" (a name may appear only once in an object)"#,
                          buildings: "buildings-duplicate-coordinates.geojson")
    }

    func testBuildingGeometryTwice() throws {
        try assertRefused("buildings-duplicate-geometry.geojson",
                          #"feature 0 (id "B0"): malformed JSON at line 2, column 239: duplicate member name "geometry" (a name may appear only once in an object)"#,
                          buildings: "buildings-duplicate-geometry.geojson")
    }

    /// Used to split its buildings.csv row over two lines.
    func testIDWithEscapedNewline() throws {
        try assertRefused("buildings-id-newline.geojson",
                          #"feature 1 (id "B0\nX"): properties.id contains a line break (\n); an id must be one line of printable text"#,
                          buildings: "buildings-id-newline.geojson")
    }

    func testMismatchedCloser() throws {
        try assertRefused("buildings-mismatched-closer.geojson",
                          #"feature 1 (id "B1"): malformed JSON at line 3, column 72: expected ',' or ']', found '}'"#,
                          buildings: "buildings-mismatched-closer.geojson")
    }

    /// `siteplan parcels` (the tree reader) and `siteplan audit` (the streaming reader) word
    /// the same unclosed ring the same way.
    func testUnclosedRingSameMessageFromParcelsAndAudit() throws {
        let problem = "Polygon ring 0 (exterior) is not closed: first position [46.5, 39.998] differs from last [46.5, 39.9985]"
        let folder = try CLIRunner.temporaryFolder(self)
        try #"{"name": "Test", "planning_crs": "EPSG:32638", "layers": {"parcels": "parcels.geojson"}}"#
            .write(to: folder.appendingPathComponent("scenario.json"), atomically: true, encoding: .utf8)
        try FileManager.default.copyItem(atPath: Self.fixture("parcels-unclosed-ring.geojson"),
                                         toPath: folder.appendingPathComponent("parcels.geojson").path)
        let parcels = try CLIRunner.run(["parcels", "--scenario", folder.path])
        XCTAssertEqual(parcels.status, 1)
        XCTAssertEqual(parcels.stderr, "siteplan: error: \(folder.path)/parcels.geojson: feature 1 (id \"P2\"): \(problem)\n")

        let (audit, left) = try audit(parcels: "parcels-unclosed-ring.geojson")
        XCTAssertEqual(audit.status, 1)
        XCTAssertEqual(audit.stderr, "siteplan: error: \(Self.fixture("parcels-unclosed-ring.geojson")): feature 1 (id \"P2\"): \(problem)\n")
        XCTAssertEqual(left, [])
    }
}
