import CGEOS

/// Constructive operations and set operations: each returns a new geometry.
extension Geometry {
    private func binary(_ other: Geometry, _ name: String,
                        _ fn: (GEOSContextHandle_t, OpaquePointer, OpaquePointer) -> OpaquePointer?) throws(GEOSError) -> Geometry {
        let ctx = GEOSContext.current
        return Geometry(owning: try ctx.checkGeometry(fn(ctx.handle, handle, other.handle), name))
    }

    private func unary(_ name: String, _ fn: (GEOSContextHandle_t, OpaquePointer) -> OpaquePointer?) throws(GEOSError) -> Geometry {
        let ctx = GEOSContext.current
        return Geometry(owning: try ctx.checkGeometry(fn(ctx.handle, handle), name))
    }

    /// The point set common to both. Wraps `GEOSIntersection_r`.
    public func intersection(_ other: Geometry) throws(GEOSError) -> Geometry { try binary(other, "GEOSIntersection_r", GEOSIntersection_r) }
    /// The point set in either. Wraps `GEOSUnion_r`.
    public func union(_ other: Geometry) throws(GEOSError) -> Geometry { try binary(other, "GEOSUnion_r", GEOSUnion_r) }
    /// This geometry less `other`. Wraps `GEOSDifference_r`.
    public func difference(_ other: Geometry) throws(GEOSError) -> Geometry { try binary(other, "GEOSDifference_r", GEOSDifference_r) }
    /// Wraps `GEOSSymDifference_r`.
    public func symmetricDifference(_ other: Geometry) throws(GEOSError) -> Geometry { try binary(other, "GEOSSymDifference_r", GEOSSymDifference_r) }
    /// The union of all parts of a collection. Wraps `GEOSUnaryUnion_r`.
    public func unaryUnion() throws(GEOSError) -> Geometry { try unary("GEOSUnaryUnion_r", GEOSUnaryUnion_r) }
    /// The polygons the linework encloses, holes from nested rings (as PostGIS ST_BuildArea):
    /// closed polylines of a DXF, outer boundary and holes drawn as separate lines.
    /// Wraps `GEOSBuildArea_r`.
    public func buildArea() throws(GEOSError) -> Geometry { try unary("GEOSBuildArea_r", GEOSBuildArea_r) }
    /// The bounding box as a polygon. Wraps `GEOSEnvelope_r`.
    public func envelopeGeometry() throws(GEOSError) -> Geometry { try unary("GEOSEnvelope_r", GEOSEnvelope_r) }
    /// The convex hull. Wraps `GEOSConvexHull_r`.
    public func convexHull() throws(GEOSError) -> Geometry { try unary("GEOSConvexHull_r", GEOSConvexHull_r) }
    /// The boundary (rings of a polygon, end points of a line). Wraps `GEOSBoundary_r`.
    public func boundary() throws(GEOSError) -> Geometry { try unary("GEOSBoundary_r", GEOSBoundary_r) }
    /// Lines sewn together where they meet end to end (fewer, longer lines: much faster to
    /// buffer). Wraps `GEOSLineMerge_r`.
    public func lineMerged() throws(GEOSError) -> Geometry { try unary("GEOSLineMerge_r", GEOSLineMerge_r) }
    /// The minimum-area rotated rectangle. Wraps `GEOSMinimumRotatedRectangle_r`.
    public func minimumRotatedRectangle() throws(GEOSError) -> Geometry { try unary("GEOSMinimumRotatedRectangle_r", GEOSMinimumRotatedRectangle_r) }

    /// The union of many geometries. Wraps `GEOSUnaryUnion_r` on a collection of them.
    public static func union(of geometries: [Geometry]) throws(GEOSError) -> Geometry {
        if geometries.isEmpty { return try .empty(.geometryCollection) }
        return try Geometry.collection(.geometryCollection, geometries).unaryUnion()
    }

    /// Topology-preserving simplification with `tolerance` in CRS units.
    /// Wraps `GEOSTopologyPreserveSimplify_r`.
    public func simplified(tolerance: Double) throws(GEOSError) -> Geometry {
        let ctx = GEOSContext.current
        return Geometry(owning: try ctx.checkGeometry(GEOSTopologyPreserveSimplify_r(ctx.handle, handle, tolerance), "GEOSTopologyPreserveSimplify_r"))
    }

