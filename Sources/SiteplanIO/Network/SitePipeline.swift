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
}

/// Runs the library in order: layout, network, status (read from the scenario's status
/// file, whose ids belong to the network of the scenario's seed), tracing, households.
public enum SitePipeline {
    public static func run(_ package: ScenarioPackage, seed: UInt64? = nil, asOf: ISODate? = nil, topN: Int = 10) throws -> SiteRun {
        let scenario = package.scenario
        let plan = try LayoutEngine(scenario: scenario, seed: seed ?? scenario.seed).plan()
        let network = try NetworkBuilder(scenario: scenario, plan: plan, sources: scenario.utilitySources).build()
        let status = try package.statusPath.map { try StatusReader.read($0, network: network) } ?? StatusBook()
        let day = asOf ?? scenario.asOf.flatMap(ISODate.init)
        let progress = try ProgressAnalysis.compute(scenario: scenario, plan: plan, network: network, status: status, asOf: day,
                                                    serviceDistanceMetres: scenario.serviceDistanceMetres, topN: topN)
        let households = HouseholdAllocator.allocate(scenario.families, plan: plan, connections: progress.connections)
        return SiteRun(scenario: scenario, plan: plan, network: network, status: status, progress: progress, households: households)
    }
}
