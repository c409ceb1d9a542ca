import SiteDrivers
import SiteGDAL
import SiteGeometry
import SiteProjection
import SiteVocabulary

extension GDALError: SiteplanError {
    public var kind: SiteplanErrorKind { .library }
}

/// Any vector file GDAL/OGR reads as a feature source: Shapefile (with its `.prj`), DXF, KML,
/// FlatGeobuf, GeoPackage, GML, CSV with a WKT column, GeoJSON with a legacy `crs` member, ...
///
/// The layer comes back in the CRS the file gives (a `.prj`, a GeoPackage row, a GML
/// `srsName`, a GeoJSON `crs` member; KML is WGS84), else in `sourceCRS`; a file with neither is
/// refused. Feature ids come from `idField`, else an `id` field, else KML's `Name`, else (DXF)
/// the text label inside each polygon, else they are generated (`<layer>-<n>`). DXF closed
/// polylines become polygons, holes rebuilt from nested rings (`Geometry.buildArea`).
///
///     let layer = try OGRSource(path: "cadastre.shp").readLayer(nil)       // EPSG:32638 from the .prj
///     let dxf = try OGRSource(path: "survey.dxf", sourceCRS: .epsg(32638)).readLayer(nil)
public struct OGRSource: FeatureSource {
    public let path: String
    /// The CRS of a file that names none (a DXF); refused when the file names another.
    public var sourceCRS: CRS?
    /// The field holding each feature's id; an error naming the fields when it is missing.
    public var idField: String?
    /// The CRS of a file that names none when `sourceCRS` is not given (a scenario's planning
    /// CRS, which a DXF in its folder is drawn in); never checked against the file's own.
    public var fallbackCRS: CRS?

    public var name: String { path }

    public init(path: String, sourceCRS: CRS? = nil, idField: String? = nil) {
        self.path = path
        self.sourceCRS = sourceCRS
        self.idField = idField
    }

    /// The KML fields that are KML's own bookkeeping, not the data's attributes.
    static let kmlHousekeeping: Set<String> = [kmlNameField, kmlDescriptionField, "Description", "description", "timestamp", "begin", "end", "altitudeMode",
                                               "tessellate", "extrude", "visibility", "drawOrder", "icon", "snippet"]
    /// The DXF fields that describe the drawing, not the data.
    static let dxfHousekeeping: Set<String> = ["Layer", "SubClasses", "Linetype", "EntityHandle", "Text", "PaperSpace", "ExtendedEntity", "RawCodeValues"]

    public func layerNames() throws -> [String] {
        let dataset = try GDALLibrary.withThreadConfig(Self.threadConfig) { try open() }
        do { return try dataset.layerNames() } catch { throw InputError(source: path, "GDAL cannot list its layers: \(error.message)") }
    }

    /// The fields a KML placemark's `<name>` and `<description>` are read into and written
    /// from (LIBKML_NAME_FIELD, set per thread), apart from a `name` attribute of the data: OGR
    /// field names ignore case, and KML's `Name` would swallow it.
    public static let kmlNameField = "kml_name", kmlDescriptionField = "kml_description"

    /// GDAL configuration for reading and writing: KML's name and description fields (above).
    static let threadConfig = ["LIBKML_NAME_FIELD": kmlNameField, "LIBKML_DESCRIPTION_FIELD": kmlDescriptionField]

    public func readLayer(_ layer: String?) throws -> Layer {
        try GDALLibrary.withThreadConfig(Self.threadConfig) { try read(layer) }
    }

