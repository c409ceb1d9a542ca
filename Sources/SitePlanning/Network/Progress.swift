import SiteVocabulary
import SiteGeometry

/// Works and connection figures for one area: the town or a parcel.
public struct AreaProgress: Sendable {
    public struct UtilityFigures: Sendable {
        public let utility: Utility
        public let totalLengthMetres: Double
        public let lengthByStatusMetres: [(status: WorksStatus, metres: Double)]
        public var builtLengthMetres: Double { lengthByStatusMetres.filter { $0.status.isBuilt }.reduce(0) { $0 + $1.metres } }
        public var worksCompletePercent: Double { totalLengthMetres > 0 ? 100 * builtLengthMetres / totalLengthMetres : 0 }
        /// Trunks and mains only (no service lines): length and built length, metres.
        public let mainsLengthMetres: Double
        public let mainsBuiltMetres: Double
        public var mainsCompletePercent: Double { mainsLengthMetres > 0 ? 100 * mainsBuiltMetres / mainsLengthMetres : 0 }
        public let buildingsConnected: Int
        public let dwellingsConnected: Int
        /// Buildings within the service distance of a built main of this utility.
        public let buildingsInService: Int
        public let dwellingsInService: Int
        /// Land within the service distance of a built main, m² (parcel land only).
        public let servedAreaSquareMetres: Double
    }

    /// "town" or a parcel id.
    public let scope: String
    public let utilities: [UtilityFigures]
    public let buildings: Int
    public let dwellings: Int
    public let buildingsFullyConnected: Int
    public let dwellingsFullyConnected: Int
    /// Within the service distance of a built main of every utility.
    public let buildingsInServiceAll: Int
    public let dwellingsInServiceAll: Int
    public let servedAreaAllSquareMetres: Double
    public let areaSquareMetres: Double

    public var totalLengthMetres: Double { utilities.reduce(0) { $0 + $1.totalLengthMetres } }
    public var builtLengthMetres: Double { utilities.reduce(0) { $0 + $1.builtLengthMetres } }
    public var worksCompletePercent: Double { totalLengthMetres > 0 ? 100 * builtLengthMetres / totalLengthMetres : 0 }
    public var mainsCompletePercent: Double {
        let total = utilities.reduce(0) { $0 + $1.mainsLengthMetres }
        return total > 0 ? 100 * utilities.reduce(0) { $0 + $1.mainsBuiltMetres } / total : 0
    }
}

/// The whole progress report.
public struct ProgressReport: Sendable {
    public let asOf: ISODate?
    public let serviceDistanceMetres: Double
    public let town: AreaProgress
    public let parcels: [AreaProgress]
    /// What to build next: work packages, most dwellings fully connected per metre first.
    public let nextWorkPackages: [WorkPackage]
    /// Connection state per building: the utilities it is connected for.
    public let connections: [String: Set<Utility>]
    public let warnings: [String]
}

/// Computes works progress, connection by tracing, service coverage and the next work packages.
public enum ProgressAnalysis {
    /// The progress of `network`'s works as recorded in `status` (as of `asOf`): figures for the
    /// town and each parcel, service coverage within `serviceDistanceMetres`, and the `topN`
    /// next work packages (see `WorkPackageRanking`).
    public static func compute(scenario: Scenario, plan: SitePlan, network: UtilityNetwork, status: StatusBook,
                               asOf: ISODate? = nil, serviceDistanceMetres: Double = 30, topN: Int = 10) throws -> ProgressReport {
        try compute(scenario: scenario, plan: plan, network: network, status: status, asOf: asOf,
                    serviceDistanceMetres: serviceDistanceMetres, topN: topN) { _ in () }.progress
    }

