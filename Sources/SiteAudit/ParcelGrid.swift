import SiteVocabulary
import SiteGeometry
/// A uniform grid over parcel envelopes: each cell lists the parcels whose envelope overlaps
/// it, so the parcels that may hold a point (or meet a box) are found in constant time.
struct ParcelGrid: Sendable {
    private(set) var boxes: [Double] = []     // per parcel (minX, minY, maxX, maxY)
    private var originX = 0.0, originY = 0.0, cell = 1.0
    private var columns = 1, rows = 1
    private var cellStart: [Int32] = [0, 0]
    private var entries: [Int32] = []

    init(_ parcels: PolygonColumns) {
        let n = parcels.count
        if n == 0 { return }
        boxes = [Double](repeating: 0, count: 4 * n)
        var ext = (Double.infinity, Double.infinity, -Double.infinity, -Double.infinity)
        for p in 0..<n {
            let v0 = Int(parcels.ringStart[Int(parcels.polygonRingStart[p])])
            let v1 = Int(parcels.ringStart[Int(parcels.polygonRingStart[p]) + 1])
            var b = (Double.infinity, Double.infinity, -Double.infinity, -Double.infinity)
            for v in v0..<v1 {
                let x = parcels.xy[2 * v], y = parcels.xy[2 * v + 1]
                b.0 = min(b.0, x); b.1 = min(b.1, y); b.2 = max(b.2, x); b.3 = max(b.3, y)
            }
            boxes[4 * p] = b.0; boxes[4 * p + 1] = b.1; boxes[4 * p + 2] = b.2; boxes[4 * p + 3] = b.3
            ext.0 = min(ext.0, b.0); ext.1 = min(ext.1, b.1); ext.2 = max(ext.2, b.2); ext.3 = max(ext.3, b.3)
        }
        let width = max(ext.2 - ext.0, 1), height = max(ext.3 - ext.1, 1)
        cell = max((width * height / Double(n)).squareRoot(), 1)
        cell = max(cell, max(width, height) / 2048)
        originX = ext.0; originY = ext.1
        columns = Int(width / cell) + 1; rows = Int(height / cell) + 1
        var counts = [Int32](repeating: 0, count: columns * rows + 1)
        for p in 0..<n { forCells(p) { counts[$0 + 1] += 1 } }
        for i in 1..<counts.count { counts[i] += counts[i - 1] }
        cellStart = counts
        entries = [Int32](repeating: 0, count: Int(counts.last!))
        var fill = counts
        for p in 0..<n { forCells(p) { entries[Int(fill[$0])] = Int32(p); fill[$0] += 1 } }
    }

    private func forCells(_ p: Int, _ body: (Int) -> Void) {
        let (c0, r0) = cellOf(boxes[4 * p], boxes[4 * p + 1]), (c1, r1) = cellOf(boxes[4 * p + 2], boxes[4 * p + 3])
        for r in r0...r1 { for c in c0...c1 { body(r * columns + c) } }
    }

    @inline(__always)
    private func cellOf(_ x: Double, _ y: Double) -> (Int, Int) {
        let c = Int(((x - originX) / cell).rounded(.down)), r = Int(((y - originY) / cell).rounded(.down))
        return (min(max(c, 0), columns - 1), min(max(r, 0), rows - 1))
    }

    /// Calls `body` with each parcel whose envelope holds the point (each at most once).
    @inline(__always)
    func forEachCandidate(x: Double, y: Double, _ body: (Int) -> Void) {
        if boxes.isEmpty { return }
        let c = Int(((x - originX) / cell).rounded(.down)), r = Int(((y - originY) / cell).rounded(.down))
        if c < 0 || r < 0 || c >= columns || r >= rows { return }
        let k = r * columns + c
        for e in Int(cellStart[k])..<Int(cellStart[k + 1]) {
            let p = Int(entries[e])
            if x >= boxes[4 * p] && x <= boxes[4 * p + 2] && y >= boxes[4 * p + 1] && y <= boxes[4 * p + 3] { body(p) }
        }
    }

    /// Calls `body` with each parcel whose envelope meets the box, once each; `seen` is a
    /// per-worker scratch array of parcel count stamps and `stamp` a value unique to this call.
    func forEachCandidate(box: (Double, Double, Double, Double), seen: inout [Int32], stamp: Int32, _ body: (Int) -> Void) {
        if boxes.isEmpty { return }
        if box.2 < originX || box.3 < originY { return }
        let (c0, r0) = cellOf(box.0, box.1), (c1, r1) = cellOf(box.2, box.3)
        for r in r0...r1 {
            for c in c0...c1 {
                let k = r * columns + c
                for e in Int(cellStart[k])..<Int(cellStart[k + 1]) {
                    let p = Int(entries[e])
                    if seen[p] == stamp { continue }
                    seen[p] = stamp
                    if box.0 <= boxes[4 * p + 2] && box.2 >= boxes[4 * p] && box.1 <= boxes[4 * p + 3] && box.3 >= boxes[4 * p + 1] { body(p) }
                }
            }
        }
    }
}
