import Foundation
import DriverGeoJSON
import SiteFiles
import SiteGeometry
import SitePlanning
import SiteReports
import SiteVocabulary
import XCTest

/// The plan's GeoJSON layers, rendered as bytes from plain coordinates on two threads, against
/// the writer they replace (`ReferenceGeoJSONWriter`: the layer projected through GEOS, then
/// text appended to a String), byte for byte, on real layouts and on every geometry type.
final class PlanOutputsTests: XCTestCase {
    /// A new folder (mkdtemp), removed after the test.
    func folder() throws -> String {
        var template = Array((NSTemporaryDirectory() + "siteplan-outputs-XXXXXX").utf8CString)
        let made = try XCTUnwrap(template.withUnsafeMutableBufferPointer { mkdtemp($0.baseAddress!) })
        let path = String(cString: made)
        addTeardownBlock { try? FileManager.default.removeItem(atPath: path) }
        return path
    }

    func testThePlanFolderHasTheReferenceBytes() throws {
        let run = try ScenarioReader.loadPackage(folder: MapTests.khojaly).run()
        let layers = try PlanLayers.runLayers(run)
        let dir = try folder() + "/plan"
        let report = try PlanReport.document(run).json
        try PlanOutputs.writePlan(run, layers: layers, report: report, folder: dir, gpkg: nil, gpkgCRS: .wgs84, threads: 2)
        var features = 0
        for layer in layers {
            let written = try Data(contentsOf: URL(fileURLWithPath: dir + "/" + layer.name + ".geojson"))
            let reference = try ReferenceGeoJSONWriter().featureCollection(layer)
            XCTAssertEqual(written, Data(reference.utf8), layer.name)
            features += layer.features.count
        }
        XCTAssertGreaterThan(features, 1_000, "the Khojaly plan's layers")
        XCTAssertEqual(try String(contentsOfFile: dir + "/report.json", encoding: .utf8), JSONWriter.write(report, indent: 2) + "\n")
    }

    /// A plan's files started but never finished (the report failed, say): the folder keeps
    /// the files of the run before, byte for byte, with no temporary left beside them.
    func testAPlanStartedAndLetGoLeavesTheFolderAsItWas() throws {
        let run = try ScenarioReader.loadPackage(folder: MapTests.khojaly).run()
        let layers = try PlanLayers.runLayers(run)
        let dir = try folder() + "/plan"
        try PlanOutputs.writePlan(run, layers: Array(layers.prefix(2)), report: .object(JSONObject([("old", .bool(true))])), folder: dir,
                                  gpkg: nil, gpkgCRS: .wgs84, threads: 2)
        func snapshot() throws -> [String: Data] {
            var files: [String: Data] = [:]
            for name in try FileManager.default.contentsOfDirectory(atPath: dir) {
                files[name] = try Data(contentsOf: URL(fileURLWithPath: dir + "/" + name))
            }
            return files
        }
        let before = try snapshot()
        XCTAssertEqual(before.count, 3, "two layers and report.json")
        do {
            _ = try PlanOutputs.startPlan(run, layers: layers, folder: dir, gpkg: nil, gpkgCRS: .wgs84, threads: 2)
        }
        XCTAssertEqual(try snapshot(), before)
        Thread.sleep(forTimeInterval: 0.5)  // nor later, from a writing thread still going
        XCTAssertEqual(try snapshot(), before)
    }

    /// Other layouts of the same land (the options study's grid orientations, primary streets
    /// and block depths), each cut into pieces of several sizes, rendered on two threads.
    func testEveryOptionsLayoutInPiecesHasTheReferenceBytes() throws {
        let scenario = try ScenarioReader.loadPackage(folder: MapTests.khojaly).scenario
        let study = try OptionsStudy(scenario: scenario, count: 4, threads: 2)
        let writer = GeoJSONWriter()
        var compared = 0
        for option in study.options {
            for layer in try PlanLayers.runLayers(option.run) {
                let reference = Array(try ReferenceGeoJSONWriter().featureCollection(layer).utf8)
                XCTAssertEqual(try writer.featureCollectionBytes(layer), reference, "option \(option.number) \(layer.name)")
                let prepared = try GeoJSONLayer(layer)
                for size in [1, 7, 100, 100_000] {
                    let pieces = try writer.featureCollectionPieces(prepared, threads: 2, featuresPerPiece: size)
                    XCTAssertEqual(Array(pieces.joined()), reference, "option \(option.number) \(layer.name), \(size) features a piece")
                }
                compared += layer.features.count
            }
        }
        XCTAssertGreaterThan(compared, 4_000)
    }

