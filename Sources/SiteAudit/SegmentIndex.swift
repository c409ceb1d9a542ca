import SiteVocabulary
import SiteGeometry
/// A packed Sort-Tile-Recursive R-tree over straight line segments (EPSG:32638 metres), built
/// once and then read concurrently, with an exact nearest-segment search from a polygon.
///
/// The search prunes by envelope distance, a lower bound of the exact polygon–segment
/// distance, and computes the exact distance only for segments the bound cannot rule out.
struct SegmentIndex: @unchecked Sendable {
    /// Segment `i` is (ax, ay, bx, by) at `segments[4i..<4i+4]`, in leaf order.
    private(set) var segments: [Double] = []
    /// Node envelopes (minX, minY, maxX, maxY) at `boxes[4n..<4n+4]`; leaves first, root last.
    private(set) var boxes: [Double] = []
    /// Node `n`'s children: `first[n]..<first[n]+count[n]` (segments for leaves, nodes otherwise).
    private(set) var first: [Int32] = []
    private(set) var childCount: [Int32] = []
    private(set) var leafCount = 0
    static let capacity = 8

    var isEmpty: Bool { segments.isEmpty }
    var segmentCount: Int { segments.count / 4 }
    var root: Int { boxes.count / 4 - 1 }

    /// Builds the tree from segments given as (ax, ay, bx, by) quadruples.
    init(segments input: [Double]) {
        let n = input.count / 4
        if n == 0 { return }
        var centers = [Double](repeating: 0, count: 2 * n)
        for i in 0..<n {
            centers[2 * i] = (input[4 * i] + input[4 * i + 2]) / 2
            centers[2 * i + 1] = (input[4 * i + 1] + input[4 * i + 3]) / 2
        }
        let order = SegmentIndex.strOrder(centers: centers, count: n)
        segments.reserveCapacity(input.count)
        for i in order { segments.append(contentsOf: input[4 * Int(i)..<4 * Int(i) + 4]) }
        // Leaves: consecutive runs of the STR order.
        var levelBoxes: [Double] = []
        var levelFirst: [Int32] = []
        var levelCount: [Int32] = []
        var s = 0
        while s < n {
            let e = min(s + SegmentIndex.capacity, n)
            var b = (Double.infinity, Double.infinity, -Double.infinity, -Double.infinity)
            for k in s..<e {
                b.0 = min(b.0, segments[4 * k], segments[4 * k + 2]); b.1 = min(b.1, segments[4 * k + 1], segments[4 * k + 3])
                b.2 = max(b.2, segments[4 * k], segments[4 * k + 2]); b.3 = max(b.3, segments[4 * k + 1], segments[4 * k + 3])
            }
            levelBoxes += [b.0, b.1, b.2, b.3]
            levelFirst.append(Int32(s)); levelCount.append(Int32(e - s))
            s = e
        }
        leafCount = levelFirst.count
        var levelStart = 0
        while true {
            let m = levelFirst.count
            // Append this level in STR order of its nodes, then build the parents.
            var c = [Double](repeating: 0, count: 2 * m)
            for i in 0..<m {
                c[2 * i] = (levelBoxes[4 * i] + levelBoxes[4 * i + 2]) / 2
                c[2 * i + 1] = (levelBoxes[4 * i + 1] + levelBoxes[4 * i + 3]) / 2
            }
            let o = m > 1 ? SegmentIndex.strOrder(centers: c, count: m) : [0]
            levelStart = first.count
            for i in o {
                boxes.append(contentsOf: levelBoxes[4 * Int(i)..<4 * Int(i) + 4])
                first.append(levelFirst[Int(i)]); childCount.append(levelCount[Int(i)])
            }
            if m == 1 { break }
            var nb: [Double] = [], nf: [Int32] = [], nc: [Int32] = []
            var k = 0
            while k < m {
                let e = min(k + SegmentIndex.capacity, m)
                var b = (Double.infinity, Double.infinity, -Double.infinity, -Double.infinity)
                for j in (levelStart + k)..<(levelStart + e) {
                    b.0 = min(b.0, boxes[4 * j]); b.1 = min(b.1, boxes[4 * j + 1])
                    b.2 = max(b.2, boxes[4 * j + 2]); b.3 = max(b.3, boxes[4 * j + 3])
                }
                nb += [b.0, b.1, b.2, b.3]
                nf.append(Int32(levelStart + k)); nc.append(Int32(e - k))
                k = e
            }
            levelBoxes = nb; levelFirst = nf; levelCount = nc
        }
    }

    /// The Sort-Tile-Recursive order of points: vertical slices by x, each sorted by y.
    private static func strOrder(centers: [Double], count n: Int) -> [Int32] {
        var order = (0..<n).map { Int32($0) }
        order.sort { centers[2 * Int($0)] < centers[2 * Int($1)] || (centers[2 * Int($0)] == centers[2 * Int($1)] && $0 < $1) }
        let leaves = (n + capacity - 1) / capacity
        let slices = max(1, Int(Double(leaves).squareRoot().rounded(.up)))
        let sliceSize = ((leaves + slices - 1) / slices) * capacity
        var s = 0
        while s < n {
            let e = min(s + sliceSize, n)
            order[s..<e].sort { centers[2 * Int($0) + 1] < centers[2 * Int($1) + 1] || (centers[2 * Int($0) + 1] == centers[2 * Int($1) + 1] && $0 < $1) }
            s = e
        }
        return order
    }

