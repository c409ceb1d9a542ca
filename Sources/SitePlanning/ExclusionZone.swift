import SiteVocabulary
import SiteGeometry

/// Land where nothing may be built: an existing building, a memorial, green space, a river
/// buffer. Streets avoid it too.
public struct ExclusionZone: Sendable {
    public let id: String
    public let name: String
    /// e.g. "memorial", "green_space", "river_buffer", "existing_building".
    public let kind: String
    /// The parcel it belongs to, when the data says; zones apply to any parcel they overlap.
    public let parcelID: String?
    public let boundaryWGS84: Geometry
    public let boundaryPlanar: Geometry
    /// The input's other attributes (`buffer_m`, ...), in input order, kept through to every output.
    public var attributes: JSONObject = JSONObject()

    public init(id: String, name: String, kind: String, parcelID: String?, boundaryWGS84: Geometry, frame: PlanningFrame, feature: FeatureRef) throws {
        guard boundaryWGS84.type == .polygon || boundaryWGS84.type == .multiPolygon else {
            throw InputError(feature: feature, "an exclusion zone must be a Polygon or MultiPolygon, found \(boundaryWGS84.type)")
        }
        let validity = try boundaryWGS84.validity()
        if !validity.isValid {
            let at = validity.location.map { " at lon \(formatDegrees($0.x)), lat \(formatDegrees($0.y))" } ?? ""
            throw InputError(feature: feature, "invalid exclusion zone: \(validity.reason)\(at)")
        }
        self.id = id
        self.name = name
        self.kind = kind
        self.parcelID = parcelID
        self.boundaryWGS84 = boundaryWGS84
        self.boundaryPlanar = try frame.toPlanar(boundaryWGS84)
    }

    /// The same zone with its own copies of the boundaries (for another thread: a `Geometry`
    /// is not for two threads at once).
    func copied() throws -> ExclusionZone { try ExclusionZone(copying: self) }

    private init(copying other: ExclusionZone) throws {
        id = other.id
        name = other.name
        kind = other.kind
        parcelID = other.parcelID
        boundaryWGS84 = try other.boundaryWGS84.copy()
        boundaryPlanar = try other.boundaryPlanar.copy()
        attributes = other.attributes
    }
}
