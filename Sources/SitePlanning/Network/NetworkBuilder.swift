import SiteVocabulary
import Foundation
import SiteGeometry

/// Generates the utility networks of a plan.
///
/// Per parcel: the street centrelines are noded into a graph; each building gets a tee on
/// its street (the foot of the perpendicular from its centre); the mains are the streets on
/// the shortest paths from the parcel's access point to every tee (a planner lays only what
/// serves a building). Each utility is that tree shifted inside the street corridor
/// (`Utility.corridorShift`), plus one service line per building from its street-facing wall
/// to its tee; water's mains also close loops (`WaterLoops`). Trunks are routed over the
/// corridor graph (`CorridorGraph`: streets, edge easements, open land) from the source or a
/// fed parcel's mains to each parcel's mains, whichever is cheaper.
///
/// Fixed segments (built, from the plan of record) keep their ids and geometry: the street
/// graph is split at their ends, the path tree prefers them, and each is emitted as stored. A
/// new building whose tee would fall inside a fixed main is tapped at that main's nearer joint.
public struct NetworkBuilder {
    public let scenario: Scenario
    public let plan: SitePlan
    public let sources: [UtilitySource]
    public let fixed: FixedAssets

    public init(scenario: Scenario, plan: SitePlan, sources: [UtilitySource], fixed: FixedAssets = FixedAssets()) {
        self.scenario = scenario
        self.plan = plan
        self.sources = sources
        self.fixed = fixed
    }

    public func build() throws -> UtilityNetwork {
        var network = UtilityNetwork()
        // Each building has a service line and a node at its wall per utility, and about as
        // many mains and main nodes (a tee each): room for those, reserved once.
        let perBuilding = 2 * Utility.allCases.count
        network.reserve(nodes: plan.buildings.count * perBuilding, segments: plan.buildings.count * perBuilding, buildings: plan.buildings.count)
        for source in sources.sorted(by: { $0.utility < $1.utility }) where network.sourceNodes[source.utility] == nil {
            network.sourceNodes[source.utility] = network.addNode(source.positionPlanar)
        }
        network.utilitiesWithoutSource = Utility.allCases.filter { network.sourceNodes[$0] == nil }
        var streets: [ParcelStreets] = []
        for parcel in scenario.parcels {
            if let s = try buildParcel(parcel.id, into: &network) { streets.append(s) }
        }
        // Trunks: routed over the corridor graph (streets, edge easements, open land), from the
        // source or from a site already fed, whichever is cheaper, site by site. Ties go to the
        // scenario's parcel order.
        let corridors = try CorridorGraph(scenario: scenario, plan: plan, streets: streets, sources: sources,
                                          crossableKinds: Set(scenario.rules.crossingKinds))
        let offsets = Dictionary(uniqueKeysWithValues: streets.map { ($0.parcelID, $0.offsets) })
        for utility in Utility.allCases {
            guard let sourceNode = network.sourceNodes[utility], let source = sources.first(where: { $0.utility == utility }) else { continue }
            // A trunk may join a parcel's mains at any of their nodes: corridor node -> network node.
            var networkNode: [Int: Int] = [:]
            var sites: [(parcelID: String, entries: [Int])] = []
            for parcel in streets {
                let local = parcel.mainNodes[utility] ?? [:]
                var entries: [Int] = []
                for n in local.keys.sorted() {
                    let c = corridors.streetNode(n, of: parcel)
                    networkNode[c] = local[n]
                    entries.append(c)
                }
                sites.append((parcel.parcelID, entries))
            }
            for route in try corridors.routes(utility: utility, sourceName: source.name, sites: sites) {
                let id = "\(utility.rawValue)-\(route.parcelID)-T"
                let built = fixed.segments.first { $0.id == id && $0.kind == .trunk }
                // A built trunk stays as it is: it starts at the source when it was laid from
                // there, and feeds the parcel where it reaches the mains.
                let parcel = streets.first { $0.parcelID == route.parcelID }!
                let builtStart = try built.flatMap { try $0.geometryPlanar.coordinates().first }
                let from = route.fromParcelID == nil || builtStart.map({ $0.distance(to: network.nodes[sourceNode]) < 0.5 }) == true
                    ? sourceNode : networkNode[route.path[0]]!
                let to = built.flatMap { _ in parcel.builtTrunkEnds[utility].flatMap { parcel.mainNodes[utility]?[$0] } }
                    ?? networkNode[route.path[route.path.count - 1]]!
                var points = corridors.points(of: route, utility: utility, offsets: offsets)
                // The trunk starts and ends exactly on the network's nodes.
                if points.count < 2 { points = [network.nodes[from], network.nodes[to]] }
                points[0] = network.nodes[from]
                points[points.count - 1] = network.nodes[to]
                try network.addSegment(id: id, utility: utility, kind: .trunk, parcelID: route.parcelID, buildingID: nil,
                                       from: from, to: to, geometry: try built?.geometryPlanar ?? Geometry.lineString(points))
            }
        }
        return network
    }

