import SiteVocabulary
import SiteGeometry
import SiteProjection

/// A settlement's planning scenario: where it is, in which CRS it is planned, and its layers.
/// Built by an IO adapter (the scenario folder reader); the domain knows no file format.
public struct Scenario: Sendable {
    public var name: String
    public var settlement: String
    public var frame: PlanningFrame
    /// The date the status data describes (ISO 8601 "YYYY-MM-DD").
    public var asOf: String?
    public var parcels: [Parcel]
    public var exclusions: [ExclusionZone]
    public var rules: LayoutRules
    /// Housing programs, one per parcel that has one, in scenario order.
    public var programs: [HousingProgram]
    /// Where each parcel's street network joins the outside road, by parcel id (WGS84).
    public var accessPoints: [String: LonLat]
    /// Other access points a parcel's streets could start from, for comparing options
    /// (`access_point_alternatives` in scenario.json), by parcel id (WGS84).
    public var accessPointAlternatives: [String: [LonLat]] = [:]
    /// Unit costs of streets, networks and crossings, for comparing options (nil: the
    /// documented defaults, `InfrastructureUnitCosts.defaults`).
    public var unitCosts: InfrastructureUnitCosts?
    /// Where each utility's trunk enters the town.
    public var utilitySources: [UtilitySource] = []
    /// A building is "in service" within this distance of a built main, metres.
    public var serviceDistanceMetres: Double = 30
    /// The layout seed the scenario's status data was recorded against.
    public var seed: UInt64 = 1
    /// Returning families, in the order they return.
    public var families: [Family] = []
    /// Who prepared the scenario (`"author"` in scenario.json), for the title block of a sheet.
    public var author: String?
    /// Where the scenario's data comes from (`"data_sources"` in scenario.json), for the title block.
    public var dataSources: [String] = []
    /// Facility norms (`rules.facilities`), one per kind planned; empty: no facilities reserved.
    public var facilityNorms: [FacilityNorm] = []
    /// The plausible floor area per dwelling (`rules.floor_area_per_unit_m2`).
    public var floorAreaRule = FloorAreaRule()

    public init(name: String, settlement: String, frame: PlanningFrame, asOf: String?, parcels: [Parcel],
                exclusions: [ExclusionZone] = [], rules: LayoutRules = LayoutRules(), programs: [HousingProgram] = [],
                accessPoints: [String: LonLat] = [:]) throws {
        var seen = Set<String>()
        for (index, parcel) in parcels.enumerated() where !seen.insert(parcel.id).inserted {
            throw InputError(feature: FeatureRef(index: index, id: parcel.id), "duplicate parcel id \"\(parcel.id)\"")
        }
        for program in programs where !seen.contains(program.parcelID) {
            throw InputError("programs: \"\(program.parcelID)\" is not a parcel of the scenario (parcels: \(parcels.map(\.id).joined(separator: ", ")))")
        }
        for id in accessPoints.keys.sorted() where !seen.contains(id) {
            throw InputError("access_points: \"\(id)\" is not a parcel of the scenario")
        }
        self.name = name
        self.settlement = settlement
        self.frame = frame
        self.asOf = asOf
        self.parcels = parcels
        self.exclusions = exclusions
        self.rules = rules
        self.programs = programs
        self.accessPoints = accessPoints
    }

    /// The parcel with `id`, or an `InputError` listing the known ids.
    public func parcel(id: String) throws -> Parcel {
        if let p = parcels.first(where: { $0.id == id }) { return p }
        let known = parcels.map(\.id).joined(separator: ", ")
        throw InputError("no parcel with id \"\(id)\" in scenario \"\(name)\" (known: \(known))")
    }

    /// The housing program of a parcel (empty when it has none).
    public func program(for parcelID: String) -> HousingProgram {
        programs.first { $0.parcelID == parcelID } ?? HousingProgram(parcelID: parcelID, items: [])
    }

    /// Metrics for every parcel, in scenario order.
    public func parcelMetrics() throws -> [ParcelMetrics] {
        try parcels.map { try ParcelMetrics($0, frame: frame) }
    }
}
