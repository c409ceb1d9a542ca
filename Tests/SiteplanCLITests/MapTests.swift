import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import XCTest

/// Counts the direct children of every `<g id="layer-NAME">` in an SVG, and fails on
/// malformed XML.
final class LayerGroupCounter: NSObject, XMLParserDelegate {
    var counts: [String: Int] = [:]
    var texts: [String] = []
    private var stack: [String?] = []

    static func parse(_ svg: String) throws -> LayerGroupCounter {
        let counter = LayerGroupCounter()
        let parser = XMLParser(data: Data(svg.utf8))
        parser.delegate = counter
        guard parser.parse() else {
            throw NSError(domain: "svg", code: 1, userInfo: [NSLocalizedDescriptionKey: "malformed SVG: \(parser.parserError.map { "\($0)" } ?? "?") at line \(parser.lineNumber)"])
        }
        return counter
    }

    func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?, attributes: [String: String] = [:]) {
        if let parent = stack.last, let layer = parent { counts[layer, default: 0] += 1 }
        let id = attributes["id"]
        stack.append(name == "g" && id?.hasPrefix("layer-") == true ? String(id!.dropFirst("layer-".count)) : nil)
    }

    func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) { stack.removeLast() }

    func parser(_ parser: XMLParser, foundCharacters string: String) { texts.append(string) }
}

/// `siteplan map`: well-formed SVG, one element per feature in each layer group, the title,
/// legend, scale bar and north arrow; one parcel; PNG through rsvg-convert.
final class MapTests: XCTestCase {
    func layerFeatures(_ folder: URL, _ layer: String) throws -> [[String: Any]] {
        let fc = try XCTUnwrap(CLIRunner.json(String(contentsOf: folder.appendingPathComponent("\(layer).geojson"), encoding: .utf8)) as? [String: Any])
        return try XCTUnwrap(fc["features"] as? [[String: Any]])
    }

    func testTownMapHasEveryFeature() throws {
        let folder = try CLIRunner.temporaryFolder(self)
        XCTAssertEqual(try CLIRunner.run(["plan", "--out", folder.path]).status, 0)
        let map = try CLIRunner.run(["map"])
        XCTAssertEqual(map.status, 0, map.stderr)
        let svg = try LayerGroupCounter.parse(map.stdout)
        for layer in ["parcels", "exclusions", "streets", "blocks", "lots", "buildings"] {
            XCTAssertEqual(svg.counts[layer], try layerFeatures(folder, layer).count, layer)
        }
        let text = svg.texts.joined(separator: " ")
        XCTAssertTrue(text.contains("Khojaly, phase 1"), "title names the scenario")
        XCTAssertTrue(text.contains("as of 2026-11-27"), "title gives the as-of date")
        XCTAssertTrue(text.contains("Legend") && text.contains("Individual house (140)"), "legend with counts")
        XCTAssertTrue(text.contains("grid north"), "north arrow")
        XCTAssertNotNil(svg.texts.first { $0.hasSuffix(" m") && Double($0.dropLast(2)) != nil }, "scale bar in metres")
        XCTAssertEqual(map.stdout, try CLIRunner.run(["map"]).stdout, "deterministic")
    }

    func testOneParcelAndChosenLayers() throws {
        let folder = try CLIRunner.temporaryFolder(self)
        XCTAssertEqual(try CLIRunner.run(["plan", "--out", folder.path]).status, 0)
        let file = folder.appendingPathComponent("p1-b.svg")
        let map = try CLIRunner.run(["map", "--parcel", "P1-B", "--layers", "parcels,streets,buildings", "--out", file.path])
        XCTAssertEqual(map.status, 0, map.stderr)
        let svg = try LayerGroupCounter.parse(String(contentsOf: file, encoding: .utf8))
        let inB = try layerFeatures(folder, "buildings").filter { ($0["properties"] as? [String: Any])?["parcel_id"] as? String == "P1-B" }
        XCTAssertEqual(svg.counts["buildings"], inB.count)
        XCTAssertEqual(svg.counts["buildings"], 92)
        XCTAssertNil(svg.counts["lots"], "only the chosen layers")
        XCTAssertTrue(svg.texts.joined().contains("parcel P1-B"))

        let unknown = try CLIRunner.run(["map", "--parcel", "P9"])
        XCTAssertNotEqual(unknown.status, 0)
        XCTAssertTrue(unknown.stderr.contains("no parcel with id \"P9\""), unknown.stderr)
    }

    func testPNGThroughRSVG() throws {
        try XCTSkipIf(!FileManager.default.isExecutableFile(atPath: "/usr/bin/rsvg-convert"), "rsvg-convert (librsvg2-bin) is not installed")
        let folder = try CLIRunner.temporaryFolder(self)
        let png = folder.appendingPathComponent("town.png")
        let result = try CLIRunner.run(["map", "--width", "800", "--out", png.path])
        XCTAssertEqual(result.status, 0, result.stderr)
        let bytes = [UInt8](try Data(contentsOf: png))
        XCTAssertEqual(Array(bytes.prefix(8)), [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A], "a PNG")
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: folder.path), ["town.png"], "no temporary file left")
    }
}
