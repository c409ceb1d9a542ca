import SiteGeometry

/// The structure of one geometry whose vertices are held in a `VertexColumns` buffer: each
/// point, line or ring is a range of positions in `VertexColumns.xy`. A plain Swift value, so
/// any thread may read it (a `Geometry` is used by one thread at a time; see `Geometry`).
indirect enum VertexShape: Sendable, Equatable {
    /// A point: one position, or none for `POINT EMPTY`.
    case point(Range<Int>)
    /// A LineString or a LinearRing (`type` says which).
    case line(GeometryType, Range<Int>)
    /// A polygon's rings, the exterior first, then its holes; none for `POLYGON EMPTY`.
    case polygon([Range<Int>])
    /// A multi geometry or geometry collection (`type` says which) and its parts.
    case collection(GeometryType, [VertexShape])

    /// The OGC geometry type.
    var type: GeometryType {
        switch self {
        case .point: .point
        case .line(let type, _): type
        case .polygon: .polygon
        case .collection(let type, _): type
        }
    }
}

/// Many geometries as plain Swift values: every vertex in one buffer (in the geometries' CRS,
/// lon/lat order for WGS84) and each geometry's structure as ranges into it. Read from GEOS
/// on the thread that owns the geometries; then projected in one PROJ call and read on any thread.
struct VertexColumns: Sendable {
    var xy: [XY] = []

    /// Appends the vertices (x, y) of `geometry` and returns its structure.
    mutating func append(_ geometry: Geometry) throws -> VertexShape {
        let type = geometry.type
        switch type {
        case .point:
            if geometry.isEmpty { return .point(xy.count..<xy.count) }
            return .point(append(try geometry.coordinates()))
        case .lineString, .linearRing:
            return .line(type, append(try geometry.coordinates()))
        case .polygon:
            if geometry.isEmpty { return .polygon([]) }
            return .polygon(try geometry.polygonRings().map { append($0) })
        case .multiPoint, .multiLineString, .multiPolygon, .geometryCollection:
            return .collection(type, try geometry.parts().map { try append($0) })
        }
    }

    private mutating func append(_ points: [XY]) -> Range<Int> {
        let start = xy.count
        xy.append(contentsOf: points)
        return start..<xy.count
    }
}
