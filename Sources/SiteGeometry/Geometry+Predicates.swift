import CGEOS

/// Binary spatial predicates in the OGC (DE-9IM) sense. Each throws a `GEOSError` when GEOS
/// reports an exception (return value 2). For one geometry tested against many, prepare it
/// first (`prepared()`): the answers are the same, and much faster.
extension Geometry {
    private func predicate(_ other: Geometry, _ name: String,
                           _ fn: (GEOSContextHandle_t, OpaquePointer, OpaquePointer) -> CChar) throws(GEOSError) -> Bool {
        let ctx = GEOSContext.current
        return try ctx.checkPredicate(fn(ctx.handle, handle, other.handle), name)
    }

    /// `other` lies in this geometry and their interiors meet (a point on the boundary is not
    /// contained). Wraps `GEOSContains_r`.
    public func contains(_ other: Geometry) throws(GEOSError) -> Bool { try predicate(other, "GEOSContains_r", GEOSContains_r) }
    /// No point of `other` lies outside this geometry (boundary included). Wraps `GEOSCovers_r`.
    public func covers(_ other: Geometry) throws(GEOSError) -> Bool { try predicate(other, "GEOSCovers_r", GEOSCovers_r) }
    /// Wraps `GEOSCoveredBy_r`.
    public func isCoveredBy(_ other: Geometry) throws(GEOSError) -> Bool { try predicate(other, "GEOSCoveredBy_r", GEOSCoveredBy_r) }
    /// Wraps `GEOSIntersects_r`.
    public func intersects(_ other: Geometry) throws(GEOSError) -> Bool { try predicate(other, "GEOSIntersects_r", GEOSIntersects_r) }
    /// Wraps `GEOSWithin_r`.
    public func isWithin(_ other: Geometry) throws(GEOSError) -> Bool { try predicate(other, "GEOSWithin_r", GEOSWithin_r) }
    /// Wraps `GEOSTouches_r`.
    public func touches(_ other: Geometry) throws(GEOSError) -> Bool { try predicate(other, "GEOSTouches_r", GEOSTouches_r) }
    /// Wraps `GEOSOverlaps_r`.
    public func overlaps(_ other: Geometry) throws(GEOSError) -> Bool { try predicate(other, "GEOSOverlaps_r", GEOSOverlaps_r) }
    /// Wraps `GEOSDisjoint_r`.
    public func isDisjoint(with other: Geometry) throws(GEOSError) -> Bool { try predicate(other, "GEOSDisjoint_r", GEOSDisjoint_r) }
    /// Wraps `GEOSEquals_r` (topological equality).
    public func isTopologicallyEqual(to other: Geometry) throws(GEOSError) -> Bool { try predicate(other, "GEOSEquals_r", GEOSEquals_r) }

    /// Exact structural equality, vertex for vertex. Wraps `GEOSEqualsExact_r`.
    public func isExactlyEqual(to other: Geometry, tolerance: Double = 0) throws(GEOSError) -> Bool {
        let ctx = GEOSContext.current
        return try ctx.checkPredicate(GEOSEqualsExact_r(ctx.handle, handle, other.handle, tolerance), "GEOSEqualsExact_r")
    }

    /// True when the distance to `other` is at most `distance`. Wraps `GEOSDistanceWithin_r`.
    public func isWithinDistance(_ distance: Double, of other: Geometry) throws(GEOSError) -> Bool {
        let ctx = GEOSContext.current
        return try ctx.checkPredicate(GEOSDistanceWithin_r(ctx.handle, handle, other.handle, distance), "GEOSDistanceWithin_r")
    }

    /// A prepared copy for fast one-against-many predicates.
    public func prepared() throws(GEOSError) -> PreparedGeometry { try PreparedGeometry(self) }
}

/// A geometry prepared (indexed) for repeated predicates against many others.
///
/// It keeps its base geometry alive. GEOS builds the index lazily on first use, so a
/// `PreparedGeometry` must not be used from two threads at once: prepare one per thread.
/// Wraps `GEOSPrepare_r` and the `GEOSPrepared*_r` family.
public final class PreparedGeometry {
    public let base: Geometry
    private let handle: OpaquePointer

    init(_ base: Geometry) throws(GEOSError) {
        let ctx = GEOSContext.current
        self.base = base
        self.handle = try ctx.checkGeometry(GEOSPrepare_r(ctx.handle, base.handle), "GEOSPrepare_r")
    }

    deinit { GEOSPreparedGeom_destroy_r(GEOSContext.current.handle, handle) }

    private func predicate(_ other: Geometry, _ name: String,
                           _ fn: (GEOSContextHandle_t, OpaquePointer, OpaquePointer) -> CChar) throws(GEOSError) -> Bool {
        let ctx = GEOSContext.current
        return try ctx.checkPredicate(fn(ctx.handle, handle, other.handle), name)
    }

    /// Wraps `GEOSPreparedContains_r`.
    public func contains(_ other: Geometry) throws(GEOSError) -> Bool { try predicate(other, "GEOSPreparedContains_r", GEOSPreparedContains_r) }
    /// Wraps `GEOSPreparedContainsProperly_r`.
    public func containsProperly(_ other: Geometry) throws(GEOSError) -> Bool { try predicate(other, "GEOSPreparedContainsProperly_r", GEOSPreparedContainsProperly_r) }
    /// Wraps `GEOSPreparedCovers_r`.
    public func covers(_ other: Geometry) throws(GEOSError) -> Bool { try predicate(other, "GEOSPreparedCovers_r", GEOSPreparedCovers_r) }
    /// Wraps `GEOSPreparedIntersects_r`.
    public func intersects(_ other: Geometry) throws(GEOSError) -> Bool { try predicate(other, "GEOSPreparedIntersects_r", GEOSPreparedIntersects_r) }
    /// Wraps `GEOSPreparedWithin_r`.
    public func isWithin(_ other: Geometry) throws(GEOSError) -> Bool { try predicate(other, "GEOSPreparedWithin_r", GEOSPreparedWithin_r) }
    /// Wraps `GEOSPreparedTouches_r`.
    public func touches(_ other: Geometry) throws(GEOSError) -> Bool { try predicate(other, "GEOSPreparedTouches_r", GEOSPreparedTouches_r) }
    /// Wraps `GEOSPreparedDisjoint_r`.
    public func isDisjoint(with other: Geometry) throws(GEOSError) -> Bool { try predicate(other, "GEOSPreparedDisjoint_r", GEOSPreparedDisjoint_r) }

    /// Minimum distance to `other`. Wraps `GEOSPreparedDistance_r`.
    public func distance(to other: Geometry) throws(GEOSError) -> Double {
        let ctx = GEOSContext.current
        var value = 0.0
        try ctx.checkStatus(GEOSPreparedDistance_r(ctx.handle, handle, other.handle, &value), "GEOSPreparedDistance_r")
        return value
    }

    /// Wraps `GEOSPreparedDistanceWithin_r`.
    public func isWithinDistance(_ distance: Double, of other: Geometry) throws(GEOSError) -> Bool {
        let ctx = GEOSContext.current
        return try ctx.checkPredicate(GEOSPreparedDistanceWithin_r(ctx.handle, handle, other.handle, distance), "GEOSPreparedDistanceWithin_r")
    }
}
