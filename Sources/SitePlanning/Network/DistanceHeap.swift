/// A binary min-heap: the smallest element first. With a total order (ties broken by a node
/// index), the pop order depends only on what was pushed, so every search built on it is
/// deterministic.
struct BinaryHeap<Element: Comparable> {
    private var items: [Element] = []

    var isEmpty: Bool { items.isEmpty }

    /// Moves the new element up from the end, shifting its larger parents down (one write per level).
    mutating func push(_ element: Element) {
        items.append(element)
        items.withUnsafeMutableBufferPointer { b in
            var i = b.count - 1
            while i > 0 {
                let p = (i - 1) / 2
                guard element < b[p] else { break }
                b[i] = b[p]
                i = p
            }
            b[i] = element
        }
    }

    /// Takes the first element; the last one moves down from the top past its smaller children.
    mutating func pop() -> Element? {
        guard let last = items.popLast() else { return nil }
        if items.isEmpty { return last }
        return items.withUnsafeMutableBufferPointer { b in
            let top = b[0]
            let n = b.count
            var i = 0
            while true {
                let l = 2 * i + 1
                guard l < n else { break }
                let r = l + 1
                let m = r < n && b[r] < b[l] ? r : l
                guard b[m] < last else { break }
                b[i] = b[m]
                i = m
            }
            b[i] = last
            return top
        }
    }
}

/// A node reached at a cost, ordered by cost then node index.
struct CostNode: Comparable {
    let cost: Double
    let node: Int
    static func < (a: CostNode, b: CostNode) -> Bool { a.cost < b.cost || (a.cost == b.cost && a.node < b.node) }
}

/// The heap of Dijkstra searches: (cost, node) pairs, cheapest first, ties to the lower node.
struct DistanceHeap {
    private var heap = BinaryHeap<CostNode>()

    var isEmpty: Bool { heap.isEmpty }

    mutating func push(_ cost: Double, _ node: Int) { heap.push(CostNode(cost: cost, node: node)) }

    mutating func pop() -> (cost: Double, node: Int)? { heap.pop().map { ($0.cost, $0.node) } }
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
