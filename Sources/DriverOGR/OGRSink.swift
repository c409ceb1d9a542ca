#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import SiteDrivers
import SiteGDAL
import SiteGeometry
import SiteProjection
import SiteVocabulary

/// The formats siteplan writes through GDAL/OGR.
public enum OGRFormat: String, Sendable, CaseIterable {
    case shapefile = "shp", flatGeobuf = "fgb", kml, dxf, xlsx

    /// The GDAL driver that writes it.
    public var driver: String {
        switch self {
        case .shapefile: "ESRI Shapefile"
        case .flatGeobuf: "FlatGeobuf"
        // The KML driver: LIBKML writes the same file a hundred times slower (33 s for Khojaly).
        case .kml: "KML"
        case .dxf: "DXF"
        case .xlsx: "XLSX"
        }
    }

    /// Its name for people.
    public var displayName: String {
        switch self {
        case .shapefile: "Shapefile"
        case .flatGeobuf: "FlatGeobuf"
        case .kml: "KML"
        case .dxf: "DXF"
        case .xlsx: "XLSX (attribute tables)"
        }
    }

    /// The format `path`'s extension names, if one of these.
    public static func named(by path: String) -> OGRFormat? {
        guard let dot = path.lastIndex(of: "."), !path[dot...].contains("/") else { return nil }
        return OGRFormat(rawValue: path[path.index(after: dot)...].lowercased())
    }
}

/// Writes layers through GDAL/OGR, in a file set (all new or all old): GDAL writes into a
/// private folder beside the target, and every file it made is then staged into the
/// `FileSet` under its final name, so nothing is visible before the set commits.
///
/// - **Shapefile** (`.shp`): one file set (`.shp .shx .dbf .prj .cpg` and `.fields.csv`, the
///   full attribute names) per layer and geometry type: `x.shp` for one layer of one type,
///   else `x_<layer>.shp`, `x_<layer>_points.shp`, ...; field names by `ShapefileFieldNames`;
///   UTF-8 (`.cpg`); the `.dbf` date is `currentDate`.
/// - **FlatGeobuf** (`.fgb`): one file per layer (`x.fgb`, or `x_<layer>.fgb`), features in
///   layer order (no packed R-tree, which would reorder them by position).
/// - **KML** (`.kml`): one file, a folder per layer, WGS84; each placemark's `name` is the
///   feature id, its `description` a table of its attributes, and every attribute typed in
///   the schema's ExtendedData.
/// - **DXF** (`.dxf`): one file in the planning CRS (metres; DXF has no CRS of its own), one
///   DXF layer per plan layer; polygons as closed polylines (one per ring) with the feature id
///   as a TEXT label inside, which `OGRSource` reads back as the id. GDAL's DXF writer has no
///   extended data, so other attributes are not in the DXF.
/// - **XLSX** (`.xlsx`): one sheet per layer, its attribute table (id first), no geometry.
///
/// Field types follow `AttributeSchema` in every format: measurements Real, counts Integer,
/// dates Date, flags Boolean where the format has them.
public struct OGRSink: FeatureSink {
    public static let fileExtensions = OGRFormat.allCases.map(\.rawValue)

    public var format: OGRFormat
    /// The CRS of Shapefile and FlatGeobuf output (KML is always WGS84, DXF the `planningCRS`).
    public var crs: CRS
    /// The projected CRS a DXF is drawn in.
    public var planningCRS: CRS
    /// The date written where a format records one (`YYYY-MM-DD`; the scenario's as-of date),
    /// so the same layers give the same bytes.
    public var currentDate: String

    public init(format: OGRFormat, crs: CRS = .wgs84, planningCRS: CRS, currentDate: String) {
        self.format = format
        self.crs = crs
        self.planningCRS = planningCRS
        self.currentDate = currentDate
    }

