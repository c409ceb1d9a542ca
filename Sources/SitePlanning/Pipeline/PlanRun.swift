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
    /// Wall time of each step, seconds, in order.
    public let timings: [(step: String, seconds: Double)]

    /// Runs the steps in order: layout, network, works status (from `works`, whose ids belong
    /// to the network of the scenario's seed), tracing and progress, households.
    ///
    /// - Parameters:
    ///   - seed: the layout seed; nil for the scenario's.
    ///   - asOf: count works as they stood on this day; nil for the scenario's `as_of`.
    ///   - topN: how many next segments to rank.
    public init(scenario: Scenario, works: any WorksStatusProvider = StatusBook(), seed: UInt64? = nil, asOf: ISODate? = nil,
                topN: Int = 10) throws {
        let seed = seed ?? scenario.seed
        if seed != scenario.seed && (works.source != nil || !works.isEmpty) {
            // The records' segment ids are those of the network laid out with the scenario's
            // seed; another seed moves streets and lots, so its ids would not match.
            throw InputError(source: works.source, """
                records works on the network of seed \(scenario.seed) (the scenario's seed), so a layout with seed \(seed) \
                cannot be read against it: its streets, lots and segment ids differ. Run without --seed (or with \
                --seed \(scenario.seed)), or use a scenario without a status file
                """)
        }
        var clock = StepClock()
        let plan = try LayoutEngine(scenario: scenario, seed: seed).plan()
        clock.lap("layout")
        let network = try NetworkBuilder(scenario: scenario, plan: plan, sources: scenario.utilitySources).build()
        clock.lap("network")
        let status = try works.statusBook(for: network)
        clock.lap("status")
        let day = asOf ?? scenario.asOf.flatMap(ISODate.init)
        let progress = try ProgressAnalysis.compute(scenario: scenario, plan: plan, network: network, status: status, asOf: day,
                                                    serviceDistanceMetres: scenario.serviceDistanceMetres, topN: topN)
        clock.lap("progress")
        let households = HouseholdAllocator.allocate(scenario.families, plan: plan, connections: progress.connections)
        clock.lap("households")
        self.scenario = scenario
        self.seed = seed
        self.plan = plan
        self.network = network
        self.status = status
        self.progress = progress
        self.households = households
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