    /// `compute`, with the work packages ranked on a second thread while the figures are
    /// computed, and then `next` run, on the calling thread: `next` gets the connection state
    /// per building (the report's `connections`) and may use the plan's geometries. The ranking
    /// (`WorkPackageRanking.rank`) reads only the tracer's plain values (ids, node and segment
    /// indices, lengths, statuses), never a `Geometry`, so no geometry is used by two threads
    /// at once; it is joined before this returns or throws. The report is the same as ranking
    /// on the calling thread.
    ///
    ///     let (progress, households) = try ProgressAnalysis.compute(scenario: s, plan: p, network: n, status: book) {
    ///         HouseholdAllocator.allocate(s.families, plan: p, connections: $0)
    ///     }
    public static func compute<Next>(scenario: Scenario, plan: SitePlan, network: UtilityNetwork, status: StatusBook,
                                     asOf: ISODate? = nil, serviceDistanceMetres: Double = 30, topN: Int = 10,
                                     then next: (_ connections: [String: Set<Utility>]) throws -> Next) throws -> (progress: ProgressReport, then: Next) {
        let tracer = ConnectionTracer(network: network, status: status, asOf: asOf)
        let dwellings = Dictionary(plan.buildings.map { ($0.id, $0.units) }, uniquingKeysWith: +)
        let ranking = BackgroundTask("siteplan.progress.ranking") {
            WorkPackageRanking.rank(tracer, dwellings: dwellings, topN: topN, threads: 2)
        }
        // Joined on every way out, a throw included: nothing keeps running after the call.
        defer { ranking.wait() }
        let (figures, after) = try figures(scenario: scenario, plan: plan, network: network, status: status, asOf: asOf,
                                           serviceDistanceMetres: serviceDistanceMetres, tracer: tracer, then: next)
        let progress = ProgressReport(asOf: asOf, serviceDistanceMetres: serviceDistanceMetres, town: figures.town, parcels: figures.parcels,
                                      nextWorkPackages: try ranking.value(), connections: figures.connections, warnings: figures.warnings)
        return (progress, after)
    }

