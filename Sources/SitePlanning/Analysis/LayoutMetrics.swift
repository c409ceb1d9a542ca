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
    public static func parcels(_ plan: SitePlan, scenario: Scenario) throws -> [LayoutMetrics] {
        try scenario.parcels.map { try metrics(of: $0.id, plan) }
    }

    public static func metrics(of parcelID: String, _ plan: SitePlan) throws -> LayoutMetrics {
        let streets = plan.streets.filter { $0.parcelID == parcelID }
        let lots = plan.lots.filter { $0.parcelID == parcelID }
        let buildings = plan.buildings.filter { $0.parcelID == parcelID }
        let lines = try streets.map { try $0.centrelinePlanar.coordinates() }
        let length = lines.reduce(0.0) { $0 + LayoutStreetGraph.length($1) }

        // Fronted: every lot edge along a street corridor (a corner lot fronts two streets),
        // widened across the street with flat ends and cut from its centreline; the union
        // per street, so lots facing each other count once.
        let lotTree = try STRtree(lots.map { ($0.polygonPlanar, $0.id) })
        var fronted = 0.0
        for street in streets {
            let corridor = try street.centrelinePlanar.buffer(street.widthMetres / 2 + 0.05, style: .corridor)
            var fronts: [Geometry] = []
            for i in try lotTree.query(intersectingEnvelopeOf: corridor) {
                for edge in try lots[i].polygonPlanar.boundary().intersection(corridor).parts() where try edge.length >= 1 {
                    fronts.append(try edge.buffer(street.widthMetres / 2 + 0.5, style: BufferStyle(cap: .flat, join: .mitre)))
                }
            }
            guard !fronts.isEmpty else { continue }
            fronted += try street.centrelinePlanar.intersection(Geometry.union(of: fronts)).length
        }

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

    /// The nearest-rank 95th percentile (nil for no values).
    static func percentile95(_ values: [Double]) -> Double? {
        guard !values.isEmpty else { return nil }
        let sorted = values.sorted()
        let rank = Int((0.95 * Double(sorted.count)).rounded(.up))
        return sorted[max(0, min(sorted.count - 1, rank - 1))]
    }
}
