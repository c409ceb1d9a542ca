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
    /// The facility lots reserved for the residents (`FacilitySites.settle`).
    public var facilities: [FacilitySite] = []

    public init(seed: UInt64) { self.seed = seed }
}
