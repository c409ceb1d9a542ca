import SiteGeometry
import SiteVocabulary

extension Utility {
    /// Where the utility runs inside a street corridor: a shift (metres) along and across the
    /// street axis, in the parcel's street-aligned frame. Every utility is its own translated
    /// copy of the street network, so each keeps the street network's topology; with at most
    /// 2.5 m each way it stays inside a 10 m corridor (the diagonal is 3.5 m).
    var corridorShift: (along: Double, across: Double) {
        switch self {
        case .water: (-2.5, -2.5)
        case .sewer: (0, 0)
        case .power: (2.5, 2.5)
        case .gas: (-2.5, 2.5)
        case .telecom: (2.5, -2.5)
        }
    }
}

/// Where a utility's trunk enters the town: the network is fed from here.
public struct UtilitySource: Sendable, Equatable {
    public let utility: Utility
    public let name: String
    public let positionPlanar: XY

    public init(utility: Utility, name: String, positionPlanar: XY) {
        self.utility = utility
        self.name = name
        self.positionPlanar = positionPlanar
    }
}
