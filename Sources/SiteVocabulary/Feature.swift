import SiteGeometry
import SiteProjection

/// A feature: an id, attributes in a fixed order, and a geometry in its layer's CRS.
///
/// The generic feature type between the domain, the format drivers and the reports; no format
/// owns it. Attribute values are the JSON data model (string, number, boolean, null), which
/// every driver maps onto its own column types.
public struct Feature: Sendable {
    /// Nil for an input feature that has none (an output feature always has one).
    public var id: String?
    public var properties: JSONObject
    /// In the layer's CRS; nil for a feature without geometry.
    public var geometry: Geometry?
    /// The 0-based position in the source it was read from, for messages; nil when made in code.
    public var index: Int?

    public init(id: String?, properties: JSONObject = JSONObject(), geometry: Geometry?, index: Int? = nil) {
        self.id = id
        self.properties = properties
        self.geometry = geometry
        self.index = index
    }

    /// Where the feature came from, for an `InputError`.
    public var ref: FeatureRef { FeatureRef(index: index ?? 0, id: id) }
}

/// A named layer of features, all in one CRS.
///
/// Layers stay in the CRS they were made in (the planning CRS for a plan, metres); each writer
/// projects once, to what its format needs. `CRS.wgs84` means longitude, latitude in degrees,
/// in that order (as GeoJSON and GeoPackage store it), whatever EPSG:4326's official axis order.
public struct Layer: Sendable {
    public var name: String
    public var crs: CRS
    public var features: [Feature]

    public init(name: String, crs: CRS, features: [Feature]) {
        self.name = name
        self.crs = crs
        self.features = features
    }

    /// The same layer in `target`, through one PROJ transformation (lon/lat order for WGS84).
    /// Returns `self` when the CRS is already `target`.
    public func projected(to target: CRS) throws -> Layer {
        if target == crs { return self }
        // To WGS84, the planning transformation run backwards: the same numbers as every
        // earlier release wrote, and one cached transformer per planning CRS.
        let toWGS84 = target == .wgs84
        let transformer = toWGS84 ? try Transformer.shared(from: .wgs84, to: crs) : try Transformer.shared(from: crs, to: target)
        var copy = self
        copy.crs = target
        for k in copy.features.indices {
            if let g = copy.features[k].geometry { copy.features[k].geometry = try transformer.transform(g, inverse: toWGS84) }
        }
        return copy
    }
}
