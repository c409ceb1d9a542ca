import SiteVocabulary
import SiteGeometry

/// A street network as a graph: nodes where centrelines meet (shared ends, or an end on
/// another line's interior, a T-junction), edges the pieces between them with their lengths
/// in metres. Shortest paths by Dijkstra with a binary heap, so a network of n edges is
/// searched in O(n log n).
struct LayoutStreetGraph {
    struct Edge {
        let a: Int
        let b: Int
        let lengthMetres: Double
        /// The input line the edge is part of.
        let line: Int
        let from: XY
        let to: XY
    }

    private(set) var nodes: [XY] = []
    private(set) var edges: [Edge] = []
    private(set) var adjacency: [[Int]] = []
    private var nodeIndex: [Key: Int] = [:]
    private var edgeGrid = EnvelopeGrid(cellMetres: 100)

    private struct Key: Hashable { let x: Int64, y: Int64 }
    /// Points within a centimetre are one node.
    private static let tolerance = 0.01

    private mutating func node(_ p: XY) -> Int {
        let key = Key(x: Int64((p.x / Self.tolerance).rounded()), y: Int64((p.y / Self.tolerance).rounded()))
        if let i = nodeIndex[key] { return i }
        nodes.append(p)
        adjacency.append([])
        nodeIndex[key] = nodes.count - 1
        return nodes.count - 1
    }

    /// The graph of `lines` (each a polyline's coordinates).
    init(lines: [[XY]]) {
        var lineGrid = EnvelopeGrid(cellMetres: 100)
        for line in lines { lineGrid.insert(Self.envelope(line)) }
        // Split points: every line end that lies on another line's interior.
        var splits = [[(Double, XY)]](repeating: [], count: lines.count)
        for line in lines {
            for end in [line.first, line.last].compactMap({ $0 }) {
                let probe = Envelope(minX: end.x, minY: end.y, maxX: end.x, maxY: end.y).expanded(by: Self.tolerance)
                for j in lineGrid.query(probe) {
                    let other = lines[j]
                    var along = 0.0
                    for k in 0..<(other.count - 1) {
                        let (t, d) = Self.project(end, other[k], other[k + 1])
                        let segLength = other[k].distance(to: other[k + 1])
                        if d < Self.tolerance && along + t > Self.tolerance {
                            let total = along + t
                            if total < Self.length(other) - Self.tolerance { splits[j].append((total, end)) }
                        }
                        along += segLength
                    }
                }
            }
        }
        for (i, line) in lines.enumerated() where line.count >= 2 {
            // Walk the line, cutting at its vertices' split points in order along it.
            let cuts = splits[i].sorted { $0.0 < $1.0 }
            var cutIndex = 0
            var along = 0.0
            var start = node(line[0]), startXY = line[0], startAlong = 0.0
            for k in 0..<(line.count - 1) {
                let segLength = line[k].distance(to: line[k + 1])
                while cutIndex < cuts.count && cuts[cutIndex].0 < along + segLength {
                    let (t, p) = cuts[cutIndex]
                    cutIndex += 1
                    let n = node(p)
                    if n != start { addEdge(start, n, t - startAlong, line: i, startXY, p); start = n; startXY = p; startAlong = t }
                }
                along += segLength
            }
            let end = node(line[line.count - 1])
            if end != start || along - startAlong > Self.tolerance { addEdge(start, end, along - startAlong, line: i, startXY, line[line.count - 1]) }
        }
    }

    private mutating func addEdge(_ a: Int, _ b: Int, _ length: Double, line: Int, _ from: XY, _ to: XY) {
        edges.append(Edge(a: a, b: b, lengthMetres: length, line: line, from: from, to: to))
        adjacency[a].append(edges.count - 1)
        if b != a { adjacency[b].append(edges.count - 1) }
        edgeGrid.insert(Envelope(minX: min(from.x, to.x), minY: min(from.y, to.y), maxX: max(from.x, to.x), maxY: max(from.y, to.y)))
    }

