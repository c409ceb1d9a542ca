import SiteVocabulary

/// The figures of one layout option that the comparison table shows, measured on its plan.
public struct OptionFigures: Sendable, Equatable {
    /// Dwelling units of the program, and of the buildings placed.
    public let dwellingsPlanned: Int
    public let dwellingsPlaced: Int
    /// Buildings of the program that did not fit.
    public let buildingsUnplaced: Int
    /// Street centreline length, metres.
    public let streetMetres: Double
    /// Trunks, mains and service lines of every utility, metres.
    public let networkMetres: Double
    /// Developed land over land (parcels less exclusion zones), all parcels together.
    public let developedShare: Double
    /// The worst parcel's detour factor (`LayoutMetrics.detourFactor`).
    public let detourFactor: Double
    /// Street ends joined to nothing, all parcels.
    public let deadEnds: Int
    /// Street crossings of exclusion zones (bridges, culverts), metres.
    public let crossingMetres: Double
    public let cost: InfrastructureCost
    /// The layout metrics of every parcel, in scenario order (computed once: the option's
    /// report shows the same).
    public let layout: [LayoutMetrics]

    public var streetMetresPerDwelling: Double { dwellingsPlaced > 0 ? streetMetres / Double(dwellingsPlaced) : 0 }
    public var networkMetresPerDwelling: Double { dwellingsPlaced > 0 ? networkMetres / Double(dwellingsPlaced) : 0 }
    public var costPerDwelling: Double { dwellingsPlaced > 0 ? cost.total / Double(dwellingsPlaced) : 0 }

    public init(run: PlanRun, costs: InfrastructureUnitCosts) throws {
        let scenario = run.scenario
        dwellingsPlanned = scenario.programs.reduce(0) { $0 + $1.items.reduce(0) { $0 + $1.count * $1.type.unitsPerBuilding } }
        dwellingsPlaced = run.plan.buildings.reduce(0) { $0 + $1.units }
        buildingsUnplaced = run.plan.unplaced.reduce(0) { $0 + $1.count }
        streetMetres = try run.plan.streets.reduce(0) { $0 + (try $1.centrelinePlanar.length) }
        networkMetres = run.network.segments.reduce(0) { $0 + $1.lengthMetres }
        layout = try LayoutMetricsAnalysis.parcels(run.plan, scenario: scenario)
        let land = layout.reduce(0.0) { $0 + ($1.landUse?.landSquareMetres ?? 0) }
        developedShare = land > 0 ? layout.reduce(0.0) { $0 + ($1.landUse?.developedSquareMetres ?? 0) } / land : 0
        detourFactor = layout.map(\.detourFactor).max() ?? 1
        deadEnds = layout.reduce(0) { $0 + $1.deadEnds }
        crossingMetres = run.plan.crossings.reduce(0) { $0 + $1.lengthMetres }
        cost = InfrastructureCost(plan: run.plan, network: run.network, crossingMetres: crossingMetres, at: costs)
    }
}

/// One layout option: its variant, its plan and its figures. Numbered from 1.
public struct LayoutOption: Sendable {
    public let number: Int
    public let variant: LayoutVariant
    public let label: String
    public let run: PlanRun
    public let figures: OptionFigures
}

/// `siteplan plan --options N`: N layouts of one scenario side by side, and the best of them.
///
/// The objective, in order (the first that separates two options decides):
/// 1. the most of the program placed (fewest buildings left out);
/// 2. the lowest infrastructure cost per dwelling placed (streets by corridor area, every
///    network by length, crossings by length, at the scenario's unit costs);
/// 3. the lower option number (the scenario's own layout is option 1).
///
/// Each option is a design study: its layout and networks are planned with nothing built, so
/// the scenario's works status (recorded on the scenario's own layout) is not read.
public struct OptionsStudy: Sendable {
    public let options: [LayoutOption]
    /// Index into `options` of the best one.
    public let winnerIndex: Int
    /// Index into `options` of the next best (nil with one option): what the winner is
    /// compared with when the report says why it won.
    public let runnerUpIndex: Int?
    public let unitCosts: InfrastructureUnitCosts
    /// True when the scenario gives no `costs` and the documented defaults were used.
    public let costsAreDefaults: Bool

