import SiteVocabulary
import SiteGeometry
import SiteProjection

/// A reconstruction parcel: a polygon (holes allowed) with its identity, held in WGS84 and
/// in the planning CRS.
public struct Parcel: Sendable {
    public let id: String
    public let name: String
    public let phase: Int?
    /// The boundary as read, WGS84 lon/lat.
    public let boundaryWGS84: Geometry
    /// The boundary in the scenario's planning CRS (metres).
    public let boundaryPlanar: Geometry
    /// The input's other attributes (`section`, `target_area_ha`, ...), in input order, kept
    /// through to every output layer of parcels.
    public var attributes: JSONObject = JSONObject()

    /// Checks the boundary (a valid Polygon with positive area) and projects it.
    /// Throws `InputError` naming the feature for bad geometry.
    public init(id: String, name: String, phase: Int?, boundaryWGS84: Geometry, frame: PlanningFrame, feature: FeatureRef) throws {
        guard boundaryWGS84.type == .polygon else {
            throw InputError(feature: feature, "a parcel must be a Polygon, found \(boundaryWGS84.type)")
        }
        let validity = try boundaryWGS84.validity()
        if !validity.isValid {
            let at = validity.location.map { " at lon \(formatDegrees($0.x)), lat \(formatDegrees($0.y))" } ?? ""
            throw InputError(feature: feature, "invalid parcel boundary: \(validity.reason)\(at)")
        }
        let planar = try frame.toPlanar(boundaryWGS84)
        guard try planar.area > 0 else { throw InputError(feature: feature, "the parcel has zero area") }
        self.id = id
        self.name = name
        self.phase = phase
        self.boundaryWGS84 = boundaryWGS84
        self.boundaryPlanar = planar
    }

    /// The same parcel with its own copies of the boundaries (for another thread: a
    /// `Geometry` is not for two threads at once).
    func copied() throws -> Parcel { try Parcel(copying: self) }

    private init(copying other: Parcel) throws {
        id = other.id
        name = other.name
        phase = other.phase
        boundaryWGS84 = try other.boundaryWGS84.copy()
        boundaryPlanar = try other.boundaryPlanar.copy()
        attributes = other.attributes
    }
}

/// The measured facts of one parcel, every figure computed from its geometry.
public struct ParcelMetrics: Sendable, Equatable {
    public let id: String
    public let name: String
    /// Planar area in the planning CRS, hectares.
    public let areaHectares: Double
    /// Area on the WGS84 ellipsoid (Karney), hectares.
    public let geodesicAreaHectares: Double
    /// Planar perimeter (holes included) in the planning CRS, metres.
    public let perimeterMetres: Double
    /// The planar area centroid, given back in WGS84.
    public let centroid: LonLat
    public let vertexCount: Int
    public let holeCount: Int
    public let validity: Validity
    /// Bounding box in WGS84 degrees (x = longitude).
    public let envelopeWGS84: Envelope

    public init(_ parcel: Parcel, frame: PlanningFrame) throws {
        id = parcel.id
        name = parcel.name
        areaHectares = try parcel.boundaryPlanar.area / 10_000
        geodesicAreaHectares = try Geodesic.wgs84.area(of: parcel.boundaryWGS84) / 10_000
        perimeterMetres = try parcel.boundaryPlanar.length
        centroid = try frame.toLonLat(parcel.boundaryPlanar.centroidXY())
        vertexCount = try parcel.boundaryWGS84.vertexCount()
        holeCount = try parcel.boundaryWGS84.interiorRingCount()
        validity = try parcel.boundaryWGS84.validity()
        envelopeWGS84 = try parcel.boundaryWGS84.envelope()
    }
}

func formatDegrees(_ value: Double) -> String {
    let scaled = (value * 1e7).rounded() / 1e7
    return "\(scaled)"
}
