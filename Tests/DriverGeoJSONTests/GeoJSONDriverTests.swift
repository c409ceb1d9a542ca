import Foundation
import SiteAudit
import SiteDrivers
import SiteGeometry
import SiteProjection
import SiteVocabulary
import XCTest
@testable import DriverGeoJSON

/// The GeoJSON driver: a planar layer is written once in WGS84 (RFC 7946: lon/lat, 7 decimals,
/// counter-clockwise exteriors), read back as it was; the streaming reader of the audit takes
/// every works status the vocabulary knows.
final class GeoJSONDriverTests: XCTestCase {
    static let utm = CRS.epsg(32638)

    /// A new folder (mkdtemp), removed after the test.
    func folder() throws -> String {
        var template = Array((NSTemporaryDirectory() + "siteplan-geojson-XXXXXX").utf8CString)
        let made = try XCTUnwrap(template.withUnsafeMutableBufferPointer { mkdtemp($0.baseAddress!) })
        let path = String(cString: made)
        addTeardownBlock { try? FileManager.default.removeItem(atPath: path) }
        return path
    }

    /// A clockwise 100 m square in UTM 38N, near Khojaly.
    func planarLayer() throws -> Layer {
        let ring = [XY(653_000, 4_419_300), XY(653_000, 4_419_400), XY(653_100, 4_419_400), XY(653_100, 4_419_300), XY(653_000, 4_419_300)]
        return Layer(name: "blocks", crs: Self.utm, features: [
            Feature(id: "K1", properties: JSONObject([("layer", "blocks"), ("area_m2", 10000)]), geometry: try Geometry.polygon(exterior: ring)),
        ])
    }

    func testAPlanarLayerIsWrittenInWGS84LonLat() throws {
        let text = try GeoJSONWriter().featureCollection(try planarLayer())
        XCTAssertTrue(text.hasPrefix("{\"type\":\"FeatureCollection\",\"name\":\"blocks\",\"features\":["), text)
        let features = try GeoJSONReader.read(bytes: Array(text.utf8), source: "blocks.geojson")
        XCTAssertEqual(features.map(\.id), ["K1"])
        XCTAssertEqual(features[0].properties["area_m2"], .number(10000))
        let lonLat = try XCTUnwrap(features[0].geometry).exteriorRing().coordinates()
        let first = try XCTUnwrap(lonLat.first)
        XCTAssertEqual(first.x, 46.790, accuracy: 0.01, "longitude first")
        XCTAssertEqual(first.y, 39.911, accuracy: 0.01)
        // Counter-clockwise exterior (RFC 7946 section 3.1.6), though the input ran clockwise.
        var twiceArea = 0.0
        for (a, b) in zip(lonLat, lonLat.dropFirst()) { twiceArea += a.x * b.y - b.x * a.y }
        XCTAssertGreaterThan(twiceArea, 0)
        // Back in UTM within the 7 decimals (about 1 cm).
        let back = try Layer(name: "blocks", crs: .wgs84, features: features).projected(to: Self.utm)
        let area = try XCTUnwrap(back.features[0].geometry).area
        XCTAssertEqual(area, 10_000, accuracy: 2)
        XCTAssertEqual(text, try GeoJSONWriter().featureCollection(try planarLayer()), "same layer, same bytes")
    }

    func testTheSinkWritesAFolderOfLayersAsOneSet() throws {
        let dir = try folder()
        let files = FileSet()
        try GeoJSONSink().write([try planarLayer()], to: dir + "/out", in: files)
        XCTAssertFalse(FileManager.default.fileExists(atPath: dir + "/out/blocks.geojson"), "nothing before the commit")
        try files.commit()
        let source = GeoJSONSource(path: dir + "/out/blocks.geojson")
        XCTAssertEqual(try source.layerNames(), ["blocks"])
        let layer = try source.readLayer(nil)
        XCTAssertEqual(layer.crs, .wgs84)
        XCTAssertEqual(layer.features.count, 1)
    }

    /// Layers of many features: `count` squares 10 m apart in UTM 38N (the last layer's last
    /// one far outside the projection's domain when `failing`).
    func squares(_ name: String, count: Int, failing: Bool = false) throws -> Layer {
        let features = try (0..<count).map { k -> Feature in
            let x = failing && k == count - 1 ? 1e15 : 653_000 + Double(k % 100) * 10, y = 4_419_300 + Double(k / 100) * 10
            let ring = [XY(x, y), XY(x, y + 8), XY(x + 8, y + 8), XY(x + 8, y), XY(x, y)]
            return Feature(id: "\(name)-\(k)", properties: JSONObject([("layer", .string(name)), ("k", .number(Double(k)))]),
                           geometry: try Geometry.polygon(exterior: ring))
        }
        return Layer(name: name, crs: Self.utm, features: features)
    }

    /// The files in `dir` and below, hidden ones (staged temporaries) included.
    func filesUnder(_ dir: String) -> [String] {
        (FileManager.default.enumerator(atPath: dir)?.allObjects as? [String] ?? []).filter {
            var isFolder: ObjCBool = false
            return FileManager.default.fileExists(atPath: dir + "/" + $0, isDirectory: &isFolder) && !isFolder.boolValue
        }.sorted()
    }

