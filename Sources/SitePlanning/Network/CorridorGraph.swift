import SiteGeometry
import SiteVocabulary

/// The street graph of one parcel as the network builder noded it (centrelines, unshifted,
/// planar metres), with the node the parcel's networks are fed at and each utility's shift
/// inside the street corridor.
struct ParcelStreets {
    let parcelID: String
    let nodes: [XY]
    let edges: [(a: Int, b: Int)]
    let accessNode: Int
    /// Per utility, the network node of each street node its mains (and loops) pass through.
    let mainNodes: [Utility: [Int: Int]]
    /// Per utility, the street node where its built trunk (plan of record) reaches the mains.
    let builtTrunkEnds: [Utility: Int]
    let offsets: [Utility: XY]
}

/// The land a trunk may follow from a utility's source to the sites, as a weighted graph:
///
/// - the street centrelines of every parcel (cost 1 per metre),
/// - an edge easement `easementMetres` outside each parcel's boundary (1.2 per metre),
///   joined to the parcel's streets at its access point,
/// - open land outside the parcels: a visibility graph between the sources, the easement
///   vertices and the vertices of an easement around each uncrossable exclusion zone, whose
///   straight links keep clear of every parcel and every uncrossable zone (1.5 per metre).
///
/// Any metre inside an exclusion zone of a crossable kind (`rules.crossings.kinds`) costs
/// `crossingSurcharge` more: a trunk crosses where it must, not where it is cheap. Lots,
/// buildings and uncrossable zones are never crossed: they lie inside the parcels, which
/// open-land links avoid, and the streets run between them.
struct CorridorGraph {
    static let streetCostPerMetre = 1.0
    static let easementCostPerMetre = 1.2
    static let openLandCostPerMetre = 1.5
    static let crossingSurchargePerMetre = 2.0
    /// How far outside a parcel's boundary its edge easement runs, metres.
    static let easementMetres = 3.0

    private(set) var nodes: [XY] = []
    /// The parcel whose street a node lies on (its utilities are shifted inside the corridor
    /// there), nil on open land and easements.
    private(set) var streetParcel: [String?] = []
    private(set) var adjacency: [[(node: Int, edge: Int, cost: Double)]] = []
    private var edgeCount = 0
    /// Each parcel's access node.
    private(set) var accessNode: [String: Int] = [:]
    /// Each source's node, by utility.
    private(set) var sourceNode: [Utility: Int] = [:]

    private mutating func addNode(_ p: XY, street: String? = nil) -> Int {
        nodes.append(p)
        streetParcel.append(street)
        adjacency.append([])
        return nodes.count - 1
    }

    private mutating func addEdge(_ a: Int, _ b: Int, cost: Double) {
        guard a != b else { return }
        adjacency[a].append((b, edgeCount, cost))
        adjacency[b].append((a, edgeCount, cost))
        edgeCount += 1
    }