    public var winner: LayoutOption { options[winnerIndex] }
    public var runnerUp: LayoutOption? { runnerUpIndex.map { options[$0] } }

    /// Lays out the first `count` variants (`LayoutVariant.candidates`) with `seed` (the
    /// scenario's when nil), on up to `threads` threads (see `run`).
    public init(scenario: Scenario, count: Int, seed: UInt64? = nil, threads: Int = 1) throws {
        self = try OptionsStudy.run(scenario: scenario, count: count, seed: seed, threads: threads) { _ in () }.study
    }

    /// Lays out the first `count` variants (`LayoutVariant.candidates`) with `seed` (the
    /// scenario's when nil) on up to `threads` threads, and `finish`es each option (its report,
    /// its rendered files: whatever else reads its geometry) on the thread that laid it out.
    ///
    /// Each option is made whole on one thread (layout, networks, progress, figures, then
    /// `finish`), so its GEOS and PROJ objects never meet another thread's context while it is
    /// being worked on. The options, their order, figures, the winner and the `finish`ed
    /// results (in option order) do not depend on `threads`.
    public static func run<Finished: Sendable>(scenario: Scenario, count: Int, seed: UInt64? = nil, threads: Int,
                                               finish: @Sendable (LayoutOption) throws -> Finished) throws -> (study: OptionsStudy, finished: [Finished]) {
        let variants = LayoutVariant.candidates(for: scenario, count: count)
        guard count >= 1 else { throw InputError("--options \(count): ask for 1 option or more") }
        guard variants.count == count else {
            let access = 1 + (scenario.accessPointAlternatives.values.map(\.count).max() ?? 0)
            throw InputError("--options \(count): this scenario has \(variants.count) distinct options (grid along or across × primary street longer or shorter × block depth \(fmt(scenario.rules.blockDepthMetres)) or \(fmt(scenario.rules.blockDepthMetres + 10)) m × \(access) access point\(access == 1 ? "" : "s")); give access_point_alternatives in scenario.json for more")
        }
        let costs = scenario.unitCosts ?? .defaults
        // Each option gets its own copy of the scenario's geometries, made here before the
        // threads start: a Geometry is not for two threads at once (GEOS caches envelopes
        // without a lock).
        let own = try variants.map { _ in
            var copy = scenario
            copy.parcels = try scenario.parcels.map { try $0.copied() }
            copy.exclusions = try scenario.exclusions.map { try $0.copied() }
            return copy
        }
        let made = try parallelMap(variants.count, threads: threads) { i in
            let variant = variants[i]
            let run = try PlanRun(scenario: variant.applied(to: own[i]), seed: seed, variant: variant)
            let option = LayoutOption(number: i + 1, variant: variant, label: variant.label(defaultBlockDepthMetres: scenario.rules.blockDepthMetres),
                                      run: run, figures: try OptionFigures(run: run, costs: costs))
            return (option, try finish(option))
        }
        return (OptionsStudy(options: made.map(\.0), scenario: scenario, costs: costs), made.map(\.1))
    }

    private init(options: [LayoutOption], scenario: Scenario, costs: InfrastructureUnitCosts) {
        let ranked = options.indices.sorted { OptionsStudy.better(options[$0], options[$1]) }
        self.options = options
        self.winnerIndex = ranked[0]
        self.unitCosts = costs
        self.costsAreDefaults = scenario.unitCosts == nil
        self.runnerUpIndex = ranked.count > 1 ? ranked[1] : nil
    }

    /// The objective: more placed, then cheaper per dwelling, then the lower number.
    static func better(_ a: LayoutOption, _ b: LayoutOption) -> Bool {
        if a.figures.buildingsUnplaced != b.figures.buildingsUnplaced { return a.figures.buildingsUnplaced < b.figures.buildingsUnplaced }
        let ca = (a.figures.costPerDwelling).rounded(), cb = (b.figures.costPerDwelling).rounded()
        if ca != cb { return ca < cb }
        return a.number < b.number
    }

}
