import XCTest
import SiteGeometry
@testable import SiteProjection

final class ProjectionTests: XCTestCase {
    func testKhojalyToUTM38N() throws {
        let toUTM = try Transformer(from: .wgs84, to: .epsg(32638))
        let p = try toUTM.transform(LonLat(lon: 46.79, lat: 39.91))
        XCTAssertEqual(p.x, 652998.72, accuracy: 0.01)
        XCTAssertEqual(p.y, 4419301.80, accuracy: 0.01)
    }

    func testWorkloadTestPointsAndInverse() throws {
        let toUTM = try Transformer(from: .wgs84, to: .epsg(32638))
        let cases: [(LonLat, XY)] = [
            (LonLat(lon: 46.5, lat: 40.0), XY(628042.1216158853, 4428834.708902985)),
            (LonLat(lon: 45.2, lat: 39.0), XY(517318.3580688826, 4316795.605240311)),
            (LonLat(lon: 47.8, lat: 41.0), XY(735497.5070309595, 4542533.835034135)),
        ]
        var points = cases.map { $0.0.xy }
        try toUTM.transform(&points)
        for (p, c) in zip(points, cases) {
            XCTAssertEqual(p.x, c.1.x, accuracy: 0.001)
            XCTAssertEqual(p.y, c.1.y, accuracy: 0.001)
        }
        try toUTM.transform(&points, inverse: true)
        for (p, c) in zip(points, cases) {
            XCTAssertEqual(p.x, c.0.lon, accuracy: 1e-9)
            XCTAssertEqual(p.y, c.0.lat, accuracy: 1e-9)
        }
    }

    func testGeodesicAreaOfReferenceRing() {
        let ring = [LonLat(lon: 46, lat: 40), LonLat(lon: 46.01, lat: 40), LonLat(lon: 46.01, lat: 40.01), LonLat(lon: 46, lat: 40.01), LonLat(lon: 46, lat: 40)]
        XCTAssertEqual(Geodesic.wgs84.ringAreaAndPerimeter(ring).areaSquareMetres, 948099.2119, accuracy: 0.0001)
        // Orientation does not change the unsigned area.
        XCTAssertEqual(Geodesic.wgs84.ringAreaAndPerimeter(ring.reversed()).areaSquareMetres, 948099.2119, accuracy: 0.0001)
    }

    func testPlanarAgainstGeodesicArea() throws {
        let square = try Geometry(wkt: "POLYGON ((46.78 39.90, 46.80 39.90, 46.80 39.92, 46.78 39.92, 46.78 39.90), (46.785 39.905, 46.785 39.91, 46.79 39.91, 46.79 39.905, 46.785 39.905))")
        let geodesic = try Geodesic.wgs84.area(of: square)
        let planar = try Transformer(from: .wgs84, to: .epsg(32638)).transform(square).area
        // UTM's point scale 1.8 degrees east of the central meridian (45 E) at 39.9 N is
        // k = 0.9996 (1 + (dlon cos lat)^2 / 2) = 0.99989: planar areas are k^2, 0.022 % smaller.
        XCTAssertEqual(planar / geodesic, 0.99978, accuracy: 0.00002)
        XCTAssertEqual(geodesic, 3_560_000, accuracy: 0.01 * 3_560_000)
    }

    func testUTMZoneChoice() throws {
        XCTAssertEqual(UTMZone(containing: LonLat(lon: 46.79, lat: 39.91)).epsgCode, 32638)
        XCTAssertEqual(UTMZone(containing: LonLat(lon: -70.6, lat: -33.4)).epsgCode, 32719)
        XCTAssertEqual(UTMZone(containing: LonLat(lon: 5, lat: 60)).number, 32)
        XCTAssertEqual(try UTMZone(of: Geometry(wkt: "POLYGON ((46.78 39.90, 46.80 39.90, 46.80 39.92, 46.78 39.90))")).crs, .epsg(32638))
    }

    func testUnknownEPSGCarriesPROJMessage() {
        XCTAssertThrowsError(try Transformer(from: .wgs84, to: .epsg(999999))) { error in
            let e = error as! ProjectionError
            XCTAssertTrue(e.operation.contains("EPSG:999999"), e.description)
            XCTAssertTrue(e.message.lowercased().contains("999999") || e.message.lowercased().contains("crs not found"), e.message)
        }
        XCTAssertThrowsError(try CRS.projString("+proj=nonsense").validate())
        XCTAssertEqual(try CRS.epsg(32638).name(), "WGS 84 / UTM zone 38N")
        XCTAssertEqual(CRS.parse("epsg:32638"), .epsg(32638))
    }

    func testOutOfDomainPointThrows() throws {
        let toUTM = try Transformer(from: .wgs84, to: .epsg(32638))
        XCTAssertThrowsError(try toUTM.transform(LonLat(lon: 46.79, lat: 95))) { error in
            XCTAssertFalse((error as! ProjectionError).message.isEmpty)
        }
    }

    func testTransformersPerThread() throws {
        nonisolated(unsafe) let results = UnsafeMutableBufferPointer<Double>.allocate(capacity: 4)
        defer { results.deallocate() }
        DispatchQueue.concurrentPerform(iterations: 4) { i in
            let t = try! Transformer(from: .wgs84, to: .epsg(32638))
            results[i] = try! t.transform(LonLat(lon: 46.79, lat: 39.91)).x
        }
        for i in 0..<4 { XCTAssertEqual(results[i], 652998.72, accuracy: 0.01) }
    }

    func testWKT() throws {
        let utm = try CRS.epsg(32638).wkt()
        XCTAssertTrue(utm.hasPrefix("PROJCS[\"WGS 84 / UTM zone 38N\""), utm)
        XCTAssertTrue(utm.hasSuffix("AUTHORITY[\"EPSG\",\"32638\"]]"), utm)
        XCTAssertFalse(utm.contains("\n"), "one line")
        XCTAssertTrue(try CRS.wgs84.wkt(.wkt2019).hasPrefix("GEOGCRS[\"WGS 84\""))
        XCTAssertThrowsError(try CRS.epsg(999_999).wkt())
    }

    func testProjectedInMetres() throws {
        XCTAssertTrue(try CRS.epsg(32638).isProjectedInMetres())
        XCTAssertTrue(try CRS.epsg(3857).isProjectedInMetres())
        XCTAssertFalse(try CRS.epsg(4326).isProjectedInMetres(), "degrees")
        XCTAssertFalse(try CRS.epsg(2227).isProjectedInMetres(), "US survey feet")
        XCTAssertFalse(try CRS.epsg(4978).isProjectedInMetres(), "geocentric")
    }
}
