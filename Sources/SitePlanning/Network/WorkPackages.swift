import SiteVocabulary

/// Works a crew can do in one go: the unbuilt segments, across every utility, that bring one
/// building to full connection (connected for all five utilities, as `buildingsFullyConnected`
/// counts), and every building that becomes fully connected with them.
///
/// Each utility's part is the unbuilt segments of that building's trace to the utility's
/// source, from the source outward: usually one stretch of trunk, mains and the service line
/// along the same streets, in the same corridor as the other utilities' parts. Stretches
/// already built in between are not part of the package.
public struct WorkPackage: Sendable, Equatable {
    /// The building whose traces define the package.
    public let buildingID: String
    /// The unbuilt segments, by utility (in `Utility.allCases` order), each utility's from the
    /// source outward.
    public let segmentIDs: [String]
    /// The utilities the package lays segments for.
    public let utilities: [Utility]
    /// Total length of the segments, metres.
    public let lengthMetres: Double
    /// Buildings the package makes fully connected, sorted by id (the package's own building
    /// among them).
    public let buildingsUnlocked: [String]
    /// Dwellings in those buildings.
    public let dwellingsUnlocked: Int

    /// Dwellings unlocked per 100 m of segments laid: the ranking's figure of merit.
    public var dwellingsPerHundredMetres: Double { lengthMetres > 0 ? 100 * Double(dwellingsUnlocked) / lengthMetres : 0 }
}

