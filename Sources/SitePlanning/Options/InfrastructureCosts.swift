import SiteVocabulary

/// Unit costs for comparing layout options: what a metre of each network, a square metre of
/// street corridor and a metre of bridge or culvert cost, in one currency. Scenario data
/// (`costs` in scenario.json); the defaults are illustrative round figures, not an estimate.
public struct InfrastructureUnitCosts: Sendable, Equatable {
    /// The currency the costs are in, e.g. "USD" or "AZN".
    public var currency: String
    /// Street corridor (carriageway, footways, verges, drainage), per square metre.
    public var streetPerSquareMetre: Double
    /// Trunks, mains and service lines, per metre of line, by utility.
    public var networkPerMetre: [Utility: Double]
    /// A street crossing an exclusion zone (bridge or culvert), per metre of crossing.
    public var crossingPerMetre: Double

    public init(currency: String, streetPerSquareMetre: Double, networkPerMetre: [Utility: Double], crossingPerMetre: Double) {
        self.currency = currency
        self.streetPerSquareMetre = streetPerSquareMetre
        self.networkPerMetre = networkPerMetre
        self.crossingPerMetre = crossingPerMetre
    }

    /// Illustrative defaults, used when a scenario gives no `costs` (and said so in the report):
    /// round figures of the right order for a small town's trenched networks and paved streets,
    /// so options compare on their quantities; they are not a cost estimate.
    public static let defaults = InfrastructureUnitCosts(
        currency: "USD", streetPerSquareMetre: 45,
        networkPerMetre: [.water: 110, .sewer: 160, .power: 90, .gas: 70, .telecom: 35],
        crossingPerMetre: 2_500)

    /// Checks every cost is a finite number, 0 or more; names the offending one.
    public func validate() throws(InputError) {
        var values: [(String, Double)] = [("costs.street_per_m2", streetPerSquareMetre), ("costs.crossing_per_m", crossingPerMetre)]
        for utility in Utility.allCases {
            guard let v = networkPerMetre[utility] else { throw InputError("costs.network_per_m.\(utility.rawValue) is missing: give a cost per metre for every utility (\(Utility.allCases.map(\.rawValue).joined(separator: ", ")))") }
            values.append(("costs.network_per_m.\(utility.rawValue)", v))
        }
        for (name, value) in values where !(value.isFinite && value >= 0) {
            throw InputError("\(name) is \(value): a unit cost must be a number, 0 or more")
        }
        guard !currency.isEmpty else { throw InputError("costs.currency is empty: name the currency, e.g. \"USD\"") }
    }
}

/// What a plan's infrastructure costs at given unit costs, from its measured quantities.
public struct InfrastructureCost: Sendable, Equatable {
    public var streets: Double
    public var networks: [Utility: Double]
    public var crossings: Double
    /// In a fixed order (dictionary order varies between processes; sums must not).
    public var total: Double { streets + Utility.allCases.reduce(0) { $0 + (networks[$1] ?? 0) } + crossings }

    /// Streets by corridor area (`SitePlan.streetAreaSquareMetres`), networks by the length of
    /// every trunk, main and service line, crossings by their length.
    public init(plan: SitePlan, network: UtilityNetwork, crossingMetres: Double, at costs: InfrastructureUnitCosts) {
        streets = plan.streetAreaSquareMetres.sorted { $0.key < $1.key }.reduce(0) { $0 + $1.value } * costs.streetPerSquareMetre
        var byUtility: [Utility: Double] = [:]
        for s in network.segments { byUtility[s.utility, default: 0] += s.lengthMetres }
        networks = Dictionary(uniqueKeysWithValues: byUtility.map { ($0.key, $0.value * (costs.networkPerMetre[$0.key] ?? 0)) })
        crossings = crossingMetres * costs.crossingPerMetre
    }
}