    /// A read-only view on raw copies of the arrays, with no reference counting in the search.
    /// Valid while `storage` lives.
    struct View {
        let segments: UnsafePointer<Double>
        let boxes: UnsafePointer<Double>
        let first: UnsafePointer<Int32>
        let childCount: UnsafePointer<Int32>
        let leafCount: Int
        let root: Int
        let isEmpty: Bool

        @inline(__always)
        func segment(_ k: Int) -> (Double, Double, Double, Double) {
            (segments[4 * k], segments[4 * k + 1], segments[4 * k + 2], segments[4 * k + 3])
        }

        /// The squared distance from the polygon to its nearest segment, and that segment,
        /// starting from an upper bound `bound2` (`.infinity`, or the squared distance to a known
        /// segment `seed`). `stack` is scratch space of at least 1024 entries.
        @inline(__always)
        func nearest(_ polygon: PolygonRef, box: (Double, Double, Double, Double), bound2: Double, seed: Int,
                     stack: UnsafeMutablePointer<Int32>) -> (distance2: Double, segment: Int) {
            var best2 = bound2, bestSegment = seed
            if isEmpty { return (best2, bestSegment) }
            var top = 1
            stack[0] = Int32(root)
            var dist = (0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0)
            var idx = (Int32(0), Int32(0), Int32(0), Int32(0), Int32(0), Int32(0), Int32(0), Int32(0))
            while top > 0 {
                top -= 1
                let node = Int(stack[top])
                let b = boxes + 4 * node
                if boxDistance2(box, b[0], b[1], b[2], b[3]) >= best2 { continue }
                let f = Int(first[node]), c = Int(childCount[node])
                if node < leafCount {
                    for k in f..<(f + c) {
                        let s = segments + 4 * k
                        let ax = s[0], ay = s[1], ex = s[2], ey = s[3]
                        if boxDistance2(box, min(ax, ex), min(ay, ey), max(ax, ex), max(ay, ey)) >= best2 { continue }
                        let d2 = polygonSegmentDistance2(polygon, box, ax, ay, ex, ey)
                        if d2 < best2 { best2 = d2; bestSegment = k }
                    }
                } else {
                    // Push the children that may hold something nearer, farthest first, so the
                    // nearest is searched first.
                    var m = 0
                    withUnsafeMutableBytes(of: &dist) { dRaw in
                        withUnsafeMutableBytes(of: &idx) { iRaw in
                            let d = dRaw.baseAddress!.assumingMemoryBound(to: Double.self)
                            let ix = iRaw.baseAddress!.assumingMemoryBound(to: Int32.self)
                            for j in f..<(f + c) {
                                let cb = boxes + 4 * j
                                let dj = boxDistance2(box, cb[0], cb[1], cb[2], cb[3])
                                if dj >= best2 { continue }
                                var p = m
                                while p > 0 && d[p - 1] < dj { d[p] = d[p - 1]; ix[p] = ix[p - 1]; p -= 1 }
                                d[p] = dj; ix[p] = Int32(j)
                                m += 1
                            }
                            for p in 0..<m { stack[top] = ix[p]; top += 1 }
                        }
                    }
                }
            }
            return (best2, bestSegment)
        }
    }

    /// Raw copies of the arrays for `View`s; freed with the index's last copy.
    final class Storage: @unchecked Sendable {
        let segments: UnsafeMutablePointer<Double>
        let boxes: UnsafeMutablePointer<Double>
        let first: UnsafeMutablePointer<Int32>
        let childCount: UnsafeMutablePointer<Int32>

        init(_ index: SegmentIndex) {
            func copy<T>(_ a: [T]) -> UnsafeMutablePointer<T> {
                let p = UnsafeMutablePointer<T>.allocate(capacity: max(a.count, 1))
                _ = UnsafeMutableBufferPointer(start: p, count: a.count).initialize(from: a)
                return p
            }
            segments = copy(index.segments); boxes = copy(index.boxes)
            first = copy(index.first); childCount = copy(index.childCount)
        }

        deinit { segments.deallocate(); boxes.deallocate(); first.deallocate(); childCount.deallocate() }
    }

    /// Makes the raw storage (once) and returns it with a view on it.
    func makeView() -> (Storage, View) {
        let st = Storage(self)
        return (st, View(segments: st.segments, boxes: st.boxes, first: st.first, childCount: st.childCount,
                         leafCount: leafCount, root: isEmpty ? 0 : root, isEmpty: isEmpty))
    }

    /// Segment `k` (in leaf order) as (ax, ay, bx, by).
    @inline(__always)
    func segment(_ k: Int) -> (Double, Double, Double, Double) {
        (segments[4 * k], segments[4 * k + 1], segments[4 * k + 2], segments[4 * k + 3])
    }
}

/// Squared distance between two envelopes; 0 when they meet.
@inline(__always)
func boxDistance2(_ a: (Double, Double, Double, Double), _ minX: Double, _ minY: Double, _ maxX: Double, _ maxY: Double) -> Double {
    let dx = max(0, max(minX - a.2, a.0 - maxX))
    let dy = max(0, max(minY - a.3, a.1 - maxY))
    return dx * dx + dy * dy
}
