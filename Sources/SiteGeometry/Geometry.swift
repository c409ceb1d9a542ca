import CGEOS

/// The OGC geometry types GEOS models.
public enum GeometryType: Int32, Sendable, CustomStringConvertible {
    case point = 0, lineString = 1, linearRing = 2, polygon = 3
    case multiPoint = 4, multiLineString = 5, multiPolygon = 6, geometryCollection = 7

    /// The OGC / GeoJSON name: `Point`, `LineString`, `Polygon`, `MultiPolygon`, ...
    public var description: String {
        switch self {
        case .point: "Point"
        case .lineString: "LineString"
        case .linearRing: "LinearRing"
        case .polygon: "Polygon"
        case .multiPoint: "MultiPoint"
        case .multiLineString: "MultiLineString"
        case .multiPolygon: "MultiPolygon"
        case .geometryCollection: "GeometryCollection"
        }
    }
}

/// An immutable geometry owned by Swift and backed by a GEOS geometry.
///
/// Single ownership: this object is the only owner of its GEOS handle and destroys it in
/// `deinit`. Constructors that hand parts to GEOS pass freshly built or cloned handles, so a
/// `Geometry` never shares its handle with another. Immutable, but not safe to use from two
/// threads at once: GEOS caches its envelope on first use without a lock (see `GEOSContext`).
/// Passing it to another thread is fine; operating on it from two threads at once is not. Each
/// thread uses its own GEOS context.
///
///     let lot = try Geometry.polygon(exterior: [XY(0, 0), XY(20, 0), XY(20, 30), XY(0, 30), XY(0, 0)])
///     try lot.area   // 600.0, in the square units of its CRS
public final class Geometry: @unchecked Sendable {
    /// The owned GEOS handle. Internal: it never leaves the binding.
    let handle: OpaquePointer

    /// Takes ownership of `handle`.
    init(owning handle: OpaquePointer) { self.handle = handle }

    deinit { GEOSGeom_destroy_r(GEOSContext.current.handle, handle) }

    /// A copy with its own GEOS handle, for another thread to own. Wraps `GEOSGeom_clone_r`.
    public func copy() throws(GEOSError) -> Geometry { Geometry(owning: try cloneHandle()) }

    /// Clones the GEOS handle (the caller owns the clone). Wraps `GEOSGeom_clone_r`.
    func cloneHandle() throws(GEOSError) -> OpaquePointer {
        let ctx = GEOSContext.current
        return try ctx.checkGeometry(GEOSGeom_clone_r(ctx.handle, handle), "GEOSGeom_clone_r")
    }

    /// The geometry's type. Wraps `GEOSGeomTypeId_r`.
    public var type: GeometryType {
        GeometryType(rawValue: GEOSGeomTypeId_r(GEOSContext.current.handle, handle)) ?? .geometryCollection
    }

    /// True for an empty geometry (`POLYGON EMPTY`). Wraps `GEOSisEmpty_r`.
    public var isEmpty: Bool {
        let ctx = GEOSContext.current
        return (try? ctx.checkPredicate(GEOSisEmpty_r(ctx.handle, handle), "GEOSisEmpty_r")) ?? false
    }

    // MARK: Construction

    /// A point. Wraps `GEOSGeom_createPointFromXY_r`.
    public static func point(_ p: XY) throws(GEOSError) -> Geometry {
        let ctx = GEOSContext.current
        return Geometry(owning: try ctx.checkGeometry(GEOSGeom_createPointFromXY_r(ctx.handle, p.x, p.y), "GEOSGeom_createPointFromXY_r"))
    }

    /// A line string through `points` (at least two). Wraps `GEOSGeom_createLineString_r`.
    public static func lineString(_ points: [XY]) throws(GEOSError) -> Geometry {
        let ctx = GEOSContext.current
        let seq = try makeSequence(points, ctx)
        return Geometry(owning: try ctx.checkGeometry(GEOSGeom_createLineString_r(ctx.handle, seq), "GEOSGeom_createLineString_r"))
    }

    /// A polygon from a closed exterior ring and closed holes (first point == last point,
    /// at least four points each). Ring orientation is kept as given.
    /// Wraps `GEOSGeom_createLinearRing_r` and `GEOSGeom_createPolygon_r`.
    public static func polygon(exterior: [XY], holes: [[XY]] = []) throws(GEOSError) -> Geometry {
        let ctx = GEOSContext.current
        let shell = try makeRing(exterior, ctx)
        var holeHandles: [OpaquePointer?] = []
        holeHandles.reserveCapacity(holes.count)
        for hole in holes {
            do { holeHandles.append(try makeRing(hole, ctx)) } catch {
                GEOSGeom_destroy_r(ctx.handle, shell)
                for h in holeHandles { GEOSGeom_destroy_r(ctx.handle, h) }
                throw error
            }
        }
        let polygon = holeHandles.withUnsafeMutableBufferPointer { buffer in
            GEOSGeom_createPolygon_r(ctx.handle, shell, buffer.baseAddress, UInt32(buffer.count))
        }
        // On failure GEOS has already taken (and freed) the rings.
        return Geometry(owning: try ctx.checkGeometry(polygon, "GEOSGeom_createPolygon_r"))
    }

