import SiteVocabulary

/// Gross floor area per dwelling of each building type (footprint × storeys / dwellings),
/// checked against the scenario's plausible range (`rules.floor_area_per_unit_m2`). A figure
/// outside it is a warning, not an error: the plan is still made. m².
///
///     FloorAreaCheck.warnings(scenario)   // ["P1-A apartment_building_12: 224 m² of floor per dwelling …"]
public enum FloorAreaCheck {
    public struct Finding: Sendable, Equatable {
        public let parcelID: String
        public let typeKey: String
        public let squareMetresPerUnit: Double
        public let message: String
    }

    /// Each dwelling type of each program whose floor area per dwelling is outside the range.
    public static func findings(_ scenario: Scenario) -> [Finding] {
        let range = scenario.floorAreaRule.squareMetresPerUnit
        var result: [Finding] = []
        for program in scenario.programs {
            for item in program.items where item.type.facility == nil && item.type.unitsPerBuilding > 0 {
                let t = item.type
                let perUnit = t.footprintSquareMetres * Double(t.storeys) / Double(t.unitsPerBuilding)
                guard !range.contains(perUnit) else { continue }
                let side = perUnit < range.lowerBound ? "below" : "above"
                result.append(Finding(parcelID: program.parcelID, typeKey: t.key, squareMetresPerUnit: perUnit, message: """
                    \(program.parcelID) \(t.key): \(fmt(perUnit)) m² of floor per dwelling (footprint \(fmt(t.footprintWidthMetres)) × \
                    \(fmt(t.footprintDepthMetres)) m × \(t.storeys) storeys / \(t.unitsPerBuilding) dwellings) is \(side) the plausible \
                    range \(fmt(range.lowerBound))–\(fmt(range.upperBound)) m² (rules.floor_area_per_unit_m2); check footprint_m, storeys \
                    and units_per_building
                    """))
            }
        }
        return result
    }

    /// The findings' messages, one line each.
    public static func warnings(_ scenario: Scenario) -> [String] { findings(scenario).map(\.message) }
}