    func read(_ layer: String?) throws -> Layer {
        let dataset = try open()
        let driver = dataset.driverName
        let names: [String]
        do { names = try dataset.layerNames() } catch { throw InputError(source: path, "GDAL cannot list its layers: \(error.message)") }
        // A DXF has one OGR layer ("entities"); its drawing layers are the `Layer` field.
        var dxfLayer: String?
        var index: Int
        if let layer, let i = names.firstIndex(of: layer) {
            index = i
        } else if let layer, driver == "DXF" {
            index = 0
            dxfLayer = layer
        } else if let layer {
            throw InputError(source: path, "no layer \"\(layer)\" (layers: \(names.isEmpty ? "none" : names.joined(separator: ", ")))")
        } else {
            guard names.count == 1 else {
                throw InputError(source: path, "holds \(names.count) layers; name one with --layer (layers: \(names.isEmpty ? "none" : names.joined(separator: ", ")))")
            }
            index = 0
        }
        let data: VectorLayerData
        do { data = try dataset.readLayer(at: index) } catch {
            // A spatial reference GDAL cannot take apart came from the .prj.
            if error.function.hasPrefix("OSR") || error.function.hasPrefix("OGR_L_GetSpatialRef"), let prj = companion("prj") {
                throw InputError(source: path, "\(prj) is not a CRS GDAL/PROJ can read: \(error.message)")
            }
            throw InputError(source: path, "GDAL cannot read layer \"\(names[index])\": \(error.message)")
        }
        let source = names.count > 1 || dxfLayer != nil ? "\(path)#\(dxfLayer ?? data.name)" : path
        let crs = try layerCRS(data, driver: driver, source: source)

        var fieldNames = data.fields.map(\.name)
        if driver == "ESRI Shapefile", let full = try ShapefileFieldNames.readSidecar(forShapefile: path) {
            fieldNames = fieldNames.map { full[$0] ?? $0 }
        }
        // GDAL's KML writer stores a `name` attribute as the schema field `Name` (OGR field names
        // ignore case); LIBKML reads the placemark's own <name> into `kml_name`, so `Name` is the data's.
        if driver == "LIBKML", fieldNames.contains(Self.kmlNameField), !fieldNames.contains("name"), let i = fieldNames.firstIndex(of: "Name") {
            fieldNames[i] = "name"
        }
        let skipped: Set<String> = driver == "LIBKML" ? Self.kmlHousekeeping : driver == "KML" ? Self.kmlHousekeeping.union(["Name"]) : driver == "DXF" ? Self.dxfHousekeeping : []
        if let idField, !fieldNames.contains(idField) {
            throw InputError(source: source, "--id-field \(idField): no such field (fields: \(fieldNames.isEmpty ? "none" : fieldNames.joined(separator: ", ")))")
        }
        let idColumn: Int? = if let idField { fieldNames.firstIndex(of: idField) }
            else if let i = fieldNames.firstIndex(of: "id") { i }
            else if driver == "LIBKML" { fieldNames.firstIndex(of: Self.kmlNameField) }
            else if driver == "KML" { fieldNames.firstIndex(of: "Name") }
            else { nil }

        var features: [Feature] = []
        for (k, raw) in data.features.enumerated() {
            var properties = JSONObject()
            for (i, value) in raw.values.enumerated() where i != idColumn && !skipped.contains(fieldNames[i]) {
                properties[fieldNames[i]] = Self.json(value)
            }
            if driver == "DXF" {
                // `--layer` names a DXF drawing layer: the entities on the others are left out.
                if let dxfLayer, let column = fieldNames.firstIndex(of: "Layer"), raw.values[column] != .string(dxfLayer) { continue }
            }
            let id: String? = idColumn.flatMap { Self.idText(raw.values[$0]) }
            if idColumn != nil, id == nil || id?.isEmpty == true {
                throw InputError(source: source, feature: FeatureRef(index: k, id: nil), "has no value in the id field \"\(fieldNames[idColumn!])\"")
            }
            var feature = Feature(id: id, properties: properties, geometry: raw.geometry, index: k)
            if driver == "DXF", let t = fieldNames.firstIndex(of: "Text") { feature.properties["dxf_text"] = Self.json(raw.values[t]) }
            features.append(feature)
        }
        if driver == "DXF" { features = try DXFAreas.build(features, source: source) }
        // Generated ids where the file has none, in file order.
        let stem = dxfLayer ?? data.name
        for k in features.indices where features[k].id == nil { features[k].id = "\(stem)-\(k + 1)" }
        var seen: [String: Int] = [:]
        for (k, feature) in features.enumerated() {
            if let first = seen[feature.id!] {
                throw InputError(source: source, feature: feature.ref, "duplicate id \"\(feature.id!)\" (also feature \(first))")
            }
            seen[feature.id!] = k
        }
        return Layer(name: dxfLayer ?? data.name, crs: crs, features: features)
    }

    /// Opens the file, after the checks GDAL would answer less clearly (a Shapefile's
    /// companion files).
    func open() throws -> VectorDataset {
        guard FileIO.exists(path) else { throw InputError(source: path, "no such file") }
        if path.lowercased().hasSuffix(".shp") {
            let stem = String(path.dropLast(4))
            for (ext, what) in [("shx", "the shape index"), ("dbf", "the attribute table")] {
                let present = [ext, ext.uppercased()].contains { FileIO.exists(stem + "." + $0) }
                if !present {
                    throw InputError(source: path, "missing \(stem).\(ext) (\(what)): a Shapefile is the .shp, .shx and .dbf files together, with a .prj for its CRS")
                }
            }
        }
        do { return try VectorDataset.open(path) } catch {
            throw InputError(source: path, "GDAL cannot open it as vector data: \(error.message)")
        }
    }

