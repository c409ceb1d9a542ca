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
        XCTAssertEqual(parsed.counts["buildings"], 289)
        XCTAssertEqual(parsed.counts["households"], 2)
        let text = parsed.texts.joined(separator: "|")
        for label in ["planned (1)", "under construction (1)", "laid (1)", "commissioned (1)", "Network segments by status", "utilities: water",
                      "connected to every utility (97)", "not yet connected (192)",
                      "family housed, on its building (2)"] {
            XCTAssertTrue(text.contains(label), label)
        }
        XCTAssertTrue(svg.contains("stroke=\"\(MapStyle.networkColour("commissioned"))\""))
        XCTAssertTrue(svg.contains("stroke=\"\(MapStyle.notConnectedColour)\""))
    }
}
