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

    /// The fuzz finds, each refused with one line naming the file, the feature and the problem.
    /// Before: the network one crashed with SIGILL ("Index out of range" in
    /// `ConnectionAudit.usableSegmentIndex`); the duplicate coordinates or geometry of a building
    /// exited 0 with B1 holding B0's geometry; the escaped newline split a buildings.csv row.
    func testFuzzFindsAreRefused() throws {
        func duplicate(_ column: Int, _ name: String) -> String {
            "malformed JSON at line 2, column \(column): duplicate member name \"\(name)\" (a name may appear only once in an object)"
        }
        let cases: [(file: String, isNetwork: Bool, expected: String)] = [
            ("network-duplicate-coordinates.geojson", true, #"feature 0 (id "N1"): "# + duplicate(198, "coordinates")),
            ("buildings-duplicate-coordinates.geojson", false, #"feature 0 (id "B0"): "# + duplicate(238, "coordinates")),
            ("buildings-duplicate-geometry.geojson", false, #"feature 0 (id "B0"): "# + duplicate(239, "geometry")),
            ("buildings-id-newline.geojson", false,
             #"feature 1 (id "B0\nX"): properties.id contains a line break (\n); an id must be one line of printable text"#),
            ("buildings-mismatched-closer.geojson", false, #"feature 1 (id "B1"): malformed JSON at line 3, column 72: expected ',' or ']', found '}'"#),
        ]
        for c in cases {
            if c.isNetwork {
                try assertRefused(c.file, c.expected, network: c.file)
            } else {
                try assertRefused(c.file, c.expected, buildings: c.file)
            }
        }
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
