import SiteDrivers
import SiteGeometry
import SiteProjection
import SiteVocabulary

/// Layers as CSV with a WKT geometry column, the form GDAL's CSV driver and QGIS's delimited
/// text layers read: `id`, every attribute in first-seen order, then `WKT` (WGS84 longitude,
/// latitude, 7 decimals). Fields are quoted per RFC 4180 where they need it.
///
/// One layer per `.csv` file; to a `.csv` path, every layer's features go into that one file
/// (each keeps its `layer` attribute); to any other path, a folder with `<layer>.csv` per layer.
/// Beside each file, GDAL's sidecars: `.csvt` (the column types: String, Integer, Real,
/// Integer(Boolean), WKT) and `.prj` (WGS84), so GDAL and QGIS read typed columns in the right CRS.
public struct CSVSink: FeatureSink {
    public static let fileExtensions = ["csv"]
    /// Decimals of the WKT coordinates (7 is about 1 cm).
    public var decimals: Int

    public init(decimals: Int = 7) { self.decimals = decimals }

    public func write(_ layers: [Layer], to path: String, in files: FileSet) throws {
        if path.lowercased().hasSuffix(".csv") {
            try add(layers, as: path, in: files)
        } else {
            for layer in layers {
                try add([layer], as: (path.hasSuffix("/") ? path : path + "/") + layer.name + ".csv", in: files)
            }
        }
    }

    /// Stages one CSV file and its `.csvt` and `.prj` sidecars.
    func add(_ layers: [Layer], as path: String, in files: FileSet) throws {
        let lonLat = try layers.map { try $0.projected(to: .wgs84) }
        let stem = String(path.dropLast(4))
        try files.add(path, text: try text(lonLat))
        try files.add(stem + ".csvt", text: Self.columnTypes(lonLat).joined(separator: ",") + "\n")
        try files.add(stem + ".prj", text: try CRS.wgs84.wkt() + "\n")
    }

    /// The columns of `layers`: `id`, the attributes in first-seen order, `WKT`.
    static func columns(_ layers: [Layer]) -> [String] {
        ["id"] + AttributeSchema.keys(layers.flatMap(\.features), excluding: ["id", "WKT"]) + ["WKT"]
    }

    /// GDAL's `.csvt` type of each column, as `AttributeSchema` infers it.
    static func columnTypes(_ layers: [Layer]) -> [String] {
        let features = layers.flatMap(\.features)
        return columns(layers).map { column in
            if column == "id" { return "String" }
            if column == "WKT" { return "WKT" }
            return switch AttributeSchema.kind(of: column, in: features) {
            case .text: "String"
            case .integer: "Integer"
            case .real: "Real"
            case .boolean: "Integer(Boolean)"
            case .date: "Date"
            }
        }
    }

    /// The CSV text of `layers`, which are in WGS84 lon/lat.
    func text(_ lonLat: [Layer]) throws -> String {
        let columns = Self.columns(lonLat)
        var out = columns.map(CSVField.text).joined(separator: ",") + "\n"
        for layer in lonLat {
            for feature in layer.features {
                var fields = [CSVField.text(feature.id ?? "")]
                for key in columns.dropFirst().dropLast() {
                    fields.append(CSVField.text(Self.field(feature.properties[key])))
                }
                fields.append(CSVField.text(try feature.geometry.map { try $0.wkt(precision: decimals) } ?? ""))
                // Booleans as GDAL's Integer(Boolean) reads them.
                for (k, key) in columns.dropFirst().dropLast().enumerated() where feature.properties[key]?.bool != nil {
                    fields[k + 1] = feature.properties[key]?.bool == true ? "1" : "0"
                }
                out += fields.joined(separator: ",") + "\n"
            }
        }
        return out
    }

    /// An attribute as CSV text: numbers as JSON writes them, booleans as true/false, null empty.
    static func field(_ value: JSONValue?) -> String {
        switch value {
        case .none, .some(.null): ""
        case .some(.string(let s)): s
        case .some(.bool(let b)): b ? "true" : "false"
        case .some(.number(let n)): JSONWriter.formatNumber(n)
        case .some(let other): JSONWriter.write(other)
        }
    }
}

/// A CSV file as a feature source: one layer in WGS84 lon/lat, its geometry in a `WKT` column
/// (any case), else point positions in `lon`/`lat` (or `longitude`/`latitude`, `x`/`y`)
/// columns. The `id` column is the feature id; every other column is an attribute, a number
/// where the whole field reads as one. Every problem names the file and the line.
public struct CSVSource: SingleFileSource {
    public let path: String

    public init(path: String) { self.path = path }

    public func readLayer(_ layer: String? = nil) throws -> Layer {
        let table = try CSVTable(path: path, required: [])
        let header = table.header
        let wkt = header.first { $0.lowercased() == "wkt" }
        let pairs = [("lon", "lat"), ("longitude", "latitude"), ("x", "y")]
        let xy = pairs.lazy.compactMap { pair -> (String, String)? in
            guard let x = header.first(where: { $0.lowercased() == pair.0 }), let y = header.first(where: { $0.lowercased() == pair.1 }) else { return nil }
            return (x, y)
        }.first
        guard wkt != nil || xy != nil else {
            throw InputError(source: path, "line 1: no geometry column: a WKT column, or lon and lat columns (longitude first)")
        }
        var features: [Feature] = []
        for (index, (line, fields)) in table.records.enumerated() {
            let id = fields["id"].flatMap { $0.isEmpty ? nil : $0 }
            let ref = "line \(line)" + (id.map { " (id \"\($0)\")" } ?? "")
            var geometry: Geometry?
            if let wkt, let text = fields[wkt], !text.isEmpty {
                do { geometry = try Geometry(wkt: text) } catch {
                    throw InputError(source: path, "\(ref): the WKT does not parse: \(error.message)")
                }
            } else if let (x, y) = xy, let xText = fields[x], let yText = fields[y], !xText.isEmpty || !yText.isEmpty {
                guard let lon = Double(xText), let lat = Double(yText), (-180...180).contains(lon), (-90...90).contains(lat) else {
                    throw InputError(source: path, "\(ref): \(x),\(y) \"\(xText)\",\"\(yText)\" is not a longitude,latitude position in degrees")
                }
                geometry = try Geometry.point(XY(lon, lat))
            }
            var properties = JSONObject()
            for column in header where column != "id" && column != wkt {
                let text = fields[column] ?? ""
                properties[column] = text.isEmpty ? .null : Self.number(text).map { .number($0) } ?? .string(text)
            }
            features.append(Feature(id: id, properties: properties, geometry: geometry, index: index))
        }
        return Layer(name: layer ?? layerName, crs: .wgs84, features: features)
    }

    /// A field that is a decimal number as a person writes one ("12", "-0.5", "1e3"); not
    /// "nan", "inf" or hexadecimal, which Double would also take.
    static func number(_ text: String) -> Double? {
        guard let first = text.first, first.isNumber || first == "-" || first == "+" || first == ".",
              !text.lowercased().contains("x"), let value = Double(text), value.isFinite else { return nil }
        return value
    }
}