    /// A multi geometry or collection of clones of `parts`.
    /// Wraps `GEOSGeom_createCollection_r` (which takes ownership of the clones).
    public static func collection(_ type: GeometryType, _ parts: [Geometry]) throws(GEOSError) -> Geometry {
        let ctx = GEOSContext.current
        precondition([.multiPoint, .multiLineString, .multiPolygon, .geometryCollection].contains(type),
                     "collection(_:_:) takes a multi type or geometryCollection")
        var handles: [OpaquePointer?] = []
        handles.reserveCapacity(parts.count)
        for part in parts {
            do { handles.append(try part.cloneHandle()) } catch {
                for h in handles { GEOSGeom_destroy_r(ctx.handle, h) }
                throw error
            }
        }
        let result = handles.withUnsafeMutableBufferPointer { buffer in
            GEOSGeom_createCollection_r(ctx.handle, type.rawValue, buffer.baseAddress, UInt32(buffer.count))
        }
        return Geometry(owning: try ctx.checkGeometry(result, "GEOSGeom_createCollection_r"))
    }

    /// An empty geometry of the given type (Point, LineString, Polygon, or a collection).
    public static func empty(_ type: GeometryType) throws(GEOSError) -> Geometry {
        let ctx = GEOSContext.current
        let result: OpaquePointer?
        switch type {
        case .point: result = GEOSGeom_createEmptyPoint_r(ctx.handle)
        case .lineString, .linearRing: result = GEOSGeom_createEmptyLineString_r(ctx.handle)
        case .polygon: result = GEOSGeom_createEmptyPolygon_r(ctx.handle)
        default: result = GEOSGeom_createEmptyCollection_r(ctx.handle, type.rawValue)
        }
        return Geometry(owning: try ctx.checkGeometry(result, "GEOSGeom_createEmpty_r"))
    }

    /// An axis-aligned rectangle polygon, counter-clockwise.
    public static func rectangle(_ e: Envelope) throws(GEOSError) -> Geometry {
        try polygon(exterior: [XY(e.minX, e.minY), XY(e.maxX, e.minY), XY(e.maxX, e.maxY), XY(e.minX, e.maxY), XY(e.minX, e.minY)])
    }

    static func makeSequence(_ points: [XY], _ ctx: GEOSContext) throws(GEOSError) -> OpaquePointer {
        let seq = points.withUnsafeBufferPointer { buffer in
            buffer.withMemoryRebound(to: Double.self) { doubles in
                GEOSCoordSeq_copyFromBuffer_r(ctx.handle, doubles.baseAddress, UInt32(points.count), 0, 0)
            }
        }
        return try ctx.checkGeometry(seq, "GEOSCoordSeq_copyFromBuffer_r")
    }

    static func makeRing(_ points: [XY], _ ctx: GEOSContext) throws(GEOSError) -> OpaquePointer {
        let seq = try makeSequence(points, ctx)
        return try ctx.checkGeometry(GEOSGeom_createLinearRing_r(ctx.handle, seq), "GEOSGeom_createLinearRing_r")
    }

    // MARK: Structure

    /// The vertices of a Point, LineString or LinearRing, in order.
    /// Wraps `GEOSGeom_getCoordSeq_r` and `GEOSCoordSeq_copyToBuffer_r`.
    public func coordinates() throws(GEOSError) -> [XY] {
        let ctx = GEOSContext.current
        guard let seq = GEOSGeom_getCoordSeq_r(ctx.handle, handle) else {
            throw ctx.takeError("GEOSGeom_getCoordSeq_r")
        }
        var size: UInt32 = 0
        try ctx.checkStatus(GEOSCoordSeq_getSize_r(ctx.handle, seq, &size), "GEOSCoordSeq_getSize_r")
        var points = [XY](repeating: XY(0, 0), count: Int(size))
        let status = points.withUnsafeMutableBufferPointer { buffer in
            buffer.withMemoryRebound(to: Double.self) { doubles in
                GEOSCoordSeq_copyToBuffer_r(ctx.handle, seq, doubles.baseAddress, 0, 0)
            }
        }
        try ctx.checkStatus(status, "GEOSCoordSeq_copyToBuffer_r")
        return points
    }