    public func write(_ layers: [Layer], to path: String, in files: FileSet) throws {
        let target: CRS = switch format {
        case .kml: .wgs84
        case .dxf: planningCRS
        case .shapefile, .flatGeobuf, .xlsx: crs
        }
        let projected = try layers.map { try $0.projected(to: target) }
        let (folder, base) = Self.split(path)
        try FileSet.makeFolders(folder, for: path)
        let stem = base.lowercased().hasSuffix("." + format.rawValue) ? String(base.dropLast(format.rawValue.count + 1)) : base
        let scratch = try Self.scratchFolder(in: folder, for: path)
        defer { Self.removeFolder(scratch) }
        let options = ["OGR_CURRENT_DATE": currentDate + "T00:00:00Z", "LIBKML_NAME_FIELD": OGRSource.kmlNameField,
                       "LIBKML_DESCRIPTION_FIELD": OGRSource.kmlDescriptionField, "LIBKML_TIMESTAMP_FIELD": "kml_timestamp"]
        try GDALLibrary.withThreadConfig(options) {
            do {
                switch format {
                case .shapefile: try writeShapefiles(projected, crs: target, scratch: scratch, stem: stem)
                case .flatGeobuf: try writePerLayer(projected, crs: target, scratch: scratch, stem: stem)
                case .kml, .dxf, .xlsx: try writeOneFile(projected, crs: target, file: scratch + "/" + stem + "." + format.rawValue)
                }
            } catch let error as GDALError {
                throw OutputError(path, "GDAL cannot write the \(format.displayName): \(error.message)")
            }
        }
        for name in try Self.listFolder(scratch).sorted() {
            try files.add(folder + "/" + name, bytes: try FileIO.readBytes(scratch + "/" + name))
        }
    }

    // MARK: Formats

    /// The families a Shapefile keeps apart (one file set each).
    enum Family: String, CaseIterable { case points, lines, polygons }

    static func family(_ t: GeometryType) -> Family? {
        switch t {
        case .point, .multiPoint: .points
        case .lineString, .linearRing, .multiLineString: .lines
        case .polygon, .multiPolygon: .polygons
        case .geometryCollection: nil
        }
    }

    private func writeShapefiles(_ layers: [Layer], crs: CRS, scratch: String, stem: String) throws {
        for layer in layers {
            var groups: [(Family, [Feature])] = []
            for family in Family.allCases {
                // A feature without geometry goes with the layer's first family (a null shape).
                let first = layer.features.lazy.compactMap { $0.geometry.flatMap { Self.family($0.type) } }.first ?? .polygons
                let members = try layer.features.filter { f in
                    guard let g = f.geometry else { return family == first }
                    guard let fam = Self.family(g.type) else {
                        throw InputError(source: layer.name, feature: f.ref, "a \(g.type) has no Shapefile geometry type; export it as GeoPackage or FlatGeobuf")
                    }
                    return fam == family
                }
                if !members.isEmpty { groups.append((family, members)) }
            }
            if groups.isEmpty { groups = [(.polygons, layer.features)] }  // an empty layer: an empty file set
            for (family, members) in groups {
                var name = layers.count == 1 ? stem : "\(stem)_\(layer.name)"
                if groups.count > 1 { name += "_\(family.rawValue)" }
                let type: LayerGeometryType = switch family {
                case .points: members.contains { $0.geometry?.type == .multiPoint } ? .multiPoint : .point
                case .lines: .lineString
                case .polygons: .polygon
                }
                let full = ["id"] + AttributeSchema.keys(members, excluding: ["id"])
                let short = ShapefileFieldNames.map(full)
                var fields = try Self.fields(full, members)
                for k in fields.indices {
                    fields[k].name = short[k]
                    if fields[k].type == .string {
                        let longest = members.map { Self.text(full[k] == "id" ? $0.id.map { .string($0) } : $0.properties[full[k]]).utf8.count }.max() ?? 1
                        fields[k].width = min(254, max(1, longest))
                    }
                }
                let dataset = try VectorDataset.create(scratch + "/" + name + ".shp", driver: format.driver)
                let writer = try dataset.createLayer(name, crs: crs.definition, geometryType: type, fields: fields,
                                                     options: ["ENCODING=UTF-8", "DBF_DATE_LAST_UPDATE=\(currentDate)", "SPATIAL_INDEX=NO"])
                try add(members, keys: full, to: writer)
                try dataset.close()
                let sidecar = scratch + "/" + name + ".fields.csv"
                try FileSet.writeFile(sidecar, bytes: Array(ShapefileFieldNames.sidecar(short: short, full: full).utf8), target: sidecar)
            }
        }
    }

    private func writePerLayer(_ layers: [Layer], crs: CRS, scratch: String, stem: String) throws {
        for layer in layers {
            let name = layers.count == 1 ? stem : "\(stem)_\(layer.name)"
            let dataset = try VectorDataset.create(scratch + "/" + name + "." + format.rawValue, driver: format.driver)
            try addLayer(layer, to: dataset, crs: crs, options: ["SPATIAL_INDEX=NO", "TITLE=\(layer.name)"])
            try dataset.close()
        }
    }

