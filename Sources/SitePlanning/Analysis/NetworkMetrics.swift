import SiteGeometry
import SiteVocabulary

/// What the utility networks of a plan cost and whether they keep clear of what they must not
/// cross, per parcel and for the town.
///
/// - Length per dwelling: trunks, mains and service lines of each utility, metres per
///   dwelling unit of the scope (a trunk counts for the parcel it feeds).
/// - Crossings: trunks and mains whose line runs through the interior of a lot, a building or
///   an exclusion zone of a kind the scenario does not mark crossable (`rules.crossings.kinds`),
///   by more than `PlanCheck.toleranceMetres`; computed with GEOS. A service line crosses its
///   own lot by design and is not counted. A plan a planner accepts has none.
/// - Water loops: the independent cycles of the water mains (edges − nodes + components of the
///   mains graph), so a parcel's water is looped when a main break can be fed from both sides.
public struct NetworkMetrics: Sendable {
    public struct Scope: Sendable {
        /// "town" or a parcel id.
        public let scope: String
        public let dwellings: Int
        /// Trunk, main and service length of each utility, metres.
        public let lengthMetres: [Utility: Double]
        public let crossings: Crossings
        public let waterLoops: Int

        public var totalLengthMetres: Double { lengthMetres.values.reduce(0, +) }
        public var waterLooped: Bool { waterLoops > 0 }
        /// Metres per dwelling; 0 without dwellings.
        public func lengthPerDwellingMetres(_ utility: Utility?) -> Double {
            guard dwellings > 0 else { return 0 }
            return (utility.map { lengthMetres[$0] ?? 0 } ?? totalLengthMetres) / Double(dwellings)
        }
    }

    /// Trunk and main segments crossing each kind of obstacle, and the metres inside them.
    public struct Crossings: Sendable, Equatable {
        public var lots = 0, buildings = 0, zones = 0
        public var metres = 0.0
        public var segmentIDs: [String] = []
        public var total: Int { lots + buildings + zones }
    }

    public let town: Scope
    public let parcels: [Scope]

    /// The obstacles whose envelope meets a segment's are tested with GEOS, except a lot or
    /// footprint that plain coordinates put more than a millimetre from the segment: it cannot
    /// intersect it, so the counts and metres are those of testing every one (as the tests
    /// check against GEOS alone).
    public static func compute(scenario: Scenario, plan: SitePlan, network: UtilityNetwork) throws -> NetworkMetrics {
        enum Obstacle { case lot, building, zone }
        let crossable = scenario.rules.crossingKinds
        var entries: [(Geometry, Obstacle)] = plan.lots.map { ($0.polygonPlanar, .lot) } + plan.buildings.map { ($0.footprintPlanar, .building) }
        entries += scenario.exclusions.filter { !crossable.contains($0.kind) }.map { ($0.boundaryPlanar, .zone) }
        let tree = try STRtree(entries)
        let shapes = try PlanarShapes(entries.map(\.0))
        var prepared: [Int: PreparedGeometry] = [:]

        var crossings: [String: Crossings] = [:]
        var length: [String: [Utility: Double]] = [:]
        for s in network.segments {
            length[s.parcelID, default: [:]][s.utility, default: 0] += s.lengthMetres
            guard s.kind != .service else { continue }
            var hit = Crossings()
            let line = s.geometryPlanar.type == .lineString ? try s.geometryPlanar.coordinates() : nil
            for i in try tree.query(intersectingEnvelopeOf: s.geometryPlanar) {
                if case .zone = tree.items[i] {} else if let line, let apart = shapes.distance(i, to: line), apart > 0.001 {
                    continue  // certainly apart: no intersection for GEOS to find
                }
                // Zones are large and few: prepared once. Lots and footprints have a handful of
                // vertices each, and there are many: tested as they are.
                if case .zone = tree.items[i] {
                    let p: PreparedGeometry
                    if let known = prepared[i] { p = known } else { p = try tree.geometries[i].prepared(); prepared[i] = p }
                    guard try p.intersects(s.geometryPlanar) else { continue }
                } else {
                    guard try tree.geometries[i].intersects(s.geometryPlanar) else { continue }
                }
                let inside = try tree.geometries[i].intersection(s.geometryPlanar).length
                guard inside > PlanCheck.toleranceMetres else { continue }
                switch tree.items[i] {
                case .lot: hit.lots += 1
                case .building: hit.buildings += 1
                case .zone: hit.zones += 1
                }
                hit.metres += inside
            }
            if hit.total > 0 {
                hit.segmentIDs = [s.id]
                var c = crossings[s.parcelID] ?? Crossings()
                c.lots += hit.lots; c.buildings += hit.buildings; c.zones += hit.zones
                c.metres += hit.metres; c.segmentIDs += hit.segmentIDs
                crossings[s.parcelID] = c
            }
        }

        let waterLoops = loops(network, utility: .water)
        var dwellings: [String: Int] = [:]
        for b in plan.buildings { dwellings[b.parcelID, default: 0] += b.units }
        let parcels = scenario.parcels.map { p in
            Scope(scope: p.id, dwellings: dwellings[p.id] ?? 0, lengthMetres: length[p.id] ?? [:],
                  crossings: crossings[p.id] ?? Crossings(), waterLoops: waterLoops[p.id] ?? 0)
        }
        var townLength: [Utility: Double] = [:]
        var townCrossings = Crossings()
        for p in parcels {
            for (u, m) in p.lengthMetres { townLength[u, default: 0] += m }
            townCrossings.lots += p.crossings.lots; townCrossings.buildings += p.crossings.buildings
            townCrossings.zones += p.crossings.zones; townCrossings.metres += p.crossings.metres
            townCrossings.segmentIDs += p.crossings.segmentIDs
        }
        let town = Scope(scope: "town", dwellings: parcels.reduce(0) { $0 + $1.dwellings }, lengthMetres: townLength,
                         crossings: townCrossings, waterLoops: parcels.reduce(0) { $0 + $1.waterLoops })
        return NetworkMetrics(town: town, parcels: parcels)
    }

    /// Independent cycles of each parcel's mains of `utility`: edges − nodes + components.
    static func loops(_ network: UtilityNetwork, utility: Utility) -> [String: Int] {
        var byParcel: [String: [NetworkSegment]] = [:]
        for s in network.segments where s.utility == utility && s.kind == .main { byParcel[s.parcelID, default: []].append(s) }
        var result: [String: Int] = [:]
        for (pid, mains) in byParcel {
            var parent: [Int: Int] = [:]
            func find(_ x: Int) -> Int {
                var r = x
                while let p = parent[r], p != r { r = p }
                var walk = x
                while let p = parent[walk], p != r { parent[walk] = r; walk = p }
                return r
            }
            var cycles = 0
            for m in mains {
                if parent[m.from] == nil { parent[m.from] = m.from }
                if parent[m.to] == nil { parent[m.to] = m.to }
                let a = find(m.from), b = find(m.to)
                if a == b { cycles += 1 } else { parent[max(a, b)] = min(a, b) }
            }
            result[pid] = cycles
        }
        return result
    }
}
