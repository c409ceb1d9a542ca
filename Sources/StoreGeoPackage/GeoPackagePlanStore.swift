#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import DriverGeoJSON
import DriverGeoPackage
import SiteDrivers
import SiteGeometry
import SitePlanning
import SiteProjection
import SiteVocabulary

/// The plan of record in one GeoPackage file (docs/STORE.md): the layer tables are GeoPackage
/// feature tables with R-tree indexes, so QGIS opens every layer; `works_events`, `revisions`
/// and `households` are attribute tables, and a QGIS user may add rows to `works_events`.
///
/// Every write is one SQLite transaction (`BEGIN IMMEDIATE`, so a second writer waits up to
/// 5 s for the first instead of failing half-way).
///
///     let store = try GeoPackagePlanStore(path: "khojaly.gpkg", creatingWith: .epsg(32638))
///     try store.adopt(request)
public final class GeoPackagePlanStore: PlanStore {
    public let location: String
    /// The CRS every geometry is stored in.
    public let planningCRS: CRS
    private let db: SQLiteDatabase
    private let srsID: Int

    /// Opens the store at `path`. When the file does not exist and `creatingWith` is given, an
    /// empty store in that planning CRS is created; otherwise a missing file is an error.
    public init(path: String, creatingWith crs: CRS? = nil) throws {
        location = path
        if !FileIO.exists(path) {
            let folder = path.contains("/") ? String(path[..<path.lastIndex(of: "/")!]) : "."
            guard folder.isEmpty || FileIO.isFolder(folder) else {
                throw InputError(source: path, "the folder \(folder) does not exist; create it first")
            }
            guard let crs else {
                throw InputError(source: path, "no such plan of record; `siteplan adopt --store \(path)` creates one from the current plan")
            }
            let created = try GeoPackageReader.wrap(path) { try SQLiteDatabase(path: path, mode: .create) }
            do {
                try Self.createSchema(created, crs: crs)
            } catch {
                created.close()
                unlink(path)
                throw error
            }
            created.close()
        }
        let db = try GeoPackageReader.wrap(path) { try SQLiteDatabase(path: path, mode: .readWrite) }
        self.db = db
        try GeoPackageReader.wrap(path) {
            try db.execute("PRAGMA busy_timeout = 5000; PRAGMA foreign_keys = OFF")
            try db.registerEnvelopeFunctions()
        }
        guard (try? db.rows("SELECT count(*) FROM gpkg_contents")) != nil else {
            throw InputError(source: path, "not a GeoPackage (no gpkg_contents table), so not a plan of record")
        }
        guard let meta = try? db.rows("SELECT key, value FROM siteplan_meta") else {
            throw InputError(source: path, "a GeoPackage, but not a siteplan plan of record (no siteplan_meta table)")
        }
        let values = Dictionary(meta.compactMap { row in row[0].text.flatMap { k in row[1].text.map { (k, $0) } } }, uniquingKeysWith: { a, _ in a })
        guard let version = values["schema_version"].flatMap(Int.init) else {
            throw InputError(source: path, "siteplan_meta has no schema_version")
        }
        if version > PlanStoreSchema.version {
            throw InputError(source: path, "written by a newer siteplan (store schema \(version); this build reads up to \(PlanStoreSchema.version)); upgrade siteplan")
        }
        if version < 2 {
            // Schema 1 → 2: the accounts table, in one transaction.
            try GeoPackageReader.wrap(path) {
                try db.transaction {
                    try db.execute(Self.usersTableSQL)
                    try db.run("UPDATE siteplan_meta SET value = ? WHERE key = 'schema_version'", [.text(String(PlanStoreSchema.version))])
                }
            }
        }
        guard let crsText = values["planning_crs"] else {
            throw InputError(source: path, "siteplan_meta has no readable planning_crs")
        }
        let stored = CRS.parse(crsText)
        if let crs, crs != stored {
            throw InputError(source: path, "holds a plan in \(stored), not in the scenario's planning CRS \(crs)")
        }
        planningCRS = stored
        srsID = stored.epsgCode ?? 100_000
    }