    /// Started layers are rendered and written on other threads: nothing is in place before the
    /// commit, and then each file has the bytes the writer renders on one thread.
    func testStartedLayersAreWrittenAsOneSetWithTheWritersBytes() throws {
        let dir = try folder() + "/out"
        let layers = try [squares("a", count: 2_500), squares("b", count: 10), squares("c", count: 1_100)]
        let files = FileSet()
        let writes = try GeoJSONSink().startWritingLayers(layers, toFolder: dir, in: files, threads: 2)
        XCTAssertFalse(filesUnder(dir).contains { !$0.hasPrefix(".") }, "nothing in place before the commit")
        try writes.finish()
        try files.commit()
        XCTAssertEqual(filesUnder(dir), ["a.geojson", "b.geojson", "c.geojson"])
        for layer in layers {
            let written = try Data(contentsOf: URL(fileURLWithPath: dir + "/" + layer.name + ".geojson"))
            XCTAssertEqual(written, Data(try GeoJSONWriter().featureCollectionBytes(layer)), layer.name)
        }
    }

    /// A layer that cannot be projected: `finish` throws PROJ's error, no later layer is
    /// written, and the set, let go uncommitted, leaves no file behind (not even a temporary).
    func testAFailingLayerThrowsAndLeavesNoFile() throws {
        let dir = try folder() + "/out"
        let layers = try [squares("a", count: 1_500), squares("bad", count: 1_500, failing: true), squares("c", count: 1_500)]
        do {
            let files = FileSet()
            let writes = try GeoJSONSink().startWritingLayers(layers, toFolder: dir, in: files, threads: 2)
            XCTAssertThrowsError(try writes.finish()) { error in
                XCTAssertTrue(error is ProjectionError, "\(error)")
                XCTAssertFalse((error as? ProjectionError)?.message.isEmpty ?? true)
            }
            XCTAssertFalse(FileManager.default.fileExists(atPath: dir + "/.c.geojson.siteplan-\(getpid()).tmp"), "no layer after the failed one is written")
        }
        XCTAssertEqual(filesUnder(dir), [])
    }

    /// Writes let go without `finish` (the caller failed meanwhile) stop, and the set leaves
    /// no file behind.
    func testWritesLetGoUnfinishedLeaveNoFile() throws {
        let dir = try folder() + "/out"
        let layers = try (0..<6).map { try squares("l\($0)", count: 3_000) }
        do {
            let files = FileSet()
            _ = try GeoJSONSink().startWritingLayers(layers, toFolder: dir, in: files, threads: 2)
        }
        // Nor later: a writing thread still going would leave its files here within a second.
        let until = Date().addingTimeInterval(1)
        repeat {
            XCTAssertEqual(filesUnder(dir), [])
            Thread.sleep(forTimeInterval: 0.05)
        } while Date() < until && filesUnder(dir).isEmpty
        XCTAssertEqual(filesUnder(dir), [])
    }

    func testAnUnclosedRingNamesTheFileFeatureAndPositions() throws {
        let text = """
        {"type":"FeatureCollection","features":[
        {"type":"Feature","id":"A","properties":{},"geometry":{"type":"Polygon","coordinates":[[[46.79,39.91],[46.80,39.91],[46.80,39.92],[46.79,39.92],[46.79,39.91]]]}},
        {"type":"Feature","id":"B","properties":{},"geometry":{"type":"Polygon","coordinates":[[[46.79,39.91],[46.80,39.91],[46.80,39.92],[46.79,39.915]]]}}
        ]}
        """
        XCTAssertThrowsError(try GeoJSONReader.read(bytes: Array(text.utf8), source: "bad.geojson")) { error in
            let message = "\(error)"
            XCTAssertTrue(message.hasPrefix("bad.geojson: feature 1 (id \"B\"): "), message)
            XCTAssertTrue(message.contains("not closed"), message)
        }
    }

    func testTheStreamingReaderTakesEveryWorksStatus() throws {
        let dir = try folder()
        var text = "{\"type\":\"FeatureCollection\",\"features\":[\n"
        text += WorksStatus.allCases.enumerated().map { i, status in
            "{\"type\":\"Feature\",\"properties\":{\"id\":\"N\(i)\",\"utility\":\"gas\",\"status\":\"\(status.rawValue)\"},"
                + "\"geometry\":{\"type\":\"LineString\",\"coordinates\":[[46.79,39.91],[46.791,39.911]]}}"
        }.joined(separator: ",\n")
        text += "\n]}\n"
        try text.write(toFile: dir + "/network.geojson", atomically: true, encoding: .utf8)
        let read = try FeatureCollectionReader.read(dir + "/network.geojson", kind: .network)
        XCTAssertEqual(read.status, WorksStatus.allCases.map(\.code))
        XCTAssertEqual(read.utility, Array(repeating: Utility.gas.code, count: 4))

        try text.replacingOccurrences(of: "\"laid\"", with: "\"dug\"").write(toFile: dir + "/bad.geojson", atomically: true, encoding: .utf8)
        XCTAssertThrowsError(try FeatureCollectionReader.read(dir + "/bad.geojson", kind: .network)) { error in
            XCTAssertTrue("\(error)".contains("unknown status \"dug\" (expected planned, under_construction, laid or commissioned)"), "\(error)")
        }
    }
}
