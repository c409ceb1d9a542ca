import SiteVocabulary
import SiteGeometry

/// How economical and walkable a parcel's layout is, computed from the plan's geometry.
/// Lengths in metres, areas in m², shares as fractions.
public struct LayoutMetrics: Sendable, Equatable {
    public let parcelID: String
    /// Total street centreline length, metres.
    public let streetLengthMetres: Double
    public let dwellingUnits: Int
    /// Street centreline length over dwelling units, metres (0 without dwellings).
    public var streetMetresPerDwelling: Double { dwellingUnits > 0 ? streetLengthMetres / Double(dwellingUnits) : 0 }
    /// Street centreline length within half the street's width + 0.5 m of a lot (on either side), metres.
    public let frontedLengthMetres: Double
    /// Fronted length over street length.
    public var frontedShare: Double { streetLengthMetres > 0 ? frontedLengthMetres / streetLengthMetres : 0 }
    /// Street ends joined to nothing, other than at the access point.
    public let deadEnds: Int
    /// 95th percentile over buildings of network distance over straight-line distance from
    /// the access point to the point of the street nearest the building (1 without buildings).
    public let detourFactor: Double
    /// The parcel's land use (developed, reserve and its capacity, unreachable).
    public let landUse: LandUse?
    /// The parcel's street crossings of exclusion zones.
    public let crossings: [Crossing]

    /// Developed land over land (the parcel less exclusion zones).
    public var developedShare: Double {
        guard let landUse, landUse.landSquareMetres > 0 else { return 0 }
        return landUse.developedSquareMetres / landUse.landSquareMetres
    }

    public static func == (a: LayoutMetrics, b: LayoutMetrics) -> Bool {
        a.parcelID == b.parcelID && a.streetLengthMetres == b.streetLengthMetres && a.dwellingUnits == b.dwellingUnits
            && a.frontedLengthMetres == b.frontedLengthMetres && a.deadEnds == b.deadEnds && a.detourFactor == b.detourFactor
            && a.landUse == b.landUse && a.crossings.map(\.id) == b.crossings.map(\.id)
    }
}

public enum LayoutMetricsAnalysis {
    /// The metrics of every parcel of a plan, in scenario order.
    public static func parcels(_ plan: SitePlan, scenario: Scenario) throws -> [LayoutMetrics] {
        try scenario.parcels.map { try metrics(of: $0.id, plan) }
    }

    public static func metrics(of parcelID: String, _ plan: SitePlan) throws -> LayoutMetrics {
        let streets = plan.streets.filter { $0.parcelID == parcelID }
        let lots = plan.lots.filter { $0.parcelID == parcelID }
        let buildings = plan.buildings.filter { $0.parcelID == parcelID }
        let lines = try streets.map { try $0.centrelinePlanar.coordinates() }
        let length = lines.reduce(0.0) { $0 + LayoutStreetGraph.length($1) }

        let fronted = try frontedLengthAlongCentrelines(lines: lines, widths: streets.map(\.widthMetres), lots: lots)

        // Dead ends and detours on the street graph.
        let graph = LayoutStreetGraph(lines: lines)
        var deadEnds = 0
        var detour = 1.0
        if let access = plan.accessPointsPlanar[parcelID], !graph.edges.isEmpty {
            deadEnds = graph.deadEndNodes.filter { graph.nodes[$0].distance(to: access) > 1.0 }.count
            if let paths = graph.shortestPaths(fromPoint: access) {
                var ratios: [Double] = []
                for b in buildings {
                    guard let at = graph.locate(try b.footprintPlanar.centroidXY()) else { continue }
                    let edge = graph.edges[at.edge]
                    let t = edge.lengthMetres > 0 ? at.along / edge.lengthMetres : 0
                    let tee = XY(edge.from.x + t * (edge.to.x - edge.from.x), edge.from.y + t * (edge.to.y - edge.from.y))
                    let straight = tee.distance(to: access)
                    let network = graph.distance(to: at, paths.distance)
                    guard straight > 1, network.isFinite else { continue }
                    ratios.append(network / straight)
                }
                detour = percentile95(ratios) ?? 1
            }
        }
        let dwellings = buildings.reduce(0) { $0 + $1.units }
        return LayoutMetrics(parcelID: parcelID, streetLengthMetres: length, dwellingUnits: dwellings, frontedLengthMetres: min(fronted, length),
                             deadEnds: deadEnds, detourFactor: detour, landUse: plan.landUse[parcelID],
                             crossings: plan.crossings.filter { $0.parcelID == parcelID })
    }

