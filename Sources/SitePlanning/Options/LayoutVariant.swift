import SiteVocabulary

/// One way of laying out a scenario, for comparing options (`siteplan plan --options N`): what
/// differs from the layout the scenario gives on its own. The default variant is that layout.
public struct LayoutVariant: Sendable, Equatable {
    /// Which way the street grid runs.
    public enum Grid: String, Sendable, CaseIterable {
        /// Long streets along each parcel's principal axis (the long side of its minimum
        /// rotated rectangle): the scenario's own layout.
        case alongAxis = "along"
        /// Long streets across it (the grid turned a quarter turn).
        case acrossAxis = "across"
    }

    /// Which street through the access point is the primary one.
    public enum Primary: String, Sendable, CaseIterable {
        /// The longer of the two grid streets through the access point (the scenario's own).
        case longer
        /// The other one.
        case shorter
    }

    public var grid: Grid = .alongAxis
    public var primary: Primary = .longer
    /// Block depth between parallel streets, metres (nil: the scenario's `block_depth_m`).
    public var blockDepthMetres: Double?
    /// For each parcel with alternatives, which access point: 0 is `access_points`, k ≥ 1 the
    /// k-th of `access_point_alternatives`.
    public var accessChoice: Int = 0

    public init(grid: Grid = .alongAxis, primary: Primary = .longer, blockDepthMetres: Double? = nil, accessChoice: Int = 0) {
        self.grid = grid
        self.primary = primary
        self.blockDepthMetres = blockDepthMetres
        self.accessChoice = accessChoice
    }

    /// The grid's turn from the principal axis, radians.
    public var gridTurnRadians: Double { grid == .acrossAxis ? Double.pi / 2 : 0 }

    /// A short description, e.g. "grid across, primary shorter, blocks 80 m, access 2".
    public func label(defaultBlockDepthMetres: Double) -> String {
        var words = ["grid \(grid.rawValue)", "primary \(primary.rawValue)",
                     "blocks \(fmt(blockDepthMetres ?? defaultBlockDepthMetres)) m"]
        words.append("access \(accessChoice + 1)")
        return words.joined(separator: ", ")
    }

    /// The scenario this variant lays out: its block depth (full-depth lots deepen with it) and
    /// chosen access points. The grid
    /// and primary street are the layout engine's (`LayoutEngine.variant`).
    public func applied(to scenario: Scenario) -> Scenario {
        var s = scenario
        if let depth = blockDepthMetres, depth != scenario.rules.blockDepthMetres {
            let before = scenario.rules.blockDepthMetres
            s.rules.blockDepthMetres = depth
            // Full-depth lots (apartment buildings, schools: lot depth = the block's) follow the
            // block, with their area range in proportion; half-block lots follow by rule.
            let factor = depth / before
            for p in s.programs.indices {
                for i in s.programs[p].items.indices {
                    var type = s.programs[p].items[i].type
                    guard let lotDepth = type.lotDepthMetres, abs(lotDepth - before) < 1e-6 else { continue }
                    type.lotDepthMetres = depth
                    type.lotAreaSquareMetres = type.lotAreaSquareMetres.lowerBound * factor...type.lotAreaSquareMetres.upperBound * factor
                    s.programs[p].items[i].type = type
                }
            }
        }
        if accessChoice > 0 {
            for (parcelID, list) in scenario.accessPointAlternatives where accessChoice <= list.count {
                s.accessPoints[parcelID] = list[accessChoice - 1]
            }
        }
        return s
    }

    /// The first `count` variants of a scenario, in a fixed order: option 1 is the scenario's
    /// own layout; then the grid turned, the other primary street, deeper blocks (the block
    /// depth plus `deeperBlocksMetres`, room for rear gardens or an easement), and each
    /// alternative access point, in every combination: access point slowest, grid fastest.
    public static func candidates(for scenario: Scenario, count: Int, deeperBlocksMetres: Double = 10) -> [LayoutVariant] {
        let accessCount = 1 + (scenario.accessPointAlternatives.values.map(\.count).max() ?? 0)
        var list: [LayoutVariant] = []
        for access in 0..<accessCount {
            for depth in [nil, scenario.rules.blockDepthMetres + deeperBlocksMetres] {
                for primary in Primary.allCases {
                    for grid in Grid.allCases {
                        list.append(LayoutVariant(grid: grid, primary: primary, blockDepthMetres: depth, accessChoice: access))
                        if list.count == count { return list }
                    }
                }
            }
        }
        return list
    }
}
