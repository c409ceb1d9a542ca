import Foundation
import XCTest
import SiteAudit
import SiteVocabulary
@testable import DriverGeoJSON
import DriverCSV
@testable import SiteFiles

/// The inputs fuzzing found (kept under Tests/Fixtures/audit/), and the one set of JSON and
/// GeoJSON rules the audit's streaming reader shares with the tree parser.
final class JSONRulesTests: XCTestCase {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/audit")

    static func fixture(_ name: String) -> String { fixtures.appendingPathComponent(name).path }

    var out: String!

    override func setUpWithError() throws {
        out = FileManager.default.temporaryDirectory.appendingPathComponent("siteplan-json-rules-\(UUID().uuidString)").path
    }

    override func tearDown() { try? FileManager.default.removeItem(atPath: out) }

    /// Audits the valid fixture set with `replacing` (a file of Tests/Fixtures/audit) in place
    /// of the parcels, buildings or network file.
    func audit(parcels: String = "parcels.geojson", buildings: String = "buildings.geojson", network: String = "network.geojson") throws {
        _ = try AuditFiles.run(parcels: Self.fixture(parcels), buildings: Self.fixture(buildings),
                               network: Self.fixture(network), outputDirectory: out, threads: 2)
    }

    /// The input error of an audit that must fail, after checking it left no file in `out`.
    func failure(line: UInt = #line, _ run: () throws -> Void) throws -> InputError {
        do {
            try run()
        } catch let error as InputError {
            let left = (try? FileManager.default.contentsOfDirectory(atPath: out)) ?? []
            XCTAssertEqual(left, [], "no CSV (or temporary file) left behind", line: line)
            return error
        }
        XCTFail("the audit accepted bad input", line: line)
        throw AcceptedBadInput()
    }

    /// Ends a test whose bad input the audit accepted (the failure is recorded above).
    struct AcceptedBadInput: Error {}

    func testValidFixturesAudit() throws {
        try audit()
        let text = try String(contentsOfFile: out + "/buildings.csv", encoding: .utf8)
        XCTAssertEqual(text.split(separator: "\n").map { $0.split(separator: ",", omittingEmptySubsequences: false).prefix(2).joined(separator: ",") },
                       ["id,parcel_id", "B0,P1", "B1,P1", "B2,P2"])
    }

    /// Fuzz finds: a network feature with "coordinates" twice crashed with SIGILL ("Index out of
    /// range" in `ConnectionAudit.usableSegmentIndex`: the second added a line for one feature);
    /// a building with "coordinates" or "geometry" twice exited 0 with wrong rows (B1 got B0's
    /// geometry). A duplicate among the members the reader does not interpret is refused too.
    func testDuplicateMemberNamesAreRefused() throws {
        let cases: [(network: String?, buildings: String?, index: Int, id: String, line: Int, column: Int, name: String)] = [
            ("network-duplicate-coordinates.geojson", nil, 0, "N1", 2, 198, "coordinates"),
            (nil, "buildings-duplicate-coordinates.geojson", 0, "B0", 2, 238, "coordinates"),
            (nil, "buildings-duplicate-geometry.geojson", 0, "B0", 2, 239, "geometry"),
            (nil, "buildings-duplicate-property.geojson", 2, "B2", 4, 58, "kind"),
        ]
        for c in cases {
            let e = try failure { try audit(buildings: c.buildings ?? "buildings.geojson", network: c.network ?? "network.geojson") }
            XCTAssertEqual(e.source, Self.fixture(c.network ?? c.buildings!))
            XCTAssertEqual(e.feature?.index, c.index)
            XCTAssertEqual(e.feature?.id, c.id)
            XCTAssertEqual(e.problem, "malformed JSON at line \(c.line), column \(c.column): duplicate member name \"\(c.name)\" (a name may appear only once in an object)")
        }
    }

