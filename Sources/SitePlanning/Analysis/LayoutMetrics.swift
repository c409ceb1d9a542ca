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
    /// Street centreline length alongside a lot's front edge (on either side), metres.
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
    /// - Parameter threads: threads for the fronted length (1 inside work already on threads).
    public static func parcels(_ plan: SitePlan, scenario: Scenario, threads: Int = 1) throws -> [LayoutMetrics] {
        try scenario.parcels.map { try metrics(of: $0.id, plan, threads: threads) }
    }

    public static func metrics(of parcelID: String, _ plan: SitePlan, threads: Int = 1) throws -> LayoutMetrics {
        let streets = plan.streets.filter { $0.parcelID == parcelID }
        let lots = plan.lots.filter { $0.parcelID == parcelID }
        let buildings = plan.buildings.filter { $0.parcelID == parcelID }
        let lines = try streets.map { try $0.centrelinePlanar.coordinates() }
        let length = lines.reduce(0.0) { $0 + LayoutStreetGraph.length($1) }

        let fronted = try frontedLength(streets: streets, lines: lines, lots: lots, threads: threads)

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

    /// Street centreline length alongside a lot's front edge, metres: every lot edge along a
    /// street corridor (a corner lot fronts two streets), widened across the street with flat
    /// ends and cut from its centreline; the union per street, so lots facing each other count
    /// once.
    ///
    /// Per street, the lots tested are those whose polygon comes within the corridor's reach
    /// of the centreline (plain coordinates; the reach bounds the mitred corridor), in lot
    /// order; a lot farther away cannot meet the corridor, so its GEOS overlay would give
    /// nothing. Every front is then made by the same GEOS calls on the same geometries, in
    /// the same order, as testing every lot of the corridor's envelope (`exhaustive`), so the
    /// length is the same double. The streets run on up to `threads` threads in chunks, each
    /// chunk with its own copies of its centrelines and lots (made here, before the threads
    /// start: a Geometry is not for two threads at once); the lengths are summed in street order.
    static func frontedLength(streets: [Street], lines: [[XY]], lots: [Lot], threads: Int = 1, exhaustive: Bool = false) throws -> Double {
        if exhaustive {
            let lotTree = try STRtree(lots.map { ($0.polygonPlanar, $0.id) })
            var fronted = 0.0
            for street in streets {
                let corridor = try street.centrelinePlanar.buffer(street.widthMetres / 2 + 0.05, style: .corridor)
                let candidates = try lotTree.query(intersectingEnvelopeOf: corridor)
                if let length = try frontedLength(street.centrelinePlanar, corridor: corridor, widthMetres: street.widthMetres,
                                                  lots: candidates.map { lots[$0].polygonPlanar }) {
                    fronted += length
                }
            }
            return fronted
        }
        let shapes = try PlanarShapes(lots.map(\.polygonPlanar))
        var grid = EnvelopeGrid(cellMetres: 100)
        for (i, lot) in lots.enumerated() { grid.insert(try shapes.boxes[i] ?? lot.polygonPlanar.envelope()) }
        // Per street, the lots within reach, ascending.
        let candidates: [[Int]] = streets.indices.map { s in
            let line = lines[s]
            guard !line.isEmpty else { return [] }
            let half = streets[s].widthMetres / 2 + 0.05
            // A flat-capped segment's corridor lies within `half` of it; mitred corners of a
            // polyline within 5 × `half` (GEOS's mitre limit); GEOS simplifies the line by 1 %
            // of `half` first. Margins far above rounding.
            let reach = line.count > 2 ? 5.1 * half + 0.01 : 1.02 * half + 0.01
            var box = Envelope(minX: .infinity, minY: .infinity, maxX: -.infinity, maxY: -.infinity)
            for p in line { box.expand(toInclude: p) }
            return grid.query(box.expanded(by: reach)).sorted().filter { i in
                guard let d = shapes.distance(i, to: line) else { return true }
                return d <= reach
            }
        }
        let workers = max(1, min(threads, streets.count))
        let chunkCount = workers == 1 ? 1 : min(streets.count, workers * 8)
        let bounds = (0...chunkCount).map { $0 * streets.count / chunkCount }
        struct Chunk: @unchecked Sendable {
            // Owned by the chunk alone once made: the thread that runs it is their only user.
            let centrelines: [Geometry]
            let widths: [Double]
            let lots: [[Geometry]]
        }
        let chunks: [Chunk] = try (0..<chunkCount).map { c in
            let range = bounds[c]..<bounds[c + 1]
            if workers == 1 {
                return Chunk(centrelines: range.map { streets[$0].centrelinePlanar }, widths: range.map { streets[$0].widthMetres },
                             lots: range.map { candidates[$0].map { lots[$0].polygonPlanar } })
            }
            var copies: [Int: Geometry] = [:]
            let own = try range.map { s in
                try candidates[s].map { i in
                    if let known = copies[i] { return known }
                    let copy = try lots[i].polygonPlanar.copy()
                    copies[i] = copy
                    return copy
                }
            }
            return Chunk(centrelines: try range.map { try streets[$0].centrelinePlanar.copy() }, widths: range.map { streets[$0].widthMetres },
                         lots: own)
        }
        let lengths = try parallelMap(chunkCount, threads: workers) { c in
            let chunk = chunks[c]
            return try chunk.centrelines.indices.map { k in
                chunk.lots[k].isEmpty ? nil : try frontedLength(chunk.centrelines[k], corridor: nil, widthMetres: chunk.widths[k], lots: chunk.lots[k])
            }
        }
        var fronted = 0.0
        for chunk in lengths { for length in chunk { if let length { fronted += length } } }
        return fronted
    }

    /// One street's fronted length, or nil when no lot fronts it.
    private static func frontedLength(_ centreline: Geometry, corridor known: Geometry?, widthMetres: Double, lots: [Geometry]) throws -> Double? {
        guard !lots.isEmpty else { return nil }
        let corridor = try known ?? centreline.buffer(widthMetres / 2 + 0.05, style: .corridor)
        var fronts: [Geometry] = []
        for lot in lots {
            for edge in try lot.boundary().intersection(corridor).parts() where try edge.length >= 1 {
                fronts.append(try edge.buffer(widthMetres / 2 + 0.5, style: BufferStyle(cap: .flat, join: .mitre)))
            }
        }
        guard !fronts.isEmpty else { return nil }
        return try centreline.intersection(Geometry.union(of: fronts)).length
    }

    /// The nearest-rank 95th percentile (nil for no values).
    static func percentile95(_ values: [Double]) -> Double? {
        guard !values.isEmpty else { return nil }
        let sorted = values.sorted()
        let rank = Int((0.95 * Double(sorted.count)).rounded(.up))
        return sorted[max(0, min(sorted.count - 1, rank - 1))]
    }
}
