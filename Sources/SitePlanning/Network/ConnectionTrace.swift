import SiteVocabulary
/// Connection by tracing: a building is connected for a utility when its service line and
/// every segment on some path from it to the utility's source are laid or commissioned.
public struct ConnectionTracer: Sendable {
    public let network: UtilityNetwork
    public let status: StatusBook
    public let asOf: ISODate?
    private let incidence: [[Int]]

    public init(network: UtilityNetwork, status: StatusBook, asOf: ISODate? = nil) {
        self.network = network
        self.status = status
        self.asOf = asOf
        self.incidence = network.incidence()
    }

    public func isBuilt(_ segment: Int) -> Bool { status.status(of: network.segments[segment].id, asOf: asOf).isBuilt }

    /// Nodes reachable from `utility`'s source over built segments (a breadth-first search,
    /// so loops and parallel paths count: any one built path suffices).
    public func reachedFromSource(_ utility: Utility, treating extraBuilt: Set<Int> = []) -> [Bool] {
        var reached = [Bool](repeating: false, count: network.nodes.count)
        guard let source = network.sourceNodes[utility] else { return reached }
        reached[source] = true
        var queue = [source]
        while let n = queue.popLast() {
            for s in incidence[n] where isBuilt(s) || extraBuilt.contains(s) {
                let seg = network.segments[s]
                let other = seg.from == n ? seg.to : seg.from
                if !reached[other] { reached[other] = true; queue.append(other) }
            }
        }
        return reached
    }

    /// The buildings connected for `utility`, as a set of building ids.
    public func connectedBuildings(_ utility: Utility) -> Set<String> {
        let reached = reachedFromSource(utility)
        var result = Set<String>()
        for (building, lines) in network.serviceLines {
            guard let s = lines[utility] else { continue }
            let seg = network.segments[s]
            if reached[seg.to] && reached[seg.from] { result.insert(building) }
        }
        return result
    }

    /// A path from a building to its utility's source, preferring the fewest unbuilt segments,
    /// then the shortest: the segments in order from the building, and which of them block.
    public struct Trace: Sendable {
        public let buildingID: String
        public let utility: Utility
        /// Segment indices from the building to the source; empty when no path exists.
        public let path: [Int]
        public let blocking: [Int]
        public var connected: Bool { !path.isEmpty && blocking.isEmpty }
        public var reachesSource: Bool { !path.isEmpty }
    }

    public func trace(building: String, utility: Utility) -> Trace? {
        guard let service = network.serviceLines[building]?[utility] else { return nil }
        let start = network.segments[service].to
        guard let source = network.sourceNodes[utility] else {
            return Trace(buildingID: building, utility: utility, path: [], blocking: [])
        }
        // Dijkstra on (unbuilt count, length).
        let n = network.nodes.count
        var cost = [(Int, Double)](repeating: (Int.max, .infinity), count: n)
        var via = [Int](repeating: -1, count: n)
        var done = [Bool](repeating: false, count: n)
        cost[start] = (0, 0)
        var frontier: Set<Int> = [start]
        while let current = frontier.min(by: { (cost[$0].0, cost[$0].1, $0) < (cost[$1].0, cost[$1].1, $1) }) {
            frontier.remove(current)
            done[current] = true
            if current == source { break }
            for s in incidence[current] {
                let seg = network.segments[s]
                let next = seg.from == current ? seg.to : seg.from
                guard !done[next] else { continue }
                let c = (cost[current].0 + (isBuilt(s) ? 0 : 1), cost[current].1 + seg.lengthMetres)
                if c < cost[next] { cost[next] = c; via[next] = s; frontier.insert(next) }
            }
        }
        guard via[source] >= 0 else { return Trace(buildingID: building, utility: utility, path: [], blocking: []) }
        var path: [Int] = []
        var walk = source
        while walk != start {
            let s = via[walk]
            path.append(s)
            let seg = network.segments[s]
            walk = seg.from == walk ? seg.to : seg.from
        }
        path.reverse()
        return Trace(buildingID: building, utility: utility, path: path, blocking: path.filter { !isBuilt($0) })
    }
}
