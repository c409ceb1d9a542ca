import SiteGeometry
import SiteVocabulary
import SiteProjection

/// Projection of the audit's columns from WGS84 lon/lat to its planar CRS.
public enum AuditProjection {
    /// The audit's default CRS, WORKLOAD.md's: WGS 84 / UTM zone 38N, metres.
    public static let defaultCRS = CRS.epsg(32638)

    /// The UTM zone of lon/lat columns: the zone of their envelope's centre (`--crs auto`).
    public static func utmZone(of lonLat: PolygonColumns) -> UTMZone? {
        lonLatCentre(of: lonLat).map { UTMZone(containing: $0) }
    }

    /// The centre of the envelope of lon/lat columns; nil when they are empty.
    public static func lonLatCentre(of lonLat: PolygonColumns) -> LonLat? {
        guard lonLat.vertexCount > 0 else { return nil }
        var minX = Double.infinity, minY = Double.infinity, maxX = -Double.infinity, maxY = -Double.infinity
        for v in 0..<lonLat.vertexCount {
            minX = min(minX, lonLat.xy[2 * v]); maxX = max(maxX, lonLat.xy[2 * v])
            minY = min(minY, lonLat.xy[2 * v + 1]); maxY = max(maxY, lonLat.xy[2 * v + 1])
        }
        return LonLat(lon: (minX + maxX) / 2, lat: (minY + maxY) / 2)
    }

    /// Projects interleaved lon/lat pairs in place to `crs` (x, y; easting, northing for UTM):
    /// one contiguous share per worker, each worker with its own PROJ `Transformer` (PROJ
    /// objects are never shared between threads), in bulk calls of 64k points.
    public static func project(_ xy: inout [Double], to crs: CRS, threads: Int, progress: AuditProgress? = nil) throws {
        let points = xy.count / 2
        if points == 0 { return }
        let workers = max(1, min(threads, (points + 65_535) / 65_536))
        let share = (points + workers - 1) / workers
        try xy.withUnsafeMutableBufferPointer { xyBuffer in
          let buffer = Shared(xyBuffer)
          try parallelChunks(workers, threads: workers) { w, _ in
            let transformer = try Transformer(from: .wgs84, to: crs)
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
}

extension AuditProjection {
    /// Projects polygons in place, sending each vertex through PROJ once: the closing vertex of
    /// a ring repeats the first, so it is copied instead of projected.
    public static func projectPolygons(_ columns: inout PolygonColumns, to crs: CRS, threads: Int, progress: AuditProgress? = nil) throws {
        let rings = columns.ringStart.count - 1
        if rings <= 0 { return }
        // Squeeze out each ring's closing vertex (moving down, so in place), project the
        // squeezed prefix, spread the rings back (moving up, from the last) and re-close them.
        try columns.xy.withUnsafeMutableBufferPointer { xy in
            try columns.ringStart.withUnsafeBufferPointer { rs in
                var write = 0
                for r in 0..<rings {
                    let s = Int(rs[r]), e = Int(rs[r + 1])
                    if e - s < 2 { throw AuditProjectionError(message: "ring \(r) has fewer than 2 vertices") }
                    if write != s { (xy.baseAddress! + 2 * write).update(from: xy.baseAddress! + 2 * s, count: 2 * (e - 1 - s)) }
                    write += e - 1 - s
                }
                var squeezed = Array(UnsafeBufferPointer(rebasing: xy[0..<(2 * write)]))
                try project(&squeezed, to: crs, threads: threads, progress: progress)
                progress?.advance(rings)
                squeezed.withUnsafeBufferPointer { sq in
                    for r in stride(from: rings - 1, through: 0, by: -1) {
                        let s = Int(rs[r]), e = Int(rs[r + 1])
                        (xy.baseAddress! + 2 * s).update(from: sq.baseAddress! + 2 * (s - r), count: 2 * (e - 1 - s))
                        xy[2 * (e - 1)] = xy[2 * s]
                        xy[2 * (e - 1) + 1] = xy[2 * s + 1]
                    }
                }
            }
        }
    }

    /// Projects line strings in place, sending each vertex through PROJ once: a line that
    /// starts where the previous one ended (a chain of segments) reuses that vertex.
    public static func projectLines(_ columns: inout LineColumns, to crs: CRS, threads: Int, progress: AuditProgress? = nil) throws {
        let lines = columns.count
        if lines <= 0 { return }
        try columns.xy.withUnsafeMutableBufferPointer { xy in
            try columns.lineStart.withUnsafeBufferPointer { ls in
                var shared = [Bool](repeating: false, count: lines)
                var count = 0
                for l in 0..<lines {
                    let s = Int(ls[l]), e = Int(ls[l + 1])
                    if l > 0, e > s, xy[2 * s] == xy[2 * s - 2], xy[2 * s + 1] == xy[2 * s - 1] { shared[l] = true; count += e - s - 1 } else { count += e - s }
                }
                var squeezed = [Double](repeating: 0, count: 2 * count)
                var w = 0
                for l in 0..<lines {
                    let s = Int(ls[l]) + (shared[l] ? 1 : 0), e = Int(ls[l + 1])
                    for k in (2 * s)..<(2 * e) { squeezed[w] = xy[k]; w += 1 }
                }
                try project(&squeezed, to: crs, threads: threads, progress: progress)
                progress?.advance(xy.count / 2 - count)
                w = 0
                for l in 0..<lines {
                    let s0 = Int(ls[l]), e = Int(ls[l + 1])
                    var s = s0
                    if shared[l] { xy[2 * s] = xy[2 * s - 2]; xy[2 * s + 1] = xy[2 * s - 1]; s += 1 }
                    for k in (2 * s)..<(2 * e) { xy[k] = squeezed[w]; w += 1 }
                }
            }
        }
    }
}

/// Columns that cannot be projected as given.
public struct AuditProjectionError: Error, CustomStringConvertible, Sendable {
    public let message: String
    public var description: String { message }
}
