import CPROJ
import SiteGeometry

/// Transforms coordinates between two CRSs, always in lon/lat (x/y, easting/northing) order.
///
/// Built with `proj_create_crs_to_crs` and normalized with `proj_normalize_for_visualization`,
/// so geographic coordinates are taken and given as (longitude, latitude) whatever the CRS's
/// official axis order (EPSG:4326 is officially latitude first). Holds PROJ objects of the
/// thread that made it: make one per thread; it is not `Sendable`.
///
///     let toUTM = try Transformer(from: .wgs84, to: .epsg(32638))
///     let p = try toUTM.transform(LonLat(lon: 46.79, lat: 39.91))  // E 652998.72, N 4419301.80
public final class Transformer {
    public let source: CRS
    public let target: CRS
    private let pj: OpaquePointer
    private let ctx: ProjContext

    public init(from source: CRS, to target: CRS) throws(ProjectionError) {
        let ctx = ProjContext.current
        self.ctx = ctx
        self.source = source
        self.target = target
        try source.validate()
        try target.validate()
        ctx.resetErrors()
        guard let raw = proj_create_crs_to_crs(ctx.handle, source.definition, target.definition, nil) else {
            throw ctx.error("proj_create_crs_to_crs(\(source) -> \(target))")
        }
        defer { proj_destroy(raw) }
        guard let normalized = proj_normalize_for_visualization(ctx.handle, raw) else {
            throw ctx.error("proj_normalize_for_visualization(\(source) -> \(target))")
        }
        self.pj = normalized
    }

    deinit { proj_destroy(pj) }

    /// This thread's transformer for the pair, built on first use and kept for the thread's
    /// life (building one costs a proj.db lookup; transforming is cheap).
    public static func shared(from source: CRS, to target: CRS) throws(ProjectionError) -> Transformer {
        let ctx = ProjContext.current
        let key = source.definition + "|" + target.definition
        if let cached = ctx.transformers[key] { return cached }
        let made = try Transformer(from: source, to: target)
        ctx.transformers[key] = made
        return made
    }

    /// Transforms one position given in lon/lat order (x = longitude for geographic CRSs).
    /// Wraps `proj_trans`. Throws when the point is outside the projection's domain.
    public func transform(_ point: XY, inverse: Bool = false) throws(ProjectionError) -> XY {
        var points = [point]
        try transform(&points, inverse: inverse)
        return points[0]
    }

    /// Transforms a WGS84 position (when the source is geographic).
    public func transform(_ position: LonLat) throws(ProjectionError) -> XY { try transform(position.xy) }

    /// Transforms `points` in place, in lon/lat order. Wraps `proj_trans_generic`.
    public func transform(_ points: inout [XY], inverse: Bool = false) throws(ProjectionError) {
        if points.isEmpty { return }
        ctx.resetErrors()
        proj_errno_reset(pj)
        let count = points.count
        let done = points.withUnsafeMutableBufferPointer { buffer -> Int in
            buffer.withMemoryRebound(to: Double.self) { d in
                let stride = MemoryLayout<XY>.stride
                return proj_trans_generic(pj, inverse ? PJ_INV : PJ_FWD,
                                          d.baseAddress, stride, count,
                                          d.baseAddress! + 1, stride, count,
                                          nil, 0, 0, nil, 0, 0)
            }
        }
        let errno = proj_errno(pj)
        if done != count || errno != 0 || points.contains(where: { !$0.x.isFinite || !$0.y.isFinite || $0.x == .infinity }) {
            let bad = points.firstIndex(where: { !$0.x.isFinite || !$0.y.isFinite }) ?? 0
            let what = "transform \(source) -> \(target)" + (points.count > 1 ? " (vertex \(bad))" : "")
            var error = ctx.error(what)
            if error.message == "no message from PROJ", errno != 0 {
                error = ProjectionError(operation: what, message: String(cString: proj_context_errno_string(ctx.handle, errno)))
            }
            throw error
        }
    }

    /// Transforms `count` positions in place from an interleaved buffer `x0, y0, x1, y1, ...`
    /// (lon/lat order for geographic CRSs), the bulk path for millions of vertices.
    /// Wraps `proj_trans_generic`. Throws with PROJ's message, naming the first position that
    /// failed (its index in this buffer), when any position is outside the projection's domain.
    ///
    ///     var xy: [Double] = [46.5, 40.0, 45.2, 39.0]
    ///     try xy.withUnsafeMutableBufferPointer { try toUTM.transformInterleaved($0) }
    public func transformInterleaved(_ buffer: UnsafeMutableBufferPointer<Double>, inverse: Bool = false) throws(ProjectionError) {
        let count = buffer.count / 2
        guard count > 0, let base = buffer.baseAddress else { return }
        ctx.resetErrors()
        proj_errno_reset(pj)
        let stride = 2 * MemoryLayout<Double>.stride
        let done = proj_trans_generic(pj, inverse ? PJ_INV : PJ_FWD,
                                      base, stride, count,
                                      base + 1, stride, count,
                                      nil, 0, 0, nil, 0, 0)
        let errno = proj_errno(pj)
        var bad = -1
        for i in 0..<count where !(base[2 * i].isFinite && base[2 * i + 1].isFinite) { bad = i; break }
        if done != count || errno != 0 || bad >= 0 {
            let what = "transform \(source) -> \(target) (position \(max(bad, 0)))"
            var error = ctx.error(what)
            if error.message == "no message from PROJ", errno != 0 {
                error = ProjectionError(operation: what, message: String(cString: proj_context_errno_string(ctx.handle, errno)))
            }
            throw error
        }
    }

    /// Transforms every vertex of `geometry`, keeping its structure; edges stay straight lines
    /// in the target plane (no densification).
    public func transform(_ geometry: Geometry, inverse: Bool = false) throws -> Geometry {
        try geometry.mapCoordinates { points in try self.transform(&points, inverse: inverse) }
    }
}
