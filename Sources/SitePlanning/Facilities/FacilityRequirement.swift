import SiteVocabulary

/// What a parcel's residents need of one kind of facility, by its norm: the places, how many
/// facilities hold them, and the lot and building each gets.
///
/// Residents are the housing program's dwellings × `persons_per_unit` (the most people a
/// dwelling houses: an upper estimate, the figure a norm is sized on). Places are rounded up to
/// whole places (whole m² for shops and play areas); the facilities share them evenly. A
/// facility's lot must fit one block (97 % of `max_block_length_m` × 97 % of the lot depth, as
/// the layout cuts a lot from one block): a larger need is split over more, smaller facilities.
public struct FacilityRequirement: Sendable, Equatable {
    public let parcelID: String
    public let kind: FacilityKind
    public let residents: Int
    /// Places needed: residents × rate / 1,000, rounded up.
    public let places: Double
    /// Facilities to reserve: places / the most one holds, rounded up (0 when nothing is needed).
    public let count: Int
    /// Places of each facility (rounded up), and its lot area by the norm, m².
    public let placesEach: Double
    public let lotSquareMetresEach: Double
    public let norm: FacilityNorm

    /// The building type a facility of this requirement is placed as: 0 dwellings, a lot of the
    /// norm's area at the norm's depth, a building of the norm's floor area (a play area: a
    /// 4 × 4 m placeholder the layout places to reserve the lot, removed after; see `FacilitySites`).
    public func buildingType(rules: LayoutRules) throws(InputError) -> BuildingType {
        let depth = norm.fullBlockDepth ? rules.blockDepthMetres : rules.blockDepthMetres / 2
        var width = 4.0, buildingDepth = 4.0
        if kind.hasBuilding {
            buildingDepth = norm.buildingDepthMetres
            let footprint = placesEach * norm.floorSquareMetresPerPlace / Double(norm.storeys)
            width = max(6, (footprint / buildingDepth * 10).rounded(.up) / 10)
        }
        let lotArea = lotSquareMetresEach
        // One frontage, whatever the seed: a facility lot is the norm's size, not a varied plot.
        // 3 % deeper than the row may be (a row beside the wider primary street is 2 m shallower),
        // so the lot still reaches the norm's area there.
        let least = ((max(width + 2 * rules.sideSetbackMetres, lotArea / (0.97 * depth))) * 10).rounded(.up) / 10
        let frontage = least...least
        var type = BuildingType(key: kind.rawValue, label: kind.label, footprintWidthMetres: width, footprintDepthMetres: buildingDepth,
                                lotAreaSquareMetres: lotArea...(frontage.upperBound * depth), lotFrontageMetres: frontage,
                                lotDepthMetres: norm.fullBlockDepth ? depth : nil, storeys: kind.hasBuilding ? norm.storeys : 1,
                                unitsPerBuilding: 0, personsPerUnit: 1)
        type.facility = FacilityUse(kind: kind, places: placesEach)
        try rules.validate(type, at: "rules.facilities.\(kind.rawValue) (\(fmt(placesEach)) \(kind.measure) in parcel \(parcelID))")
        return type
    }
}

/// The facility requirements of a scenario and the program items that reserve them.
public enum FacilityPlanning {
    /// Residents of a housing program: dwellings × persons per dwelling, facility items left out.
    public static func residents(_ program: HousingProgram) -> Int {
        program.items.filter { $0.type.facility == nil }.reduce(0) { $0 + $1.count * $1.type.unitsPerBuilding * $1.type.personsPerUnit }
    }

    /// Every parcel's requirement of each kind the scenario's norms name, in scenario order.
    public static func requirements(_ scenario: Scenario) -> [FacilityRequirement] {
        var result: [FacilityRequirement] = []
        for parcel in scenario.parcels {
            let residents = residents(scenario.program(for: parcel.id))
            for norm in scenario.facilityNorms {
                let places = (Double(residents) * norm.perThousandResidents / 1000 - 1e-9).rounded(.up)
                var count = places > 0 ? Int((places / norm.maxPlacesPerFacility - 1e-9).rounded(.up)) : 0
                func each(_ count: Int) -> Double { count > 0 ? (places / Double(count) - 1e-9).rounded(.up) : 0 }
                func lot(_ each: Double) -> Double { (each * norm.lotSquareMetresPerPlace(forPlaces: each)).rounded(.up) }
                // A facility's lot lies in one block: a need whose lot would be longer than a block
                // is split over more facilities (each smaller, so its lot per place may change).
                let depth = norm.fullBlockDepth ? scenario.rules.blockDepthMetres : scenario.rules.blockDepthMetres / 2
                let longest = 0.97 * depth * 0.97 * scenario.rules.maxBlockLengthMetres
                while count > 0, Double(count) < places, lot(each(count)) > longest { count += 1 }
                result.append(FacilityRequirement(parcelID: parcel.id, kind: norm.kind, residents: residents, places: max(places, 0),
                                                  count: count, placesEach: each(count), lotSquareMetresEach: lot(each(count)), norm: norm))
            }
        }
        return result
    }

    /// The scenario with each parcel's facilities added to its program, as items of facility
    /// types (0 dwellings), so the layout reserves their lots. Items already added are replaced.
    public static func reservingFacilities(_ scenario: Scenario) throws(InputError) -> Scenario {
        var copy = scenario
        var programs = scenario.programs.map { HousingProgram(parcelID: $0.parcelID, items: $0.items.filter { $0.type.facility == nil }) }
        copy.programs = programs
        for requirement in requirements(copy) where requirement.count > 0 {
            let type = try requirement.buildingType(rules: scenario.rules)
            guard let index = programs.firstIndex(where: { $0.parcelID == requirement.parcelID }) else { continue }
            if programs[index].items.contains(where: { $0.type.key == type.key }) {
                throw InputError("programs.\(requirement.parcelID): the building type \"\(type.key)\" has the name of a facility kind; rename it (facility kinds: \(FacilityKind.allCases.map(\.rawValue).joined(separator: ", ")))")
            }
            programs[index].items.append(ProgramItem(type: type, count: requirement.count))
        }
        copy.programs = programs
        return copy
    }
}