    init(scenario: Scenario, plan: SitePlan, streets: [ParcelStreets], sources: [UtilitySource], crossableKinds: Set<String>) throws {
        let crossable = try scenario.exclusions.filter { crossableKinds.contains($0.kind) }.map { z in
            (zone: z, envelope: try z.boundaryPlanar.envelope(), prepared: try z.boundaryPlanar.prepared())
        }
        let barriers = scenario.exclusions.filter { !crossableKinds.contains($0.kind) }
        /// Metres of segment ab inside crossable zones.
        func crossingMetres(_ a: XY, _ b: XY) throws -> Double {
            var total = 0.0
            for c in crossable where max(a.x, b.x) >= c.envelope.minX && min(a.x, b.x) <= c.envelope.maxX
                && max(a.y, b.y) >= c.envelope.minY && min(a.y, b.y) <= c.envelope.maxY {
                let line = try Geometry.lineString([a, b])
                if try c.prepared.intersects(line) { total += try c.zone.boundaryPlanar.intersection(line).length }
            }
            return total
        }
        func cost(_ a: XY, _ b: XY, perMetre: Double) throws -> Double {
            a.distance(to: b) * perMetre + (crossable.isEmpty ? 0 : try crossingMetres(a, b) * Self.crossingSurchargePerMetre)
        }

        // Streets.
        for parcel in streets {
            let base = nodes.count
            for p in parcel.nodes { _ = addNode(p, street: parcel.parcelID) }
            for e in parcel.edges {
                addEdge(base + e.a, base + e.b, cost: try cost(parcel.nodes[e.a], parcel.nodes[e.b], perMetre: Self.streetCostPerMetre))
            }
            accessNode[parcel.parcelID] = base + parcel.accessNode
        }

        // What open land must keep clear of: the parcels (with a margin inside the easement) and
        // the uncrossable zones.
        let margin = Self.easementMetres - 0.5
        let blockedParts = try scenario.parcels.map { try $0.boundaryPlanar.buffer(margin, style: BufferStyle(join: .mitre)) }
            + barriers.map(\.boundaryPlanar)
        let blocked = try Geometry.union(of: blockedParts)
        let blockedPrepared = try blocked.prepared()
        func clear(_ a: XY, _ b: XY) throws -> Bool { !(try blockedPrepared.intersects(Geometry.lineString([a, b]))) }

        var open: [Int] = []
        // Sources.
        for source in sources.sorted(by: { $0.utility < $1.utility }) where sourceNode[source.utility] == nil {
            let n = addNode(source.positionPlanar)
            sourceNode[source.utility] = n
            open.append(n)
        }
        // Where a parcel's streets meet its boundary: the access point and every street end
        // within a metre of the boundary. A trunk passes between easement and street there.
        var joins: [String: [Int]] = [:]
        for parcel in streets {
            guard let outline = scenario.parcels.first(where: { $0.id == parcel.parcelID }) else { continue }
            let rings = try outline.boundaryPlanar.parts().flatMap { try $0.polygonRings() }
            var degree = [Int](repeating: 0, count: parcel.nodes.count)
            for e in parcel.edges { degree[e.a] += 1; degree[e.b] += 1 }
            let base = accessNode[parcel.parcelID]! - parcel.accessNode
            var list = [base + parcel.accessNode]
            for n in parcel.nodes.indices where degree[n] == 1 && n != parcel.accessNode {
                let p = parcel.nodes[n]
                let near = rings.contains { ring in ring.indices.dropLast().contains { projectOnSegment(p, ring[$0], ring[$0 + 1]).1 < 1.0 } }
                if near { list.append(base + n) }
            }
            joins[parcel.parcelID] = list
        }

        // Easement rings: around each parcel, and around each uncrossable zone outside the parcels.
        func ring(around area: Geometry, joinTo parcelID: String?) throws {
            let grown = try area.buffer(Self.easementMetres, style: BufferStyle(join: .mitre))
            for part in try grown.parts() where part.type == .polygon {
                var ring = try part.polygonRings()[0]
                if ring.count > 1, ring.first == ring.last { ring.removeLast() }
                guard ring.count >= 3 else { continue }
                let ids = ring.map { addNode($0) }
                open += ids
                // Each street end joins the easement where it comes nearest: a node on that ring edge.
                var splits = [[(t: Double, node: Int)]](repeating: [], count: ring.count)
                for street in parcelID.flatMap({ joins[$0] }) ?? [] {
                    var best: (i: Int, t: Double, d: Double)?
                    for i in ring.indices {
                        let (t, d) = projectOnSegment(nodes[street], ring[i], ring[(i + 1) % ring.count])
                        if best == nil || d < best!.d { best = (i, t, d) }
                    }
                    guard let best, best.d < Self.easementMetres * 4 else { continue }
                    let a = ring[best.i], b = ring[(best.i + 1) % ring.count]
                    let q = addNode(XY(a.x + (b.x - a.x) * best.t, a.y + (b.y - a.y) * best.t))
                    splits[best.i].append((best.t, q))
                    addEdge(street, q, cost: try cost(nodes[street], nodes[q], perMetre: Self.openLandCostPerMetre))
                }
                for i in ids.indices {
                    let chain = [ids[i]] + splits[i].sorted { ($0.t, $0.node) < ($1.t, $1.node) }.map(\.node) + [ids[(i + 1) % ids.count]]
                    for (a, b) in zip(chain, chain.dropFirst()) where try clear(nodes[a], nodes[b]) {
                        addEdge(a, b, cost: try cost(nodes[a], nodes[b], perMetre: Self.easementCostPerMetre))
                    }
                }
            }
        }
        for parcel in scenario.parcels { try ring(around: parcel.boundaryPlanar, joinTo: parcel.id) }
        let parcelsUnion = try Geometry.union(of: scenario.parcels.map(\.boundaryPlanar)).prepared()
        for zone in barriers where !(try parcelsUnion.covers(zone.boundaryPlanar)) { try ring(around: zone.boundaryPlanar, joinTo: nil) }

        // Open land: straight links between open nodes that keep clear.
        for (k, i) in open.enumerated() {
            for j in open[(k + 1)...] where nodes[i].distance(to: nodes[j]) > 1e-6 {
                if try clear(nodes[i], nodes[j]) { addEdge(i, j, cost: try cost(nodes[i], nodes[j], perMetre: Self.openLandCostPerMetre)) }
            }
        }

        // A source inside a parcel (or its easement) reaches that parcel's streets directly, over
        // land no lot, building or uncrossable zone covers.
        for (_, s) in sourceNode.sorted(by: { $0.key < $1.key }) {
            let p = nodes[s]
            guard try blockedPrepared.intersects(Geometry.point(p)) else { continue }
            for parcel in streets {
                guard let outline = scenario.parcels.first(where: { $0.id == parcel.parcelID }),
                      try outline.boundaryPlanar.distance(to: Geometry.point(p)) <= Self.easementMetres else { continue }
                let obstacles = try Geometry.union(of: plan.lots.filter { $0.parcelID == parcel.parcelID }.map(\.polygonPlanar)
                                                   + plan.buildings.filter { $0.parcelID == parcel.parcelID }.map(\.footprintPlanar)
                                                   + barriers.map(\.boundaryPlanar)).prepared()
                let base = accessNode[parcel.parcelID]! - parcel.accessNode
                let nearest = parcel.nodes.indices.sorted { (parcel.nodes[$0].distance(to: p), $0) < (parcel.nodes[$1].distance(to: p), $1) }.prefix(30)
                for n in nearest where !(try obstacles.intersects(Geometry.lineString([p, parcel.nodes[n]]))) {
                    addEdge(s, base + n, cost: try cost(p, parcel.nodes[n], perMetre: Self.openLandCostPerMetre))
                }
            }
        }
    }

