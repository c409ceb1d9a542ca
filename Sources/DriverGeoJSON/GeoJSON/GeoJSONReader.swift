import SiteDrivers
import SiteGeometry
import SiteVocabulary

/// Reads RFC 7946 GeoJSON: a FeatureCollection, a single Feature, or a bare geometry (taken as
/// one feature without properties). Positions are [longitude, latitude(, altitude)]; each is
/// checked for range, each ring for closure and length, and every problem is reported as an
/// `InputError` naming the file, the feature and the place in the geometry.
public enum GeoJSONReader {
    /// Reads the file at `path` (named in errors as given).
    public static func read(file path: String) throws -> [Feature] {
        let bytes = try FileIO.readBytes(path)
        return try read(bytes: bytes, source: path)
    }

    public static func read(bytes: [UInt8], source: String) throws -> [Feature] {
        let root: JSONValue
        do { root = try JSONParser.parse(bytes) } catch {
            throw InputError(source: source, "\(error)")
        }
        do {
            return try features(from: root)
        } catch let error as InputError {
            throw error.inSource(source)
        }
    }

    static func features(from root: JSONValue) throws -> [Feature] {
        guard let object = root.object else { throw InputError("the top-level value is \(root.kindDescription), expected a GeoJSON object") }
        guard let type = object["type"]?.string else { throw InputError("the top-level object has no \"type\" member") }
        switch type {
        case "FeatureCollection":
            guard let list = object["features"]?.array else { throw InputError(GeoJSONRules.noFeatures) }
            return try list.enumerated().map { try feature($1, index: $0) }
        case "Feature":
            return [try feature(root, index: 0)]
        default:
            let geometry = try GeoJSONGeometryDecoder.decode(root, feature: FeatureRef(index: 0, id: nil))
            return [Feature(id: nil, properties: JSONObject(), geometry: geometry, index: 0)]
        }
    }

    static func feature(_ value: JSONValue, index: Int) throws -> Feature {
        var ref = FeatureRef(index: index, id: nil)
        guard let object = value.object else { throw InputError(feature: ref, "is \(value.kindDescription), expected a Feature object") }
        let properties: JSONObject
        switch object["properties"] {
        case .object(let p): properties = p
        case .null, .none: properties = JSONObject()
        case .some(let other): throw InputError(feature: ref, "\"properties\" is \(other.kindDescription), expected an object or null")
        }
        ref.id = idText(object["id"]) ?? idText(properties["id"])
        guard object["type"]?.string == "Feature" else {
            throw InputError(feature: ref, GeoJSONRules.featureType(object["type"].map { JSONWriter.write($0) }))
        }
        let geometry: Geometry?
        switch object["geometry"] {
        case .none: throw InputError(feature: ref, GeoJSONRules.noGeometry)
        case .null: geometry = nil
        case .some(let g): geometry = try GeoJSONGeometryDecoder.decode(g, feature: ref)
        }
        return Feature(id: ref.id, properties: properties, geometry: geometry, index: index)
    }

    private static func idText(_ value: JSONValue?) -> String? {
        switch value {
        case .string(let s): s
        case .number(let n): JSONWriter.formatNumber(n)
        default: nil
        }
    }
}

/// Turns GeoJSON geometry objects into GEOS geometries, checking positions and rings.
enum GeoJSONGeometryDecoder {
    static func decode(_ value: JSONValue, feature: FeatureRef) throws -> Geometry {
        guard let object = value.object else { throw InputError(feature: feature, "geometry is \(value.kindDescription), expected an object") }
        guard let type = object["type"]?.string else { throw InputError(feature: feature, GeoJSONRules.geometryWithoutType) }
        if type == "GeometryCollection" {
            guard let list = object["geometries"]?.array else { throw InputError(feature: feature, "GeometryCollection has no \"geometries\" array") }
            return try Geometry.collection(.geometryCollection, list.map { try decode($0, feature: feature) })
        }
        guard let coordinates = object["coordinates"] else { throw InputError(feature: feature, GeoJSONRules.noCoordinates(type)) }
        let context = Context(feature: feature, type: type)
        switch type {
        case "Point":
            return try .point(position(coordinates, context, "Point position"))
        case "MultiPoint":
            return try .collection(.multiPoint, array(coordinates, context, "MultiPoint coordinates").enumerated().map {
                try .point(position($1, context, "MultiPoint position \($0)"))
            })
        case "LineString":
            return try .lineString(line(coordinates, context, "LineString"))
        case "MultiLineString":
            return try .collection(.multiLineString, array(coordinates, context, "MultiLineString coordinates").enumerated().map {
                try .lineString(line($1, context, "MultiLineString line \($0)"))
            })
        case "Polygon":
            return try polygon(coordinates, context, nil)
        case "MultiPolygon":
            return try .collection(.multiPolygon, array(coordinates, context, "MultiPolygon coordinates").enumerated().map {
                try polygon($1, context, $0)
            })
        default:
            throw InputError(feature: feature, "unknown geometry type \"\(type)\"")
        }
    }

    struct Context {
        let feature: FeatureRef
        let type: String
    }

    static func array(_ value: JSONValue, _ c: Context, _ what: String) throws -> [JSONValue] {
        guard let list = value.array else { throw InputError(feature: c.feature, "\(what) is \(value.kindDescription), expected an array") }
        return list
    }

    /// A position: [longitude, latitude] (an altitude is allowed and ignored), checked by the
    /// rules the audit's reader shares.
    static func position(_ value: JSONValue, _ c: Context, _ place: @autoclosure () -> String) throws -> XY {
        do {
            let p = try GeoJSONRules.position(value, place())
            return XY(p.lon, p.lat)
        } catch {
            throw InputError(feature: c.feature, error.problem)
        }
    }

    /// `place`: "LineString" or "MultiLineString line 2".
    static func line(_ value: JSONValue, _ c: Context, _ place: String) throws -> [XY] {
        let points = try array(value, c, "\(place) coordinates").enumerated().map { try position($1, c, "\(place) position \($0)") }
        do { try GeoJSONRules.checkLine(count: points.count, place) } catch { throw InputError(feature: c.feature, error.problem) }
        return points
    }

    /// `polygon`: the index in a MultiPolygon, nil for a Polygon.
    static func polygon(_ value: JSONValue, _ c: Context, _ polygon: Int?) throws -> Geometry {
        let prefix = polygon.map { "polygon \($0) " } ?? ""
        let ringValues = try array(value, c, "\(c.type) \(prefix)rings")
        guard !ringValues.isEmpty else { return try .empty(.polygon) }
        var rings: [[XY]] = []
        for (k, ringValue) in ringValues.enumerated() {
            let place = GeoJSONRules.ringPlace(c.type, polygon: polygon, ring: k)
            let ring = try array(ringValue, c, place).enumerated().map { try position($1, c, "\(place) position \($0)") }
            do {
                try GeoJSONRules.checkRing(count: ring.count, first: (ring.first?.x ?? 0, ring.first?.y ?? 0),
                                           last: (ring.last?.x ?? 0, ring.last?.y ?? 0), place)
            } catch {
                throw InputError(feature: c.feature, error.problem)
            }
            rings.append(ring)
        }
        return try .polygon(exterior: rings[0], holes: Array(rings.dropFirst()))
    }
}