/// "What do we build next?": work packages ranked greedily by dwellings unlocked per metre.
///
/// Each building not yet fully connected is a candidate: the union, over the five utilities,
/// of the unbuilt segments on its trace to the source (fewest unbuilt segments, then shortest,
/// as `ConnectionTracer.trace` chooses). A candidate's value is every dwelling that becomes
/// fully connected once its segments are built, which can be more than its own building's
/// (a trunk or main it completes for others). The best candidate is taken (most dwellings per
/// metre; ties: more dwellings, then shorter, then the lower building id), counted as built,
/// and the candidates are valued again, until `topN` packages are taken or nothing is left to
/// connect. So a trunk that unlocks nothing alone is found with the mains and service lines
/// that make it count, and with nothing built the first package runs from the sources.
///
/// A building that lacks a service line, or a path to a source, for some utility (a utility
/// with no source in the scenario) cannot become fully connected and is never a candidate.
///
///     let next = WorkPackageRanking.rank(tracer, dwellings: ["P1-A-H0001": 1], topN: 10)
///     next.first?.segmentIDs   // ["water-P1-A-T", …, "telecom-P1-A-H0001"]
public enum WorkPackageRanking {
    /// The next `topN` work packages, best first.
    ///
    /// Each round values only the candidates that can still win: every candidate gets, from
    /// one pass down each utility's shortest-path tree, the length of its unbuilt segments and
    /// a bound on the dwellings it can unlock (`Bounds`); candidates are then valued exactly,
    /// best bound per metre first, until the next one's bound per metre is below the best
    /// exact value found. The packages are those of valuing every candidate in every round,
    /// which the tests check.
    ///
    /// - Parameters:
    ///   - tracer: the network and the works status (as of its date) to start from.
    ///   - dwellings: dwellings per building id (`Building.units`); a building not listed counts none.
    ///   - topN: how many packages to return at most.
    ///   - threads: threads for each round's shortest-path trees (one per utility whose
    ///     segments the last package laid); the packages are the same for any number.
    public static func rank(_ tracer: ConnectionTracer, dwellings: [String: Int], topN: Int, threads: Int = 1) -> [WorkPackage] {
        let network = tracer.network
        let graph = Graph(network)
        let utilities = Utility.allCases
        var built = network.segments.indices.map { tracer.isBuilt($0) }
        let buildings = network.serviceLines.keys.sorted()
        // Service line per building (by index in `buildings`) and utility (by index in `utilities`); -1 for none.
        let services = buildings.map { b in utilities.map { network.serviceLines[b]?[$0] ?? -1 } }
        let units = buildings.map { dwellings[$0, default: 0] }
        let sources = utilities.map { network.sourceNodes[$0] ?? -1 }
        var result: [WorkPackage] = []
        var trees: [ShortestPaths?] = sources.map { _ in nil }
        var laidFor = Set(utilities.indices)
        var scratch = Scratch(nodes: graph.nodeCount, buildings: buildings.count)
        while result.count < topN {
            var components = Components(count: graph.nodeCount)
            for i in built.indices where built[i] { components.union(graph.from[i], graph.to[i]) }
            var isSourceRoot = [Bool](repeating: false, count: graph.nodeCount)
            for n in sources where n >= 0 { isSourceRoot[components.find(n)] = true }
            var connected = [Int](repeating: 0, count: buildings.count)
            // Service lines not yet connected, by the component of their building end.
            var waiting = [[(building: Int, service: Int)]](repeating: [], count: graph.nodeCount)
            for (b, lines) in services.enumerated() {
                for s in lines where s >= 0 {
                    let to = components.find(graph.to[s])
                    if isSourceRoot[to] && isSourceRoot[components.find(graph.from[s])] { connected[b] += 1 } else { waiting[to].append((b, s)) }
                }
            }
            // A utility's paths change only when the last package laid some of its segments.
            // The trees are independent: made on `threads` threads (plain arrays only).
            let due = sources.indices.filter { sources[$0] >= 0 && laidFor.contains($0) }
            let builtNow = built
            // The body does not throw.
            let made = try! parallelMap(due.count, threads: threads) { k in ShortestPaths(graph, builtNow, from: sources[due[k]]) }
            for (k, u) in due.enumerated() { trees[u] = made[k] }

            /// The candidate's package, the buildings it unlocks, their dwellings and its length.
            func value(_ b: Int) -> (package: [Int], unlocked: [Int], dwellings: Int, length: Double)? {
                guard let package = candidate(services[b], graph, trees, built) else { return nil }
                let unlocked = unlockedBy(package, graph, &components, isSourceRoot, waiting, connected: connected, &scratch)
                return (package, unlocked, unlocked.reduce(0) { $0 + units[$1] }, package.reduce(0) { $0 + graph.length[$1] })
            }
            // The candidates to value exactly.
            var valued: [Int: (package: [Int], unlocked: [Int], dwellings: Int, length: Double)] = [:]
            let bounds = Bounds(graph: graph, trees: trees, built: built, services: services, units: units,
                                components: &components, isSourceRoot: isSourceRoot, connected: connected)
            // Best bound per metre first (a package of no length first of all), ties by building.
            let key = bounds.dwellings.indices.map { b in
                bounds.metres[b] > 0 ? Double(bounds.dwellings[b]) / bounds.metres[b] : Double.infinity
            }
            let open = buildings.indices.filter { connected[$0] < utilities.count && bounds.dwellings[$0] > 0 }
                .sorted { key[$0] != key[$1] ? key[$0] > key[$1] : $0 < $1 }
            var bestPerMetre = -Double.infinity
            for b in open {
                // Even unlocking its bound, b's dwellings per metre are below the best found
                // (by more than rounding): so are the rest's.
                if key[b] < bestPerMetre * (1 - 1e-9) { break }
                guard let v = value(b) else { continue }
                valued[b] = v
                guard v.dwellings > 0 else { continue }
                bestPerMetre = max(bestPerMetre, v.length > 0 ? Double(v.dwellings) / v.length : .infinity)
            }
            // The best, taken in building order.
            let order = valued.keys.sorted()

            var best: (building: Int, package: [Int], unlocked: [Int], dwellings: Int, length: Double)?
            for b in order {
                guard let (package, unlocked, value, length) = valued[b], value > 0 else { continue }
                if let current = best {
                    // value / length against current.dwellings / current.length, without dividing.
                    let mine = Double(value) * current.length, theirs = Double(current.dwellings) * length
                    if mine < theirs { continue }
                    if mine == theirs && (value, -length) <= (current.dwellings, -current.length) { continue }
                }
                best = (b, package, unlocked, value, length)
            }
            guard let chosen = best else { break }
            for i in chosen.package { built[i] = true }
            laidFor = Set(chosen.package.map { graph.utility[$0] })
            let segments = chosen.package.map { network.segments[$0] }
            result.append(WorkPackage(buildingID: buildings[chosen.building], segmentIDs: segments.map(\.id),
                                      utilities: utilities.filter { u in segments.contains { $0.utility == u } },
                                      lengthMetres: chosen.length, buildingsUnlocked: chosen.unlocked.map { buildings[$0] }.sorted(),
                                      dwellingsUnlocked: chosen.dwellings))
        }
        return result
    }

