import SiteVocabulary
/// A building type of a housing program, with its footprint and the lot it needs.
/// All lengths in metres, areas in square metres.
public struct BuildingType: Sendable, Equatable {
    /// The key used in programs and outputs, e.g. "individual_house".
    public var key: String
    /// A planner's name, e.g. "Individual house".
    public var label: String
    /// Footprint along the street frontage, metres.
    public var footprintWidthMetres: Double
    /// Footprint from the street into the lot, metres.
    public var footprintDepthMetres: Double
    /// Acceptable lot areas, m².
    public var lotAreaSquareMetres: ClosedRange<Double>
    /// Acceptable lot frontages along the street, metres.
    public var lotFrontageMetres: ClosedRange<Double>
    /// Lot depth from the street, metres; nil: half the block depth (two lots back to back).
    public var lotDepthMetres: Double?
    public var storeys: Int
    public var unitsPerBuilding: Int
    /// The most people one dwelling unit houses (the household capacity rule).
    public var personsPerUnit: Int
    /// The type's own setbacks (`setbacks_m` on the program item); nil: the rules'. A side
    /// setback of 0 lets terraced and semi-detached houses stand on the shared lot line.
    public var setbacks: Setbacks? = nil
    /// The type's own minimum clear distance to other buildings, metres; nil: the rules'.
    public var minBuildingSpacingMetres: Double? = nil
    /// Set for a facility reserved for the residents (a kindergarten, ...): no dwellings, not a house.
    public var facility: FacilityUse? = nil

    public init(key: String, label: String, footprintWidthMetres: Double, footprintDepthMetres: Double,
                lotAreaSquareMetres: ClosedRange<Double>, lotFrontageMetres: ClosedRange<Double>, lotDepthMetres: Double?,
                storeys: Int, unitsPerBuilding: Int, personsPerUnit: Int = 6) {
        self.personsPerUnit = personsPerUnit
        self.key = key
        self.label = label
        self.footprintWidthMetres = footprintWidthMetres
        self.footprintDepthMetres = footprintDepthMetres
        self.lotAreaSquareMetres = lotAreaSquareMetres
        self.lotFrontageMetres = lotFrontageMetres
        self.lotDepthMetres = lotDepthMetres
        self.storeys = storeys
        self.unitsPerBuilding = unitsPerBuilding
    }

    /// Footprint area, m².
    public var footprintSquareMetres: Double { footprintWidthMetres * footprintDepthMetres }
}

/// What a facility type is for and how many places one holds (in its kind's measure).
public struct FacilityUse: Sendable, Equatable {
    public var kind: FacilityKind
    public var places: Double

    public init(kind: FacilityKind, places: Double) {
        self.kind = kind
        self.places = places
    }
}

/// How many buildings of a type a parcel must hold.
public struct ProgramItem: Sendable, Equatable {
    public var type: BuildingType
    public var count: Int

    public init(type: BuildingType, count: Int) {
        self.type = type
        self.count = count
    }
}

/// A parcel's housing program, in the order the scenario gives it.
public struct HousingProgram: Sendable, Equatable {
    public var parcelID: String
    public var items: [ProgramItem]

    public init(parcelID: String, items: [ProgramItem]) {
        self.parcelID = parcelID
        self.items = items
    }

    public var buildingCount: Int { items.reduce(0) { $0 + $1.count } }
    public var dwellingUnits: Int { items.reduce(0) { $0 + $1.count * $1.type.unitsPerBuilding } }
}