    /// Fuzz find: `"B0\nX"` split its buildings.csv row over two lines.
    func testIDWithALineBreakIsRefused() throws {
        let e = try failure { try audit(buildings: "buildings-id-newline.geojson") }
        XCTAssertEqual(e.feature?.index, 1)
        XCTAssertEqual(e.feature?.id, "B0\nX")
        XCTAssertEqual(e.problem, #"properties.id contains a line break (\n); an id must be one line of printable text"#)
        XCTAssertEqual(e.description, Self.fixture("buildings-id-newline.geojson")
            + #": feature 1 (id "B0\nX"): properties.id contains a line break (\n); an id must be one line of printable text"#)
    }

    /// `"storeys":[1,2}`, which the audit used to skip as balanced.
    func testMismatchedCloserIsRefused() throws {
        let e = try failure { try audit(buildings: "buildings-mismatched-closer.geojson") }
        XCTAssertEqual(e.feature?.index, 1)
        XCTAssertEqual(e.feature?.id, "B1")
        XCTAssertEqual(e.problem, "malformed JSON at line 3, column 72: expected ',' or ']', found '}'")
    }

    /// Ids with a comma or a quote are quoted per RFC 4180; the others are written as they are.
    func testIDsThatNeedQuotingAreQuoted() throws {
        try audit()
        let plain = try String(contentsOfFile: out + "/buildings.csv", encoding: .utf8)
        try audit(buildings: "buildings-ids-to-quote.geojson")
        let quoted = try String(contentsOfFile: out + "/buildings.csv", encoding: .utf8)
        XCTAssertTrue(plain.contains("\nB0,P1,") && plain.contains("\nB1,P1,") && plain.contains("\nB2,P2,"), plain)
        XCTAssertEqual(quoted, plain.replacingOccurrences(of: "\nB0,", with: "\n\"B0,east\",")
                                    .replacingOccurrences(of: "\nB1,", with: "\n\"B1 \"\"the mill\"\"\","))
        let parcels = try String(contentsOfFile: out + "/parcels.csv", encoding: .utf8)
        XCTAssertTrue(parcels.hasPrefix(AuditCSVWriter.parcelsHeader + "P1,"), parcels)
    }

    /// The same unclosed ring gives the same problem from `parcels` (tree reader) and from the
    /// audit (streaming reader).
    func testUnclosedRingHasOneMessage() throws {
        let path = Self.fixture("parcels-unclosed-ring.geojson")
        let problem = "Polygon ring 0 (exterior) is not closed: first position [46.5, 39.998] differs from last [46.5, 39.9985]"
        XCTAssertThrowsError(try GeoJSONReader.read(file: path)) { error in
            XCTAssertEqual("\(error)", "\(path): feature 1 (id \"P2\"): \(problem)")
        }
        XCTAssertThrowsError(try FeatureCollectionReader.read(path, kind: .polygons)) { error in
            XCTAssertEqual((error as? InputError)?.problem, problem)
            XCTAssertEqual((error as? InputError)?.feature?.id, "P2")
        }
    }

    // MARK: One lexer: the same language and the same words

    /// A valid one-feature collection with `member` added to the feature's properties.
    static func document(properties member: String) -> String {
        #"{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"id":"B0",\#(member)},"#
            + #""geometry":{"type":"Polygon","coordinates":[[[46.5,40],[46.6,40],[46.6,40.1],[46.5,40]]]}}]}"#
    }

    func testBothReadersRefuseTheSameJSONInTheSameWords() throws {
        let members = [
            #""x":[1,2}"#,                      // mismatched closer
            #""x":{"a":1,"a":2}"#,              // duplicate key, nested
            #""x":{"a":1,"\u0061":2}"#,         // duplicate key, escaped
            #""kind":1,"kind":2"#,              // duplicate key in properties
            #""x":"a\qb""#,                     // bad escape
            #""x":"\ud800""#,                   // unpaired surrogate
            #""x":"\udc00\ud800""#,             // lone low surrogate
            #""x":"\u12G4""#,                   // bad hex digit
            #""x":012"#,                        // leading zero
            #""x":1."#,                         // no fraction digits
            #""x":-"#,                          // sign alone
            #""x":1e400"#,                      // out of range
            #""x":tru"#,                        // bad literal
            #""x":[1,]"#,                       // trailing comma
            #""x":{1:2}"#,                      // unquoted name
            #""x" 1"#,                          // no colon
            "\"x\":\"a\tb\"",                   // raw control character
            String(repeating: "[", count: 600) + String(repeating: "]", count: 600),
            (0..<10).map { "\"k\($0)\":\($0)" }.joined(separator: ",") + ",\"k3\":3",          // past 8 names
            "\"x\":{" + (0..<20).map { "\"k\($0)\":\($0)" }.joined(separator: ",") + ",\"k17\":3}", // past 16 names
        ].map { $0.hasPrefix("[") ? "\"deep\":" + $0 : $0 }
        for member in members {
            let text = Self.document(properties: member)
            let tree: String
            do { _ = try JSONParser.parse(text); XCTFail("tree parser accepted \(member)"); continue } catch { tree = error.description }
            let path = out + ".geojson"
            try text.write(toFile: path, atomically: true, encoding: .utf8)
            defer { try? FileManager.default.removeItem(atPath: path) }
            XCTAssertThrowsError(try FeatureCollectionReader.read(path, kind: .polygons), member) { error in
                XCTAssertEqual((error as? InputError)?.problem, tree, member)
            }
        }
        // Invalid UTF-8 and a byte order mark.
        var bytes = Array(Self.document(properties: #""name":"Xocal\#u{131}""#).utf8)
        XCTAssertNoThrow(try JSONParser.parse([0xEF, 0xBB, 0xBF] + bytes))
        let at = bytes.firstIndex(of: 0xC4)!
        bytes[at] = 0xFF
        XCTAssertThrowsError(try JSONParser.parse(bytes)) { XCTAssertTrue("\($0)".hasSuffix("a string is not valid UTF-8"), "\($0)") }
    }

    /// Distinct names, plain, escaped or many, are not mistaken for duplicates.
    func testDistinctNamesAreAccepted() throws {
        let many = (0..<20).map { "\"k\($0)\":\($0)" }.joined(separator: ",")
        let text = Self.document(properties: many + #","\u0061":1,"a\u0062":{"\u0062":1,"b ":2},"x":{\#(many)}"#)
        XCTAssertNoThrow(try JSONParser.parse(text))
        let path = out + ".geojson"
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let layer = try FeatureCollectionReader.read(path, kind: .polygons)
        XCTAssertEqual(layer.count, 1)
        XCTAssertEqual(layer.ids.string(0), "B0")
    }

    /// Feature-level GeoJSON rules: one wording from both readers.
    func testBothReadersDescribeABadFeatureTheSame() throws {
        let polygon = #"{"type":"Polygon","coordinates":[[[46.5,40],[46.6,40],[46.6,40.1],[46.5,40]]]}"#
        let cases: [(String, String)] = [
            (#"{"properties":{"id":"B0"},"geometry":\#(polygon)}"#, #""type" is missing, expected "Feature""#),
            (#"{"type":"feature","properties":{"id":"B0"},"geometry":\#(polygon)}"#, #""type" is "feature", expected "Feature""#),
            (#"{"type":["Feature"],"properties":{"id":"B0"},"geometry":\#(polygon)}"#, #""type" is ["Feature"], expected "Feature""#),
            (#"{"type":"Feature","properties":{"id":"B0"}}"#, #"has no "geometry" member"#),
            (#"{"type":"Feature","properties":{"id":"B0"},"geometry":{"coordinates":[[[46.5,40],[46.6,40],[46.6,40.1],[46.5,40]]]}}"#, #"geometry has no "type""#),
            (#"{"type":"Feature","properties":{"id":"B0"},"geometry":{"type":"Polygon"}}"#, #"Polygon has no "coordinates""#),
        ]
        for (feature, problem) in cases {
            try assertBothReadersRefuse(#"{"type":"FeatureCollection","features":[\#(feature)]}"#, problem)
        }
        let empty = #"{"type":"FeatureCollection"}"#
        XCTAssertThrowsError(try GeoJSONReader.read(bytes: Array(empty.utf8), source: "t.geojson")) { error in
            XCTAssertEqual("\(error)", #"t.geojson: the FeatureCollection has no "features" array"#)
        }
    }

    /// The tree reader and the audit's streaming reader refuse `text` (one feature, id B0) with
    /// the same `problem`.
    func assertBothReadersRefuse(_ text: String, _ problem: String, line: UInt = #line) throws {
        XCTAssertThrowsError(try GeoJSONReader.read(bytes: Array(text.utf8), source: "t.geojson"), text, line: line) { error in
            XCTAssertEqual("\(error)", "t.geojson: feature 0 (id \"B0\"): \(problem)", line: line)
        }
        let path = out + ".geojson"
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: path) }
        XCTAssertThrowsError(try FeatureCollectionReader.read(path, kind: .polygons), text, line: line) { error in
            XCTAssertEqual((error as? InputError)?.problem, problem, line: line)
        }
    }

    func testBothReadersDescribeABadPositionTheSame() throws {
        let cases: [(String, String)] = [
            (#"[[[46.5,40],["46.6",40],[46.6,40.1],[46.5,40]]]"#, #"Polygon ring 0 (exterior) position 1: longitude is not a number in ["46.6",40]"#),
            (#"[[[46.5,40],[46.6,40,null],[46.6,40.1],[46.5,40]]]"#, "Polygon ring 0 (exterior) position 1: coordinate 2 is not a number in [46.6,40,null]"),
            (#"[[[46.5,40],[46.6],[46.6,40.1],[46.5,40]]]"#, "Polygon ring 0 (exterior) position 1 has 1 value(s), expected [longitude, latitude]"),
            (#"[[[46.5,40],[46.6,95,3],[46.6,40.1],[46.5,40]]]"#, "Polygon ring 0 (exterior) position 1: latitude 95 is out of range -90..90 in [46.6,95,3] (positions are [longitude, latitude])"),
            (#"[[[46.5,40],[246.6,40],[46.6,40.1],[46.5,40]]]"#, "Polygon ring 0 (exterior) position 1: longitude 246.6 is out of range -180..180 in [246.6,40] (positions are [longitude, latitude])"),
            (#"[[[46.5,40],[46.6,40],[46.5,40]]]"#, "Polygon ring 0 (exterior) has 3 positions, a closed ring needs at least 4"),
            (#"[[[46.5,40],[46.6,40],[46.6,40.1],[46.5,40]],[[46.5,40],[46.6,40],[46.6,40.1],[46.5,40.05]]]"#,
             "Polygon ring 1 (hole) is not closed: first position [46.5, 40] differs from last [46.5, 40.05]"),
        ]
        for (coordinates, problem) in cases {
            try assertBothReadersRefuse(#"{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"id":"B0"},"geometry":{"type":"Polygon","coordinates":\#(coordinates)}}]}"#, problem)
        }
        let line = #"{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"id":"N0","utility":"gas","status":"laid"},"geometry":{"type":"LineString","coordinates":[[46.5,40]]}}]}"#
        XCTAssertThrowsError(try GeoJSONReader.read(bytes: Array(line.utf8), source: "n.geojson")) { error in
            XCTAssertEqual("\(error)", "n.geojson: feature 0 (id \"N0\"): LineString has 1 position(s), at least 2 are needed")
        }
        let path = out + ".geojson"
        try line.write(toFile: path, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: path) }
        XCTAssertThrowsError(try FeatureCollectionReader.read(path, kind: .network)) { error in
            XCTAssertEqual((error as? InputError)?.problem, "LineString has 1 position(s), at least 2 are needed")
        }
    }

    /// Found in review: a self-intersecting parcel stopped the audit with GEOS's TopologyException
    /// (exit 2, no file, no feature). It is bad input, named as such.
    func testASelfIntersectingParcelIsNamed() throws {
        let e = try failure { try audit(parcels: "parcels-self-intersecting.geojson") }
        XCTAssertEqual(e.source, Self.fixture("parcels-self-intersecting.geojson"))
        XCTAssertEqual(e.feature?.index, 0)
        XCTAssertEqual(e.feature?.id, "P1")
        XCTAssertTrue(e.problem.hasPrefix("the parcel is not a valid polygon (Self-intersection"), e.problem)
    }

    /// Found in review: parcels written latitude-first ran, every building outside every parcel.
    /// With a UTM --crs they are named as such, as `siteplan parcels` names them.
    func testLatitudeFirstParcelsAreNamed() throws {
        let e = try failure { try audit(parcels: "parcels-latitude-first.geojson") }
        XCTAssertEqual(e.source, Self.fixture("parcels-latitude-first.geojson"))
        XCTAssertTrue(e.problem.hasSuffix("the positions may be latitude-first; GeoJSON wants [longitude, latitude]"), e.problem)
    }

    /// Found in review: a parcel whose ring collapses to a line ran and wrote "nan" into
    /// parcels.csv. It is bad input, named, and no CSV is written.
    func testAParcelWithNoAreaIsNamed() throws {
        let e = try failure { try audit(parcels: "parcels-collapsed.geojson") }
        XCTAssertEqual(e.feature?.id, "P2")
        XCTAssertEqual(e.problem, "the parcel has no area (its ring collapses to a line or a point)")
    }
}
