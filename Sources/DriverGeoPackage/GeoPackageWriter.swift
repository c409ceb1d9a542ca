#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import SiteDrivers
import SiteGeometry
import SiteProjection
import SiteVocabulary

/// Writes layers into one GeoPackage file (OGC 12-128r18, GeoPackage 1.3 tables): the
/// `gpkg_spatial_ref_sys`, `gpkg_contents`, `gpkg_geometry_columns` and `gpkg_extensions`
/// tables, one feature table per layer with typed attribute columns and a geometry column of
/// GeoPackage blobs, and an R-tree spatial index per layer (`rtree_<layer>_geom`, with the
/// spec's triggers).
///
/// Every `Layer` given is written, in order, so new layers need no change here. Each layer is
/// projected once, from its own CRS to the file's. Same layers, same bytes: every value is
/// bound in a fixed order and `last_change` is given, not "now".
///
///     let files = FileSet()
///     try GeoPackageWriter(crs: scenario.frame.crs, lastChange: "2026-11-27T00:00:00.000Z")
///         .write(layers, to: "out/khojaly.gpkg", in: files)
///     try files.commit()
public struct GeoPackageWriter: FeatureSink, Sendable {
    public static let fileExtensions = ["gpkg"]

    /// The CRS every geometry is stored in: WGS84 (lon/lat) or a projected CRS such as the
    /// scenario's planning CRS.
    public var crs: CRS
    /// The `gpkg_contents.last_change` timestamp (ISO 8601, UTC), e.g. the scenario's as-of date.
    public var lastChange: String

    public init(crs: CRS = .wgs84, lastChange: String) {
        self.crs = crs
        self.lastChange = lastChange
    }

    /// The geometry column's name in every feature table.
    public static let geometryColumn = "geom"

    /// Stages `layers` as the GeoPackage file `path` in `files` (written under a temporary
    /// name, renamed into place when the set commits).
    public func write(_ layers: [Layer], to path: String, in files: FileSet) throws {
        for layer in layers { try SQLiteDatabase.checkIdentifier(layer.name, what: "layer name") }
        let projected = try layers.map { try $0.projected(to: crs) }
        let temporary = try files.stage(path)
        unlink(temporary)
        do {
            let db = try SQLiteDatabase(path: temporary, mode: .create)
            defer { db.close() }
            try write(projected, into: db)
        } catch let error as SQLiteError {
            unlink(temporary)
            throw OutputError(path, "cannot write the GeoPackage: \(error.message)")
        }
    }

    /// The SRS the geometries are written in: its `srs_id` and its row.
    package struct SpatialRefSys {
        package let id: Int
        package let name: String
        package let organization: String
        package let organizationID: Int
        package let definition: String
        package let description: String
    }

    package func targetSRS() throws -> SpatialRefSys {
        if crs == .wgs84 { return try Self.wgs84SRS() }
        let c = crs
        return SpatialRefSys(id: c.epsgCode ?? 100_000, name: try c.name(), organization: c.epsgCode == nil ? "NONE" : "EPSG",
                             organizationID: c.epsgCode ?? 100_000, definition: try c.wkt(),
                             description: "the scenario's planning CRS (\(c)), metres")
    }

    package static func wgs84SRS() throws -> SpatialRefSys {
        SpatialRefSys(id: 4326, name: "WGS 84 geodetic", organization: "EPSG", organizationID: 4326, definition: try CRS.wgs84.wkt(),
                      description: "longitude/latitude coordinates in decimal degrees on the WGS 84 spheroid")
    }

    private func write(_ layers: [Layer], into db: SQLiteDatabase) throws {
        // 'GPKG' and GeoPackage 1.3 (clause 1.1.1.1.1).
        // No rollback journal beside the staged file: the FileSet is the transaction.
        try db.execute("PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF; PRAGMA application_id = 1196444487; PRAGMA user_version = 10300;")
        try db.execute("BEGIN")
        try db.execute(Self.coreSchema)
        let srs = try targetSRS()
        try Self.insertSpatialRefSys(srs, into: db)
        for layer in layers { try writeLayer(layer, srs: srs, db: db) }
        try writeStyles(layers, db: db)
        try db.execute("COMMIT")
    }

