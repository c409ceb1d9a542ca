import Foundation
import SiteGeometry
import XCTest
@testable import SiteGDAL

/// The GDAL binding over the real library: GDAL's own messages reach the caller, per thread;
/// geometries cross to GEOS as WKB; datasets are owned and closed once.
final class SiteGDALTests: XCTestCase {
    func testGDALsOwnMessageReachesTheCaller() {
        XCTAssertThrowsError(try VectorDataset.open("/nonexistent/x.shp")) { error in
            let e = error as! GDALError
            XCTAssertEqual(e.function, "GDALOpenEx")
            XCTAssertTrue(e.message.contains("No such file") || e.message.contains("not recognized") || e.message.contains("does not exist"), e.message)
        }
        XCTAssertThrowsError(try VectorDataset.create("/tmp/x", driver: "NoSuchDriver")) { error in
            XCTAssertTrue("\(error)".contains("NoSuchDriver"), "\(error)")
        }
    }

    func testMessagesAreCollectedPerThread() {
        // Eight threads open eight different missing files at once: each error names its own.
        final class Results: @unchecked Sendable {
            let lock = NSLock()
            var messages = [String](repeating: "", count: 8)
        }
        let results = Results()
        DispatchQueue.concurrentPerform(iterations: 8) { i in
            do { _ = try VectorDataset.open("/nonexistent/file-\(i).shp") } catch {
                results.lock.lock()
                results.messages[i] = "\(error)"
                results.lock.unlock()
            }
        }
        for i in 0..<8 { XCTAssertTrue(results.messages[i].contains("file-\(i).shp"), results.messages[i]) }
    }

    func testWriteAndReadThroughWKB() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("siteplan-gdal-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let square = try Geometry.polygon(exterior: [XY(0, 0), XY(10, 0), XY(10, 10), XY(0, 10), XY(0, 0)])
        let ds = try VectorDataset.create(dir + "/a.gpkg", driver: "GPKG")
        let w = try ds.createLayer("a", crs: "EPSG:32638", geometryType: .polygon,
                                   fields: [FieldDefinition(name: "n", type: .integer), FieldDefinition(name: "x", type: .real),
                                            FieldDefinition(name: "d", type: .date), FieldDefinition(name: "b", type: .boolean)])
        try w.add([.integer(3), .real(2.5), .date("2026-11-27"), .boolean(true)], geometry: square)
        try ds.close()
        let layer = try VectorDataset.open(dir + "/a.gpkg").readLayer(at: 0)
        XCTAssertEqual(layer.fields.map(\.type), [.integer, .real, .date, .boolean])
        XCTAssertEqual(layer.spatialReference?.epsgCode, 32638)
        XCTAssertEqual(layer.features.count, 1)
        XCTAssertEqual(layer.features[0].values, [.integer(3), .real(2.5), .date("2026-11-27"), .boolean(true)])
        XCTAssertEqual(try layer.features[0].geometry!.area, 100)
    }

    func testThreadConfigIsRestored() {
        GDALLibrary.withThreadConfig(["OGR_CURRENT_DATE": "2026-11-27T00:00:00Z"]) {}
        XCTAssertFalse(GDALLibrary.version.isEmpty)
        XCTAssertTrue(GDALLibrary.hasDriver("ESRI Shapefile"))
    }
}
