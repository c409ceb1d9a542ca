import SiteVocabulary
import SiteGeometry
import SiteProjection

/// What lies at a point: the parcel holding it, or the nearest one.
public struct ParcelLocation: Sendable, Equatable {
    /// The queried position.
    public let position: LonLat
    /// The parcel covering the point (interior or boundary); the smallest id when parcels
    /// overlap. Nil outside every parcel.
    public let parcelID: String?
    /// Every parcel covering the point, ids ascending.
    public let parcelIDs: [String]
    /// True when the point lies on the parcel's boundary (within 1 mm).
    public let onBoundary: Bool
    /// Inside: distance to that parcel's boundary. Outside: distance to the nearest parcel.
    /// Planar metres in the planning CRS.
    public let distanceMetres: Double
    /// The parcel the distance refers to: the containing one, or the nearest one outside.
    public let nearestParcelID: String?
}

/// Answers point queries against a scenario's parcels with an STRtree over the planar
/// boundaries.
public final class ParcelLocator: @unchecked Sendable {
    private let frame: PlanningFrame
    private let tree: STRtree<String>

    public init(scenario: Scenario) throws {
        frame = scenario.frame
        tree = try STRtree(scenario.parcels.map { ($0.boundaryPlanar, $0.id) })
    }

    /// Locates a WGS84 position. Throws `InputError` for a position outside lon ±180, lat ±90.
    public func locate(_ position: LonLat) throws -> ParcelLocation {
        guard position.isValid else {
            throw InputError("position \(position) is not a valid longitude,latitude (longitude -180..180, latitude -90..90)")
        }
        let point = try Geometry.point(frame.toPlanar(position))
        let candidates = try tree.query(intersectingEnvelopeOf: point)
        var covering: [Int] = []
        for index in candidates where try tree.geometries[index].covers(point) { covering.append(index) }
        covering.sort { tree.items[$0] < tree.items[$1] }
        if let first = covering.first {
            let boundaryDistance = try tree.geometries[first].boundary().distance(to: point)
            return ParcelLocation(position: position, parcelID: tree.items[first], parcelIDs: covering.map { tree.items[$0] },
                                  onBoundary: boundaryDistance < 0.001, distanceMetres: boundaryDistance,
                                  nearestParcelID: tree.items[first])
        }
        guard let nearest = try tree.nearest(to: point) else {
            return ParcelLocation(position: position, parcelID: nil, parcelIDs: [], onBoundary: false,
                                  distanceMetres: .infinity, nearestParcelID: nil)
        }
        return ParcelLocation(position: position, parcelID: nil, parcelIDs: [], onBoundary: false,
                              distanceMetres: try tree.geometries[nearest].distance(to: point),
                              nearestParcelID: tree.items[nearest])
    }

    /// The same two numbers read the other way round (latitude first), when `location` is
    /// outside every parcel and the swapped reading falls in a parcel, or within
    /// `withinMetres` (planar metres) of one and nearer than `location`; nil otherwise. A
    /// latitude-first position typed by a person (39.91,46.79 for 46.79,39.91) is the usual cause.
    public func swappedReading(of location: ParcelLocation, withinMetres: Double = 50_000) throws -> ParcelLocation? {
        guard location.parcelID == nil else { return nil }
        let swapped = LonLat(lon: location.position.lat, lat: location.position.lon)
        guard swapped.isValid, swapped != location.position else { return nil }
        let other = try locate(swapped)
        if other.parcelID != nil { return other }
        guard other.distanceMetres.isFinite, other.distanceMetres <= withinMetres else { return nil }
        return other.distanceMetres < location.distanceMetres || !location.distanceMetres.isFinite ? other : nil
    }
}
