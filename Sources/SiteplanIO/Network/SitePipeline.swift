import SiteplanCore

/// Everything computed for a scenario: the layout, the utility networks, the works status
/// read against them, the progress figures and the household allocation.
public struct SiteRun: Sendable {
    public let scenario: Scenario
    public let plan: SitePlan
    public let network: UtilityNetwork
    public let status: StatusBook
    public let progress: ProgressReport
    public let households: HouseholdAllocation
    /// Wall time of each step, seconds, in order.
    public let timings: [(step: String, seconds: Double)]
}

/// Runs the library in order: layout, network, status (read from the scenario's status
/// file, whose ids belong to the network of the scenario's seed), tracing, households.
public enum SitePipeline {
    public static func run(_ package: ScenarioPackage, seed: UInt64? = nil, asOf: ISODate? = nil, topN: Int = 10) throws -> SiteRun {
        let scenario = package.scenario
        if let seed, seed != scenario.seed, let statusPath = package.statusPath {
            // The status file's segment ids are those of the network laid out with the scenario's
            // seed; another seed moves streets and lots, so its ids would not match.
            throw InputError(source: statusPath, """
                records works on the network of seed \(scenario.seed) (the scenario's seed), so a layout with seed \(seed) \
                cannot be read against it: its streets, lots and segment ids differ. Run without --seed (or with \
                --seed \(scenario.seed)), or use a scenario without a status file
                """)
        }
        var clock = StepClock()
        let plan = try LayoutEngine(scenario: scenario, seed: seed ?? scenario.seed).plan()
        clock.lap("layout")
        let network = try NetworkBuilder(scenario: scenario, plan: plan, sources: scenario.utilitySources).build()
        clock.lap("network")
        let status = try package.statusFile().map { try StatusReader.read($0, network: network) } ?? StatusBook()
        clock.lap("status")
        let day = asOf ?? scenario.asOf.flatMap(ISODate.init)
        let progress = try ProgressAnalysis.compute(scenario: scenario, plan: plan, network: network, status: status, asOf: day,
                                                    serviceDistanceMetres: scenario.serviceDistanceMetres, topN: topN)
        clock.lap("progress")
        let households = HouseholdAllocator.allocate(scenario.families, plan: plan, connections: progress.connections)
        clock.lap("households")
        return SiteRun(scenario: scenario, plan: plan, network: network, status: status, progress: progress, households: households,
                       timings: clock.laps)
    }
}

/// Wall-clock laps for the steps of a run (monotonic clock).
public struct StepClock {
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
