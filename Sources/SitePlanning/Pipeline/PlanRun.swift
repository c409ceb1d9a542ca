import SiteVocabulary

/// The whole plan of a scenario, computed in memory with no file I/O: the layout, the utility
/// networks, the works status read against them, the progress figures and the households.
///
///     let run = try PlanRun(scenario: scenario, works: statusFile)
///     run.progress.town.worksCompletePercent
public struct PlanRun: Sendable {
    public let scenario: Scenario
    /// The layout seed used (the scenario's unless given).
    public let seed: UInt64
    public let plan: SitePlan
    public let network: UtilityNetwork
    public let status: StatusBook
    public let progress: ProgressReport
    public let households: HouseholdAllocation
    /// The plan of record the run started from (nil: a plan from the scenario alone).
    public let record: PlanRecord?
    /// What was built and kept in place (empty without a record).
    public let fixed: FixedAssets
    /// How the proposal's features got their asset ids (nil without a record).
    public let identity: AssetIdentity?
    /// What a planner should know about a run on a plan of record: works events not counted
    /// (dated after the as-of day, or for an asset the plan no longer has), built buildings
    /// beyond the program, built assets inside an exclusion zone.
    public let recordNotes: [String]
    /// Wall time of each step, seconds, in order.
    public let timings: [(step: String, seconds: Double)]

    /// Runs the steps in order: layout, network, works status (from `works`, whose ids belong
    /// to the network of the scenario's seed), tracing and progress, households.
    ///
    /// - Parameters:
    ///   - seed: the layout seed; nil for the scenario's.
    ///   - asOf: count works as they stood on this day; nil for the scenario's `as_of`.
    ///   - topN: how many work packages to rank (what to build next).
    ///   - variant: a layout option other than the scenario's own (`LayoutVariant`).
    ///   - record: the plan of record to re-plan on: its built assets stay as they are, every
    ///     feature gets its asset id (`AssetIdentity`), and the works come from its history
    ///     (`works` is then ignored).
    public init(scenario: Scenario, works: any WorksStatusProvider = StatusBook(), seed: UInt64? = nil, asOf: ISODate? = nil,
                topN: Int = 10, record: PlanRecord? = nil, variant: LayoutVariant = LayoutVariant()) throws {
        let seed = seed ?? scenario.seed
        let works: any WorksStatusProvider = record?.history ?? works
        if record == nil && seed != scenario.seed && (works.source != nil || !works.isEmpty) {
            // The records' segment ids are those of the network laid out with the scenario's
            // seed; another seed moves streets and lots, so its ids would not match.
            throw InputError(source: works.source, """
                records works on the network of seed \(scenario.seed) (the scenario's seed), so a layout with seed \(seed) \
                cannot be read against it: its streets, lots and segment ids differ. Run without --seed (or with \
                --seed \(scenario.seed)), or use a scenario without a status file
                """)
        }
        var clock = StepClock()
        let day = asOf ?? scenario.asOf.flatMap(ISODate.init)
        let fixed = try record.map { try FixedAssets.from($0, scenario: scenario) } ?? FixedAssets()
        // On a plan of record, the layout with nothing held fixed is kept when it already holds
        // every built asset where it stands (a re-plan with the record's own seed and scenario then
        // reproduces the record, unbuilt houses included); otherwise the layout is laid around them.
        var plan = try LayoutEngine(scenario: scenario, seed: seed, fixed: record == nil ? fixed : FixedAssets(), variant: variant).plan()
        if record != nil, !(try fixed.isReproduced(by: plan)) {
            plan = try LayoutEngine(scenario: scenario, seed: seed, fixed: fixed, variant: variant).plan()
        }
        // Part of the program left out of a compact layout: does the spread one place it?
        if scenario.rules.development == .compact, !plan.unplaced.isEmpty {
            var spreading = scenario
            spreading.rules.development = .spread
            plan.unplaced = SpreadFit.annotate(compact: plan, spread: try LayoutEngine(scenario: spreading, seed: seed, fixed: fixed, variant: variant).plan())
        }
        clock.lap("layout")
        var network = try NetworkBuilder(scenario: scenario, plan: plan, sources: scenario.utilitySources, fixed: fixed).build()
        clock.lap("network")
        var identity: AssetIdentity?
        var notes: [String] = []
        if let record {
            let proposal = try PlanLayers.assetLayers(scenario, plan, network)
            let matched = try AssetIdentity(proposal: proposal, recorded: record.layers, counters: record.idCounters)
            plan = plan.renamed(matched.renames)
            network = network.renamed(matched.renames)
            identity = matched
            clock.lap("identity")
            let history = record.history
            if let day {
                let later = history.events(after: day)
                if !later.isEmpty {
                    notes.append("\(later.count) works event\(later.count == 1 ? "" : "s") dated after \(day) not counted (the first: \(later[0].origin), \(later[0].assetID) \(later[0].status.rawValue) on \(later[0].date)); pass --as-of to count them")
                }
            }
            notes += try FixedAssets.conflicts(fixed, scenario: scenario)
            let unknown = history.unknownAssets(in: network)
            if !unknown.isEmpty {
                notes.append("\(unknown.count) works event\(unknown.count == 1 ? "" : "s") for assets this plan does not have, not counted (the first: \(unknown[0].origin), \(unknown[0].assetID))")
            }
        }
        let status = try works.statusBook(for: network, asOf: day)
        clock.lap("status")
        // The work packages are ranked on a second thread meanwhile (no geometry there), and
        // joined after the households: "ranking" is the wait for them, if any.
        let (progress, households) = try ProgressAnalysis.compute(scenario: scenario, plan: plan, network: network, status: status, asOf: day,
                                                                  serviceDistanceMetres: scenario.serviceDistanceMetres, topN: topN) { [plan] connections in
            clock.lap("progress")
            let households = HouseholdAllocator.allocate(scenario.families, plan: plan, connections: connections, housed: record?.households ?? [], asOf: day)
            clock.lap("households")
            return households
        }
        clock.lap("ranking")
        self.scenario = scenario
        self.seed = seed
        self.plan = plan
        self.network = network
        self.status = status
        self.progress = progress
        self.households = households
        self.record = record
        self.fixed = fixed
        self.identity = identity
        self.recordNotes = notes
        self.timings = clock.laps
    }
}

/// Wall-clock laps for the steps of a run (monotonic clock).
public struct StepClock: Sendable {
    public private(set) var laps: [(step: String, seconds: Double)] = []
    private var last = ContinuousClock.now

    public init() {}

    public mutating func lap(_ step: String) {
        let now = ContinuousClock.now
        let d = now - last
        laps.append((step, Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18))
        last = now
    }
}
