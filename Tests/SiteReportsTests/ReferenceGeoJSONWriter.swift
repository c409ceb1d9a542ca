import DriverGeoJSON
import SiteDrivers
import SiteGeometry
import SiteProjection
import SiteVocabulary

/// The GeoJSON writer as it was before it wrote bytes (main d097166): `Layer.projected(to:)`
/// through GEOS, then text appended to a `String` with `JSONWriter.fixed` per coordinate. The
/// reference the byte writer and the plan's parallel rendering are checked against, byte for byte.
struct ReferenceGeoJSONWriter {
    var decimals = 7

    func featureCollection(_ layer: Layer) throws -> String {
        try featureCollection(lonLat: layer.projected(to: .wgs84).features, name: layer.name)
    }

    func featureCollection(lonLat features: [Feature], name: String? = nil) throws -> String {
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

    func write(_ feature: Feature, into out: inout String) throws {
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