    /// A trunk: the parcel it feeds, where it starts (nil: at the source; else a street node
    /// of the fed parcel `fromParcelID`), where it ends (a street node of `parcelID`), and the
    /// corridor nodes it follows, start first.
    struct Route {
        let parcelID: String
        let fromParcelID: String?
        let path: [Int]
        let costMetres: Double
    }

    /// The corridor node of street node `n` of `parcelID`'s street graph.
    func streetNode(_ n: Int, of parcel: ParcelStreets) -> Int { accessNode[parcel.parcelID]! - parcel.accessNode + n }

    /// Trunks that feed every site in `sites` from the source of `utility`: repeatedly, the
    /// cheapest path from anything already fed (the source, or a node of a fed site's mains)
    /// to a node of the mains of a site not yet fed (a shortest-connection tree over corridor
    /// paths). So a site is fed from its own source whenever that is cheaper than a link from
    /// another site, and a trunk joins a site's mains where it first meets them. Ties go to
    /// the order of `sites`. Throws when the source reaches no path to a site.
    func routes(utility: Utility, sourceName: String, sites: [(parcelID: String, entries: [Int])]) throws -> [Route] {
        guard let source = sourceNode[utility] else { return [] }
        var fed: [Int: String?] = [source: nil]
        var waiting = sites.filter { !$0.entries.isEmpty }
        var result: [Route] = []
        while !waiting.isEmpty {
            let tree = ShortestPathTree(nodeCount: nodes.count, adjacency: adjacency, starts: fed.keys.sorted())
            var best: (k: Int, node: Int, cost: Double)?
            for (k, site) in waiting.enumerated() {
                for n in site.entries where tree.cost[n].isFinite {
                    if best == nil || tree.cost[n] < best!.cost - 1e-9 { best = (k, n, tree.cost[n]) }
                }
            }
            guard let best else {
                throw InputError("""
                    utilities.sources.\(utility.rawValue): the \(utility.rawValue) source "\(sourceName)" cannot reach \
                    \(waiting.count == 1 ? "parcel" : "parcels") \(waiting.map(\.parcelID).joined(separator: ", ")) over the corridor graph (streets, an edge easement \(fmt(Self.easementMetres)) m \
                    outside each parcel, open land outside the parcels and uncrossable exclusion zones): move the source, \
                    or mark the exclusion zone kinds in the way crossable under rules.crossings.kinds
                    """)
            }
            let site = waiting.remove(at: best.k)
            let path = tree.path(to: best.node)
            result.append(Route(parcelID: site.parcelID, fromParcelID: fed[path[0]] ?? nil, path: path, costMetres: best.cost))
            for n in site.entries { fed[n] = site.parcelID }
        }
        return result
    }

    /// The planar points of a route for `utility`: street nodes shifted to the utility's place
    /// in their corridor, open-land nodes as they are.
    func points(of route: Route, utility: Utility, offsets: [String: [Utility: XY]]) -> [XY] {
        var points: [XY] = []
        for n in route.path {
            var p = nodes[n]
            if let pid = streetParcel[n], let o = offsets[pid]?[utility] { p = XY(p.x + o.x, p.y + o.y) }
            if let last = points.last, last.distance(to: p) < 1e-6 { continue }
            points.append(p)
        }
        return points
    }
}