    private func writeOneFile(_ layers: [Layer], crs: CRS, file: String) throws {
        let options = format == .kml ? ["NameField=\(OGRSource.kmlNameField)", "DescriptionField=\(OGRSource.kmlDescriptionField)"] : []
        let dataset = try VectorDataset.create(file, driver: format.driver, options: options)
        // GDAL's DXF writer has one layer of entities; the DXF layer comes from the `Layer` field.
        let entities = format == .dxf ? try dataset.createLayer("entities", crs: nil, geometryType: .unknown, fields: [FieldDefinition(name: "Layer", type: .string)]) : nil
        for layer in layers {
            switch format {
            case .dxf: try addDXF(layer, to: entities!)
            case .xlsx: try addLayer(layer, to: dataset, crs: nil, options: [])
            default: try addLayer(layer, to: dataset, crs: crs, options: [])
            }
        }
        try dataset.close()
    }

    /// One layer with typed fields (`id` first); KML also gets its name and description.
    private func addLayer(_ layer: Layer, to dataset: VectorDataset, crs: CRS?, options: [String]) throws {
        var keys = ["id"] + AttributeSchema.keys(layer.features, excluding: ["id"])
        var fields = try Self.fields(keys, layer.features)
        if format == .kml {
            keys = [OGRSource.kmlNameField, OGRSource.kmlDescriptionField] + keys
            fields = [FieldDefinition(name: OGRSource.kmlNameField, type: .string), FieldDefinition(name: OGRSource.kmlDescriptionField, type: .string)] + fields
        }
        let types = layer.features.compactMap { $0.geometry?.type }
        let type: LayerGeometryType = crs == nil ? .none : Self.layerType(types)
        let writer = try dataset.createLayer(layer.name, crs: crs?.definition, geometryType: type, fields: fields, options: options)
        try add(layer.features, keys: keys, to: writer, geometry: crs != nil, promote: type)
    }

    private func add(_ features: [Feature], keys: [String], to writer: VectorLayerWriter, geometry: Bool = true,
                     promote: LayerGeometryType = .unknown) throws {
        for feature in features {
            var values: [FieldValue] = []
            for (k, key) in keys.enumerated() {
                let value: JSONValue? = switch key {
                case "id": feature.id.map { .string($0) }
                case OGRSource.kmlNameField where format == .kml: feature.id.map { .string($0) }
                case OGRSource.kmlDescriptionField where format == .kml: .string(Self.descriptionTable(feature, keys: Array(keys.dropFirst(2))))
                default: feature.properties[key]
                }
                values.append(Self.fieldValue(value, writer.fields[k].type))
            }
            var g = geometry ? feature.geometry : nil
            if let single = g, promote == .multiPolygon || promote == .multiLineString || promote == .multiPoint {
                g = try Self.promoted(single)
            }
            try writer.add(values, geometry: g)
        }
    }

    /// A DXF layer: polygons as one closed polyline per ring and a TEXT label with the id at a
    /// point inside; lines and points as they are. DXF's own fields (Layer, Text) only.
    private func addDXF(_ layer: Layer, to writer: VectorLayerWriter) throws {
        for feature in layer.features {
            guard let g = feature.geometry else { continue }
            let polygons: [Geometry] = switch g.type {
            case .polygon: [g]
            case .multiPolygon: try g.parts()
            default: []
            }
            if polygons.isEmpty {
                try writer.add([.string(layer.name)], geometry: g)
                continue
            }
            for polygon in polygons {
                for ring in try polygon.polygonRings() { try writer.add([.string(layer.name)], geometry: try .lineString(ring)) }
            }
            if let id = feature.id {
                let at = try polygons[0].pointOnSurface()
                let escaped = id.replacingAll("\"", with: "\\\"")
                try writer.add([.string(layer.name)], geometry: at, style: "LABEL(f:\"Arial\",t:\"\(escaped)\",s:2g)")
            }
        }
    }

    // MARK: Values

    static func fields(_ keys: [String], _ features: [Feature]) throws -> [FieldDefinition] {
        keys.map { key in
            if key == "id" { return FieldDefinition(name: key, type: .string) }
            let type: FieldType = switch AttributeSchema.kind(of: key, in: features) {
            case .text: .string
            case .integer: features.contains { abs($0.properties[key]?.number ?? 0) > 2_147_483_647 } ? .integer64 : .integer
            case .real: .real
            case .boolean: .boolean
            case .date: .date
            }
            return FieldDefinition(name: key, type: type)
        }
    }