    /// A QGIS style per layer (`QGISStyle`), the default one, in the `layer_styles` table QGIS
    /// reads, registered in `gpkg_contents` as an attributes table. `update_time` is
    /// `lastChange`, from the data, not the clock.
    private func writeStyles(_ layers: [Layer], db: SQLiteDatabase) throws {
        try db.execute(QGISStyle.schema)
        for layer in layers {
            try db.run("""
                INSERT INTO layer_styles (f_table_catalog, f_table_schema, f_table_name, f_geometry_column, styleName, styleQML, styleSLD,
                  useAsDefault, description, owner, ui, update_time) VALUES ('', '', ?, ?, ?, ?, '', 1, ?, '', NULL, ?)
                """, [.text(layer.name), .text(Self.geometryColumn), .text(layer.name), .text(QGISStyle.qml(layer: layer)),
                      .text("siteplan map style of \(layer.name) (the colours of siteplan map)"), .text(lastChange)])
        }
        try db.run("INSERT INTO gpkg_contents (table_name, data_type, identifier, description, last_change) VALUES ('layer_styles', 'attributes', 'layer_styles', ?, ?)",
                   [.text("QGIS layer styles: the siteplan map's colours"), .text(lastChange)])
    }

    private func writeLayer(_ layer: Layer, srs: SpatialRefSys, db: SQLiteDatabase) throws {
        let table = layer.name, geom = Self.geometryColumn
        let geometries: [Geometry?] = layer.features.map(\.geometry)
        let geometryType = Self.columnGeometryType(geometries.compactMap { $0?.type })
        let columns = try AttributeColumn.infer(layer.features)

        var ddl = "CREATE TABLE \"\(table)\" (fid INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL, \"\(geom)\" \(geometryType.name)"
        for column in columns { ddl += ", \"\(column.name)\" \(column.type.rawValue)" }
        try db.execute(ddl + ")")

        let placeholders = Array(repeating: "?", count: columns.count + 2).joined(separator: ", ")
        let names = (["fid", geom] + columns.map(\.name)).map { "\"\($0)\"" }.joined(separator: ", ")
        let insert = try db.prepare("INSERT INTO \"\(table)\" (\(names)) VALUES (\(placeholders))")
        try db.execute("CREATE VIRTUAL TABLE \"rtree_\(table)_\(geom)\" USING rtree(id, minx, maxx, miny, maxy)")
        let rtreeInsert = try db.prepare("INSERT INTO \"rtree_\(table)_\(geom)\" (id, minx, maxx, miny, maxy) VALUES (?, ?, ?, ?, ?)")
        var extent: Envelope?
        for (index, (feature, original)) in zip(layer.features, geometries).enumerated() {
            let fid = index + 1
            let geometry = try original.map { geometryType.promote ? try Self.promoted($0) : $0 }
            let blob = try geometry.map { SQLValue.blob(try GeoPackageBinary.encode($0, srsID: Int32(srs.id))) } ?? .null
            try insert.bind([.integer(fid), blob] + columns.map { $0.value(of: feature) })
            while try insert.step() {}
            guard let geometry, !geometry.isEmpty else { continue }
            let e = try geometry.envelope()
            if extent == nil { extent = e } else { extent?.expand(toInclude: e) }
            try rtreeInsert.bind([.integer(fid), .real(e.minX), .real(e.maxX), .real(e.minY), .real(e.maxY)])
            while try rtreeInsert.step() {}
        }
        // The triggers call the ST_ functions of a GeoPackage-aware SQLite (GDAL, QGIS); they
        // are created after the bulk insert, which filled the index itself.
        try db.execute(Self.rtreeTriggers(table: table, column: geom))
        try db.run("INSERT INTO gpkg_extensions (table_name, column_name, extension_name, definition, scope) VALUES (?, ?, 'gpkg_rtree_index', 'http://www.geopackage.org/spec120/#extension_rtree', 'write-only')",
                   [.text(table), .text(geom)])

        func bound(_ x: Double?) -> SQLValue { x.map { .real($0) } ?? .null }
        try db.run("INSERT INTO gpkg_contents (table_name, data_type, identifier, description, last_change, min_x, min_y, max_x, max_y, srs_id) VALUES (?, 'features', ?, ?, ?, ?, ?, ?, ?, ?)",
                   [.text(table), .text(table), .text("siteplan layer \(table)"), .text(lastChange),
                    bound(extent?.minX), bound(extent?.minY), bound(extent?.maxX), bound(extent?.maxY), .integer(srs.id)])
        try db.run("INSERT INTO gpkg_geometry_columns (table_name, column_name, geometry_type_name, srs_id, z, m) VALUES (?, ?, ?, ?, 0, 0)",
                   [.text(table), .text(geom), .text(geometryType.name), .integer(srs.id)])
    }