    /// Everything of the report but the work packages, then `next(connections)`: on the calling thread.
    private static func figures<Next>(scenario: Scenario, plan: SitePlan, network: UtilityNetwork, status: StatusBook, asOf: ISODate?,
                                      serviceDistanceMetres: Double, tracer: ConnectionTracer,
                                      then next: ([String: Set<Utility>]) throws -> Next)
        throws -> ((town: AreaProgress, parcels: [AreaProgress], connections: [String: Set<Utility>], warnings: [String]), Next) {
        var connections: [String: Set<Utility>] = [:]
        for b in plan.buildings { connections[b.id] = [] }
        for u in Utility.allCases {
            for b in tracer.connectedBuildings(u) { connections[b, default: []].insert(u) }
        }

        // What the areas' figures read, once per segment and building instead of once per area
        // and utility (no copy of a segment or building value per look).
        let utilities = Utility.allCases
        let allUtilities = (1 << utilities.count) - 1
        var segmentParcel: [String] = [], segmentUtility: [Int] = [], segmentLength: [Double] = []
        var segmentIsMain: [Bool] = [], segmentStatus: [WorksStatus] = []
        // Built trunks and mains per utility (by index in `utilities`), in segment order.
        var builtMains = [[Int]](repeating: [], count: utilities.count)
        for i in network.segments.indices {
            segmentParcel.append(network.segments[i].parcelID)
            segmentUtility.append(utilities.firstIndex(of: network.segments[i].utility)!)
            segmentLength.append(network.segments[i].lengthMetres)
            segmentIsMain.append(network.segments[i].kind != .service)
            // The tracer's status (`tracer.isBuilt`): the same book as of the same day.
            segmentStatus.append(status.status(of: network.segments[i].id, asOf: asOf))
            if segmentIsMain[i] && segmentStatus[i].isBuilt { builtMains[segmentUtility[i]].append(i) }
        }

        // Service coverage: built trunks and mains, buffered.
        var inService: [Utility: Set<String>] = [:]
        var servedArea: [Utility: Geometry] = [:]
        for (k, u) in utilities.enumerated() {
            let mains = builtMains[k]
            guard !mains.isEmpty else { inService[u] = []; continue }
            let tree = try STRtree(mains.map { (network.segments[$0].geometryPlanar, $0) })
            var near = Set<String>()
            for b in plan.buildings {
                let env = try b.footprintPlanar.envelope().expanded(by: serviceDistanceMetres)
                for i in try tree.query(intersecting: env) where try tree.geometries[i].isWithinDistance(serviceDistanceMetres, of: b.footprintPlanar) {
                    near.insert(b.id)
                    break
                }
            }
            inService[u] = near
            // Sewn into long lines first: buffering a few dozen lines is ~30 times faster than
            // buffering (or uniting the buffers of) hundreds of two-point segments.
            servedArea[u] = try Geometry.collection(.multiLineString, mains.map { network.segments[$0].geometryPlanar })
                .lineMerged().buffer(serviceDistanceMetres)
        }

        // Per building: its dwellings, and the utilities (bits in `utilities` order) it is
        // connected for and within the service distance of.
        var buildingParcel: [String] = [], buildingUnits: [Int] = [], connectedFor: [Int] = [], servedFor: [Int] = []
        for i in plan.buildings.indices {
            let id = plan.buildings[i].id
            buildingParcel.append(plan.buildings[i].parcelID)
            buildingUnits.append(plan.buildings[i].units)
            let connectedSet = connections[id]
            var connectedBits = 0, servedBits = 0
            for (k, u) in utilities.enumerated() {
                if connectedSet?.contains(u) == true { connectedBits |= 1 << k }
                if inService[u]?.contains(id) == true { servedBits |= 1 << k }
            }
            connectedFor.append(connectedBits)
            servedFor.append(servedBits)
        }

        func area(_ scope: String, parcelIDs: Set<String>, boundaries: [Geometry]) throws -> AreaProgress {
            let buildings = buildingParcel.indices.filter { parcelIDs.contains(buildingParcel[$0]) }
            let segments = segmentParcel.indices.filter { parcelIDs.contains(segmentParcel[$0]) }
            let land = try Geometry.union(of: boundaries)
            let landArea = try land.area
            var figures: [AreaProgress.UtilityFigures] = []
            var servedAll: Geometry? = land
            for (k, u) in utilities.enumerated() {
                var byStatus: [WorksStatus: Double] = [:]
                var total = 0.0, mains = 0.0, mainsBuilt = 0.0
                for i in segments where segmentUtility[i] == k {
                    let st = segmentStatus[i], length = segmentLength[i]
                    byStatus[st, default: 0] += length
                    total += length
                    if segmentIsMain[i] {
                        mains += length
                        if st.isBuilt { mainsBuilt += length }
                    }
                }
                let connected = buildings.filter { connectedFor[$0] & (1 << k) != 0 }
                let near = buildings.filter { servedFor[$0] & (1 << k) != 0 }
                let served = try servedArea[u].map { try $0.intersection(land).area } ?? 0
                if let s = servedAll { servedAll = try servedArea[u].map { try s.intersection($0) } }
                figures.append(AreaProgress.UtilityFigures(
                    utility: u, totalLengthMetres: total,
                    lengthByStatusMetres: WorksStatus.allCases.map { ($0, byStatus[$0] ?? 0) },
                    mainsLengthMetres: mains, mainsBuiltMetres: mainsBuilt,
                    buildingsConnected: connected.count, dwellingsConnected: connected.reduce(0) { $0 + buildingUnits[$1] },
                    buildingsInService: near.count, dwellingsInService: near.reduce(0) { $0 + buildingUnits[$1] },
                    servedAreaSquareMetres: served))
            }
            let full = buildings.filter { connectedFor[$0] == allUtilities }
            let nearAll = buildings.filter { servedFor[$0] == allUtilities }
            return AreaProgress(scope: scope, utilities: figures, buildings: buildings.count, dwellings: buildings.reduce(0) { $0 + buildingUnits[$1] },
                                buildingsFullyConnected: full.count, dwellingsFullyConnected: full.reduce(0) { $0 + buildingUnits[$1] },
                                buildingsInServiceAll: nearAll.count, dwellingsInServiceAll: nearAll.reduce(0) { $0 + buildingUnits[$1] },
                                servedAreaAllSquareMetres: try servedAll?.area ?? 0, areaSquareMetres: landArea)
        }

        let town = try area("town", parcelIDs: Set(scenario.parcels.map(\.id)), boundaries: scenario.parcels.map(\.boundaryPlanar))
        let parcels = try scenario.parcels.map { try area($0.id, parcelIDs: [$0.id], boundaries: [$0.boundaryPlanar]) }

        var warnings: [String] = []
        for u in network.utilitiesWithoutSource {
            let count = network.segments.filter { $0.utility == u }.count
            warnings.append("utility \(u.rawValue) has no source in the scenario: its \(count) segments are disconnected from every source, and no building can be connected for it")
        }
        for b in network.unreachableBuildings {
            warnings.append("building \(b) has no street path to its parcel's access point: it has no service lines")
        }
        return ((town, parcels, connections, warnings), try next(connections))
    }
}
