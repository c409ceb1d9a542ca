import SiteVocabulary
import SiteGeometry

/// A street centreline piece with its corridor width. Planar (planning CRS, metres).
public struct Street: Sendable {
    public enum Kind: String, Sendable { case primary, local }
    public let id: String
    public let parcelID: String
    public let kind: Kind
    public let widthMetres: Double
    public let centrelinePlanar: Geometry
}

/// The land between streets, inside a parcel, outside exclusion zones.
public struct Block: Sendable {
    public let id: String
    public let parcelID: String
    public let polygonPlanar: Geometry
}

/// A lot with street frontage, holding one building.
public struct Lot: Sendable {
    public let id: String
    public let parcelID: String
    public let blockID: String
    public let polygonPlanar: Geometry
    /// Length of the lot's edge on the street, metres.
    public let frontageMetres: Double
    /// The street the lot faces.
    public let streetID: String
}

/// A placed building.
public struct Building: Sendable {
    public let id: String
    public let type: BuildingType
    public let parcelID: String
    public let blockID: String
    public let lotID: String
    public let footprintPlanar: Geometry

    public var units: Int { type.unitsPerBuilding }
    public var storeys: Int { type.storeys }
}

/// Buildings of a program that did not fit, and why.
public struct Unplaced: Sendable, Equatable {
    public let parcelID: String
    public let typeKey: String
    public let count: Int
    public let reason: String
}

/// The layout of a scenario: streets, blocks, lots and buildings, all planar in the
/// scenario's planning CRS, plus what did not fit. Same scenario and seed, same plan.
public struct SitePlan: Sendable {
    public var seed: UInt64
    public var streets: [Street] = []
    public var blocks: [Block] = []
    public var lots: [Lot] = []
    public var buildings: [Building] = []
    public var unplaced: [Unplaced] = []
    /// Street corridor area (the streets buffered to their widths, inside the parcel), per parcel.
    public var streetAreaSquareMetres: [String: Double] = [:]
    /// The access point each parcel's streets start from (planar).
    public var accessPointsPlanar: [String: XY] = [:]
    /// The direction of each parcel's long streets, radians counter-clockwise from grid east.
    public var streetAxisRadians: [String: Double] = [:]
    /// How the streets were laid: compact (the default) or spread.
    public var development: LayoutRules.Development = .compact
    /// Streets crossing an exclusion zone the scenario lets them cross (bridges, culverts).
    public var crossings: [Crossing] = []
    /// Each parcel's land use: developed, reserve (with its capacity) and unreachable land.
    public var landUse: [String: LandUse] = [:]
    /// The facility lots reserved for the residents (`FacilitySites.settle`).
    public var facilities: [FacilitySite] = []

    public init(seed: UInt64) { self.seed = seed }
}

/// A street crossing an exclusion zone on a bridge or culvert (`rules.crossings.kinds`).
public struct Crossing: Sendable {
    public let id: String
    public let parcelID: String
    public let streetID: String
    public let zoneID: String
    public let zoneKind: String
    /// The part of the street's centreline inside the zone, planar.
    public let centrelinePlanar: Geometry
    public let lengthMetres: Double
}

/// How a parcel's land is used by a layout, m². Land is the parcel less exclusion zones;
/// developed land is the blocks holding lots plus the street corridors; reserve land is the
/// rest of the land a street can reach, kept for a later phase; unreachable land lies beyond
/// a zone no street may cross (or out of the grid's reach).
public struct LandUse: Sendable, Equatable {
    public var landSquareMetres: Double
    public var developedSquareMetres: Double
    public var reserveSquareMetres: Double
    public var unreachableSquareMetres: Double
    /// Lots of each type the reserve could hold, each type on its own, by the same placement
    /// (type key, lots), in program order.
    public var reserveCapacity: [(typeKey: String, lots: Int)]

    public static func == (a: LandUse, b: LandUse) -> Bool {
        a.landSquareMetres == b.landSquareMetres && a.developedSquareMetres == b.developedSquareMetres
            && a.reserveSquareMetres == b.reserveSquareMetres && a.unreachableSquareMetres == b.unreachableSquareMetres
            && a.reserveCapacity.map(\.typeKey) == b.reserveCapacity.map(\.typeKey) && a.reserveCapacity.map(\.lots) == b.reserveCapacity.map(\.lots)
    }
}