    /// The layer's CRS: the file's own, else `sourceCRS`; `.wgs84` (lon/lat) for EPSG:4326.
    func layerCRS(_ data: VectorLayerData, driver: String, source: String) throws -> CRS {
        guard let reference = data.spatialReference else {
            if let prj = companion("prj") {
                let why = data.warnings.isEmpty ? "GDAL could not read it" : data.warnings.joined(separator: "; ")
                throw InputError(source: source, "\(prj) is not a CRS GDAL/PROJ can read: \(why)")
            }
            guard let sourceCRS = sourceCRS ?? fallbackCRS else {
                throw InputError(source: source, "the file names no CRS (\(driver == "DXF" ? "a DXF carries none" : "no .prj or CRS member")); give it with --source-crs EPSG:N (e.g. --source-crs EPSG:32638)")
            }
            do { try sourceCRS.validate() } catch { throw InputError(source: source, "--source-crs \(sourceCRS): \(error.message)") }
            return sourceCRS == .epsg(4326) ? .wgs84 : sourceCRS
        }
        let crs: CRS = reference.epsgCode.map { CRS.epsg($0) } ?? .wkt(reference.wkt)
        if let sourceCRS, let a = sourceCRS.epsgCode, let b = crs.epsgCode, a != b {
            throw InputError(source: source, "the file's CRS is EPSG:\(b) (\(reference.name)); --source-crs EPSG:\(a) disagrees (give --source-crs only for a file without a CRS)")
        }
        do { try crs.validate() } catch {
            throw InputError(source: source, "the file's CRS \"\(reference.name)\" is not one PROJ can use: \(error.message)")
        }
        return crs == .epsg(4326) ? .wgs84 : crs
    }

    /// The Shapefile's companion file with extension `ext` (either case), if present.
    func companion(_ ext: String) -> String? {
        guard path.lowercased().hasSuffix(".shp") else { return nil }
        let stem = String(path.dropLast(4))
        return [ext, ext.uppercased()].map { stem + "." + $0 }.first(where: FileIO.exists)
    }

    static func json(_ value: FieldValue) -> JSONValue {
        switch value {
        case .null: .null
        case .integer(let n): .number(Double(n))
        case .real(let x): .number(x)
        case .string(let s), .date(let s), .dateTime(let s): .string(s)
        case .boolean(let b): .bool(b)
        }
    }

    static func idText(_ value: FieldValue) -> String? {
        switch value {
        case .string(let s): s
        case .integer(let n): String(n)
        case .real(let x): JSONWriter.formatNumber(x)
        default: nil
        }
    }
}

/// DXF linework as areas: closed polylines become polygons, the rings nested in another
/// become its holes (`GEOSBuildArea`, as PostGIS's ST_BuildArea), and a text label (a DXF TEXT
/// point) inside a polygon gives it its id. Other entities are kept as they are.
enum DXFAreas {
    static func build(_ features: [Feature], source: String) throws -> [Feature] {
        var rings: [Feature] = [], labels: [(id: String, point: Geometry)] = [], kept: [Feature] = []
        for feature in features {
            guard let g = feature.geometry else { continue }
            let text = feature.properties["dxf_text"]?.string
            switch g.type {
            case .point where text != nil && !(text!.isEmpty):
                labels.append((text!, g))
            case .lineString, .linearRing:
                let points = try g.coordinates()
                if points.count >= 4, points.first == points.last { rings.append(feature) } else { kept.append(strip(feature)) }
            default:
                kept.append(strip(feature))
            }
        }
        guard !rings.isEmpty else { return features.map(strip) }
        let lines = try Geometry.collection(.multiLineString, rings.map { try .lineString($0.geometry!.coordinates()) })
        let area = try lines.buildArea()
        let polygons = area.type == .polygon ? [area] : try area.parts()
        var built: [(order: Int, feature: Feature)] = []
        for (k, polygon) in polygons.enumerated() where !polygon.isEmpty {
            let inside = try labels.filter { try polygon.contains($0.point) }
            if inside.count > 1 {
                throw InputError(source: source, feature: FeatureRef(index: k, id: nil),
                                 "the area built from closed polylines holds \(inside.count) text labels (\(inside.map(\.id).joined(separator: ", "))); one label names one area")
            }
            // The attributes of the polyline that is the area's outer boundary.
            let shell = try polygon.exteriorRing().coordinates()
            let outer = try rings.first { try $0.geometry!.coordinates().count == shell.count && Set(try $0.geometry!.coordinates().map { "\($0.x),\($0.y)" }) == Set(shell.map { "\($0.x),\($0.y)" }) }
            var properties = outer.map { strip($0).properties } ?? JSONObject()
            properties["dxf_text"] = nil
            // In file order: where the area's outer polyline was.
            built.append((outer?.index ?? Int.max, Feature(id: inside.first?.id, properties: properties, geometry: polygon, index: outer?.index ?? k)))
        }
        return built.sorted { $0.order < $1.order }.map(\.feature) + kept
    }

    static func strip(_ feature: Feature) -> Feature {
        var copy = feature
        copy.properties["dxf_text"] = nil
        return copy
    }
}