    static func envelope(_ line: [XY]) -> Envelope {
        var e = Envelope(minX: .infinity, minY: .infinity, maxX: -.infinity, maxY: -.infinity)
        for p in line { e = Envelope(minX: min(e.minX, p.x), minY: min(e.minY, p.y), maxX: max(e.maxX, p.x), maxY: max(e.maxY, p.y)) }
        return e
    }

    static func length(_ line: [XY]) -> Double {
        zip(line, line.dropFirst()).reduce(0) { $0 + $1.0.distance(to: $1.1) }
    }

    /// Distance along a→b of p's projection (clamped to the segment) and p's distance to it.
    static func project(_ p: XY, _ a: XY, _ b: XY) -> (Double, Double) {
        let dx = b.x - a.x, dy = b.y - a.y
        let l2 = dx * dx + dy * dy
        guard l2 > 0 else { return (0, p.distance(to: a)) }
        let t = max(0, min(1, ((p.x - a.x) * dx + (p.y - a.y) * dy) / l2))
        let q = XY(a.x + t * dx, a.y + t * dy)
        return (t * l2.squareRoot(), p.distance(to: q))
    }

    /// The point of the network nearest `p`: the edge, the distance along it from its `a`
    /// end, and the distance from `p`. Nil for an empty network.
    func locate(_ p: XY) -> (edge: Int, along: Double, distance: Double)? {
        guard !edges.isEmpty else { return nil }
        var radius = 50.0
        while true {
            var best: (Int, Double, Double)?
            for e in edgeGrid.query(Envelope(minX: p.x, minY: p.y, maxX: p.x, maxY: p.y).expanded(by: radius)) {
                let (t, d) = Self.project(p, edges[e].from, edges[e].to)
                if best == nil || d < best!.2 - 1e-12 { best = (e, t, d) }
            }
            // Found within the searched square's inscribed circle: nothing outside is nearer.
            if let best, best.2 <= radius { return best }
            if radius > 1e7 { return best }
            radius *= 4
        }
    }

    /// Shortest network distance from `sources` (node, starting distance) to every node,
    /// metres; infinity where no path reaches. `via` holds each node's last edge on its path.
    func shortestPaths(from sources: [(node: Int, distance: Double)]) -> (distance: [Double], via: [Int?]) {
        var distance = [Double](repeating: .infinity, count: nodes.count)
        var via = [Int?](repeating: nil, count: nodes.count)
        var heap = DistanceHeap()
        for s in sources where s.distance < distance[s.node] {
            distance[s.node] = s.distance
            heap.push(s.distance, s.node)
        }
        while let (d, n) = heap.pop() {
            guard d <= distance[n] else { continue }
            for e in adjacency[n] {
                let edge = edges[e]
                let m = edge.a == n ? edge.b : edge.a
                let nd = d + edge.lengthMetres
                if nd < distance[m] - 1e-12 {
                    distance[m] = nd
                    via[m] = e
                    heap.push(nd, m)
                }
            }
        }
        return (distance, via)
    }

    /// Shortest paths from a point on the network (located as by `locate`).
    func shortestPaths(fromPoint p: XY) -> (distance: [Double], via: [Int?])? {
        guard let (e, t, _) = locate(p) else { return nil }
        let edge = edges[e]
        return shortestPaths(from: [(edge.a, t), (edge.b, edge.lengthMetres - t)])
    }

    /// Network distance to a located point, from shortest-path distances to the nodes.
    func distance(to located: (edge: Int, along: Double, distance: Double), _ d: [Double]) -> Double {
        let edge = edges[located.edge]
        return min(d[edge.a] + located.along, d[edge.b] + edge.lengthMetres - located.along)
    }

    /// Nodes with a single edge.
    var deadEndNodes: [Int] { adjacency.indices.filter { adjacency[$0].count == 1 } }
}