    /// A street graph with tees: nodes, straight edges, the access node and each building's tee.
    struct StreetGraph {
        var nodes: [XY] = []
        var edges: [(a: Int, b: Int)] = []
        var index: [NodeKey: Int] = [:]

        mutating func node(_ p: XY) -> Int {
            let key = NodeKey(p)
            if let n = index[key] { return n }
            nodes.append(p)
            index[key] = nodes.count - 1
            return nodes.count - 1
        }
    }

    /// Node identity at 1 mm.
    struct NodeKey: Hashable {
        let x: Int64, y: Int64
        init(_ p: XY) { x = Int64((p.x * 1000).rounded()); y = Int64((p.y * 1000).rounded()) }
    }

    private func buildParcel(_ pid: String, into network: inout UtilityNetwork) throws -> ParcelStreets? {
        let streets = plan.streets.filter { $0.parcelID == pid }
        let buildings = plan.buildings.filter { $0.parcelID == pid }
        guard !streets.isEmpty, !buildings.isEmpty, let access = plan.accessPointsPlanar[pid] else { return nil }
        let lotsByID = Dictionary(uniqueKeysWithValues: plan.lots.filter { $0.parcelID == pid }.map { ($0.id, $0) })
        let streetByID = Dictionary(uniqueKeysWithValues: streets.map { ($0.id, $0) })

        // Noded street centrelines: straight pieces between crossings.
        let noded = try Geometry.union(of: streets.map(\.centrelinePlanar))
        var pieces: [(XY, XY)] = []
        for part in try noded.parts() where part.type == .lineString {
            let pts = try part.coordinates()
            for i in 1..<pts.count where pts[i - 1].distance(to: pts[i]) > 1e-6 { pieces.append((pts[i - 1], pts[i])) }
        }

        // Fixed mains, back on the centreline (unshifted), per utility; their ends split the graph.
        let angle = plan.streetAxisRadians[pid] ?? 0
        func offset(_ utility: Utility) -> XY {
            let shift = utility.corridorShift
            return XY(shift.along * cos(angle) - shift.across * sin(angle), shift.along * sin(angle) + shift.across * cos(angle))
        }
        struct Span { let segment: FixedSegment; let a: XY; let b: XY }
        var spans: [Span] = []
        for f in fixed.segments(of: pid) where f.kind == .main {
            let c = try f.geometryPlanar.coordinates()
            guard let first = c.first, let last = c.last else { continue }
            let o = offset(f.utility)
            spans.append(Span(segment: f, a: XY(first.x - o.x, first.y - o.y), b: XY(last.x - o.x, last.y - o.y)))
        }
        /// The span end to tap at when `p` lies inside a fixed main (more than 0.5 m from its ends).
        func tapPoint(_ p: XY) -> XY? {
            for span in spans {
                let length = span.a.distance(to: span.b)
                let (t, d) = projectOnSegment(p, span.a, span.b)
                guard d < 0.05, t * length > 0.5, (1 - t) * length > 0.5 else { continue }
                return t < 0.5 ? span.a : span.b
            }
            return nil
        }

        // Tees: where each building's service meets its street's centreline.
        struct Tee { let building: Building; let point: XY; let wallPoint: XY; let streetDirection: XY }
        var tees: [Tee] = []
        for b in buildings {
            guard let lot = lotsByID[b.lotID], let street = streetByID[lot.streetID] else { continue }
            let c = try b.footprintPlanar.centroidXY()
            let line = street.centrelinePlanar
            let foot = try line.interpolate(line.project(Geometry.point(c))).pointXY()
            let tee = tapPoint(foot) ?? foot
            let d = c.distance(to: tee)
            guard d > 1e-6 else { continue }
            let toStreet = XY((tee.x - c.x) / d, (tee.y - c.y) / d)
            let wall = XY(c.x + toStreet.x * b.type.footprintDepthMetres / 2, c.y + toStreet.y * b.type.footprintDepthMetres / 2)
            tees.append(Tee(building: b, point: tee, wallPoint: wall, streetDirection: XY(-toStreet.y, toStreet.x)))
        }

        // Split the pieces at tees and at the access point, then build the graph.
        var splits = [[Double]](repeating: [], count: pieces.count)
        // Cuts at the ends of fixed mains come first: the joints in the ground stay where they are.
        var fixedSplits = [[Double]](repeating: [], count: pieces.count)
        // Street pieces by 50 m cell, each filed with a 1 m margin: a point looks only at the
        // pieces of its own cell (attachments and end splits reach at most 1 m).
        var pieceGrid = PlanarGrid(cellMetres: 50)
        for (i, (a, b)) in pieces.enumerated() { pieceGrid.insert(i, a, b, margin: 1.0) }
        func attach(_ p: XY, fixed: Bool = false) -> Int? {
            var best: (Int, Double, Double)?
            for i in pieceGrid.candidates(near: p, radius: 0) {
                let (a, b) = pieces[i]
                let (t, d) = projectOnSegment(p, a, b)
                if best == nil || d < best!.2 { best = (i, t, d) }
            }
            guard let (i, t, d) = best, d < 1.0 else { return nil }
            if fixed { fixedSplits[i].append(t) } else { splits[i].append(t) }
            return i
        }
        for tee in tees { _ = attach(tee.point) }
        _ = attach(access)
        for span in spans { _ = attach(span.a, fixed: true); _ = attach(span.b, fixed: true) }
        // Where a built trunk reaches the site (back on the centreline): that utility stays fed
        // there, even when the access point has moved since.
        let trunkEnds: [(utility: Utility, end: XY)] = try fixed.segments(of: pid).filter { $0.kind == .trunk }.compactMap { f in
            guard let end = try f.geometryPlanar.coordinates().last else { return nil }
            let o = offset(f.utility)
            return (f.utility, XY(end.x - o.x, end.y - o.y))
        }
        for t in trunkEnds { _ = attach(t.end, fixed: true) }
        // A street ending on another (a spur to an access point, a link) within 5 cm of it that
        // the noding did not split: split it there, so the two meet in the graph.
        for (i, (a, b)) in pieces.enumerated() {
            for p in [a, b] {
                var best: (j: Int, t: Double, d: Double)?
                for j in pieceGrid.candidates(near: p, radius: 0) where j != i {
                    let (c, d) = pieces[j]
                    let (t, dist) = projectOnSegment(p, c, d)
                    if dist < 0.05, t > 0, t < 1, best == nil || dist < best!.d { best = (j, t, dist) }
                }
                if let best { fixedSplits[best.j].append(best.t) }
            }
        }
        var graph = StreetGraph()
        // Tees closer than half a metre to each other or to a junction share its node: no
        // zero-length segments.
        let snap = 0.5
        for (i, (a, b)) in pieces.enumerated() {
            let length = a.distance(to: b)
            var kept: [Double] = []
            for t in fixedSplits[i].sorted() + splits[i].sorted() where t * length > snap && (1 - t) * length > snap {
                if kept.allSatisfy({ abs($0 - t) * length > snap }) { kept.append(t) }
            }
            let cuts = [0.0] + kept.sorted() + [1.0]
            var previous = graph.node(a)
            for t in cuts.dropFirst() {
                let p = t >= 1 ? b : XY(a.x + (b.x - a.x) * t, a.y + (b.y - a.y) * t)
                let n = graph.node(p)
                if n != previous { graph.edges.append((previous, n)) }
                previous = n
            }
        }
        // Dangling ends within 5 cm of another node join it.
        var degree = [Int](repeating: 0, count: graph.nodes.count)
        for e in graph.edges { degree[e.a] += 1; degree[e.b] += 1 }
        // Nodes by 5 cm cell, so each dangling end looks at its 3 × 3 cells only.
        struct Cell: Hashable { let x: Int64, y: Int64 }
        func cell(_ p: XY) -> Cell { Cell(x: Int64((p.x / 0.05).rounded(.down)), y: Int64((p.y / 0.05).rounded(.down))) }
        var cells: [Cell: [Int]] = [:]
        for n in graph.nodes.indices where degree[n] > 0 { cells[cell(graph.nodes[n]), default: []].append(n) }
        // Each merged end is recorded and the edges rewritten once at the end (rewriting them per
        // end was quadratic at town scale).
        var mergedInto = Array(graph.nodes.indices)
        for n in graph.nodes.indices where degree[n] == 1 {
            let p = graph.nodes[n], c = cell(p)
            var candidates: [Int] = []
            for dx in -1...1 { for dy in -1...1 { candidates += cells[Cell(x: c.x + Int64(dx), y: c.y + Int64(dy))] ?? [] } }
            guard let m = candidates.filter({ $0 != n && degree[$0] > 0 }).min(by: { (graph.nodes[$0].distance(to: p), $0) < (graph.nodes[$1].distance(to: p), $1) }),
                  graph.nodes[m].distance(to: p) < 0.05 else { continue }
            mergedInto[n] = m
            degree[m] += 1
            degree[n] = 0
        }
        func root(_ n: Int) -> Int {
            var r = n
            while mergedInto[r] != r { r = mergedInto[r] }
            return r
        }
        if mergedInto.indices.contains(where: { mergedInto[$0] != $0 }) {
            graph.edges = graph.edges.compactMap { e in
                let a = root(e.a), b = root(e.b)
                return a == b ? nil : (a, b)
            }
        }
        // Live nodes by 25 m cell, for the nearest-node searches of tees, spans and the access point.
        var nodeGrid = PlanarGrid(cellMetres: 25)
        for n in graph.nodes.indices where degree[n] > 0 { nodeGrid.insert(n, graph.nodes[n]) }
        func nearestNode(_ p: XY) -> Int? {
            var radius = 25.0
            while radius < 5_000 {
                var best: (n: Int, d: Double)?
                for n in nodeGrid.candidates(near: p, radius: radius) {
                    let d = graph.nodes[n].distance(to: p)
                    if best == nil || d < best!.d { best = (n, d) }
                }
                // Every node within `radius` was looked at, so one found that near is the nearest.
                if let best, best.d <= radius { return best.n }
                radius *= 4
            }
            return graph.nodes.indices.lazy.filter { degree[$0] > 0 }.min { graph.nodes[$0].distance(to: p) < graph.nodes[$1].distance(to: p) }
        }
        // The mains grow from the access point (trunks join them wherever they first meet them,
        // so a built trunk's end says nothing about where the tree was rooted).
        guard let accessNode = nearestNode(access) else { return nil }
        var builtTrunkEnds: [Utility: Int] = [:]
        for t in trunkEnds {
            if let n = nearestNode(t.end), graph.nodes[n].distance(to: t.end) < 0.5 { builtTrunkEnds[t.utility] = n }
        }

        // Shortest paths from the access node (Dijkstra; ties broken by node index).
        var adjacency = [[(Int, Int)]](repeating: [], count: graph.nodes.count)  // (neighbour, edge)
        for (e, edge) in graph.edges.enumerated() {
            adjacency[edge.a].append((edge.b, e))
            adjacency[edge.b].append((edge.a, e))
        }
        // Edges along a fixed main cost a little less, so the tree keeps to what is built.
        func onSpan(_ p: XY, _ span: Span) -> Bool { projectOnSegment(p, span.a, span.b).1 < 0.01 }
        let fixedEdge = graph.edges.map { edge in spans.contains { onSpan(graph.nodes[edge.a], $0) && onSpan(graph.nodes[edge.b], $0) } }
        let weighted = adjacency.enumerated().map { n, list in
            list.map { (node: $0.0, edge: $0.1, cost: graph.nodes[n].distance(to: graph.nodes[$0.0]) * (fixedEdge[$0.1] ? 0.999 : 1)) }
        }
        let tree = ShortestPathTree(nodeCount: graph.nodes.count, adjacency: weighted, starts: [accessNode])
        let distance = tree.cost, viaEdge = tree.viaEdge, order = tree.order

        // Mains: the edges on the paths to the tees, listed in the order Dijkstra reached them.
        var used = Set<Int>()
        var teeNodes: [(Tee, Int)] = []
        let builtServiceBuildings = Set(fixed.segments(of: pid).filter { $0.kind == .service }.compactMap(\.buildingID))
        for tee in tees {
            guard let n = nearestNode(tee.point), graph.nodes[n].distance(to: tee.point) <= snap + 1e-6, distance[n].isFinite else {
                network.unreachableBuildings.append(tee.building.id)
                // A built service line stays, reached or not: it is in the ground.
                if builtServiceBuildings.contains(tee.building.id), let n = nearestNode(tee.point) { teeNodes.append((tee, n)) }
                continue
            }
            teeNodes.append((tee, n))
            var walk = n
            while walk != accessNode, viaEdge[walk] >= 0, used.insert(viaEdge[walk]).inserted {
                let e = graph.edges[viaEdge[walk]]
                walk = e.a == walk ? e.b : e.a
            }
        }
        let mainEdges = order.compactMap { n -> Int? in viaEdge[n] >= 0 && used.contains(viaEdge[n]) ? viaEdge[n] : nil }
        // Water only: the unused street runs that close loops between its mains.
        let loopRuns = WaterLoops.closingRuns(nodes: graph.nodes, edges: graph.edges, treeEdges: used,
                                              maxRunMetres: scenario.rules.maxBlockLengthMetres)
        let closures = WaterLoops.deadEndClosures(nodes: graph.nodes, edges: graph.edges, treeEdges: used, taken: Set(loopRuns.flatMap { $0 }),
                                                  root: accessNode, maxRunMetres: scenario.rules.maxBlockLengthMetres)
        let loopEdges = (loopRuns + closures).flatMap { $0 }
        let loopEdgeSet = Set(loopEdges)

        // One shifted copy per utility.
        let fixedServices = Dictionary(fixed.segments(of: pid).filter { $0.kind == .service }.map { ("\($0.utility.rawValue)/\($0.buildingID ?? "")", $0) },
                                       uniquingKeysWith: { a, _ in a })
        // What each utility's service lines read of a tee (not the whole building, five times).
        let serviceEnds = teeNodes.map { tee, n in (buildingID: tee.building.id, wallPoint: tee.wallPoint, streetDirection: tee.streetDirection, tee: n) }
        var mainNodes: [Utility: [Int: Int]] = [:]
        for utility in Utility.allCases {
            let offset = offset(utility)
            func moved(_ p: XY) -> XY { XY(p.x + offset.x, p.y + offset.y) }
            let ownSpans = spans.filter { $0.segment.utility == utility }
            let fixedIDs = Set(ownSpans.map(\.segment.id))
            var emitted = Set<String>()
            var number = 0
            func nextMainID() -> String {
                var id: String
                repeat { number += 1; id = "\(utility.rawValue)-\(pid)-M\(pad(number, 3))" } while fixedIDs.contains(id)
                return id
            }
            // Loop closures are numbered apart (`water-P1-A-L001`), so the tree's ids do not move.
            var loopNumber = 0
            func nextLoopID() -> String {
                var id: String
                repeat { loopNumber += 1; id = "\(utility.rawValue)-\(pid)-L\(pad(loopNumber, 3))" } while fixedIDs.contains(id)
                return id
            }
            /// The fixed main an edge lies along: the whole main, or a piece of it where something
            /// new (a spur, a link) joins the street inside it.
            func span(of edge: (a: Int, b: Int)) -> Span? {
                let p = graph.nodes[edge.a], q = graph.nodes[edge.b]
                return ownSpans.first { onSpan(p, $0) && onSpan(q, $0) }
            }
            var local: [Int: Int] = [:]
            func node(_ n: Int) -> Int {
                if let m = local[n] { return m }
                let m = network.addNode(moved(graph.nodes[n]))
                local[n] = m
                return m
            }
            _ = node(accessNode)
            for e in mainEdges + (utility == .water ? loopEdges : []) {
                let edge = graph.edges[e]
                // Oriented away from the access point.
                let (from, to) = distance[edge.a] <= distance[edge.b] ? (edge.a, edge.b) : (edge.b, edge.a)
                if let built = span(of: edge) {
                    // The main as built, once, between the nodes at its own ends.
                    guard emitted.insert(built.segment.id).inserted else { continue }
                    var a = nearestNode(built.a) ?? from, b = nearestNode(built.b) ?? to
                    if distance[a] > distance[b] { swap(&a, &b) }
                    try network.addSegment(id: built.segment.id, utility: utility, kind: .main, parcelID: pid, buildingID: nil,
                                           from: node(a), to: node(b), geometry: built.segment.geometryPlanar)
                } else {
                    try network.addSegment(id: loopEdgeSet.contains(e) ? nextLoopID() : nextMainID(), utility: utility, kind: .main, parcelID: pid,
                                           buildingID: nil, from: node(from), to: node(to))
                }
            }
            // A built main the new tree does not use stays all the same: it is in the ground.
            for built in ownSpans where !emitted.contains(built.segment.id) {
                guard let a = nearestNode(built.a), let b = nearestNode(built.b), a != b else { continue }
                try network.addSegment(id: built.segment.id, utility: utility, kind: .main, parcelID: pid, buildingID: nil,
                                       from: node(a), to: node(b), geometry: built.segment.geometryPlanar)
            }
            mainNodes[utility] = local
            for line in serviceEnds {
                // The wall end moves with the utility along the street only, so the service
                // line stays square to the street.
                let along = offset.x * line.streetDirection.x + offset.y * line.streetDirection.y
                let wall = XY(line.wallPoint.x + line.streetDirection.x * along, line.wallPoint.y + line.streetDirection.y * along)
                let built = fixedServices.isEmpty ? nil : fixedServices["\(utility.rawValue)/\(line.buildingID)"]
                let end = try built.flatMap { try $0.geometryPlanar.coordinates().last } ?? wall
                let building = network.addNode(end)
                try network.addSegment(id: built?.id ?? "\(utility.rawValue)-\(line.buildingID)", utility: utility, kind: .service, parcelID: pid,
                                       buildingID: line.buildingID, from: node(line.tee), to: building, geometry: built?.geometryPlanar)
            }
        }
        return ParcelStreets(parcelID: pid, nodes: graph.nodes, edges: graph.edges, accessNode: accessNode, mainNodes: mainNodes,
                             builtTrunkEnds: builtTrunkEnds,
                             offsets: Dictionary(uniqueKeysWithValues: Utility.allCases.map { ($0, offset($0)) }))
    }
}

/// The parameter t in [0, 1] of the point of segment ab nearest p, and the distance to it.
func projectOnSegment(_ p: XY, _ a: XY, _ b: XY) -> (Double, Double) {
    let dx = b.x - a.x, dy = b.y - a.y
    let len2 = dx * dx + dy * dy
    guard len2 > 0 else { return (0, p.distance(to: a)) }
    let t = max(0, min(1, ((p.x - a.x) * dx + (p.y - a.y) * dy) / len2))
    return (t, p.distance(to: XY(a.x + dx * t, a.y + dy * t)))
}
