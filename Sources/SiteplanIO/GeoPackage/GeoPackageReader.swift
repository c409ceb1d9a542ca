import Foundation
import SiteGeometry
import SiteProjection
import SiteplanCore

/// Reads feature tables of a GeoPackage into WGS84 features, the way `GeoJSONReader` reads a
/// GeoJSON file, so a scenario's parcels and exclusion zones can come from either.
///
/// Geometries in another CRS than EPSG:4326 are transformed with PROJ, from the table's
/// `gpkg_spatial_ref_sys` row (EPSG code, else its WKT definition). The feature id is the `id`
/// column when the table has one, else the `fid`.
///
///     let parcels = try GeoPackageReader.read(file: "site.gpkg", layer: "parcels")
public enum GeoPackageReader {
    /// The feature tables listed in `gpkg_contents`, in file order.
    public static func layerNames(file path: String) throws -> [String] {
        let db = try open(path)
        return try wrap(path) { try db.rows("SELECT table_name FROM gpkg_contents WHERE data_type = 'features' ORDER BY rowid").compactMap { $0[0].text } }
    }

    /// The features of table `layer`, geometries in WGS84 lon/lat.
    public static func read(file path: String, layer: String) throws -> [GeoJSONFeature] {
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
        let crs = try layerCRS(db, srsID: srsID, source: source)
        let toWGS84 = try crs.map { try Transformer.shared(from: $0, to: .wgs84) }

        let statement = try wrap(path) { try db.prepare("SELECT * FROM \"\(layer)\" ORDER BY rowid") }
        var features: [GeoJSONFeature] = []
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
                        geometry = try toWGS84.map { try $0.transform(decoded.geometry) } ?? decoded.geometry
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
            features.append(GeoJSONFeature(index: index, id: id, properties: properties, geometry: geometry))
        }
        return features
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
        guard FileManager.default.fileExists(atPath: path) else { throw InputError(source: path, "no such file") }
        let db = try wrap(path) { try SQLiteDatabase(path: path, mode: .readOnly) }
        let ok = try? db.rows("SELECT count(*) FROM gpkg_contents")
        if ok == nil { throw InputError(source: path, "not a GeoPackage (no gpkg_contents table)") }
        return db
    }

    /// SQLite failures on a file we were given are bad input: name the file.
    static func wrap<T>(_ source: String, _ body: () throws -> T) throws -> T {
        do { return try body() } catch let error as SQLiteError { throw InputError(source: source, error.description) }
    }
}

/// Where a scenario layer comes from: `name.geojson`, `name.gpkg` (the table named after the
/// layer, or the only feature table) or `name.gpkg#table`.
public enum LayerSource {
    /// Reads the features that `path` names; `layer` is the scenario layer ("parcels",
    /// "exclusions"), the default table name in a GeoPackage. Returns the source to name in
    /// errors (`file.gpkg#table` for a GeoPackage) and the features.
    public static func read(_ path: String, layer: String) throws -> (source: String, features: [GeoJSONFeature]) {
        var file = path, table: String?
        // "#table" only after a .gpkg name, so a GeoJSON file may have "#" in its name.
        if let hash = path.lastIndex(of: "#"), path[..<hash].lowercased().hasSuffix(".gpkg") {
            file = String(path[..<hash])
            table = String(path[path.index(after: hash)...])
        }
        guard file.lowercased().hasSuffix(".gpkg") else { return (path, try GeoJSONReader.read(file: path)) }
        if table == nil {
            let names = try GeoPackageReader.layerNames(file: file)
            table = names.contains(layer) ? layer : (names.count == 1 ? names[0] : nil)
            if table == nil {
                throw InputError(source: file, "no feature table \"\(layer)\"; name one as \"\((file as NSString).lastPathComponent)#table\" (feature tables: \(names.joined(separator: ", ")))")
            }
        }
        return ("\(file)#\(table!)", try GeoPackageReader.read(file: file, layer: table!))
    }
}