    /// The exterior ring of a polygon, as a new LinearRing geometry.
    /// Wraps `GEOSGetExteriorRing_r` (a borrowed handle, cloned here).
    public func exteriorRing() throws(GEOSError) -> Geometry {
        let ctx = GEOSContext.current
        let ring = try ctx.checkGeometry(GEOSGetExteriorRing_r(ctx.handle, handle), "GEOSGetExteriorRing_r")
        return Geometry(owning: try ctx.checkGeometry(GEOSGeom_clone_r(ctx.handle, ring), "GEOSGeom_clone_r"))
    }

    /// The number of holes of a polygon. Wraps `GEOSGetNumInteriorRings_r`.
    public func interiorRingCount() throws(GEOSError) -> Int {
        let ctx = GEOSContext.current
        let n = GEOSGetNumInteriorRings_r(ctx.handle, handle)
        if n < 0 { throw ctx.takeError("GEOSGetNumInteriorRings_r") }
        return Int(n)
    }

    /// The holes of a polygon, as new LinearRing geometries. Wraps `GEOSGetInteriorRingN_r`.
    public func interiorRings() throws(GEOSError) -> [Geometry] {
        let ctx = GEOSContext.current
        return try (0..<interiorRingCount()).map { (i: Int) throws(GEOSError) -> Geometry in
            let ring = try ctx.checkGeometry(GEOSGetInteriorRingN_r(ctx.handle, handle, Int32(i)), "GEOSGetInteriorRingN_r")
            return Geometry(owning: try ctx.checkGeometry(GEOSGeom_clone_r(ctx.handle, ring), "GEOSGeom_clone_r"))
        }
    }

    /// The exterior ring and holes of a polygon as vertex arrays: `[exterior, hole1, ...]`.
    public func polygonRings() throws(GEOSError) -> [[XY]] {
        var rings = [try exteriorRing().coordinates()]
        for hole in try interiorRings() { rings.append(try hole.coordinates()) }
        return rings
    }

    /// The number of parts of a multi geometry or collection; 1 for a single geometry.
    /// Wraps `GEOSGetNumGeometries_r`.
    public func partCount() throws(GEOSError) -> Int {
        let ctx = GEOSContext.current
        let n = GEOSGetNumGeometries_r(ctx.handle, handle)
        if n < 0 { throw ctx.takeError("GEOSGetNumGeometries_r") }
        return Int(n)
    }

    /// The parts of a multi geometry or collection (clones); `[self]` for a single geometry.
    /// Wraps `GEOSGetGeometryN_r`.
    public func parts() throws(GEOSError) -> [Geometry] {
        let ctx = GEOSContext.current
        switch type {
        case .multiPoint, .multiLineString, .multiPolygon, .geometryCollection:
            return try (0..<partCount()).map { (i: Int) throws(GEOSError) -> Geometry in
                let part = try ctx.checkGeometry(GEOSGetGeometryN_r(ctx.handle, handle, Int32(i)), "GEOSGetGeometryN_r")
                return Geometry(owning: try ctx.checkGeometry(GEOSGeom_clone_r(ctx.handle, part), "GEOSGeom_clone_r"))
            }
        default:
            return [self]
        }
    }

    /// The total number of vertices. Wraps `GEOSGetNumCoordinates_r`.
    public func vertexCount() throws(GEOSError) -> Int {
        let ctx = GEOSContext.current
        let n = GEOSGetNumCoordinates_r(ctx.handle, handle)
        if n < 0 { throw ctx.takeError("GEOSGetNumCoordinates_r") }
        return Int(n)
    }

    /// A copy with every vertex passed through `transform`, keeping the structure
    /// (the way a reprojection needs it). `transform` gets each ring or line as one array.
    public func mapCoordinates(_ transform: (inout [XY]) throws -> Void) throws -> Geometry {
        switch type {
        case .point:
            if isEmpty { return self }
            var pts = try coordinates()
            try transform(&pts)
            return try .point(pts[0])
        case .lineString:
            var pts = try coordinates()
            try transform(&pts)
            return try .lineString(pts)
        case .linearRing:
            var pts = try coordinates()
            try transform(&pts)
            let ctx = GEOSContext.current
            return Geometry(owning: try Geometry.makeRing(pts, ctx))
        case .polygon:
            if isEmpty { return self }
            var rings = try polygonRings()
            for i in rings.indices { try transform(&rings[i]) }
            return try .polygon(exterior: rings[0], holes: Array(rings.dropFirst()))
        case .multiPoint, .multiLineString, .multiPolygon, .geometryCollection:
            return try .collection(type, parts().map { try $0.mapCoordinates(transform) })
        }
    }
}

extension Geometry: CustomStringConvertible {
    /// WKT with up to 7 decimals.
    public var description: String { (try? wkt(precision: 7)) ?? "<\(type)>" }
}
