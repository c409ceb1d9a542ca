import SiteGeometry
import SiteVocabulary

/// How far the residents live from the nearest facility of each kind, for the town and each
/// parcel. Every figure is computed from the plan's geometry.
///
/// A resident's distance is the straight line, in the planning CRS, from the centre of their
/// building's footprint to the nearest facility lot of the kind (0 inside it), anywhere in the
/// town. Residents per building are its dwellings × `persons_per_unit`; the figures weight each
/// building by them. Metres; shares as fractions.
public struct FacilityAccess: Sendable {
    public struct Figures: Sendable, Equatable {
        /// "town" or a parcel id.
        public let scope: String
        public let kind: FacilityKind
        public let residents: Int
        /// Places needed by the scope's residents (`FacilityRequirement.places`), and reserved on
        /// the scope's facility lots.
        public let placesNeeded: Double
        public let placesReserved: Double
        /// Facilities needed and lots reserved in the scope.
        public let facilitiesNeeded: Int
        public let facilitiesPlaced: Int
        public let lotSquareMetres: Double
        public let radiusMetres: Double
        /// Nil when no facility of the kind is in the town (or nobody lives in the scope).
        public let maxDistanceMetres: Double?
        /// The smallest distance within which at least 95 % of the scope's residents live.
        public let p95DistanceMetres: Double?
        /// Residents within the radius / residents (0 without a facility).
        public let shareWithinRadius: Double
    }

    public let figures: [Figures]
    /// Each housing building's distance to the nearest facility of each kind, metres.
    public let distances: [FacilityKind: [String: Double]]

    /// The figures of `plan` under `scenario`'s norms: the town first, then each parcel, each
    /// kind in the norms' order. Empty when the scenario has no facility norms.
    public static func compute(scenario: Scenario, plan: SitePlan) throws -> FacilityAccess {
        let requirements = FacilityPlanning.requirements(scenario)
        var residentsOf: [String: Int] = [:]
        var homes: [(building: Building, residents: Int, centre: Geometry)] = []
        for b in plan.housingBuildings {
            let residents = b.units * b.type.personsPerUnit
            residentsOf[b.id] = residents
            homes.append((b, residents, try b.footprintPlanar.centroid()))
        }
        var figures: [Figures] = []
        var distances: [FacilityKind: [String: Double]] = [:]
        var byScope: [String: [Figures]] = [:]
        for norm in scenario.facilityNorms {
            let kind = norm.kind
            let sites = plan.facilities.filter { $0.kind == kind }
            var distance: [String: Double] = [:]
            if !sites.isEmpty {
                let tree = try STRtree(sites.map { ($0.lotPlanar, $0.lotID) })
                for home in homes {
                    guard let nearest = try tree.nearest(to: home.centre) else { continue }
                    distance[home.building.id] = try sites[nearest].lotPlanar.distance(to: home.centre)
                }
            }
            distances[kind] = distance
            func figuresFor(_ scope: String, parcel: String?) -> Figures {
                let inScope = homes.filter { parcel == nil || $0.building.parcelID == parcel }
                let needs = requirements.filter { $0.kind == kind && (parcel == nil || $0.parcelID == parcel) }
                let reserved = sites.filter { parcel == nil || $0.parcelID == parcel }
                let weighted = inScope.compactMap { h in distance[h.building.id].map { (d: $0, w: h.residents) } }
                    .sorted { ($0.d, $0.w) < ($1.d, $1.w) }
                let total = inScope.reduce(0) { $0 + $1.residents }
                var p95: Double?
                if total > 0, !weighted.isEmpty {
                    var cumulative = 0
                    for entry in weighted {
                        cumulative += entry.w
                        if Double(cumulative) >= 0.95 * Double(total) - 1e-9 { p95 = entry.d; break }
                    }
                }
                let within = weighted.filter { $0.d <= norm.radiusMetres }.reduce(0) { $0 + $1.w }
                return Figures(scope: scope, kind: kind, residents: total, placesNeeded: needs.reduce(0) { $0 + $1.places },
                               placesReserved: reserved.reduce(0) { $0 + $1.places }, facilitiesNeeded: needs.reduce(0) { $0 + $1.count },
                               facilitiesPlaced: reserved.count, lotSquareMetres: (try? reserved.reduce(0.0) { try $0 + $1.lotPlanar.area }) ?? 0,
                               radiusMetres: norm.radiusMetres, maxDistanceMetres: total > 0 ? weighted.last?.d : nil, p95DistanceMetres: p95,
                               shareWithinRadius: total > 0 ? Double(within) / Double(total) : 0)
            }
            byScope["town", default: []].append(figuresFor("town", parcel: nil))
            for parcel in scenario.parcels { byScope[parcel.id, default: []].append(figuresFor(parcel.id, parcel: parcel.id)) }
        }
        for scope in ["town"] + scenario.parcels.map(\.id) { figures += byScope[scope] ?? [] }
        return FacilityAccess(figures: figures, distances: distances)
    }
}
