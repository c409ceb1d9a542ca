import SiteDrivers
import SiteVocabulary
import SiteGeometry

/// Writes RFC 7946 GeoJSON: [longitude, latitude] positions with at most `decimals` decimals
/// (7 by default, about 1 cm), counter-clockwise exterior rings and clockwise holes, no `crs`
/// member, the feature `id` kept both as the feature id and as `properties.id` (so GDAL and
/// QGIS show it as a field). Output is deterministic: same features, same bytes.
public struct GeoJSONWriter: Sendable {
    public var decimals: Int

    public init(decimals: Int = 7) {
        precondition((0...15).contains(decimals), "decimals must be 0...15")
        self.decimals = decimals
    }

    /// One layer as a FeatureCollection, projected once from the layer's CRS to WGS84 lon/lat;
    /// the layer's name becomes a foreign member that GDAL uses as layer name.
    public func featureCollection(_ layer: Layer) throws -> String {
        try featureCollection(lonLat: layer.projected(to: .wgs84).features, name: layer.name)
    }

    /// One FeatureCollection of features already in WGS84 lon/lat; `name` becomes a foreign
    /// member that GDAL uses as layer name.
    public func featureCollection(lonLat features: [Feature], name: String? = nil) throws -> String {
        var out = "{\"type\":\"FeatureCollection\""
        if let name { out += ",\"name\":"; JSONWriter.writeString(name, into: &out) }
        out += ",\"features\":["
        for (k, feature) in features.enumerated() {
            out += k == 0 ? "\n" : ",\n"
            try write(feature, into: &out)
        }
        out += "\n]}\n"
        return out
    }

    /// One feature whose geometry is in WGS84 lon/lat.
    public func write(_ feature: Feature, into out: inout String) throws {
        var properties = JSONObject()
        if let id = feature.id { properties["id"] = .string(id) }
        for (key, value) in feature.properties where key != "id" || feature.id == nil { properties[key] = value }
        out += "{\"type\":\"Feature\""
        if let id = feature.id {
            out += ",\"id\":"
            JSONWriter.writeString(id, into: &out)
        }
        out += ",\"properties\":{"
        for (k, member) in properties.members.enumerated() {
            if k > 0 { out += "," }
            JSONWriter.writeString(member.key, into: &out)
            out += ":"
            // A measurement is written as a real number even when it is whole ("160.0"), so
            // GDAL types the field Real, as in the GeoPackage (AttributeSchema).
            if case .number(let x) = member.value, x.isFinite, AttributeSchema.isMeasurement(member.key) {
                let text = JSONWriter.formatNumber(x)
                out += text.contains(where: { $0 == "." || $0 == "e" || $0 == "E" }) ? text : text + ".0"
            } else {
                JSONWriter.write(member.value, into: &out, indent: nil, level: 0)
            }
        }
        out += "}"
        out += ",\"geometry\":"
        if let g = feature.geometry { try writeGeometry(g, into: &out) } else { out += "null" }
        out += "}"
    }

    public func geometryJSON(_ geometry: Geometry) throws -> String {
        var out = ""
        try writeGeometry(geometry, into: &out)
        return out
    }

    func writeGeometry(_ g: Geometry, into out: inout String) throws {
        out += "{\"type\":\"\(g.type == .linearRing ? "LineString" : g.type.description)\","
        switch g.type {
        case .point:
            out += "\"coordinates\":"
            if g.isEmpty { out += "[]" } else { writePosition(try g.pointXY(), into: &out) }
        case .lineString, .linearRing:
            out += "\"coordinates\":"
            writePositions(try g.coordinates(), into: &out)
        case .polygon:
            out += "\"coordinates\":"
            try writePolygon(g, into: &out)
        case .multiPoint, .multiLineString, .multiPolygon:
            out += "\"coordinates\":["
            for (k, part) in try g.parts().enumerated() {
                if k > 0 { out += "," }
                switch part.type {
                case .point: writePosition(try part.pointXY(), into: &out)
                case .polygon: try writePolygon(part, into: &out)
                default: writePositions(try part.coordinates(), into: &out)
                }
            }
            out += "]"
        case .geometryCollection:
            out += "\"geometries\":["
            for (k, part) in try g.parts().enumerated() {
                if k > 0 { out += "," }
                try writeGeometry(part, into: &out)
            }
            out += "]"
        }
        out += "}"
    }

    private func writePolygon(_ polygon: Geometry, into out: inout String) throws {
        if polygon.isEmpty { out += "[]"; return }
        out += "["
        for (k, var ring) in try polygon.polygonRings().enumerated() {
            // RFC 7946 section 3.1.6: exterior counter-clockwise, holes clockwise.
            let ccw = signedRingArea(ring) > 0
            if (k == 0) != ccw { ring.reverse() }
            if k > 0 { out += "," }
            writePositions(ring, into: &out)
        }
        out += "]"
    }

    private func writePositions(_ points: [XY], into out: inout String) {
        out += "["
        for (k, p) in points.enumerated() {
            if k > 0 { out += "," }
            writePosition(p, into: &out)
        }
        out += "]"
    }

    private func writePosition(_ p: XY, into out: inout String) {
        out += "[" + JSONWriter.fixed(p.x, decimals: decimals) + "," + JSONWriter.fixed(p.y, decimals: decimals) + "]"
    }
}