    /// Per candidate building, from one pass down each utility's shortest-path tree: the
    /// length of the unbuilt segments on its paths, and a bound on the dwellings its package
    /// can unlock.
    ///
    /// A building B is unlocked by a package only when the package touches, for every service
    /// line of B not yet connected, the component of the line's building end (and of its tee
    /// end, unless that is joined to a source): see `unlockedBy`. A component not joined to a
    /// source is touched exactly when the package's path passes through it. So B is counted
    /// for one such component (its first unconnected line's building end, or its tee end when
    /// the building end is joined to a source), and a candidate's bound is the dwellings
    /// counted for the components its paths pass through: every building its package can
    /// unlock is among them.
    struct Bounds {
        /// Bound on the dwellings unlocked, per building (0: not a candidate).
        var dwellings: [Int]
        /// Length of the unbuilt segments on the building's paths, metres (summed per utility,
        /// so it may differ from the package's length in the last bits).
        var metres: [Double]

        init(graph: Graph, trees: [ShortestPaths?], built: [Bool], services: [[Int]], units: [Int],
             components: inout Components, isSourceRoot: [Bool], connected: [Int]) {
            let count = Utility.allCases.count
            var counted = [Int](repeating: 0, count: graph.nodeCount)
            for (b, lines) in services.enumerated() where connected[b] < count && !lines.contains(-1) {
                for s in lines {
                    let to = components.find(graph.to[s]), from = components.find(graph.from[s])
                    if isSourceRoot[to] && isSourceRoot[from] { continue }
                    counted[isSourceRoot[to] ? from : to] += units[b]
                    break
                }
            }
            var bound = [Int](repeating: 0, count: graph.nodeCount)
            var unbuilt = [Double](repeating: 0, count: graph.nodeCount)
            var reached = [Bool](repeating: false, count: graph.nodeCount)
            for tree in trees {
                guard let tree else { continue }
                for x in tree.order {
                    reached[x] = true
                    let root = components.find(x)
                    let s = tree.via[x]
                    guard s >= 0 else { bound[x] = isSourceRoot[root] ? 0 : counted[root]; continue }
                    let parent = graph.from[s] == x ? graph.to[s] : graph.from[s]
                    bound[x] = bound[parent] + (components.find(parent) == root ? 0 : counted[root])
                    unbuilt[x] = unbuilt[parent] + (built[s] ? 0 : graph.length[s])
                }
            }
            dwellings = services.map { lines in
                guard !lines.contains(-1), lines.allSatisfy({ reached[graph.to[$0]] }) else { return 0 }
                return lines.reduce(0) { $0 + bound[graph.to[$1]] }
            }
            metres = services.map { lines in lines.contains(-1) ? 0 : lines.reduce(0.0) { $0 + unbuilt[graph.to[$1]] } }
        }
    }

    /// The unbuilt segments on a building's paths to every utility's source, by utility, each
    /// from the source outward; nil when some utility has no source, no service line (-1 in
    /// `services`) or no path.
    static func candidate(_ services: [Int], _ graph: Graph, _ trees: [ShortestPaths?], _ built: [Bool]) -> [Int]? {
        var package: [Int] = []
        for (service, tree) in zip(services, trees) {
            guard let tree, service >= 0, tree.appendUnbuilt(from: graph.to[service], graph, built, to: &package) else { return nil }
        }
        return package
    }