    /// A copy with every vertex on a grid of `gridSize` (CRS units), topology kept valid:
    /// makes later steps blind to noise below the grid. Wraps `GEOSGeom_setPrecision_r`.
    public func snapped(toGrid gridSize: Double) throws(GEOSError) -> Geometry {
        let ctx = GEOSContext.current
        return Geometry(owning: try ctx.checkGeometry(GEOSGeom_setPrecision_r(ctx.handle, handle, gridSize, 0), "GEOSGeom_setPrecision_r"))
    }

    /// A copy in normal form (ring starts and orientation fixed, parts sorted): good for
    /// comparing geometries. Wraps `GEOSNormalize_r`.
    public func normalized() throws(GEOSError) -> Geometry {
        let ctx = GEOSContext.current
        let copy = try cloneHandle()
        if GEOSNormalize_r(ctx.handle, copy) != 0 {
            GEOSGeom_destroy_r(ctx.handle, copy)
            throw ctx.takeError("GEOSNormalize_r")
        }
        return Geometry(owning: copy)
    }
}

/// How buffer ends and corners are drawn.
public struct BufferStyle: Sendable {
    public enum Cap: Int32, Sendable { case round = 1, flat = 2, square = 3 }
    public enum Join: Int32, Sendable { case round = 1, mitre = 2, bevel = 3 }
    public var cap: Cap
    public var join: Join
    /// Segments per quarter circle for round caps and joins.
    public var quadrantSegments: Int
    public var mitreLimit: Double

    public init(cap: Cap = .round, join: Join = .round, quadrantSegments: Int = 8, mitreLimit: Double = 5) {
        self.cap = cap
        self.join = join
        self.quadrantSegments = quadrantSegments
        self.mitreLimit = mitreLimit
    }

    /// Flat ends and mitred corners: a street corridor of exact width.
    public static let corridor = BufferStyle(cap: .flat, join: .mitre)
}

extension Geometry {
    /// The area within `distance` (CRS units; negative shrinks polygons).
    /// Wraps `GEOSBufferWithStyle_r`.
    ///
    ///     let corridor = try centreline.buffer(6, style: .corridor)  // a 12 m wide street
    public func buffer(_ distance: Double, style: BufferStyle = BufferStyle()) throws(GEOSError) -> Geometry {
        let ctx = GEOSContext.current
        let result = GEOSBufferWithStyle_r(ctx.handle, handle, distance, Int32(style.quadrantSegments),
                                           style.cap.rawValue, style.join.rawValue, style.mitreLimit)
        return Geometry(owning: try ctx.checkGeometry(result, "GEOSBufferWithStyle_r"))
    }
}

/// The result of an OGC validity check.
public struct Validity: Sendable, Equatable {
    public let isValid: Bool
    /// GEOS's reason, e.g. "Self-intersection", with its location; "Valid Geometry" when valid.
    public let reason: String
    /// Where the problem is, in the geometry's CRS (nil when valid).
    public let location: XY?
}

extension Geometry {
    /// Checks OGC validity and says why not. Wraps `GEOSisValidDetail_r`.
    public func validity() throws(GEOSError) -> Validity {
        let ctx = GEOSContext.current
        var reason: UnsafeMutablePointer<CChar>?
        var location: OpaquePointer?
        let status = GEOSisValidDetail_r(ctx.handle, handle, 0, &reason, &location)
        defer {
            if let reason { GEOSFree_r(ctx.handle, reason) }
            if let location { GEOSGeom_destroy_r(ctx.handle, location) }
        }
        let valid = try ctx.checkPredicate(status, "GEOSisValidDetail_r")
        if valid { return Validity(isValid: true, reason: "Valid Geometry", location: nil) }
        var where_: XY?
        if let location {
            var x = 0.0, y = 0.0
            if GEOSGeomGetX_r(ctx.handle, location, &x) != 0, GEOSGeomGetY_r(ctx.handle, location, &y) != 0 { where_ = XY(x, y) }
        }
        return Validity(isValid: false, reason: reason.map { String(cString: $0) } ?? "invalid", location: where_)
    }

    /// True when the geometry is valid in the OGC sense. Wraps `GEOSisValid_r`.
    public var isValid: Bool {
        get throws(GEOSError) {
            let ctx = GEOSContext.current
            return try ctx.checkPredicate(GEOSisValid_r(ctx.handle, handle), "GEOSisValid_r")
        }
    }

    /// A valid version of this geometry, keeping every vertex (the "structure" method would
    /// drop collapsed parts). Wraps `GEOSMakeValid_r`.
    public func makeValid() throws(GEOSError) -> Geometry {
        let ctx = GEOSContext.current
        return Geometry(owning: try ctx.checkGeometry(GEOSMakeValid_r(ctx.handle, handle), "GEOSMakeValid_r"))
    }
}
