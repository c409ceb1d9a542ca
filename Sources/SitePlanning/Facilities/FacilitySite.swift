import SiteGeometry
import SiteVocabulary

/// A lot the layout reserved for a facility. Planar (planning CRS, metres).
public struct FacilitySite: Sendable {
    public let kind: FacilityKind
    public let parcelID: String
    public let lotID: String
    /// The facility's building; nil for a play area (an open lot).
    public let buildingID: String?
    /// The program type key the lot was placed for.
    public let typeKey: String
    /// Places it holds, in its kind's measure.
    public let places: Double
    public let lotPlanar: Geometry

    public init(kind: FacilityKind, parcelID: String, lotID: String, buildingID: String?, typeKey: String, places: Double, lotPlanar: Geometry) {
        self.kind = kind
        self.parcelID = parcelID
        self.lotID = lotID
        self.buildingID = buildingID
        self.typeKey = typeKey
        self.places = places
        self.lotPlanar = lotPlanar
    }
}

public enum FacilitySites {
    /// Records the facility lots of a laid-out plan in `plan.facilities`, and takes out the
    /// placeholder buildings of kinds without a building (play areas), so their lots stay open
    /// ground: no building, no service lines, no dwellings.
    public static func settle(_ plan: SitePlan) -> SitePlan {
        var copy = plan
        let lots = Dictionary(plan.lots.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        copy.facilities = plan.buildings.compactMap { b in
            guard let use = b.type.facility, let lot = lots[b.lotID] else { return nil }
            return FacilitySite(kind: use.kind, parcelID: b.parcelID, lotID: lot.id, buildingID: use.kind.hasBuilding ? b.id : nil,
                                typeKey: b.type.key, places: use.places, lotPlanar: lot.polygonPlanar)
        }
        copy.buildings = plan.buildings.filter { $0.type.facility?.kind.hasBuilding ?? true }
        return copy
    }

    /// The use of each facility lot and building, by id: "kindergarten", "school", "shop", "play_area".
    public static func uses(_ plan: SitePlan) -> [String: FacilityKind] {
        var uses: [String: FacilityKind] = [:]
        for site in plan.facilities {
            uses[site.lotID] = site.kind
            if let b = site.buildingID { uses[b] = site.kind }
        }
        return uses
    }
}

extension SitePlan {
    /// Buildings with dwellings' types (facilities left out).
    public var housingBuildings: [Building] { buildings.filter { $0.type.facility == nil } }
}