    /// The buildings (indices) that become fully connected when `package` is built too: the
    /// components of the built network that the package joins to a source bring their waiting
    /// service lines with them.
    static func unlockedBy(_ package: [Int], _ graph: Graph, _ components: inout Components, _ isSourceRoot: [Bool],
                           _ waiting: [[(building: Int, service: Int)]], connected: [Int], _ scratch: inout Scratch) -> [Int] {
        scratch.next()
        // A union-find over the components the package touches; a source's component stays its
        // class's root, so "joined to a source" is "its root is a source's".
        var touched: [Int] = []
        for i in package {
            let ca = components.find(graph.from[i]), cb = components.find(graph.to[i])
            if scratch.visit(ca) { touched.append(ca) }
            if scratch.visit(cb) { touched.append(cb) }
            let a = scratch.find(ca), b = scratch.find(cb)
            guard a != b else { continue }
            if isSourceRoot[b] { scratch.parent[a] = b } else { scratch.parent[b] = a }
        }
        var unlocked: [Int] = []
        for c in touched where isSourceRoot[scratch.find(c)] {
            for (b, s) in waiting[c] where isSourceRoot[scratch.find(components.find(graph.from[s]))] {
                scratch.newly[b] += 1
                if connected[b] + scratch.newly[b] == Utility.allCases.count { unlocked.append(b) }
            }
        }
        for c in touched { for (b, _) in waiting[c] { scratch.newly[b] = 0 } }
        return unlocked
    }
}

// The ranking's working structures.
extension WorkPackageRanking {
    /// Per-candidate working arrays of `WorkPackageRanking.unlockedBy`, reused across candidates:
    /// a node counts as visited, and its parent as set, only when stamped with the current round.
    struct Scratch {
        private var stamp: [Int]
        private var round = 0
        /// Overlay union-find parent per component root (valid when stamped).
        var parent: [Int]
        /// Utilities newly connected per building (reset to 0 after each round).
        var newly: [Int]

        init(nodes: Int, buildings: Int) {
            stamp = [Int](repeating: 0, count: nodes)
            parent = Array(0..<nodes)
            newly = [Int](repeating: 0, count: buildings)
        }

        mutating func next() { round += 1 }

        /// Marks `node` seen this round; true the first time.
        mutating func visit(_ node: Int) -> Bool {
            guard stamp[node] != round else { return false }
            stamp[node] = round
            parent[node] = node
            return true
        }

        /// The class of `x` this round; a node not visited this round is its own.
        func find(_ x: Int) -> Int {
            var x = x
            while stamp[x] == round && parent[x] != x { x = parent[x] }
            return x
        }
    }

    /// The network's topology as flat arrays: segment ends and lengths, and the segments at
    /// each node (compressed rows: node n's are `adjacentSegment[adjacencyStart[n] ..<
    /// adjacencyStart[n + 1]]`, in segment order, as `UtilityNetwork.incidence` lists them,
    /// with the node at each one's other end in `adjacentNode`).
    struct Graph {
        let nodeCount: Int
        let from: [Int]
        let to: [Int]
        let length: [Double]
        /// The utility of each segment, by index in `Utility.allCases`.
        let utility: [Int]
        let adjacencyStart: [Int]
        let adjacentSegment: [Int]
        let adjacentNode: [Int]

        init(_ network: UtilityNetwork) {
            nodeCount = network.nodes.count
            var from: [Int] = [], to: [Int] = [], length: [Double] = [], utility: [Int] = []
            from.reserveCapacity(network.segments.count)
            to.reserveCapacity(network.segments.count)
            length.reserveCapacity(network.segments.count)
            utility.reserveCapacity(network.segments.count)
            let order = Utility.allCases
            for i in network.segments.indices {
                from.append(network.segments[i].from)
                to.append(network.segments[i].to)
                length.append(network.segments[i].lengthMetres)
                utility.append(order.firstIndex(of: network.segments[i].utility)!)
            }
            var start = [Int](repeating: 0, count: nodeCount + 1)
            for i in from.indices { start[from[i] + 1] += 1; start[to[i] + 1] += 1 }
            for n in 0..<nodeCount { start[n + 1] += start[n] }
            var fill = start
            var segment = [Int](repeating: 0, count: start[nodeCount]), other = [Int](repeating: 0, count: start[nodeCount])
            for i in from.indices {
                segment[fill[from[i]]] = i; other[fill[from[i]]] = to[i]; fill[from[i]] += 1
                segment[fill[to[i]]] = i; other[fill[to[i]]] = from[i]; fill[to[i]] += 1
            }
            self.from = from
            self.to = to
            self.length = length
            self.utility = utility
            adjacencyStart = start
            adjacentSegment = segment
            adjacentNode = other
        }
    }

