import XCTest
import SiteAudit
import SiteVocabulary
import DriverGeoJSON
import SiteFiles

/// Bad input: each error names the file, the feature (index and id) and what is wrong, and
/// no CSV is written.
final class InputErrorTests: XCTestCase {
    var fixture: Fixture!

    override func setUpWithError() throws {
        fixture = try Fixture()
        try fixture.write("parcels.geojson", Fixture.compact([polygonFeature("P1", [Fixture.square(0, 0, 0.002, 0.002)])]))
        try fixture.write("buildings.geojson", Fixture.compact([
            polygonFeature("B1", [Fixture.square(0.0002, 0.0002, 0.0003, 0.0003)]),
            polygonFeature("B2", [Fixture.square(0.0004, 0.0002, 0.0005, 0.0003)]),
        ]))
        try fixture.write("network.geojson", Fixture.compact([
            lineFeature("N1", "water", "laid", [(0, 0.001), (0.001, 0.001)]),
            lineFeature("N2", "gas", "planned", [(0, 0.0012), (0.001, 0.0012)]),
        ]))
    }

    override func tearDown() { fixture.remove() }

    /// Replaces the text of one input file, runs the audit, and returns its input error.
    func failure(_ file: String, _ edit: (String) -> String, line: UInt = #line) throws -> InputError? {
        let path = fixture.path(file)
        let text = try String(contentsOfFile: path, encoding: .utf8)
        let edited = edit(text)
        XCTAssertNotEqual(edited, text, "the edit changed nothing", line: line)
        try edited.write(toFile: path, atomically: true, encoding: .utf8)
        do {
            try fixture.runAudit()
            XCTFail("the audit accepted bad input", line: line)
            return nil
        } catch let error as InputError {
            let out = (try? FileManager.default.contentsOfDirectory(atPath: fixture.path("out"))) ?? []
            XCTAssertEqual(out, [], "no CSV (or temporary file) left in --out", line: line)
            XCTAssertEqual(error.source, path, line: line)
            return error
        }
    }

    func testMissingID() throws {
        let e = try XCTUnwrap(try failure("buildings.geojson") { $0.replacingOccurrences(of: "\"id\":\"B2\",", with: "") })
        XCTAssertEqual(e.feature?.index, 1)
        XCTAssertNil(e.feature?.id)
        XCTAssertTrue(e.problem.contains("missing properties.id"), e.problem)
        XCTAssertTrue(e.description.contains("buildings.geojson: feature 1: "), e.description)
    }

    /// Each bad input names its feature (index and id) and says what is wrong.
    func testBadFeaturesAreNamed() throws {
        let cases: [(file: String, edit: (String) -> String, index: Int, id: String, says: [String])] = [
            ("network.geojson", { $0.replacingOccurrences(of: "\"N2\"", with: "\"N1\"") }, 1, "N1", ["duplicate id", "feature 0 has the same id"]),
            ("buildings.geojson", {
                $0.replacingOccurrences(of: "\"type\":\"Polygon\",\"coordinates\":[[", with: "\"type\":\"MultiPolygon\",\"coordinates\":[[[")
                  .replacingOccurrences(of: "]]}}", with: "]]]}}")
            }, 0, "B1", ["MultiPolygon", "expected Polygon"]),
            ("network.geojson", { $0.replacingOccurrences(of: "[46.5010000,40.0012000]", with: "[\"46.501\",40.0012000]") }, 1, "N2",
             ["position 1", "not a number"]),
        ]
        for c in cases {
            try setUpWithError()
            let e = try XCTUnwrap(try failure(c.file, c.edit))
            XCTAssertEqual(e.feature?.index, c.index, c.file)
            XCTAssertEqual(e.feature?.id, c.id, c.file)
            for text in c.says { XCTAssertTrue(e.problem.contains(text), e.problem) }
        }
    }

    func testOutOfRangeCoordinate() throws {
        let e = try XCTUnwrap(try failure("parcels.geojson") { $0.replacingOccurrences(of: "[46.5020000,40.0020000]", with: "[46.502,95.5]") })
        XCTAssertEqual(e.feature?.id, "P1")
        XCTAssertTrue(e.problem.contains("latitude 95.5 is out of range"), e.problem)
    }

    func testTruncatedFile() throws {
        let e = try XCTUnwrap(try failure("buildings.geojson") { String($0.prefix($0.count - 40)) })
        XCTAssertEqual(e.feature?.index, 1)
        XCTAssertEqual(e.feature?.id, "B2")
        XCTAssertTrue(e.problem.contains("truncated"), e.problem)
    }

    func testTruncatedAnywhere() throws {
        let path = fixture.path("network.geojson")
        let full = try String(contentsOfFile: path, encoding: .utf8)
        for cut in 2..<full.utf8.count - 2 {
            try String(decoding: Array(full.utf8).dropLast(cut), as: UTF8.self).write(toFile: path, atomically: true, encoding: .utf8)
            XCTAssertThrowsError(try FeatureCollectionReader.read(path, kind: .network), "cut \(cut)") { error in
                let e = error as? InputError
                XCTAssertTrue(e?.problem.contains("truncated") == true || e?.problem.contains("empty") == true, "cut \(cut): \(error)")
            }
        }
    }

    func testUnknownStatusAndUtility() throws {
        let s = try XCTUnwrap(try failure("network.geojson") { $0.replacingOccurrences(of: "\"planned\"", with: "\"designed\"") })
        XCTAssertEqual(s.feature?.index, 1)
        XCTAssertEqual(s.feature?.id, "N2")
        XCTAssertTrue(s.problem.contains("unknown status \"designed\""), s.problem)
        try setUpWithError()
        let u = try XCTUnwrap(try failure("network.geojson") { $0.replacingOccurrences(of: "\"water\"", with: "\"district heating\"") })
        XCTAssertEqual(u.feature?.index, 0)
        XCTAssertEqual(u.feature?.id, "N1")
        XCTAssertTrue(u.problem.contains("unknown utility \"district heating\""), u.problem)
    }

    func testUnclosedRing() throws {
        let e = try XCTUnwrap(try failure("buildings.geojson") { $0.replacingOccurrences(of: "[46.5002000,40.0002000]]]", with: "[46.5002000,40.0002001]]]") })
        XCTAssertEqual(e.feature?.id, "B1")
        XCTAssertTrue(e.problem.contains("not closed"), e.problem)
    }

    /// A large file with one bad feature near its end fails at that feature, having kept no
    /// more than the columns in memory (the file is streamed through a memory map).
    func testBadFeatureNearTheEndOfALargeFile() throws {
        var features: [Fixture.Feature] = []
        for i in 0..<20_000 {
            let x = Double(i % 100) * 0.00002, y = Double(i / 100) * 0.00002
            features.append(polygonFeature(String(format: "B%06d", i), [Fixture.square(x, y, x + 0.00001, y + 0.00001)]))
        }
        features[19_990].type = "Point"
        try fixture.write("buildings.geojson", Fixture.compact(features))
        XCTAssertThrowsError(try fixture.runAudit()) { error in
            let e = error as? InputError
            XCTAssertEqual(e?.feature?.index, 19_990)
            XCTAssertEqual(e?.feature?.id, "B019990")
            XCTAssertTrue(e?.problem.contains("geometry type is Point, expected Polygon") == true, "\(error)")
        }
    }
}
