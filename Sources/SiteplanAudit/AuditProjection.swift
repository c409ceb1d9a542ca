import SiteProjection

/// Projection of the audit's columns from WGS84 lon/lat to the planning CRS.
public enum AuditProjection {
    /// The planning CRS of the audit: WGS 84 / UTM zone 38N, metres.
    public static let planningCRS = CRS.epsg(32638)

    /// Projects interleaved lon/lat pairs in place to EPSG:32638 (easting, northing): one
    /// contiguous share per worker, each worker with its own PROJ `Transformer` (PROJ objects
    /// are never shared between threads), in bulk calls of 64k points.
    public static func projectToPlanningCRS(_ xy: inout [Double], threads: Int, progress: AuditProgress? = nil) throws {
        let points = xy.count / 2
        if points == 0 { return }
        let workers = max(1, min(threads, (points + 65_535) / 65_536))
        let share = (points + workers - 1) / workers
        let buffer = Shared(xy.withUnsafeMutableBufferPointer { $0 })
        try parallelChunks(workers, threads: workers) { w, _ in
            let transformer = try Transformer(from: .wgs84, to: planningCRS)
            var lo = w * share
            let end = min(points, lo + share)
            while lo < end {
                let hi = min(end, lo + 65_536)
                try transformer.transformInterleaved(UnsafeMutableBufferPointer(rebasing: buffer.value[(2 * lo)..<(2 * hi)]))
                progress?.advance(hi - lo)
                lo = hi
            }
        }
    }
}
