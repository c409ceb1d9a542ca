import XCTest
@testable import SiteGeometry

final class GeometryIOTests: XCTestCase {
    let samples = [
        "POINT (46.79 39.91)",
        "LINESTRING (0 0, 10 0, 10 10)",
        "POLYGON ((0 0, 100 0, 100 100, 0 100, 0 0), (10 10, 10 20, 20 20, 20 10, 10 10))",
        "MULTIPOLYGON (((0 0, 1 0, 1 1, 0 0)), ((5 5, 6 5, 6 6, 5 5)))",
        "MULTILINESTRING ((0 0, 1 1), (2 2, 3 3))",
        "MULTIPOINT (0 0, 1 1)",
        "GEOMETRYCOLLECTION (POINT (1 2), LINESTRING (0 0, 1 1))",
    ]

    func testWKTRoundTrip() throws {
        for text in samples {
            let g = try Geometry(wkt: text)
            XCTAssertEqual(try g.wkt(), text)
        }
    }

    func testWKBRoundTrip() throws {
        for text in samples {
            let g = try Geometry(wkt: text)
            let back = try Geometry(wkb: g.wkb())
            XCTAssertTrue(try g.isExactlyEqual(to: back), text)
        }
        // ISO WKB, little-endian: byte order 1, then type 3 for Polygon.
        let bytes = try Geometry(wkt: samples[2]).wkb()
        XCTAssertEqual(Array(bytes.prefix(5)), [1, 3, 0, 0, 0])
    }

    func testGeoJSONRoundTrip() throws {
        for text in samples {
            let g = try Geometry(wkt: text)
            let back = try Geometry(geoJSON: g.geoJSON())
            XCTAssertTrue(try g.isExactlyEqual(to: back), text)
        }
    }

    func testParseErrorsCarryGEOSMessage() {
        XCTAssertThrowsError(try Geometry(wkt: "POLYGON ((0 0, 1 0))")) { error in
            let e = error as! GEOSError
            XCTAssertEqual(e.function, "GEOSWKTReader_read_r")
            XCTAssertFalse(e.message.isEmpty)
            XCTAssertNotEqual(e.message, "no message from GEOS")
        }
        XCTAssertThrowsError(try Geometry(wkt: "NOT WKT")) { error in
            XCTAssertTrue((error as! GEOSError).message.lowercased().contains("unknown type"), "\(error)")
        }
        XCTAssertThrowsError(try Geometry(wkb: [1, 2, 3]))
        XCTAssertThrowsError(try Geometry(geoJSON: "{\"type\": \"Polygon\"}"))
    }

    func testUnclosedRingIsRejectedByGEOS() {
        XCTAssertThrowsError(try Geometry.polygon(exterior: [XY(0, 0), XY(1, 0), XY(1, 1), XY(0, 1)])) { error in
            XCTAssertTrue((error as! GEOSError).message.contains("closed"), "\(error)")
        }
    }

    func testStructureAccessors() throws {
        let g = try Geometry(wkt: samples[2])
        XCTAssertEqual(g.type, .polygon)
        XCTAssertEqual(try g.interiorRingCount(), 1)
        XCTAssertEqual(try g.vertexCount(), 10)
        let rings = try g.polygonRings()
        XCTAssertEqual(rings[0].first, XY(0, 0))
        XCTAssertEqual(rings[1][1], XY(10, 20))
        let multi = try Geometry(wkt: samples[3])
        XCTAssertEqual(try multi.parts().count, 2)
        XCTAssertEqual(try multi.parts()[1].envelope(), Envelope(minX: 5, minY: 5, maxX: 6, maxY: 6))
    }

    func testMapCoordinatesKeepsStructure() throws {
        let g = try Geometry(wkt: samples[2])
        let moved = try g.mapCoordinates { pts in for i in pts.indices { pts[i].x += 1000 } }
        XCTAssertEqual(try moved.wkt(), "POLYGON ((1000 0, 1100 0, 1100 100, 1000 100, 1000 0), (1010 10, 1010 20, 1020 20, 1020 10, 1010 10))")
    }
}