    /// Union-find over network nodes: the components of the built segments.
    struct Components {
        private var parent: [Int]

        init(count: Int) { parent = Array(0..<count) }

        mutating func find(_ x: Int) -> Int {
            var x = x
            while parent[x] != x { parent[x] = parent[parent[x]]; x = parent[x] }
            return x
        }

        mutating func union(_ a: Int, _ b: Int) {
            let ra = find(a), rb = find(b)
            if ra != rb { parent[max(ra, rb)] = min(ra, rb) }
        }
    }

    /// Paths from a source to every node of its utility, preferring the fewest unbuilt segments,
    /// then the shortest (the order `ConnectionTracer.trace` uses): Dijkstra with a binary heap.
    struct ShortestPaths {
        /// The segment by which each node is reached; -1 for the source and unreached nodes.
        private(set) var via: [Int]
        /// The reached nodes, each after the node it is reached from: in the order they were
        /// settled, except that a leaf (one segment) is listed as soon as it is reached.
        private(set) var order: [Int] = []
        private let source: Int

        init(_ graph: Graph, _ built: [Bool], from source: Int) {
            self.source = source
            var via = [Int](repeating: -1, count: graph.nodeCount)
            var order: [Int] = []
            // The cost of each node: unbuilt segments, then metres (compared in that order).
            var unbuiltCost = [Int](repeating: Int.max, count: graph.nodeCount)
            var metresCost = [Double](repeating: .infinity, count: graph.nodeCount)
            unbuiltCost[source] = 0
            metresCost[source] = 0
            var heap = BinaryHeap<UnbuiltCost>()
            heap.push(UnbuiltCost(unbuilt: 0, metres: 0, node: source))
            graph.adjacencyStart.withUnsafeBufferPointer { start in
                graph.adjacentSegment.withUnsafeBufferPointer { adjacentSegment in
                    graph.adjacentNode.withUnsafeBufferPointer { adjacentNode in
                        graph.length.withUnsafeBufferPointer { length in
                            built.withUnsafeBufferPointer { built in
                                while let top = heap.pop() {
                                    let node = top.node
                                    guard top.unbuilt == unbuiltCost[node] && top.metres == metresCost[node] else { continue }
                                    order.append(node)
                                    for k in start[node]..<start[node + 1] {
                                        let s = adjacentSegment[k], next = adjacentNode[k]
                                        let unbuilt = top.unbuilt + (built[s] ? 0 : 1), metres = top.metres + length[s]
                                        if unbuilt < unbuiltCost[next] || (unbuilt == unbuiltCost[next] && metres < metresCost[next]) {
                                            unbuiltCost[next] = unbuilt
                                            metresCost[next] = metres
                                            via[next] = s
                                            if start[next + 1] - start[next] == 1 && next != source {
                                                // A leaf (a service line's building end, mostly): reached
                                                // from here only, once, and leading nowhere, so settled
                                                // now instead of going through the heap.
                                                order.append(next)
                                            } else {
                                                heap.push(UnbuiltCost(unbuilt: unbuilt, metres: metres, node: next))
                                            }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
            self.via = via
            self.order = order
        }

        /// Appends the unbuilt segments between the source and `node` to `package`, from the
        /// source outward; false (and nothing appended) when `node` is unreached.
        func appendUnbuilt(from node: Int, _ graph: Graph, _ built: [Bool], to package: inout [Int]) -> Bool {
            guard node == source || via[node] >= 0 else { return false }
            let start = package.count
            var walk = node
            while walk != source {
                let s = via[walk]
                if !built[s] { package.append(s) }
                walk = graph.from[s] == walk ? graph.to[s] : graph.from[s]
            }
            package[start...].reverse()
            return true
        }
    }
}

/// A node reached with so many unbuilt segments and metres, ordered by those then the node.
private struct UnbuiltCost: Comparable {
    let unbuilt: Int
    let metres: Double
    let node: Int
    @inline(__always)
    static func < (a: UnbuiltCost, b: UnbuiltCost) -> Bool {
        a.unbuilt != b.unbuilt ? a.unbuilt < b.unbuilt : a.metres != b.metres ? a.metres < b.metres : a.node < b.node
    }
}
