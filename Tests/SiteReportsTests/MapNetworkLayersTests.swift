import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import SiteGeometry
import SiteFiles
import SitePlanning
import SiteReports
import SiteVocabulary
import XCTest

/// The outputs take any layer they are given: a network layer with `status`, service lines and
/// buildings with `connected_all` (as the utility network adds them) reach the map, with their
/// legend.
final class MapNetworkLayersTests: XCTestCase {
    func layersWithNetwork() throws -> (Scenario, [Layer]) {
        let package = try ScenarioReader.loadPackage(folder: MapTests.khojaly)
        let scenario = package.scenario
        // The layout layers only: the network layer and the connection state are made up here.
        var layers = try package.layers(PlanLayers.layoutLayerNames, seed: nil)
        let buildings = try XCTUnwrap(layers.firstIndex { $0.name == "buildings" })
        for i in layers[buildings].features.indices {
            layers[buildings].features[i].properties["connected_all"] = .bool(i % 3 == 0)
            layers[buildings].features[i].properties["connected_water"] = .bool(i % 2 == 0)
        }
        // Four segments along the first street's centreline, one per status.
        let streets = try XCTUnwrap(layers.first { $0.name == "streets" })
        let street = try XCTUnwrap(streets.features.first?.geometry)
        let points = try street.coordinates()
        let statuses = ["planned", "under_construction", "laid", "commissioned"]
        let network = try statuses.enumerated().map { i, status in
            Feature(id: "W\(i + 1)", properties: JSONObject([("layer", "network"), ("utility", "water"), ("status", .string(status)),
                                                           ("date", .string("2026-11-0\(i + 1)")), ("diameter_mm", 110)]),
                    geometry: try Geometry.lineString(points))
        }
        layers.append(Layer(name: "network", crs: streets.crs, features: network))
        let households = try layers[buildings].features.prefix(2).enumerated().map { i, b in
            Feature(id: "F\(i + 1)", properties: JSONObject([("layer", "households"), ("size", 4), ("building_id", .string(b.id ?? ""))]),
                    geometry: try XCTUnwrap(b.geometry).centroid())
        }
        layers.append(Layer(name: "households", crs: layers[buildings].crs, features: households))
        return (scenario, layers)
    }

    func testMapDrawsNetworkByStatusAndConnectionState() throws {
        let (scenario, layers) = try layersWithNetwork()
        let svg = try SVGMap(scenario: scenario, layers: layers).render()
        let parsed = try LayerGroupCounter.parse(svg)
        XCTAssertEqual(parsed.counts["network"], 4)
        // 289 houses and the facility buildings (every third marked connected above).
        let count = try XCTUnwrap(layers.first { $0.name == "buildings" }).features.count
        XCTAssertEqual(count, 289 + layers.first { $0.name == "buildings" }!.features.filter { $0.properties["use"]?.string != "dwelling" }.count)
        XCTAssertEqual(parsed.counts["buildings"], count)
        XCTAssertEqual(parsed.counts["households"], 2)
        let text = parsed.texts.joined(separator: "|")
        let connected = (count + 2) / 3
        for label in ["planned (long dashes, faint) (1)", "under construction (short dashes) (1)", "laid (solid, faint) (1)", "commissioned (solid) (1)",
                      "Network segments by utility", "water (4)", "line style: works status",
                      "connected to every utility (\(connected))", "not yet connected (\(count - connected))",
                      "family housed, on its building (2)"] {
            XCTAssertTrue(text.contains(label), label)
        }
        XCTAssertTrue(svg.contains("stroke=\"\(MapStyle.utilityColour("water"))\""))
        XCTAssertTrue(svg.contains("stroke=\"\(MapStyle.notConnectedColour)\""))
    }

    /// The five utilities along one street: each its own colour, the wider drawn first, so
    /// two in one lane show as a casing round the narrower; status is the dash.
    func testFiveUtilitiesAreToldApart() throws {
        var (scenario, layers) = try layersWithNetwork()
        let streets = try XCTUnwrap(layers.first { $0.name == "streets" })
        let points = try XCTUnwrap(streets.features.first?.geometry).coordinates()
        let network = try Utility.allCases.enumerated().map { i, utility in
            Feature(id: "U\(i + 1)", properties: JSONObject([("layer", "network"), ("utility", .string(utility.rawValue)),
                                                           ("status", .string(i == 0 ? "planned" : "commissioned"))]),
                    geometry: try Geometry.lineString(points))
        }
        layers.removeAll { $0.name == "network" }
        layers.append(Layer(name: "network", crs: streets.crs, features: network))
        let svg = try SVGMap(scenario: scenario, layers: layers).render()
        let group = try XCTUnwrap(svg.components(separatedBy: "<g id=\"layer-network\"").last?.components(separatedBy: "</g>").first)
        let paths = group.components(separatedBy: "\n").filter { $0.hasPrefix("<path") }
        XCTAssertEqual(paths.count, 5)
        var colours: [String] = [], widths: [Double] = []
        for p in paths {
            colours.append(try XCTUnwrap(p.components(separatedBy: "stroke=\"").dropFirst().first?.prefix(7)).description)
            widths.append(try XCTUnwrap(Double(try XCTUnwrap(p.components(separatedBy: "stroke-width=\"").dropFirst().first?.components(separatedBy: "\"").first))))
        }
        XCTAssertEqual(Set(colours).count, 5, "five colours: \(colours)")
        XCTAssertEqual(Set(colours), Set(MapStyle.utilityColours.map(\.colour)))
        XCTAssertEqual(widths, widths.sorted(by: >), "widest first, so every utility shows")
        XCTAssertGreaterThan(widths.first!, widths.last! * 2)
        // Water is planned: dashed; the others commissioned: solid.
        let water = try XCTUnwrap(paths.first { $0.contains(MapStyle.utilityColour("water")) })
        XCTAssertTrue(water.contains("stroke-dasharray"))
        XCTAssertEqual(paths.filter { $0.contains("stroke-dasharray") }.count, 1)
        _ = scenario
    }
}
