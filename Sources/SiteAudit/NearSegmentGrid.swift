import SiteVocabulary
import SiteGeometry
/// A uniform grid over the usable segments of every utility, for the common case of a
/// building with a line close by: one pass over a few cells answers all five utilities whose
/// nearest segment is within `radius`, and only the others go to the per-utility trees.
///
/// Exact: a segment within `radius` of a footprint has its envelope within `radius` of the
/// footprint's envelope, so it is in one of the cells scanned.
final class NearSegmentGrid: @unchecked Sendable {
    /// Metres: answers at most this far are final after the grid pass.
    let radius: Double
    private let originX: Double, originY: Double, cell: Double
    private let columns: Int, rows: Int
    /// Entries of cell c: `entries[cellStart[c]..<cellStart[c+1]]`, each `utility << 29 | segment`
    /// (the segment's index in that utility's `SegmentIndex`, leaf order).
    let cellStart: UnsafeMutablePointer<Int32>
    let entries: UnsafeMutablePointer<UInt32>
    let isEmpty: Bool

    init(_ trees: [SegmentIndex], radius: Double = 30) {
        self.radius = radius
        var ext = (Double.infinity, Double.infinity, -Double.infinity, -Double.infinity)
        var total = 0
        for t in trees {
            for k in 0..<t.segmentCount {
                let s = t.segment(k)
                ext.0 = min(ext.0, s.0, s.2); ext.1 = min(ext.1, s.1, s.3); ext.2 = max(ext.2, s.0, s.2); ext.3 = max(ext.3, s.1, s.3)
            }
            total += t.segmentCount
        }
        isEmpty = total == 0
        let width = max(ext.2 - ext.0, 1), height = max(ext.3 - ext.1, 1)
        var c = 100.0
        if isEmpty { c = 1 } else {
            // At most 4096 × 4096 cells.
            c = max(c, max(width, height) / 4096)
        }
        cell = c
        originX = isEmpty ? 0 : ext.0
        originY = isEmpty ? 0 : ext.1
        columns = isEmpty ? 1 : Int(width / c) + 1
        rows = isEmpty ? 1 : Int(height / c) + 1
        let cells = columns * rows
        cellStart = .allocate(capacity: cells + 1)
        cellStart.initialize(repeating: 0, count: cells + 1)
        // Count, prefix-sum, fill.
        let ox = originX, oy = originY, cs = cell, cols = columns
        func forCells(_ s: (Double, Double, Double, Double), _ body: (Int) -> Void) {
            let c0 = Int((min(s.0, s.2) - ox) / cs), c1 = Int((max(s.0, s.2) - ox) / cs)
            let r0 = Int((min(s.1, s.3) - oy) / cs), r1 = Int((max(s.1, s.3) - oy) / cs)
            for r in r0...r1 { for c in c0...c1 { body(r * cols + c) } }
        }
        let start = cellStart
        for t in trees { for k in 0..<t.segmentCount { forCells(t.segment(k)) { start[$0 + 1] += 1 } } }
        for i in 0..<cells { start[i + 1] += start[i] }
        let n = Int(start[cells])
        let entries = UnsafeMutablePointer<UInt32>.allocate(capacity: max(n, 1))
        self.entries = entries
        var fill = [Int32](repeating: 0, count: cells)
        for i in 0..<cells { fill[i] = start[i] }
        for (u, t) in trees.enumerated() {
            for k in 0..<t.segmentCount {
                forCells(t.segment(k)) { c in
                    entries[Int(fill[c])] = UInt32(u) << 29 | UInt32(k)
                    fill[c] += 1
                }
            }
        }
    }

    deinit {
        cellStart.deallocate()
        entries.deallocate()
    }

    /// Lowers `best2[u]` / `bestSegment[u]` to the nearest segment of each utility among those
    /// whose envelope is within `radius` of `box`. Afterwards, `best2[u] <= radius²` is final.
    /// `scratch` holds at least `scratchCapacity` candidates.
    static let scratchCapacity = 512

    @inline(__always)
    func scan(_ polygon: PolygonRef, box: (Double, Double, Double, Double), views: UnsafePointer<SegmentIndex.View>,
              best2: UnsafeMutablePointer<Double>, bestSegment: UnsafeMutablePointer<Int>,
              scratchBound: UnsafeMutablePointer<Double>, scratchEntry: UnsafeMutablePointer<UInt32>) {
        if isEmpty { return }
        let r2 = radius * radius
        var c0 = Int(((box.0 - radius) - originX) / cell), c1 = Int(((box.2 + radius) - originX) / cell)
        var r0 = Int(((box.1 - radius) - originY) / cell), r1 = Int(((box.3 + radius) - originY) / cell)
        if box.2 + radius < originX || box.3 + radius < originY { return }
        c0 = max(c0, 0); r0 = max(r0, 0); c1 = min(c1, columns - 1); r1 = min(r1, rows - 1)
        if c0 > c1 || r0 > r1 { return }
        // Gather the candidates with their envelope bound, sorted by it (insertion), so the
        // nearest of each utility usually comes first and prunes the rest.
        var m = 0
        for r in r0...r1 {
            for c in c0...c1 {
                let cellIndex = r * columns + c
                for e in Int(cellStart[cellIndex])..<Int(cellStart[cellIndex + 1]) {
                    let entry = entries[e]
                    let u = Int(entry >> 29), k = Int(entry & 0x1FFF_FFFF)
                    let s = views[u].segments + 4 * k
                    let ax = s[0], ay = s[1], bx = s[2], by = s[3]
                    let lower = boxDistance2(box, min(ax, bx), min(ay, by), max(ax, bx), max(ay, by))
                    if lower > r2 { continue }
                    if m == NearSegmentGrid.scratchCapacity {
                        // Full: evaluate this one directly.
                        if lower < best2[u] {
                            let d2 = polygonSegmentDistance2(polygon, box, ax, ay, bx, by)
                            if d2 < best2[u] { best2[u] = d2; bestSegment[u] = k }
                        }
                        continue
                    }
                    var p = m
                    while p > 0 && scratchBound[p - 1] > lower {
                        scratchBound[p] = scratchBound[p - 1]; scratchEntry[p] = scratchEntry[p - 1]; p -= 1
                    }
                    scratchBound[p] = lower; scratchEntry[p] = entry
                    m += 1
                }
            }
        }
        for i in 0..<m {
            let entry = scratchEntry[i]
            let u = Int(entry >> 29), k = Int(entry & 0x1FFF_FFFF)
            if scratchBound[i] >= best2[u] { continue }
            let s = views[u].segments + 4 * k
            let d2 = polygonSegmentDistance2(polygon, box, s[0], s[1], s[2], s[3])
            if d2 < best2[u] { best2[u] = d2; bestSegment[u] = k }
        }
    }
}