    /// The column's geometry type: the one type all features share; Multi* when singles and
    /// multis of one kind are mixed (the singles are then written as one-part multis);
    /// GEOMETRY otherwise.
    static func columnGeometryType(_ types: [GeometryType]) -> (name: String, promote: Bool) {
        let distinct = Set(types.map(\.rawValue)).sorted().compactMap { GeometryType(rawValue: $0) }
        func name(_ t: GeometryType) -> String {
            t == .linearRing ? "LINESTRING" : t.description.uppercased()
        }
        if distinct.count == 1 { return (name(distinct[0]), false) }
        for (single, multi) in [(GeometryType.point, GeometryType.multiPoint), (.lineString, .multiLineString), (.polygon, .multiPolygon)]
        where Set(distinct) == [single, multi] {
            return (name(multi), true)
        }
        return ("GEOMETRY", false)
    }

    static func promoted(_ g: Geometry) throws -> Geometry {
        switch g.type {
        case .point: try .collection(.multiPoint, [g])
        case .lineString: try .collection(.multiLineString, [g])
        case .polygon: try .collection(.multiPolygon, [g])
        default: g
        }
    }

    /// The three rows every GeoPackage has (undefined cartesian, undefined geographic, WGS 84),
    /// and `srs` when it is another.
    package static func insertSpatialRefSys(_ srs: SpatialRefSys, into db: SQLiteDatabase) throws {
        var rows = [SpatialRefSys(id: -1, name: "Undefined cartesian SRS", organization: "NONE", organizationID: -1, definition: "undefined",
                                  description: "undefined cartesian coordinate reference system"),
                    SpatialRefSys(id: 0, name: "Undefined geographic SRS", organization: "NONE", organizationID: 0, definition: "undefined",
                                  description: "undefined geographic coordinate reference system"),
                    try wgs84SRS()]
        if srs.id != 4326 { rows.append(srs) }
        for row in rows {
            try db.run("INSERT INTO gpkg_spatial_ref_sys (srs_name, srs_id, organization, organization_coordsys_id, definition, description) VALUES (?, ?, ?, ?, ?, ?)",
                       [.text(row.name), .integer(row.id), .text(row.organization), .integer(row.organizationID), .text(row.definition), .text(row.description)])
        }
    }

    package static let coreSchema = """
    CREATE TABLE gpkg_spatial_ref_sys (
      srs_name TEXT NOT NULL, srs_id INTEGER PRIMARY KEY, organization TEXT NOT NULL,
      organization_coordsys_id INTEGER NOT NULL, definition TEXT NOT NULL, description TEXT);
    CREATE TABLE gpkg_contents (
      table_name TEXT NOT NULL PRIMARY KEY, data_type TEXT NOT NULL, identifier TEXT UNIQUE,
      description TEXT DEFAULT '', last_change DATETIME NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
      min_x DOUBLE, min_y DOUBLE, max_x DOUBLE, max_y DOUBLE, srs_id INTEGER,
      CONSTRAINT fk_gc_r_srs_id FOREIGN KEY (srs_id) REFERENCES gpkg_spatial_ref_sys(srs_id));
    CREATE TABLE gpkg_geometry_columns (
      table_name TEXT NOT NULL, column_name TEXT NOT NULL, geometry_type_name TEXT NOT NULL,
      srs_id INTEGER NOT NULL, z TINYINT NOT NULL, m TINYINT NOT NULL,
      CONSTRAINT pk_geom_cols PRIMARY KEY (table_name, column_name),
      CONSTRAINT uk_gc_table_name UNIQUE (table_name),
      CONSTRAINT fk_gc_tn FOREIGN KEY (table_name) REFERENCES gpkg_contents(table_name),
      CONSTRAINT fk_gc_srs FOREIGN KEY (srs_id) REFERENCES gpkg_spatial_ref_sys (srs_id));
    CREATE TABLE gpkg_extensions (
      table_name TEXT, column_name TEXT, extension_name TEXT NOT NULL, definition TEXT NOT NULL, scope TEXT NOT NULL,
      CONSTRAINT ge_tce UNIQUE (table_name, column_name, extension_name));
    """

