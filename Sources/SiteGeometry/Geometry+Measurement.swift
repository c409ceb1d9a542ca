import CGEOS

extension Geometry {
    /// Planar area, in the square units of the CRS (m² in a projected metric CRS); holes are
    /// subtracted. Wraps `GEOSArea_r`.
    public var area: Double {
        get throws(GEOSError) {
            let ctx = GEOSContext.current
            var value = 0.0
            try ctx.checkStatus(GEOSArea_r(ctx.handle, handle, &value), "GEOSArea_r")
            return value
        }
    }

    /// Planar length of lines, or perimeter of polygons (holes included), in CRS units.
    /// Wraps `GEOSLength_r`.
    public var length: Double {
        get throws(GEOSError) {
            let ctx = GEOSContext.current
            var value = 0.0
            try ctx.checkStatus(GEOSLength_r(ctx.handle, handle, &value), "GEOSLength_r")
            return value
        }
    }

    /// The planar minimum distance to `other`, in CRS units; 0 when they touch or overlap.
    /// Wraps `GEOSDistance_r`.
    public func distance(to other: Geometry) throws(GEOSError) -> Double {
        let ctx = GEOSContext.current
        var value = 0.0
        try ctx.checkStatus(GEOSDistance_r(ctx.handle, handle, other.handle, &value), "GEOSDistance_r")
        return value
    }

    /// The discrete Hausdorff distance to `other`, in CRS units: how far the farther of the two
    /// is from the nearer, over their vertices. Wraps `GEOSHausdorffDistance_r`.
    public func hausdorffDistance(to other: Geometry) throws(GEOSError) -> Double {
        let ctx = GEOSContext.current
        var value = 0.0
        try ctx.checkStatus(GEOSHausdorffDistance_r(ctx.handle, handle, other.handle, &value), "GEOSHausdorffDistance_r")
        return value
    }

    /// The area-weighted centroid (for polygons), as a point. Wraps `GEOSGetCentroid_r`.
    public func centroid() throws(GEOSError) -> Geometry {
        let ctx = GEOSContext.current
        return Geometry(owning: try ctx.checkGeometry(GEOSGetCentroid_r(ctx.handle, handle), "GEOSGetCentroid_r"))
    }

    /// The centroid's coordinate. Throws for an empty geometry.
    public func centroidXY() throws(GEOSError) -> XY {
        let c = try centroid()
        return try c.pointXY()
    }

    /// The coordinate of a Point. Wraps `GEOSGeomGetX_r` / `GEOSGeomGetY_r`.
    public func pointXY() throws(GEOSError) -> XY {
        let ctx = GEOSContext.current
        var x = 0.0, y = 0.0
        try ctx.checkStatus(GEOSGeomGetX_r(ctx.handle, handle, &x), "GEOSGeomGetX_r")
        try ctx.checkStatus(GEOSGeomGetY_r(ctx.handle, handle, &y), "GEOSGeomGetY_r")
        return XY(x, y)
    }

    /// A point guaranteed to lie in the interior. Wraps `GEOSPointOnSurface_r`.
    public func pointOnSurface() throws(GEOSError) -> Geometry {
        let ctx = GEOSContext.current
        return Geometry(owning: try ctx.checkGeometry(GEOSPointOnSurface_r(ctx.handle, handle), "GEOSPointOnSurface_r"))
    }

    /// The bounding box. Wraps `GEOSGeom_getXMin_r` and its siblings.
    public func envelope() throws(GEOSError) -> Envelope {
        let ctx = GEOSContext.current
        var e = Envelope(minX: 0, minY: 0, maxX: 0, maxY: 0)
        try ctx.checkStatus(GEOSGeom_getXMin_r(ctx.handle, handle, &e.minX), "GEOSGeom_getXMin_r")
        try ctx.checkStatus(GEOSGeom_getYMin_r(ctx.handle, handle, &e.minY), "GEOSGeom_getYMin_r")
        try ctx.checkStatus(GEOSGeom_getXMax_r(ctx.handle, handle, &e.maxX), "GEOSGeom_getXMax_r")
        try ctx.checkStatus(GEOSGeom_getYMax_r(ctx.handle, handle, &e.maxY), "GEOSGeom_getYMax_r")
        return e
    }

    /// The pair of nearest points `(onSelf, onOther)`. Wraps `GEOSNearestPoints_r`.
    public func nearestPoints(to other: Geometry) throws(GEOSError) -> (XY, XY) {
        let ctx = GEOSContext.current
        guard let seq = GEOSNearestPoints_r(ctx.handle, handle, other.handle) else { throw ctx.takeError("GEOSNearestPoints_r") }
        defer { GEOSCoordSeq_destroy_r(ctx.handle, seq) }
        var a = XY(0, 0), b = XY(0, 0)
        try ctx.checkStatus(GEOSCoordSeq_getXY_r(ctx.handle, seq, 0, &a.x, &a.y), "GEOSCoordSeq_getXY_r")
        try ctx.checkStatus(GEOSCoordSeq_getXY_r(ctx.handle, seq, 1, &b.x, &b.y), "GEOSCoordSeq_getXY_r")
        return (a, b)
    }

    /// Distance along a line to the point on it nearest `point`. Wraps `GEOSProject_r`.
    public func project(_ point: Geometry) throws(GEOSError) -> Double {
        let ctx = GEOSContext.current
        let d = GEOSProject_r(ctx.handle, handle, point.handle)
        if d < 0 { throw ctx.takeError("GEOSProject_r") }
        return d
    }

    /// The point at `distance` along a line. Wraps `GEOSInterpolate_r`.
    public func interpolate(_ distance: Double) throws(GEOSError) -> Geometry {
        let ctx = GEOSContext.current
        return Geometry(owning: try ctx.checkGeometry(GEOSInterpolate_r(ctx.handle, handle, distance), "GEOSInterpolate_r"))
    }
}