    /// Street centreline length with a lot beside it, metres, in plain coordinates: the points
    /// of each street's centreline that lie within half the street's width + 0.5 m of a lot
    /// (on either side; a corner lot fronts two streets and reaches a little way into their
    /// junction). Per centreline segment, each nearby lot edge covers one interval of it (the
    /// points within reach of a segment form a capsule, which is convex); the intervals are
    /// merged, so lots facing each other count once, and summed.
    /// - Parameter widths: each street's width, metres, in `lines` order.
    static func frontedLengthAlongCentrelines(lines: [[XY]], widths: [Double], lots: [Lot]) throws -> Double {
        // The lots' rings, numbered as the grid numbers their envelopes (an empty lot has neither).
        var rings: [[[XY]]] = []
        var grid = EnvelopeGrid(cellMetres: 100)
        for lot in lots {
            let lotRings = try lot.polygonPlanar.polygonRings()
            guard let box = Envelope(of: lotRings.first ?? []) else { continue }
            grid.insert(box)
            rings.append(lotRings)
        }
        var fronted = 0.0
        var extents: [(start: Double, end: Double)] = []
        for (line, width) in zip(lines, widths) where line.count >= 2 {
            let reach = width / 2 + 0.5
            for j in 1..<line.count {
                let a = line[j - 1], b = line[j]
                let length = a.distance(to: b)
                guard length > 0 else { continue }
                let u = XY((b.x - a.x) / length, (b.y - a.y) / length)
                let box = Envelope(minX: min(a.x, b.x), minY: min(a.y, b.y), maxX: max(a.x, b.x), maxY: max(a.y, b.y)).expanded(by: reach)
                extents.removeAll(keepingCapacity: true)
                for i in grid.query(box) {
                    for ring in rings[i] where ring.count >= 2 {
                        for k in 1..<ring.count {
                            guard let (from, to) = withinReach(from: a, along: u, of: ring[k - 1], ring[k], reach: reach) else { continue }
                            let start = max(from, 0), end = min(to, length)
                            if start < end { extents.append((start, end)) }
                        }
                    }
                }
                fronted += mergedLength(&extents)
            }
        }
        return fronted
    }

    /// The parameters s (metres along the unit direction `u` from `a`) whose points lie within
    /// `reach` of the segment p–q, as one interval (the capsule round p–q is convex); nil when
    /// the line misses it.
    static func withinReach(from a: XY, along u: XY, of p: XY, _ q: XY, reach: Double) -> (Double, Double)? {
        var lo = Double.infinity, hi = -Double.infinity
        // The discs round p and q: |a + s u - c|² ≤ reach².
        for c in [p, q] {
            let dx = a.x - c.x, dy = a.y - c.y
            let half = dx * u.x + dy * u.y
            let disc = half * half - (dx * dx + dy * dy - reach * reach)
            guard disc >= 0 else { continue }
            let root = disc.squareRoot()
            lo = min(lo, -half - root); hi = max(hi, -half + root)
        }
        // The rectangle between them: 0 ≤ (x - p)·e ≤ |pq| and |(x - p)·m| ≤ reach.
        let edge = p.distance(to: q)
        if edge > 0 {
            let e = XY((q.x - p.x) / edge, (q.y - p.y) / edge)
            let along0 = (a.x - p.x) * e.x + (a.y - p.y) * e.y, alongRate = u.x * e.x + u.y * e.y
            let across0 = (a.x - p.x) * -e.y + (a.y - p.y) * e.x, acrossRate = u.x * -e.y + u.y * e.x
            var enter = -Double.infinity, exit = Double.infinity
            var inside = true
            // Each bound as value0 + s · rate within [low, high].
            for (value0, rate, low, high) in [(along0, alongRate, 0.0, edge), (across0, acrossRate, -reach, reach)] {
                if rate == 0 {
                    if value0 < low || value0 > high { inside = false }
                } else {
                    let s1 = (low - value0) / rate, s2 = (high - value0) / rate
                    enter = max(enter, min(s1, s2)); exit = min(exit, max(s1, s2))
                }
            }
            if inside && enter <= exit && enter.isFinite && exit.isFinite {
                lo = min(lo, enter); hi = max(hi, exit)
            }
        }
        return lo <= hi ? (lo, hi) : nil
    }

    /// The total length of the union of `extents` (sorted in place).
    static func mergedLength(_ extents: inout [(start: Double, end: Double)]) -> Double {
        guard !extents.isEmpty else { return 0 }
        extents.sort { $0.start < $1.start || ($0.start == $1.start && $0.end < $1.end) }
        var total = 0.0
        var current = extents[0]
        for e in extents.dropFirst() {
            if e.start > current.end {
                total += current.end - current.start
                current = e
            } else if e.end > current.end {
                current.end = e.end
            }
        }
        return total + (current.end - current.start)
    }

    /// The nearest-rank 95th percentile (nil for no values).
    static func percentile95(_ values: [Double]) -> Double? {
        guard !values.isEmpty else { return nil }
        let sorted = values.sorted()
        let rank = Int((0.95 * Double(sorted.count)).rounded(.up))
        return sorted[max(0, min(sorted.count - 1, rank - 1))]
    }
}
