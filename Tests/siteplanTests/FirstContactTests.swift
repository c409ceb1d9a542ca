import Foundation
import XCTest

/// What a user meets first (issue 9, item 7): the version, the errors for input that is wrong in
/// a way people often get wrong (coordinate order, file encoding, an empty file, a format
/// siteplan does not write, a seed the status file does not belong to), each on one line that
/// names the file and says what to do, exit 1 and nothing written.
final class FirstContactTests: XCTestCase {
    static func fixture(_ name: String) -> String {
        CLIRunner.repositoryRoot.appendingPathComponent("Tests/Fixtures/scenarios/\(name)").path
    }

    func assertInputError(_ args: [String], _ fragments: [String], in directory: URL = CLIRunner.repositoryRoot,
                          file: StaticString = #filePath, line: UInt = #line) throws {
        let result = try CLIRunner.run(args, in: directory)
        XCTAssertEqual(result.status, 1, result.stderr, file: file, line: line)
        XCTAssertEqual(result.stdout, "", file: file, line: line)
        XCTAssertTrue(result.stderr.hasPrefix("siteplan: error: "), result.stderr, file: file, line: line)
        XCTAssertEqual(result.stderr.split(separator: "\n").count, 1, "one line: \(result.stderr)", file: file, line: line)
        for fragment in fragments {
            XCTAssertTrue(result.stderr.contains(fragment), "\"\(fragment)\" in: \(result.stderr)", file: file, line: line)
        }
    }

    func testVersion() throws {
        let result = try CLIRunner.run(["--version"])
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertTrue(result.stdout.hasPrefix("siteplan 0."), result.stdout)
        XCTAssertTrue(result.stdout.contains("GEOS 3."), result.stdout)
        XCTAssertTrue(result.stdout.contains(", GDAL 3."), result.stdout)
        XCTAssertTrue(result.stdout.contains("PROJ "), result.stdout)
    }

    /// Khojaly's parcels written [latitude, longitude]: refused, with the hint.
    func testSwappedParcelsAreRefusedWithAHint() throws {
        for command in [["parcels"], ["plan", "--out", try CLIRunner.temporaryFolder(self).appendingPathComponent("out").path]] {
            try assertInputError(command + ["--scenario", Self.fixture("swapped")],
                                 ["swapped/parcels.geojson", "feature 0 (id \"P1-A\")", "outside the eastings", "UTM zone 38N",
                                  "the positions may be latitude-first; GeoJSON wants [longitude, latitude]"])
        }
    }

    func testEmptyParcelsFileIsNamed() throws {
        try assertInputError(["parcels", "--scenario", Self.fixture("empty-parcels")],
                             ["empty-parcels/parcels.geojson: has no features", "at least one parcel"])
    }

    func testNonUTF8HouseholdsNamesTheLine() throws {
        try assertInputError(["plan", "--scenario", Self.fixture("non-utf8-households")],
                             ["non-utf8-households/households.csv: line 4: byte 0xFC at column 9 is not UTF-8", "save the file as UTF-8"])
        // Found in review: listing the parcels needs no households file, so a bad one does not stop it.
        let parcels = try CLIRunner.run(["parcels", "--scenario", Self.fixture("non-utf8-households")])
        XCTAssertEqual(parcels.status, 0, parcels.stderr)
    }

    func testNonUTF8StatusNamesTheLine() throws {
        try assertInputError(["progress", "--scenario", Self.fixture("non-utf8-status")],
                             ["non-utf8-status/status.csv: line 4: byte 0xE9 at column 35 is not UTF-8"])
    }

    /// The status file's ids belong to the network of the scenario's seed.
    func testAnotherSeedThanTheStatusFilesIsRefused() throws {
        let out = try CLIRunner.temporaryFolder(self).appendingPathComponent("out")
        try assertInputError(["plan", "--seed", "7", "--out", out.path],
                             ["geodata/khojaly/status.csv: records works on the network of seed 1 (the scenario's seed)",
                              "a layout with seed 7 cannot be read against it", "Run without --seed"])
        XCTAssertFalse(FileManager.default.fileExists(atPath: out.path), "nothing written")
        let same = try CLIRunner.run(["plan", "--seed", "1", "--out", out.path, "--format", "json"])
        XCTAssertEqual(same.status, 0, same.stderr)
    }

