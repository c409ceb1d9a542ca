import CPROJ
import SiteGeometry

/// Geodesic measurement on an ellipsoid with Karney's algorithms (PROJ's `geodesic.h`, the
/// same code as GeographicLib and `pyproj.Geod`). Results are in metres and square metres.
///
///     let ha = try Geodesic.wgs84.area(of: parcelWGS84) / 10_000
public struct Geodesic: Sendable {
    private let geod: geod_geodesic

    /// An ellipsoid by equatorial radius (m) and flattening.
    public init(equatorialRadius: Double, flattening: Double) {
        var g = geod_geodesic()
        geod_init(&g, equatorialRadius, flattening)
        self.geod = g
    }

    /// The WGS84 ellipsoid: a = 6378137 m, 1/f = 298.257223563.
    public static let wgs84 = Geodesic(equatorialRadius: 6378137, flattening: 1 / 298.257223563)

    /// The area (m², unsigned) and perimeter (m) of a ring of lon/lat points whose edges are
    /// geodesics. The ring may or may not repeat its first point. Wraps `geod_polygonarea`.
    public func ringAreaAndPerimeter(_ ring: [LonLat]) -> (areaSquareMetres: Double, perimeterMetres: Double) {
        var lats = ring.map(\.lat)
        var lons = ring.map(\.lon)
        var area = 0.0, perimeter = 0.0
        withUnsafePointer(to: geod) { g in
            geod_polygonarea(g, &lats, &lons, Int32(ring.count), &area, &perimeter)
        }
        return (abs(area), perimeter)
    }

    /// The geodesic length of a polyline of lon/lat points, in metres. Wraps `geod_inverse`.
    public func lineLength(_ points: [LonLat]) -> Double {
        var total = 0.0
        withUnsafePointer(to: geod) { g in
            for i in points.indices.dropFirst() {
                var s12 = 0.0
                geod_inverse(g, points[i - 1].lat, points[i - 1].lon, points[i].lat, points[i].lon, &s12, nil, nil)
                total += s12
            }
        }
        return total
    }

    /// The geodesic distance between two positions, in metres. Wraps `geod_inverse`.
    public func distance(_ a: LonLat, _ b: LonLat) -> Double { lineLength([a, b]) }

    /// The area in m² of a (multi)polygon given in WGS84 lon/lat: each exterior minus its
    /// holes. Zero for points and lines.
    public func area(of geometryWGS84: Geometry) throws -> Double {
        switch geometryWGS84.type {
        case .polygon:
            if geometryWGS84.isEmpty { return 0 }
            let rings = try geometryWGS84.polygonRings()
            var area = ringAreaAndPerimeter(rings[0].map(LonLat.init(xy:))).areaSquareMetres
            for hole in rings.dropFirst() { area -= ringAreaAndPerimeter(hole.map(LonLat.init(xy:))).areaSquareMetres }
            return area
        case .multiPolygon, .geometryCollection:
            return try geometryWGS84.parts().reduce(0) { try $0 + area(of: $1) }
        default:
            return 0
        }
    }

    /// The geodesic length in metres of lines, or perimeter of polygons (holes included),
    /// given in WGS84 lon/lat.
    public func length(of geometryWGS84: Geometry) throws -> Double {
        switch geometryWGS84.type {
        case .lineString, .linearRing:
            return lineLength(try geometryWGS84.coordinates().map(LonLat.init(xy:)))
        case .polygon:
            if geometryWGS84.isEmpty { return 0 }
            return try geometryWGS84.polygonRings().reduce(0) { $0 + lineLength($1.map(LonLat.init(xy:))) }
        case .multiLineString, .multiPolygon, .geometryCollection:
            return try geometryWGS84.parts().reduce(0) { try $0 + length(of: $1) }
        default:
            return 0
        }
    }
}