    /// Every geometry type GEOS has (empty ones, holes, clockwise exteriors, nested
    /// collections), attributes that need escaping or a forced ".0", in the planning CRS and
    /// in WGS84, at several precisions.
    func testEveryGeometryTypeAndAttributeHasTheReferenceBytes() throws {
        let e = 653_000.0, n = 4_419_300.0
        func p(_ x: Double, _ y: Double) -> String { "\(e + x) \(n + y)" }
        let square = "(\(p(0, 0)), \(p(0, 100)), \(p(100, 100)), \(p(100, 0)), \(p(0, 0)))"  // clockwise
        let hole = "(\(p(20, 20)), \(p(40, 20)), \(p(40, 40)), \(p(20, 40)), \(p(20, 20)))"     // counter-clockwise
        let wkts = [
            "POINT (\(p(1.25, 2.5)))", "POINT EMPTY", "LINESTRING (\(p(0, 0)), \(p(10, 0.3)), \(p(20, -7)))",
            "LINESTRING EMPTY", "POLYGON (\(square), \(hole))", "POLYGON EMPTY",
            "MULTIPOINT ((\(p(0, 0))), (\(p(5, 5))))", "MULTILINESTRING ((\(p(0, 0)), \(p(1, 1))), (\(p(2, 2)), \(p(3, 5))))",
            "MULTIPOLYGON ((\(square)), ((\(p(200, 0)), \(p(300, 0)), \(p(300, 100)), \(p(200, 0)))))",
            "GEOMETRYCOLLECTION (POINT (\(p(3, 3))), POLYGON (\(square), \(hole)), MULTILINESTRING ((\(p(0, 0)), \(p(1, 1)))))",
            "GEOMETRYCOLLECTION EMPTY",
        ]
        var features: [Feature] = []
        for (k, wkt) in wkts.enumerated() {
            let name: JSONValue = .string("feature \"\(k)\"\n\t\u{01}\\ Xocalı")
            let list: JSONValue = .array([.number(1), .string("two"), .object(JSONObject([("three", .number(3.5))]))])
            var members: [(String, JSONValue)] = [("layer", .string("odd")), ("name", name), ("area_m2", .number(Double(160 + k)))]
            members += [("length_m", .number(-0.0)), ("width_m", .number(1e20)), ("count", .number(Double(k)))]
            members += [("share", .number(0.1 + Double(k) / 3)), ("tiny", .number(1e-7)), ("big", .number(123_456_789_012_345_678))]
            members += [("flag", .bool(k % 2 == 0)), ("none", .null), ("list", list)]
            var properties = JSONObject(members)
            if k % 3 == 1 { properties["id"] = .string("own-\(k)") }
            features.append(Feature(id: k % 4 == 3 ? nil : "F\(k)", properties: properties, geometry: try Geometry(wkt: wkt)))
        }
        features.append(Feature(id: "none", properties: JSONObject([("layer", "odd")]), geometry: nil))
        let planar = Layer(name: "odd \"layer\"", crs: .epsg(32638), features: features)
        let lonLat = try planar.projected(to: .wgs84)
        for decimals in [0, 3, 7, 9, 12] {
            for layer in [planar, lonLat] {
                let reference = Array(try ReferenceGeoJSONWriter(decimals: decimals).featureCollection(layer).utf8)
                let writer = GeoJSONWriter(decimals: decimals)
                XCTAssertEqual(String(decoding: try writer.featureCollectionBytes(layer), as: UTF8.self), String(decoding: reference, as: UTF8.self), "\(decimals) decimals, \(layer.crs)")
                let pieces = try writer.featureCollectionPieces(GeoJSONLayer(layer), threads: 2, featuresPerPiece: 2)
                XCTAssertEqual(Array(pieces.joined()), reference, "\(decimals) decimals, \(layer.crs), in pieces")
            }
            XCTAssertEqual(try GeoJSONWriter(decimals: decimals).featureCollection(lonLat: lonLat.features, name: nil),
                           try ReferenceGeoJSONWriter(decimals: decimals).featureCollection(lonLat: lonLat.features, name: nil))
        }
    }
}