    func testOutputFormatsSiteplanDoesNotWriteAreRefusedFirst() throws {
        let folder = try CLIRunner.temporaryFolder(self)
        let cases: [([String], String)] = [
            (["export", "--out", "x.tab"], "--out x.tab: siteplan does not write .tab files; it writes GeoJSON (.geojson, .json), GeoPackage (.gpkg), CSV with WKT (.csv), Shapefile (.shp), FlatGeobuf (.fgb), KML (.kml), DXF (.dxf) or XLSX (attribute tables) (.xlsx)"),
            (["export", "--out", "x.kmz"], "--out x.kmz: siteplan does not write .kmz files"),
            (["map", "--out", "x.jpg"], "--out x.jpg: siteplan does not write .jpg files; it writes SVG (.svg), PNG (.png) or PDF sheet (.pdf)"),
            (["plan", "--gpkg", "x.shp", "--out", "plan"], "--gpkg x.shp: siteplan does not write .shp files; it writes GeoPackage (.gpkg)"),
        ]
        for (args, message) in cases {
            try assertInputError(args + ["--scenario", CLIRunner.repositoryRoot.appendingPathComponent("geodata/khojaly").path],
                                 [message], in: folder)
        }
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: folder.path), [], "nothing written")
    }

    func testQueryJSONHasParcelIDsAsAnArray() throws {
        let result = try CLIRunner.run(["query", "--at", "46.7954,39.9188", "--format", "json"])
        XCTAssertEqual(result.status, 0, result.stderr)
        let object = try XCTUnwrap(try CLIRunner.json(result.stdout) as? [String: Any])
        XCTAssertEqual(object["parcel_id"] as? String, "P1-A")
        XCTAssertEqual(object["parcel_ids"] as? [String], ["P1-A"])
        // A house of P1-A (its number depends on the layout).
        XCTAssertTrue((object["building_id"] as? String)?.hasPrefix("P1-A-H") ?? false, "\(object)")
        XCTAssertEqual(object["building_type"] as? String, "individual_house")
        XCTAssertTrue(object["hint"] is NSNull)
        let outside = try CLIRunner.json(try CLIRunner.run(["query", "--at", "46.70,39.91", "--format", "json"]).stdout) as? [String: Any]
        XCTAssertEqual(outside?["parcel_ids"] as? [String], [])
    }

    /// `query --seed` defaults to the scenario's seed: the building at a point is the plan's.
    func testQuerySeedIsTheScenarios() throws {
        let defaulted = try CLIRunner.run(["query", "--at", "46.7954,39.9188", "--format", "json"])
        let explicit = try CLIRunner.run(["query", "--at", "46.7954,39.9188", "--format", "json", "--seed", "1"])
        XCTAssertEqual(defaulted.status, 0, defaulted.stderr)
        XCTAssertEqual(defaulted.stdout, explicit.stdout)
    }

    func testLatitudeFirstQueryGetsAHint() throws {
        let json = try CLIRunner.run(["query", "--at", "39.9188,46.7954", "--format", "json"])
        XCTAssertEqual(json.status, 0, json.stderr)
        let object = try XCTUnwrap(try CLIRunner.json(json.stdout) as? [String: Any])
        XCTAssertTrue(object["parcel_id"] is NSNull)
        let hint = try XCTUnwrap(object["hint"] as? String)
        XCTAssertTrue(hint.contains("latitude-first"), hint)
        XCTAssertTrue(hint.contains("read as 46.7954,39.9188 it lies in parcel P1-A"), hint)
        let table = try CLIRunner.run(["query", "--at", "39.91,46.79"])
        XCTAssertEqual(table.status, 0, table.stderr)
        XCTAssertTrue(table.stderr.hasPrefix("siteplan: hint: the position may be latitude-first"), table.stderr)
        XCTAssertTrue(table.stderr.contains("lies 706 m from parcel P1-A"), table.stderr)
        // Far from the site either way: no hint.
        let far = try CLIRunner.run(["query", "--at=-0.5,51.2"])
        XCTAssertEqual(far.status, 0, far.stderr)
        XCTAssertEqual(far.stderr, "")
    }
}
