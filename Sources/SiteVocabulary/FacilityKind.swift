/// The social infrastructure a housing program implies: what a facility lot is reserved for.
/// The raw value is the word used in scenario rules (`rules.facilities.<kind>`), in the `use`
/// attribute of lots and buildings, and in reports.
public enum FacilityKind: String, Sendable, CaseIterable, Comparable {
    case kindergarten, school, shop
    case playArea = "play_area"

    /// What the kind's norm counts per 1,000 residents, for column values and messages.
    public var measure: String {
        switch self {
        case .kindergarten: "places"
        case .school: "pupils"
        case .shop: "trade_floor_m2"
        case .playArea: "play_area_m2"
        }
    }

    /// A planner's name.
    public var label: String {
        switch self {
        case .kindergarten: "Kindergarten"
        case .school: "School"
        case .shop: "Local shops"
        case .playArea: "Play area"
        }
    }

    /// Whether the kind has a building: a play area is an open lot (a fenced playground) with none.
    public var hasBuilding: Bool { self != .playArea }

    public static func < (a: FacilityKind, b: FacilityKind) -> Bool {
        allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)!
    }
}
