import SiteGeometry

/// Where a water main can be closed into a loop: runs of street the main tree does not use
/// that join two of its nodes (two dead ends facing each other across a block, or the far
/// side of a block perimeter). A planner loops water mains so a break or a repair can be fed
/// from the other side; sewer, power, gas and telecom stay trees.
enum WaterLoops {
    /// The unused street runs that close a loop, each as its edges in order, ascending by
    /// first edge: a run starts at a tree node, passes only through nodes off the tree where
    /// the street does not branch, ends at another tree node, and is at most `maxRunMetres`
    /// long (one block length: a longer gap is a street nobody lives on, not a loop).
    static func closingRuns(nodes: [XY], edges: [(a: Int, b: Int)], treeEdges: Set<Int>, maxRunMetres: Double) -> [[Int]] {
        var onTree = [Bool](repeating: false, count: nodes.count)
        for e in treeEdges { onTree[edges[e].a] = true; onTree[edges[e].b] = true }
        var spare = [[Int]](repeating: [], count: nodes.count)
        for (e, edge) in edges.enumerated() where !treeEdges.contains(e) && edge.a != edge.b {
            spare[edge.a].append(e)
            spare[edge.b].append(e)
        }
        var seen = Set<Int>()
        var runs: [[Int]] = []
        for start in nodes.indices where onTree[start] {
            for first in spare[start] where !seen.contains(first) {
                var run = [first]
                seen.insert(first)
                var length = nodes[edges[first].a].distance(to: nodes[edges[first].b])
                var at = edges[first].a == start ? edges[first].b : edges[first].a
                var previous = first
                while !onTree[at], spare[at].count == 2, length <= maxRunMetres {
                    let next = spare[at][0] == previous ? spare[at][1] : spare[at][0]
                    guard seen.insert(next).inserted else { break }
                    run.append(next)
                    length += nodes[edges[next].a].distance(to: nodes[edges[next].b])
                    at = edges[next].a == at ? edges[next].b : edges[next].a
                    previous = next
                }
                if onTree[at], at != start, length <= maxRunMetres { runs.append(run) }
            }
        }
        return runs.sorted { $0[0] < $1[0] }
    }

    /// Dead ends of the mains closed back onto them: from each dead end of the main tree (a
    /// node with one main, other than `root`), the shortest run of street no main uses to
    /// another node of the mains, at most `maxRunMetres` long. Runs already taken (`taken`)
    /// count as mains. Returns the new runs' edges, in dead-end order.
    static func deadEndClosures(nodes: [XY], edges: [(a: Int, b: Int)], treeEdges: Set<Int>, taken: Set<Int>, root: Int,
                                maxRunMetres: Double) -> [[Int]] {
        var onMains = [Bool](repeating: false, count: nodes.count)
        var mainDegree = [Int](repeating: 0, count: nodes.count)
        for e in treeEdges { mainDegree[edges[e].a] += 1; mainDegree[edges[e].b] += 1 }
        var used = treeEdges.union(taken)
        for e in used { onMains[edges[e].a] = true; onMains[edges[e].b] = true }
        var spare = [[Int]](repeating: [], count: nodes.count)
        for (e, edge) in edges.enumerated() where !used.contains(e) && edge.a != edge.b {
            spare[edge.a].append(e)
            spare[edge.b].append(e)
        }
        var runs: [[Int]] = []
        var cost = [Double](repeating: .infinity, count: nodes.count)
        var via = [Int](repeating: -1, count: nodes.count)
        for leaf in nodes.indices where mainDegree[leaf] == 1 && leaf != root {
            // A bounded Dijkstra over unused street from the dead end.
            var touched = [leaf]
            cost[leaf] = 0
            var heap = DistanceHeap()
            heap.push(0, leaf)
            var reached: Int?
            while let (c, n) = heap.pop() {
                guard c == cost[n] else { continue }
                if n != leaf && onMains[n] { reached = n; break }
                for e in spare[n] where !used.contains(e) {
                    let m = edges[e].a == n ? edges[e].b : edges[e].a
                    let d = c + nodes[n].distance(to: nodes[m])
                    guard d <= maxRunMetres, d < cost[m] - 1e-9 else { continue }
                    if cost[m].isInfinite { touched.append(m) }
                    cost[m] = d
                    via[m] = e
                    heap.push(d, m)
                }
            }
            if let end = reached {
                var run: [Int] = []
                var walk = end
                while walk != leaf {
                    let e = via[walk]
                    run.append(e)
                    walk = edges[e].a == walk ? edges[e].b : edges[e].a
                }
                run.reverse()
                for e in run { used.insert(e); onMains[edges[e].a] = true; onMains[edges[e].b] = true }
                runs.append(run)
            }
            for n in touched { cost[n] = .infinity; via[n] = -1 }
        }
        return runs
    }
}