    deinit { db.close() }

    // MARK: reads

    public func revisions() throws -> [RevisionInfo] {
        try wrap {
            try db.rows("SELECT number, author, adopted_at, message, scenario, seed, planning_crs, scenario_digest FROM revisions ORDER BY number").map { r in
                RevisionInfo(number: r[0].int ?? 0, author: r[1].text ?? "", adoptedAt: r[2].text ?? "", message: r[3].text ?? "",
                             scenario: r[4].text ?? "", seed: UInt64(r[5].text ?? "") ?? 0, planningCRS: r[6].text.map(CRS.parse) ?? planningCRS, scenarioDigest: r[7].text ?? "")
            }
        }
    }

    public func changeMark() throws -> String {
        // Counts and the highest row ids catch rows added or removed, by siteplan or by QGIS;
        // gpkg_contents.last_change catches siteplan's own writes.
        try wrap {
            let row = try db.rows("""
                SELECT (SELECT count(*) FROM revisions), (SELECT count(*) FROM works_events), (SELECT coalesce(max(fid), 0) FROM works_events),
                       (SELECT coalesce(max(last_change), '') FROM gpkg_contents)
                """).first ?? []
            return row.map { $0.text ?? $0.int.map(String.init) ?? "" }.joined(separator: "/")
        }
    }

    public func layers(revision number: Int) throws -> [Layer] {
        let known = try revisions()
        guard known.contains(where: { $0.number == number }) else {
            let last = known.last?.number
            throw InputError(source: location, "no revision \(number) (\(last.map { "revisions 1 to \($0)" } ?? "no revision adopted yet"))")
        }
        return try RecordLayers.names.map { name in
            let statement = try wrap { try db.prepare("SELECT asset_id, attributes, geom, fid FROM \"\(name)\" WHERE rev_from <= ? AND (rev_to IS NULL OR rev_to > ?) ORDER BY asset_id") }
            try wrap { try statement.bind([.integer(number), .integer(number)]) }
            var features: [Feature] = []
            while try wrap({ try statement.step() }) {
                let fid = statement.value(at: 3).int ?? 0
                let what = "\(name) fid \(fid)"
                let id = statement.value(at: 0).text
                var properties = JSONObject()
                if let text = statement.value(at: 1).text {
                    guard let object = (try? JSONParser.parse(text))?.object else {
                        throw InputError(source: location, "\(what): attributes are not a JSON object")
                    }
                    properties = object
                }
                var geometry: Geometry?
                if case .blob(let bytes) = statement.value(at: 2) {
                    geometry = try GeoPackageBinary.decode(bytes, what: "\(location): \(what)").geometry
                }
                features.append(Feature(id: id, properties: properties, geometry: geometry, index: features.count))
            }
            return Layer(name: name, crs: planningCRS, features: features)
        }
    }

    public func events(assetID: String?) throws -> [WorksEvent] {
        let rows = try wrap {
            if let assetID {
                return try db.rows("SELECT fid, asset_id, status, date, recorded_by, note FROM works_events WHERE asset_id = ? ORDER BY fid", [.text(assetID)])
            }
            return try db.rows("SELECT fid, asset_id, status, date, recorded_by, note FROM works_events ORDER BY fid")
        }
        return try rows.map { r in
            let fid = r[0].int ?? 0
            let origin = "works_events fid \(fid)"
            let id = r[1].text ?? ""
            guard !id.isEmpty else { throw InputError(source: location, "\(origin): empty asset_id") }
            let word = r[2].text ?? ""
            guard let status = WorksStatus(rawValue: word) else {
                throw InputError(source: location, "\(origin) (asset \"\(id)\"): unknown status \"\(word)\" (expected one of \(WorksStatus.wordList))")
            }
            let dateText = r[3].text ?? ""
            guard let date = ISODate(dateText) else {
                throw InputError(source: location, "\(origin) (asset \"\(id)\"): the date \"\(dateText)\" does not parse (expected YYYY-MM-DD)")
            }
            return WorksEvent(assetID: id, status: status, date: date, recordedBy: r[4].text ?? "", note: r[5].text ?? "", origin: origin)
        }
    }

