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

    public init(name: String, settlement: String, frame: PlanningFrame, asOf: String?, parcels: [Parcel]) throws {
        var seen = Set<String>()
        for (index, parcel) in parcels.enumerated() where !seen.insert(parcel.id).inserted {
            throw InputError(feature: FeatureRef(index: index, id: parcel.id), "duplicate parcel id \"\(parcel.id)\"")
        }
        self.name = name
        self.settlement = settlement
        self.frame = frame
        self.asOf = asOf
        self.parcels = parcels
    }

    /// The parcel with `id`, or an `InputError` listing the known ids.
    public func parcel(id: String) throws -> Parcel {
        if let p = parcels.first(where: { $0.id == id }) { return p }
        let known = parcels.map(\.id).joined(separator: ", ")
        throw InputError("no parcel with id \"\(id)\" in scenario \"\(name)\" (known: \(known))")
    }

    /// Metrics for every parcel, in scenario order.
    public func parcelMetrics() throws -> [ParcelMetrics] {
        try parcels.map { try ParcelMetrics($0, frame: frame) }
    }
}
