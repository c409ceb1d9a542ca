import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import XCTest
import SiteFiles
import SitePlanning
import SiteReports
import SiteVocabulary

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

/// The SVG map of the Khojaly plan: well-formed, one element per feature in each layer group,
/// the title, legend, scale bar and north arrow; one parcel; PNG through rsvg-convert.
final class MapTests: XCTestCase {
    static let khojaly = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("geodata/khojaly").path

    func khojalyRun() throws -> (PlanRun, [Layer]) {
        let run = try ScenarioReader.loadPackage(folder: Self.khojaly).run()
        return (run, try PlanLayers.runLayers(run))
    }

    func testTownMapHasEveryFeature() throws {
        let (run, layers) = try khojalyRun()
        let rendered = try SVGMap(scenario: run.scenario, layers: layers).render()
        let svg = try LayerGroupCounter.parse(rendered)
        for layer in layers {
            XCTAssertEqual(svg.counts[layer.name], layer.features.count, layer.name)
        }
        let text = svg.texts.joined(separator: " ")
        XCTAssertTrue(text.contains("Khojaly, phase 1"), "title names the scenario")
        XCTAssertTrue(text.contains("as of 2026-11-27"), "title gives the as-of date")
        XCTAssertTrue(text.contains("Legend") && text.contains("Individual house (140)"), "legend with counts")
        XCTAssertTrue(text.contains("grid north"), "north arrow")
        XCTAssertNotNil(svg.texts.first { $0.hasSuffix(" m") && Double($0.dropLast(2)) != nil }, "scale bar in metres")
        XCTAssertEqual(rendered, try SVGMap(scenario: run.scenario, layers: layers).render(), "deterministic")
    }

    func testOneParcelAndChosenLayers() throws {
        let (run, layers) = try khojalyRun()
        let options = SVGMap.Options(layers: ["parcels", "streets", "buildings"], parcelID: "P1-B")
        let svg = try LayerGroupCounter.parse(try SVGMap(scenario: run.scenario, layers: layers, options: options).render())
        let inB = run.plan.buildings.filter { $0.parcelID == "P1-B" }
        XCTAssertEqual(svg.counts["buildings"], inB.count)
        XCTAssertEqual(svg.counts["buildings"], 92 + run.plan.facilities.filter { $0.parcelID == "P1-B" && $0.buildingID != nil }.count,
                       "92 houses and P1-B's facility buildings")
        XCTAssertNil(svg.counts["lots"], "only the chosen layers")
        XCTAssertTrue(svg.texts.joined().contains("parcel P1-B"))
    }

    func testPNGThroughRSVGAsOneFileSet() throws {
        try XCTSkipIf(PNGConverter.rsvgConvert() == nil, "rsvg-convert (librsvg2-bin) is not installed")
        let (run, layers) = try khojalyRun()
        let svg = try SVGMap(scenario: run.scenario, layers: layers, options: SVGMap.Options(mapWidthPixels: 800)).render()
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("siteplan-map-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        try PlanOutputs.writeMap(svg: svg, to: folder.appendingPathComponent("town.svg").path, alsoPNG: true)
        let bytes = [UInt8](try Data(contentsOf: folder.appendingPathComponent("town.png")))
        XCTAssertEqual(Array(bytes.prefix(8)), [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A], "a PNG")
        XCTAssertEqual(try String(contentsOf: folder.appendingPathComponent("town.svg"), encoding: .utf8), svg)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted(), ["town.png", "town.svg"], "no temporary file left")
    }
}