    static func fieldValue(_ value: JSONValue?, _ type: FieldType) -> FieldValue {
        guard let value, !value.isNull else { return .null }
        switch (type, value) {
        case (.integer, .number), (.integer64, .number): return value.int.map { .integer(Int64($0)) } ?? .null
        case (.real, .number(let x)): return .real(x)
        case (.boolean, .bool(let b)): return .boolean(b)
        case (.date, .string(let s)): return .date(s)
        case (.string, .string(let s)): return .string(s)
        default: return .string(text(value))
        }
    }

    static func text(_ value: JSONValue?) -> String {
        switch value {
        case .none, .null?: ""
        case .string(let s)?: s
        case .number(let x)?: JSONWriter.formatNumber(x)
        case .bool(let b)?: b ? "true" : "false"
        case let other?: JSONWriter.write(other)
        }
    }

    /// A KML description: the feature's attributes as an HTML table.
    static func descriptionTable(_ feature: Feature, keys: [String]) -> String {
        func escape(_ s: String) -> String {
            s.replacingAll("&", with: "&amp;").replacingAll("<", with: "&lt;").replacingAll(">", with: "&gt;")
        }
        var html = "<table>"
        for key in keys where key != "id" {
            guard let v = feature.properties[key], !v.isNull else { continue }
            html += "<tr><th>\(escape(key))</th><td>\(escape(text(v)))</td></tr>"
        }
        return html + "</table>"
    }

    static func layerType(_ types: [GeometryType]) -> LayerGeometryType {
        let distinct = Set(types.map(\.rawValue))
        func one(_ t: GeometryType) -> LayerGeometryType {
            switch t {
            case .point: .point
            case .lineString, .linearRing: .lineString
            case .polygon: .polygon
            case .multiPoint: .multiPoint
            case .multiLineString: .multiLineString
            case .multiPolygon: .multiPolygon
            case .geometryCollection: .geometryCollection
            }
        }
        if distinct.count == 1, let t = GeometryType(rawValue: distinct.first!) { return one(t) }
        for (single, multi) in [(GeometryType.point, GeometryType.multiPoint), (.lineString, .multiLineString), (.polygon, .multiPolygon)]
        where distinct == [single.rawValue, multi.rawValue] {
            return one(multi)
        }
        return .unknown
    }

    static func promoted(_ g: Geometry) throws -> Geometry {
        switch g.type {
        case .point: try .collection(.multiPoint, [g])
        case .lineString: try .collection(.multiLineString, [g])
        case .polygon: try .collection(.multiPolygon, [g])
        default: g
        }
    }

    // MARK: Files

    static func split(_ path: String) -> (folder: String, base: String) {
        guard let slash = path.lastIndex(of: "/") else { return (".", path) }
        let folder = String(path[..<slash])
        return (folder.isEmpty ? "/" : folder, String(path[path.index(after: slash)...]))
    }

    /// A private folder beside the target for GDAL to write into (`.siteplan-ogr-XXXXXX`).
    static func scratchFolder(in folder: String, for target: String) throws -> String {
        var template = Array((folder + "/.siteplan-ogr-XXXXXX").utf8CString)
        guard let made = template.withUnsafeMutableBufferPointer({ mkdtemp($0.baseAddress!) }) else {
            throw OutputError(target, "cannot create a temporary folder in \(folder): \(systemMessage())")
        }
        return String(cString: made)
    }

    static func listFolder(_ folder: String) throws -> [String] {
        guard let dir = opendir(folder) else { throw OutputError(folder, "cannot list: \(systemMessage())") }
        defer { closedir(dir) }
        var names: [String] = []
        while let entry = readdir(dir) {
            let name = withUnsafePointer(to: &entry.pointee.d_name) { field in
                field.withMemoryRebound(to: CChar.self, capacity: 256) { String(cString: $0) }
            }
            if name != "." && name != ".." { names.append(name) }
        }
        return names
    }

    static func removeFolder(_ folder: String) {
        for name in (try? listFolder(folder)) ?? [] { unlink(folder + "/" + name) }
        rmdir(folder)
    }
}

extension String {
    /// Every occurrence of `target` replaced by `replacement`.
    func replacingAll(_ target: String, with replacement: String) -> String {
        split(separator: target, omittingEmptySubsequences: false).joined(separator: replacement)
    }
}