    public func segmentIDsEver() throws -> Set<String> {
        Set(try wrap { try db.rows("SELECT asset_id FROM network UNION SELECT asset_id FROM service_lines") }.compactMap { $0[0].text })
    }

    public func idCounters() throws -> [String: Int] {
        var counters: [String: Int] = [:]
        for r in try wrap({ try db.rows("SELECT prefix, last FROM id_counters") }) {
            if let p = r[0].text, let n = r[1].int { counters[p] = n }
        }
        return counters
    }

    public func households() throws -> [HouseholdRecord] {
        try wrap { try db.rows("SELECT family_id, return_group, size, return_date, building_id, unit FROM households ORDER BY rowid") }.map { r in
            HouseholdRecord(familyID: r[0].text ?? "", group: r[1].text ?? "", size: r[2].int ?? 0, returnDate: r[3].text.flatMap(ISODate.init),
                            buildingID: r[4].text, unit: r[5].int)
        }
    }

    // MARK: writes

    public func adopt(_ request: AdoptRequest) throws {
        let revision = request.revision
        try wrap {
            try db.transaction {
                let last = try db.rows("SELECT number, author, adopted_at FROM revisions ORDER BY number DESC LIMIT 1").first
                let lastNumber = last?[0].int ?? 0
                guard revision.number == lastNumber + 1 else {
                    throw InputError(source: location, "revision \(lastNumber) was adopted meanwhile (by \(last?[1].text ?? "?") at \(last?[2].text ?? "?")), after the proposal was made on revision \(revision.number - 1); plan again on top of it")
                }
                try db.run("INSERT INTO revisions (number, author, adopted_at, message, scenario, seed, planning_crs, scenario_digest) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                           [.integer(revision.number), .text(revision.author), .text(revision.adoptedAt), .text(revision.message),
                            .text(revision.scenario), .text(String(revision.seed)), .text(revision.planningCRS.description), .text(revision.scenarioDigest)])
                for layer in request.layers {
                    guard RecordLayers.names.contains(layer.name) else { throw InputError(source: location, "no layer table \"\(layer.name)\" in a plan of record") }
                    try writeLayer(try layer.projected(to: planningCRS), revision: revision.number)
                }
                for (prefix, last) in request.idCounters.sorted(by: { $0.key < $1.key }) {
                    try db.run("INSERT INTO id_counters (prefix, last) VALUES (?, ?) ON CONFLICT(prefix) DO UPDATE SET last = max(last, excluded.last)",
                               [.text(prefix), .integer(last)])
                }
                try db.run("DELETE FROM households")
                for h in request.households {
                    try db.run("INSERT INTO households (family_id, return_group, size, return_date, building_id, unit) VALUES (?, ?, ?, ?, ?, ?)",
                               [.text(h.familyID), .text(h.group), .integer(h.size), h.returnDate.map { .text($0.description) } ?? .null,
                                h.buildingID.map { .text($0) } ?? .null, h.unit.map { .integer($0) } ?? .null])
                }
                try touch(Array(RecordLayers.names) + ["revisions", "households"], at: revision.adoptedAt)
            }
        }
    }

    public func record(_ events: [WorksEvent]) throws {
        guard !events.isEmpty else { return }
        try wrap {
            try db.transaction {
                let insert = try db.prepare("INSERT INTO works_events (asset_id, status, date, recorded_by, note, recorded_at) VALUES (?, ?, ?, ?, ?, ?)")
                let now = UTCClock.timestamp()
                for e in events {
                    try insert.bind([.text(e.assetID), .text(e.status.rawValue), .text(e.date.description), .text(e.recordedBy), .text(e.note), .text(now)])
                    while try insert.step() {}
                }
                try touch(["works_events"], at: now)
            }
        }
    }

    /// Versions one layer: an unchanged feature (same geometry bytes, same attributes) keeps
    /// its row; a changed or removed one is closed (`rev_to`), a changed or new one inserted.
    private func writeLayer(_ layer: Layer, revision: Int) throws {
        let name = layer.name
        var current: [String: (fid: Int, geom: [UInt8], attributes: String)] = [:]
        for r in try db.rows("SELECT fid, asset_id, geom, attributes FROM \"\(name)\" WHERE rev_to IS NULL") {
            guard let fid = r[0].int, let id = r[1].text else { continue }
            var bytes: [UInt8] = []
            if case .blob(let b) = r[2] { bytes = b }
            current[id] = (fid, bytes, r[3].text ?? "")
        }
        let close = try db.prepare("UPDATE \"\(name)\" SET rev_to = ? WHERE fid = ?")
        let insert = try db.prepare("INSERT INTO \"\(name)\" (geom, asset_id, rev_from, rev_to, role, parcel_id, attributes) VALUES (?, ?, ?, NULL, ?, ?, ?)")
        var seen = Set<String>()
        for feature in layer.features {
            guard let id = feature.id, !id.isEmpty else { throw InputError(source: location, "layer \(name), feature \(feature.index ?? 0): no asset id") }
            guard seen.insert(id).inserted else { throw InputError(source: location, "layer \(name): asset id \"\(id)\" appears twice") }
            let blob = try feature.geometry.map { try GeoPackageBinary.encode($0, srsID: Int32(srsID)) } ?? []
            let attributes = JSONWriter.write(.object(feature.properties))
            if let old = current[id] {
                if old.geom == blob && old.attributes == attributes { continue }
                try close.bind([.integer(revision), .integer(old.fid)])
                while try close.step() {}
            }
            try insert.bind([blob.isEmpty ? .null : .blob(blob), .text(id), .integer(revision),
                             .text(RecordLayers.role(layer: name, properties: feature.properties)),
                             feature.properties["parcel_id"]?.string.map { .text($0) } ?? (name == "parcels" ? .text(id) : .null),
                             .text(attributes)])
            while try insert.step() {}
        }
        for (id, old) in current where !seen.contains(id) {
            try close.bind([.integer(revision), .integer(old.fid)])
            while try close.step() {}
        }
        // The extent in gpkg_contents covers every row, as GDAL expects (and so its view's).
        let e = try db.rows("SELECT min(minx), min(miny), max(maxx), max(maxy) FROM \"rtree_\(name)_geom\"").first ?? []
        if e.count == 4, let minX = e[0].double, let minY = e[1].double, let maxX = e[2].double, let maxY = e[3].double {
            try db.run("UPDATE gpkg_contents SET min_x = ?, min_y = ?, max_x = ?, max_y = ? WHERE table_name IN (?, ?)",
                       [.real(minX), .real(minY), .real(maxX), .real(maxY), .text(name), .text(name + "_status")])
        }
    }

    private func touch(_ tables: [String], at time: String) throws {
        for t in tables { try db.run("UPDATE gpkg_contents SET last_change = ? WHERE table_name = ?", [.text(Self.gpkgTimestamp(time)), .text(t)]) }
    }

    // MARK: schema

    static let geometryTypes: [String: String] = [
        "parcels": "GEOMETRY", "exclusions": "GEOMETRY", "streets": "LINESTRING", "blocks": "POLYGON", "lots": "POLYGON",
        "buildings": "POLYGON", "network": "LINESTRING", "service_lines": "LINESTRING",
    ]

    static let descriptions: [String: String] = [
        "parcels": "the scenario's parcels, per revision", "exclusions": "exclusion zones, per revision",
        "streets": "street centrelines (asset ids)", "blocks": "blocks between streets", "lots": "lots with street frontage",
        "buildings": "building footprints", "network": "trunks and mains of the five utilities", "service_lines": "service lines, one per building and utility",
        "works_events": "the works history: one row per event (asset_id, status, date, recorded_by, note); add rows here",
        "revisions": "adopted revisions: author, date, message, scenario, seed", "households": "returning families and their dwellings",
    ]

    private static func createSchema(_ db: SQLiteDatabase, crs: CRS) throws {
        guard try crs.isProjectedInMetres() else { throw InputError("a plan of record needs a planning CRS in metres, not \(crs)") }
        let writer = GeoPackageWriter(crs: crs, lastChange: "")
        let srs = try writer.targetSRS()
        let now = UTCClock.timestamp()
        try db.execute("PRAGMA application_id = 1196444487; PRAGMA user_version = 10300;")
        try db.transaction {
            try db.execute(GeoPackageWriter.coreSchema)
            try GeoPackageWriter.insertSpatialRefSys(srs, into: db)
            let stamp = gpkgTimestamp(now)
            for name in RecordLayers.names {
                try db.execute("""
                    CREATE TABLE "\(name)" (fid INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL, geom \(geometryTypes[name]!), asset_id TEXT NOT NULL,
                      rev_from INTEGER NOT NULL, rev_to INTEGER, role TEXT, parcel_id TEXT, attributes TEXT);
                    CREATE INDEX "\(name)_asset" ON "\(name)" (asset_id, rev_from);
                    CREATE INDEX "\(name)_current" ON "\(name)" (rev_to);
                    CREATE VIRTUAL TABLE "rtree_\(name)_geom" USING rtree(id, minx, maxx, miny, maxy);
                    """)
                try db.execute(GeoPackageWriter.rtreeTriggers(table: name, column: "geom"))
                try db.run("INSERT INTO gpkg_extensions (table_name, column_name, extension_name, definition, scope) VALUES (?, 'geom', 'gpkg_rtree_index', 'http://www.geopackage.org/spec120/#extension_rtree', 'write-only')",
                           [.text(name)])
                try db.run("INSERT INTO gpkg_contents (table_name, data_type, identifier, description, last_change, srs_id) VALUES (?, 'features', ?, ?, ?, ?)",
                           [.text(name), .text(name), .text(descriptions[name] ?? name), .text(stamp), .integer(srs.id)])
                try db.run("INSERT INTO gpkg_geometry_columns (table_name, column_name, geometry_type_name, srs_id, z, m) VALUES (?, 'geom', ?, ?, 0, 0)",
                           [.text(name), .text(geometryTypes[name]!), .integer(srs.id)])
            }
            try db.execute("""
                CREATE TABLE works_events (fid INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL, asset_id TEXT NOT NULL, status TEXT NOT NULL,
                  date TEXT NOT NULL, recorded_by TEXT DEFAULT '', note TEXT DEFAULT '', recorded_at TEXT);
                CREATE INDEX works_events_asset ON works_events (asset_id, date);
                CREATE TABLE revisions (number INTEGER PRIMARY KEY NOT NULL, author TEXT NOT NULL, adopted_at TEXT NOT NULL, message TEXT NOT NULL,
                  scenario TEXT NOT NULL, seed TEXT NOT NULL, planning_crs TEXT NOT NULL, scenario_digest TEXT NOT NULL DEFAULT '');
                CREATE TABLE households (family_id TEXT PRIMARY KEY NOT NULL, return_group TEXT, size INTEGER NOT NULL, return_date TEXT,
                  building_id TEXT, unit INTEGER);
                CREATE TABLE id_counters (prefix TEXT PRIMARY KEY NOT NULL, last INTEGER NOT NULL);
                CREATE TABLE siteplan_meta (key TEXT PRIMARY KEY NOT NULL, value TEXT NOT NULL);
                """)
            try db.execute(usersTableSQL)
            // The current network and service lines with their latest status, for QGIS to style.
            for table in RecordLayers.statusViews {
                let view = table + "_status"
                try db.execute(RecordLayers.statusViewSQL(table, postgres: false))
                try db.run("INSERT INTO gpkg_contents (table_name, data_type, identifier, description, last_change, srs_id) VALUES (?, 'features', ?, ?, ?, ?)",
                           [.text(view), .text(view), .text("current \(table) with each segment's latest recorded works status (a view)"), .text(stamp), .integer(srs.id)])
                try db.run("INSERT INTO gpkg_geometry_columns (table_name, column_name, geometry_type_name, srs_id, z, m) VALUES (?, 'geom', 'LINESTRING', ?, 0, 0)",
                           [.text(view), .integer(srs.id)])
            }
            for name in ["works_events", "revisions", "households"] {
                try db.run("INSERT INTO gpkg_contents (table_name, data_type, identifier, description, last_change) VALUES (?, 'attributes', ?, ?, ?)",
                           [.text(name), .text(name), .text(descriptions[name] ?? name), .text(stamp)])
            }
            for (k, v) in [("schema_version", String(PlanStoreSchema.version)), ("planning_crs", crs.description), ("created_at", now)] {
                try db.run("INSERT INTO siteplan_meta (key, value) VALUES (?, ?)", [.text(k), .text(v)])
            }
        }
    }

    /// The server's accounts: not registered in gpkg_contents, so GIS clients do not list it.
    static let usersTableSQL = """
        CREATE TABLE users (name TEXT PRIMARY KEY NOT NULL, role TEXT NOT NULL CHECK (role IN ('viewer', 'editor', 'admin')),
          password_hash TEXT NOT NULL, created_at TEXT NOT NULL, created_by TEXT NOT NULL DEFAULT '')
        """

    // MARK: accounts

    public func users() throws -> [UserAccount] {
        try wrap { try db.rows("SELECT name, role, password_hash, created_at, created_by FROM users ORDER BY name") }.map { r in
            let word = r[1].text ?? ""
            guard let role = Role(rawValue: word) else { throw InputError(source: location, "users row \"\(r[0].text ?? "")\": unknown role \"\(word)\" (expected one of \(Role.wordList))") }
            return UserAccount(name: r[0].text ?? "", role: role, passwordHash: r[2].text ?? "", createdAt: r[3].text ?? "", createdBy: r[4].text ?? "")
        }
    }

    public func saveUser(_ user: UserAccount) throws {
        try wrap {
            try db.transaction {
                try db.run("""
                    INSERT INTO users (name, role, password_hash, created_at, created_by) VALUES (?, ?, ?, ?, ?)
                    ON CONFLICT(name) DO UPDATE SET role = excluded.role, password_hash = excluded.password_hash
                    """, [.text(user.name), .text(user.role.rawValue), .text(user.passwordHash), .text(user.createdAt), .text(user.createdBy)])
            }
        }
    }

    public func removeUser(named name: String) throws -> Bool {
        try wrap {
            try db.transaction {
                let had = try db.rows("SELECT count(*) FROM users WHERE name = ?", [.text(name)]).first?[0].int ?? 0
                try db.run("DELETE FROM users WHERE name = ?", [.text(name)])
                return had > 0
            }
        }
    }

    // MARK: helpers

    /// The GeoPackage form of a timestamp (milliseconds).
    static func gpkgTimestamp(_ t: String) -> String { t.hasSuffix("Z") && t.count == 20 ? String(t.dropLast()) + ".000Z" : t }

    private func wrap<T>(_ body: () throws -> T) throws -> T { try GeoPackageReader.wrap(location, body) }

}
