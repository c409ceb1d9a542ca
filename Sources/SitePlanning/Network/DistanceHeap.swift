/// A binary min-heap of (cost, node), ordered by cost then node index, so shortest-path
/// searches settle nodes in a deterministic order (same input, same tree).
struct DistanceHeap {
    typealias Entry = (cost: Double, node: Int)
    private var items: [Entry] = []

    var isEmpty: Bool { items.isEmpty }

    private static func less(_ a: Entry, _ b: Entry) -> Bool { a.cost < b.cost || (a.cost == b.cost && a.node < b.node) }

    mutating func push(_ cost: Double, _ node: Int) {
        items.append((cost, node))
        var i = items.count - 1
        while i > 0 {
            let p = (i - 1) / 2
            guard Self.less(items[i], items[p]) else { break }
            items.swapAt(i, p)
            i = p
        }
    }

    mutating func pop() -> Entry? {
        guard !items.isEmpty else { return nil }
        items.swapAt(0, items.count - 1)
        let top = items.removeLast()
        var i = 0
        while true {
            let l = 2 * i + 1, r = l + 1
            var m = i
            if l < items.count && Self.less(items[l], items[m]) { m = l }
            if r < items.count && Self.less(items[r], items[m]) { m = r }
            if m == i { break }
            items.swapAt(i, m)
            i = m
        }
        return top
    }
}

/// Shortest paths over an undirected weighted graph given as adjacency lists
/// (`adjacency[n]` = (neighbour, edge, cost)), from one or more start nodes at cost 0:
/// Dijkstra with a binary heap, O((V + E) log V).
struct ShortestPathTree {
    /// Cost from the nearest start, per node; infinity where unreached.
    var cost: [Double]
    /// The edge each node is reached by; -1 for starts and unreached nodes.
    var viaEdge: [Int]
    /// The node each node is reached from; -1 for starts and unreached nodes.
    var viaNode: [Int]
    /// Nodes in the order they were settled.
    var order: [Int]

    init(nodeCount: Int, adjacency: [[(node: Int, edge: Int, cost: Double)]], starts: [Int]) {
        cost = [Double](repeating: .infinity, count: nodeCount)
        viaEdge = [Int](repeating: -1, count: nodeCount)
        viaNode = [Int](repeating: -1, count: nodeCount)
        order = []
        var done = [Bool](repeating: false, count: nodeCount)
        var heap = DistanceHeap()
        for s in starts { cost[s] = 0; heap.push(0, s) }
        while let (c, n) = heap.pop() {
            guard !done[n], c == cost[n] else { continue }
            done[n] = true
            order.append(n)
            for (next, edge, w) in adjacency[n] where !done[next] {
                let d = c + w
                if d < cost[next] - 1e-9 {
                    cost[next] = d
                    viaEdge[next] = edge
                    viaNode[next] = n
                    heap.push(d, next)
                }
            }
        }
    }

    /// The nodes from a start to `node`, start first; empty when `node` is unreached.
    func path(to node: Int) -> [Int] {
        guard cost[node].isFinite else { return [] }
        var nodes = [node]
        var walk = node
        while viaNode[walk] >= 0 { walk = viaNode[walk]; nodes.append(walk) }
        return nodes.reversed()
    }
}
