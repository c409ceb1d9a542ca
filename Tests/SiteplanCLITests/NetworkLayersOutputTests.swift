import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import SiteGeometry
import SiteplanCore
import SiteplanIO
import XCTest

/// The outputs take any layer they are given: a network layer with `status`, service lines and
/// buildings with `connected_all` (as the utility network adds them) reach the map, with their
/// legend, and the GeoPackage, with typed columns.
final class NetworkLayersOutputTests: XCTestCase {
    func layersWithNetwork() throws -> (Scenario, [Layer]) {
        let package = try ScenarioReader.loadPackage(folder: CLIRunner.repositoryRoot.appendingPathComponent("geodata/khojaly").path)
        let scenario = package.scenario
        // The layout layers only: the network layer and the connection state are made up here.
        var layers = try PlanLayers.layers(PlanLayers.layoutLayerNames, package: package, seed: nil)
        let buildings = try XCTUnwrap(layers.firstIndex { $0.name == "buildings" })
        for i in layers[buildings].features.indices {
            layers[buildings].features[i].properties["connected_all"] = .bool(i % 3 == 0)
            layers[buildings].features[i].properties["connected_water"] = .bool(i % 2 == 0)
        }
        // Four segments along the first street's centreline, one per status.
        let street = try XCTUnwrap(layers.first { $0.name == "streets" }?.features.first?.geometryWGS84)
        let points = try street.coordinates()
        let statuses = ["planned", "under_construction", "laid", "commissioned"]
        let network = try statuses.enumerated().map { i, status in
            OutputFeature(id: "W\(i + 1)", properties: JSONObject([("layer", "network"), ("utility", "water"), ("status", .string(status)),
                                                                 ("date", .string("2026-11-0\(i + 1)")), ("diameter_mm", 110)]),
                          geometryWGS84: try Geometry.lineString(points))
        }
        layers.append(Layer(name: "network", features: network))
        let households = try layers[buildings].features.prefix(2).enumerated().map { i, b in
            OutputFeature(id: "F\(i + 1)", properties: JSONObject([("layer", "households"), ("size", 4), ("building_id", .string(b.id))]),
                          geometryWGS84: try XCTUnwrap(b.geometryWGS84).centroid())
        }
        layers.append(Layer(name: "households", features: households))
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

    func testGeoPackageTakesNewLayersWithTypedColumns() throws {
        let (scenario, layers) = try layersWithNetwork()
        let folder = try CLIRunner.temporaryFolder(self)
        let file = folder.appendingPathComponent("net.gpkg").path
        try GeoPackageWriter(frame: scenario.frame, crs: .planning, lastChange: "2026-11-27T00:00:00.000Z").write(layers, to: file)
        XCTAssertEqual(try GeoPackageReader.layerNames(file: file).suffix(2), ["network", "households"])
        XCTAssertEqual(try GeoPackageReader.read(file: file, layer: "households").map { $0.geometry?.type }, [.point, .point])
        let network = try GeoPackageReader.read(file: file, layer: "network")
        XCTAssertEqual(network.map { $0.properties["status"]?.string }, ["planned", "under_construction", "laid", "commissioned"])
        XCTAssertEqual(network[0].properties["diameter_mm"], .number(110))
        let buildings = try GeoPackageReader.read(file: file, layer: "buildings")
        XCTAssertEqual(buildings[0].properties["connected_all"], .bool(true), "BOOLEAN column read back as a boolean")
        XCTAssertEqual(buildings[1].properties["connected_all"], .bool(false))

        if GDALInteropTests.ogrinfo() != nil {
            let info = try GDALInteropTests.runOGRInfo(["-so", file, "network", "buildings"])
            XCTAssertEqual(info.err, "")
            XCTAssertTrue(info.out.contains("Feature Count: 4"), info.out)
            XCTAssertTrue(info.out.contains("connected_all: Integer(Boolean)"), info.out)
            XCTAssertTrue(info.out.contains("ID[\"EPSG\",32638]]"), info.out)
        }
    }

    func testBadLayerOrPropertyNamesAreRefused() throws {
        let (scenario, _) = try layersWithNetwork()
        let folder = try CLIRunner.temporaryFolder(self)
        let point = try Geometry.point(XY(46.79, 39.91))
        let writer = GeoPackageWriter(frame: scenario.frame, lastChange: "2026-11-27T00:00:00.000Z")
        for (layer, key) in [("bad name\"; DROP TABLE x", "ok"), ("ok", "Bad Key")] {
            let layers = [Layer(name: layer, features: [OutputFeature(id: "1", properties: JSONObject([(key, 1)]), geometryWGS84: point)])]
            XCTAssertThrowsError(try writer.write(layers, to: folder.appendingPathComponent("x.gpkg").path)) { error in
                XCTAssertTrue("\(error)".contains("is not a plain name"), "\(error)")
            }
        }
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: folder.path), [], "nothing left behind")
    }
}
