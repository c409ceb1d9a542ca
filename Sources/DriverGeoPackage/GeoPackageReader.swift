import SiteDrivers
import SiteGeometry
import SiteProjection
import SiteVocabulary

/// Reads feature tables of a GeoPackage into layers in the table's own CRS, from its
/// `gpkg_spatial_ref_sys` row (EPSG code, else its WKT definition, checked with PROJ), so a
/// scenario's parcels and exclusion zones can come from a GeoPackage as from GeoJSON. The
/// feature id is the `id` column when the table has one, else the `fid`.
///
///     let parcels = try GeoPackageReader.read(file: "site.gpkg", layer: "parcels")
public enum GeoPackageReader {
    /// The feature tables listed in `gpkg_contents`, in file order.
    public static func layerNames(file path: String) throws -> [String] {
        let db = try open(path)
        return try wrap(path) { try db.rows("SELECT table_name FROM gpkg_contents WHERE data_type = 'features' ORDER BY rowid").compactMap { $0[0].text } }
    }

    /// Table `layer`, geometries in the table's CRS (`CRS.wgs84`, lon/lat, for EPSG:4326).
    public static func read(file path: String, layer: String) throws -> Layer {
        let db = try open(path)
        let source = "\(path)#\(layer)"
        let known = try wrap(path) { try db.rows("SELECT table_name FROM gpkg_contents WHERE data_type = 'features' ORDER BY rowid").compactMap { $0[0].text } }
        guard known.contains(layer) else {
            throw InputError(source: path, "no feature table \"\(layer)\" (feature tables: \(known.isEmpty ? "none" : known.joined(separator: ", ")))")
        }
        try SQLiteDatabase.checkIdentifier(layer, what: "layer name")
        let geometryRows = try wrap(path) {
            try db.rows("SELECT column_name, srs_id FROM gpkg_geometry_columns WHERE table_name = ?", [.text(layer)])
        }
        guard let geometryRow = geometryRows.first, let geometryColumn = geometryRow[0].text, let srsID = geometryRow[1].int else {
            throw InputError(source: source, "the table has no row in gpkg_geometry_columns")
        }
        let crs = try layerCRS(db, srsID: srsID, source: source) ?? .wgs84

        let statement = try wrap(path) { try db.prepare("SELECT * FROM \"\(layer)\" ORDER BY rowid") }
        var features: [Feature] = []
        while try wrap(path, { try statement.step() }) {
            let index = features.count
            var properties = JSONObject()
            var geometry: Geometry?
            var fid: String?
            for column in 0..<statement.columnCount {
                let name = statement.columnName(at: column)
                let value = statement.value(at: column)
                if name == geometryColumn {
                    if case .blob(let bytes) = value {
                        let decoded = try GeoPackageBinary.decode(bytes, what: "feature \(index)")
                        geometry = decoded.geometry
                    }
                    continue
                }
                if name == "fid" { fid = value.int.map(String.init); continue }
                switch value {
                case .null: properties[name] = .null
                case .integer(let n): properties[name] = statement.declaredType(at: column) == "BOOLEAN" ? .bool(n != 0) : .number(Double(n))
                case .real(let x): properties[name] = .number(x)
                case .text(let s): properties[name] = .string(s)
                case .blob: break
                }
            }
            let id = properties["id"]?.string ?? properties["id"]?.number.map { JSONWriter.formatNumber($0) } ?? fid
            features.append(Feature(id: id, properties: properties, geometry: geometry, index: index))
        }
        return Layer(name: layer, crs: crs, features: features)
    }

    /// The CRS to transform from, or nil when the table is already in EPSG:4326.
    static func layerCRS(_ db: SQLiteDatabase, srsID: Int, source: String) throws -> CRS? {
        if srsID == 4326 { return nil }
        let rows = try wrap(source) {
            try db.rows("SELECT organization, organization_coordsys_id, definition FROM gpkg_spatial_ref_sys WHERE srs_id = ?", [.integer(srsID)])
        }
        guard let row = rows.first else { throw InputError(source: source, "srs_id \(srsID) is not in gpkg_spatial_ref_sys") }
        let crs: CRS
        if row[0].text?.uppercased() == "EPSG", let code = row[1].int {
            if code == 4326 { return nil }
            crs = .epsg(code)
        } else if let wkt = row[2].text, wkt != "undefined" {
            crs = .wkt(wkt)
        } else {
            throw InputError(source: source, "srs_id \(srsID) is an undefined CRS; the geometries cannot be placed on the earth")
        }
        do { try crs.validate() } catch { throw InputError(source: source, "srs_id \(srsID) is not a CRS PROJ knows: \(error.message)") }
        return crs
    }

    static func open(_ path: String) throws -> SQLiteDatabase {
        guard FileIO.exists(path) else { throw InputError(source: path, "no such file") }
        let db = try wrap(path) { try SQLiteDatabase(path: path, mode: .readOnly) }
        let ok = try? db.rows("SELECT count(*) FROM gpkg_contents")
        if ok == nil { throw InputError(source: path, "not a GeoPackage (no gpkg_contents table)") }
        return db
    }

    /// SQLite failures on a file we were given are bad input: name the file.
    package static func wrap<T>(_ source: String, _ body: () throws -> T) throws -> T {
        do { return try body() } catch let error as SQLiteError { throw InputError(source: source, error.description) }
    }
}

/// A GeoPackage file as a feature source: its feature tables are its layers.
public struct GeoPackageSource: FeatureSource {
    public let path: String
    public var name: String { path }

    public init(path: String) { self.path = path }

    public func layerNames() throws -> [String] { try GeoPackageReader.layerNames(file: path) }

    public func readLayer(_ layer: String?) throws -> Layer {
        if let layer { return try GeoPackageReader.read(file: path, layer: layer) }
        let names = try layerNames()
        guard names.count == 1 else {
            throw InputError(source: path, "holds \(names.count) feature tables; name one as \"file.gpkg#table\" (feature tables: \(names.isEmpty ? "none" : names.joined(separator: ", ")))")
        }
        return try GeoPackageReader.read(file: path, layer: names[0])
    }
}