    /// The R-tree triggers of the spec's annex (rtree extension), for table `t`, column `c`, key `fid`.
    package static func rtreeTriggers(table t: String, column c: String) -> String {
        let r = "\"rtree_\(t)_\(c)\"", tq = "\"\(t)\"", cq = "\"\(c)\""
        let values = "NEW.fid, ST_MinX(NEW.\(cq)), ST_MaxX(NEW.\(cq)), ST_MinY(NEW.\(cq)), ST_MaxY(NEW.\(cq))"
        return """
        CREATE TRIGGER "rtree_\(t)_\(c)_insert" AFTER INSERT ON \(tq) WHEN (new.\(cq) NOT NULL AND NOT ST_IsEmpty(NEW.\(cq)))
        BEGIN INSERT OR REPLACE INTO \(r) VALUES (\(values)); END;
        CREATE TRIGGER "rtree_\(t)_\(c)_update1" AFTER UPDATE OF \(cq) ON \(tq) WHEN OLD.fid = NEW.fid AND (NEW.\(cq) NOTNULL AND NOT ST_IsEmpty(NEW.\(cq)))
        BEGIN INSERT OR REPLACE INTO \(r) VALUES (\(values)); END;
        CREATE TRIGGER "rtree_\(t)_\(c)_update2" AFTER UPDATE OF \(cq) ON \(tq) WHEN OLD.fid = NEW.fid AND (NEW.\(cq) ISNULL OR ST_IsEmpty(NEW.\(cq)))
        BEGIN DELETE FROM \(r) WHERE id = OLD.fid; END;
        CREATE TRIGGER "rtree_\(t)_\(c)_update3" AFTER UPDATE ON \(tq) WHEN OLD.fid != NEW.fid AND (NEW.\(cq) NOTNULL AND NOT ST_IsEmpty(NEW.\(cq)))
        BEGIN DELETE FROM \(r) WHERE id = OLD.fid; INSERT OR REPLACE INTO \(r) VALUES (\(values)); END;
        CREATE TRIGGER "rtree_\(t)_\(c)_update4" AFTER UPDATE ON \(tq) WHEN OLD.fid != NEW.fid AND (NEW.\(cq) ISNULL OR ST_IsEmpty(NEW.\(cq)))
        BEGIN DELETE FROM \(r) WHERE id IN (OLD.fid, NEW.fid); END;
        CREATE TRIGGER "rtree_\(t)_\(c)_delete" AFTER DELETE ON \(tq) WHEN old.\(cq) NOT NULL
        BEGIN DELETE FROM \(r) WHERE id = OLD.fid; END;
        """
    }
}

/// A typed attribute column of a feature table, inferred from the JSON property values.
struct AttributeColumn {
    /// GeoPackage's column types. Counts that fit 32 bits are MEDIUMINT, which GDAL reads as
    /// Integer, as it reads them from GeoJSON and Shapefile (INTEGER would be Integer64).
    enum SQLType: String { case mediumint = "MEDIUMINT", integer = "INTEGER", real = "REAL", text = "TEXT", boolean = "BOOLEAN", date = "DATE" }

    let name: String
    let type: SQLType

    /// The columns for `features`: `id` first (the feature id), then every property key in
    /// first-seen order, typed as `AttributeSchema` infers them (arrays and objects as JSON text).
    static func infer(_ features: [Feature]) throws -> [AttributeColumn] {
        let keys = ["id"] + AttributeSchema.keys(features, excluding: ["id", "fid", GeoPackageWriter.geometryColumn])
        return try keys.map { key in
            try SQLiteDatabase.checkIdentifier(key, what: "property")
            if key == "id" { return AttributeColumn(name: key, type: .text) }
            let type: SQLType = switch AttributeSchema.kind(of: key, in: features) {
            case .text: .text
            case .integer: features.allSatisfy { ($0.properties[key]?.int).map { Int32(exactly: $0) != nil } ?? true } ? .mediumint : .integer
            case .real: .real
            case .boolean: .boolean
            case .date: .date
            }
            return AttributeColumn(name: key, type: type)
        }
    }

    func value(of feature: Feature) -> SQLValue {
        if name == "id" { return feature.id.map { .text($0) } ?? .null }
        guard let v = feature.properties[name] else { return .null }
        switch (type, v) {
        case (_, .null): return .null
        case (.boolean, .bool(let b)): return .integer(b ? 1 : 0)
        case (.integer, .number), (.mediumint, .number): return v.int.map { .integer($0) } ?? .null
        case (.real, .number(let x)): return .real(x)
        case (.text, .string(let s)), (.date, .string(let s)): return .text(s)
        default: return .text(JSONWriter.write(v))
        }
    }
}

extension GeoPackageWriter {
    /// The `last_change` for a scenario: its as-of date at midnight UTC, so the file depends on
    /// the data, not on the clock; 1970-01-01 when the scenario has no date.
    public static func timestamp(asOf: String?) -> String {
        guard let asOf, asOf.count == 10 else { return "1970-01-01T00:00:00.000Z" }
        return asOf + "T00:00:00.000Z"
    }
}
