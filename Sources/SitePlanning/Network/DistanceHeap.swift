/// A binary min-heap: the smallest element first. With a total order (ties broken by a node
/// index), the pop order depends only on what was pushed, so every search built on it is
/// deterministic.
struct BinaryHeap<Element: Comparable> {
    private var items: [Element] = []

    var isEmpty: Bool { items.isEmpty }

    mutating func push(_ element: Element) {
        items.append(element)
        var i = items.count - 1
        while i > 0 {
            let p = (i - 1) / 2
            guard items[i] < items[p] else { break }
            items.swapAt(i, p)
            i = p
        }
    }

    mutating func pop() -> Element? {
        guard !items.isEmpty else { return nil }
        items.swapAt(0, items.count - 1)
        let top = items.removeLast()
        var i = 0
        while true {
            let l = 2 * i + 1, r = l + 1
            var m = i
            if l < items.count && items[l] < items[m] { m = l }
            if r < items.count && items[r] < items[m] { m = r }
            if m == i { break }
            items.swapAt(i, m)
            i = m
        }
        return top
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
