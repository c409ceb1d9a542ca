import DriverGeoJSON
import SiteDrivers
import SiteGeometry
import SitePlanning
import SiteProjection
import SiteVocabulary

/// The plan of record in a PostGIS database (docs/STORE.md): the same tables as the GeoPackage
/// store, geometries as `geometry(Geometry, <EPSG>)` with GiST indexes, migrations recorded in
/// `schema_migrations`, and `works_periods` guarding the works history with an exclusion
/// constraint (btree_gist).
///
/// One connection per store object, closed when it goes. Every write is one transaction. Bulk
/// writes (layer rows, events, households) go through `COPY ... FROM STDIN (FORMAT binary)`;
/// geometries are copied as WKB into a temporary `bytea` staging table and inserted with
/// `ST_SetSRID(ST_GeomFromWKB(...))`. Reads use plain text results; a geometry is read as
/// `ST_AsBinary(geom)` (little-endian ISO WKB, which `bytea` text output gives as `\x` and hex).
///
/// `layers(revision:)` returns each layer's features ordered by asset id, byte by byte
/// (`COLLATE "C"`, as SQLite's BINARY collation orders them in the GeoPackage store).
public final class PostGISPlanStore: PlanStore {
    public let location: String
    /// The store's planning CRS: every geometry is stored in it (its EPSG code is the SRID).
    public let planningCRS: CRS
    let srid: Int
    let connection: PGConnection

    /// Opens the store at `url` (`postgresql://user@host:port/db`), creating its tables in an
    /// empty database (which needs `planningCRS`) and migrating an older schema forward. The
    /// store's own `siteplan_meta.planning_crs` wins; a different `planningCRS` is refused, and
    /// so is a schema newer than this build's (`PlanStoreSchema.version`).
    public init(url: String, planningCRS: CRS? = nil) throws {
        connection = try PGConnection(url: url)
        location = connection.location
        (self.planningCRS, srid) = try PostGISPlanStore.openSchema(connection, asked: planningCRS)
    }

    private static func openSchema(_ db: PGConnection, asked: CRS?) throws -> (CRS, Int) {
        let location = db.location
        return try db.transaction { () throws -> (CRS, Int) in
            try db.query("SELECT pg_advisory_xact_lock($1::bigint)", [String(PostGISSchema.migrationLock)])
            var version = 0
            let crs: CRS
            if try db.scalar("SELECT to_regclass('siteplan_meta') IS NOT NULL") == "t" {
                var meta: [String: String] = [:]
                for row in try db.query("SELECT key, value FROM siteplan_meta").values {
                    if let key = row[0], let value = row[1] { meta[key] = value }
                }
                guard let text = meta["schema_version"], let stored = Int(text) else {
                    throw InputError(source: location, "siteplan_meta has no schema_version: not a siteplan store, or a damaged one")
                }
                if stored > PlanStoreSchema.version {
                    throw InputError(source: location, "the store's schema is version \(stored), newer than this siteplan's (\(PlanStoreSchema.version)); use a newer siteplan")
                }
                guard let crsText = meta["planning_crs"] else { throw InputError(source: location, "siteplan_meta has no planning_crs") }
                crs = CRS.parse(crsText)
                if let asked, asked != crs {
                    throw InputError(source: location, "the store's planning CRS is \(crs), not \(asked); plan in \(crs) or use another store")
                }
                version = stored
            } else {
                guard let asked else {
                    throw InputError(source: location, "the database has no plan of record yet; the planning CRS is needed to create one")
                }
                crs = asked
            }
            guard let srid = crs.epsgCode else {
                throw InputError(source: location, "the planning CRS \(crs) has no EPSG code, which a PostGIS store needs as its SRID")
            }
            for migration in PostGISSchema.migrations where migration.version > version {
                for statement in migration.statements(srid) { try db.query(statement) }
                try db.query("INSERT INTO schema_migrations (version, applied_at) VALUES ($1, now())", [String(migration.version)])
                if migration.version == 1 {
                    try db.query("INSERT INTO siteplan_meta (key, value) VALUES ('planning_crs', $1), ('created_at', \(utcNow))", [crs.description])
                }
                try db.query("""
                    INSERT INTO siteplan_meta (key, value) VALUES ('schema_version', $1)
                    ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value
                    """, [String(migration.version)])
            }
            return (crs, srid)
        }
    }

    /// The server's clock as `2026-12-03T09:15:00Z`, in SQL.
    static let utcNow = "to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"')"

    // MARK: reads

    public func revisions() throws -> [RevisionInfo] {
        try connection.query("SELECT number, author, adopted_at, message, scenario, seed, planning_crs, scenario_digest FROM revisions ORDER BY number").values.map { row in
            guard let numberText = row[0], let number = Int(numberText) else { throw InputError(source: location, "revisions: a row has no number") }
            guard let seedText = row[5], let seed = UInt64(seedText) else {
                throw InputError(source: location, "revisions: revision \(number): the seed \"\(row[5] ?? "")\" is not a whole number")
            }
            return RevisionInfo(number: number, author: row[1] ?? "", adoptedAt: row[2] ?? "", message: row[3] ?? "", scenario: row[4] ?? "",
                                seed: seed, planningCRS: row[6].map(CRS.parse) ?? planningCRS, scenarioDigest: row[7] ?? "")
        }
    }

    public func layers(revision number: Int) throws -> [Layer] {
        try connection.transaction("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY") {
            let latest = try connection.scalar("SELECT max(number) FROM revisions").flatMap { Int($0) }
            if try connection.scalar("SELECT 1 FROM revisions WHERE number = $1", [String(number)]) == nil {
                throw InputError(source: location, "there is no revision \(number) (\(latest.map { "the latest is \($0)" } ?? "no revision was adopted yet"))")
            }
            return try PostGISSchema.layerTables.map { table in
                let rows = try connection.query("""
                    SELECT fid, asset_id, ST_AsBinary(geom), attributes FROM \(table)
                    WHERE rev_from <= $1 AND (rev_to IS NULL OR rev_to > $1) ORDER BY asset_id COLLATE "C"
                    """, [String(number)])
                let features = try rows.values.enumerated().map { index, row in try feature(row, table: table, index: index) }
                return Layer(name: table, crs: planningCRS, features: features)
            }
        }
    }

    /// One row of `SELECT fid, asset_id, ST_AsBinary(geom), attributes` as a feature.
    private func feature(_ row: [String?], table: String, index: Int) throws -> Feature {
        let fid = row[0] ?? "?"
        let what = "\(table) fid \(fid)\(row[1].map { " (asset \"\($0)\")" } ?? "")"
        let geometry = try row[2].map { hex in
            guard let wkb = PostGISPlanStore.bytes(hex) else {
                throw InputError(source: location, "\(what): the geometry is not bytea hex")
            }
            return try Geometry(wkb: wkb)
        }
        var properties = JSONObject()
        if let text = row[3] {
            do {
                guard case .object(let object) = try JSONParser.parse(text) else {
                    throw InputError(source: location, "\(what): attributes is not a JSON object")
                }
                properties = object
            } catch let error as JSONSyntaxError {
                throw InputError(source: location, "\(what): attributes is not JSON: \(error)")
            }
        }
        return Feature(id: row[1], properties: properties, geometry: geometry, index: index)
    }

    /// Reads the layer through a server-side cursor (`DECLARE … NO SCROLL CURSOR`, `FETCH
    /// FORWARD batchSize`) in one read-only repeatable-read transaction: the client holds one
    /// batch of rows at a time, whatever the size of the layer.
    public func features(of name: String, revision number: Int, batchSize: Int, _ body: ([Feature]) throws -> Void) throws {
        guard let table = PostGISSchema.layerTables.first(where: { $0 == name }) else {
            throw InputError(source: location, "no layer \"\(name)\" in a plan of record (\(RecordLayers.names.joined(separator: ", ")))")
        }
        try connection.transaction("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY") { () throws -> Void in
            if try connection.scalar("SELECT 1 FROM revisions WHERE number = $1", [String(number)]) == nil {
                let latest = try connection.scalar("SELECT max(number) FROM revisions").flatMap { Int($0) }
                throw InputError(source: location, "there is no revision \(number) (\(latest.map { "the latest is \($0)" } ?? "no revision was adopted yet"))")
            }
            // The table name is one of the store's own; the revision is an integer.
            try connection.query("""
                DECLARE siteplan_layer NO SCROLL CURSOR FOR
                SELECT fid, asset_id, ST_AsBinary(geom), attributes FROM \(table)
                WHERE rev_from <= \(number) AND (rev_to IS NULL OR rev_to > \(number)) ORDER BY asset_id COLLATE "C"
                """)
            var index = 0
            while true {
                let rows = try connection.query("FETCH FORWARD \(max(1, batchSize)) FROM siteplan_layer")
                if rows.values.isEmpty { break }
                var batch: [Feature] = []
                batch.reserveCapacity(rows.count)
                for row in rows.values {
                    batch.append(try feature(row, table: table, index: index))
                    index += 1
                }
                try body(batch)
            }
            try connection.query("CLOSE siteplan_layer")
        }
    }

    public func changeMark() throws -> String {
        // xmin of the rows changes with every insert or update, whoever made it.
        try connection.scalar("""
            SELECT (SELECT count(*) FROM revisions) || '/' || (SELECT count(*) FROM works_events) || '/' ||
                   (SELECT coalesce(max(fid), 0) FROM works_events) || '/' ||
                   (SELECT coalesce(sum(xmin::text::bigint), 0) FROM works_events)
            """) ?? ""
    }

    public func users() throws -> [UserAccount] {
        try connection.query("SELECT name, role, password_hash, created_at, created_by FROM users ORDER BY name").values.map { row in
            let word = row[1] ?? ""
            guard let role = Role(rawValue: word) else { throw InputError(source: location, "users row \"\(row[0] ?? "")\": unknown role \"\(word)\" (expected one of \(Role.wordList))") }
            return UserAccount(name: row[0] ?? "", role: role, passwordHash: row[2] ?? "", createdAt: row[3] ?? "", createdBy: row[4] ?? "")
        }
    }

    public func saveUser(_ user: UserAccount) throws {
        try connection.transaction {
            try connection.query("""
                INSERT INTO users (name, role, password_hash, created_at, created_by) VALUES ($1, $2, $3, $4, $5)
                ON CONFLICT (name) DO UPDATE SET role = excluded.role, password_hash = excluded.password_hash
                """, [user.name, user.role.rawValue, user.passwordHash, user.createdAt, user.createdBy])
        }
    }

    public func removeUser(named name: String) throws -> Bool {
        try connection.transaction {
            try connection.query("DELETE FROM users WHERE name = $1 RETURNING name", [name]).values.count > 0
        }
    }

    public func events(assetID: String?) throws -> [WorksEvent] {
        let columns = "SELECT fid, asset_id, status, date, recorded_by, note FROM works_events"
        let rows = try assetID.map { try connection.query("\(columns) WHERE asset_id = $1 ORDER BY fid", [$0]) }
            ?? connection.query("\(columns) ORDER BY fid")
        return try rows.values.map { row in
            let fid = row[0] ?? "?"
            let (status, date) = try checked(fid: fid, status: row[2], date: row[3])
            return WorksEvent(assetID: row[1] ?? "", status: status, date: date, recordedBy: row[4] ?? "", note: row[5] ?? "",
                              origin: "works_events fid \(fid)")
        }
    }

    /// The status and date of works_events row `fid` (a QGIS user may have typed them), or an
    /// error naming the store and the row.
    private func checked(fid: String, status: String?, date: String?) throws -> (WorksStatus, ISODate) {
        guard let works = WorksStatus(rawValue: status ?? "") else {
            throw InputError(source: location, "works_events fid \(fid): unknown status \"\(status ?? "")\" (\(WorksStatus.wordList))")
        }
        guard let day = ISODate(date ?? "") else {
            throw InputError(source: location, "works_events fid \(fid): the date \"\(date ?? "")\" is not a YYYY-MM-DD date")
        }
        return (works, day)
    }

    public func segmentIDsEver() throws -> Set<String> {
        Set(try connection.query("SELECT asset_id FROM network UNION SELECT asset_id FROM service_lines").values.compactMap { $0[0] })
    }

    public func idCounters() throws -> [String: Int] {
        var counters: [String: Int] = [:]
        for row in try connection.query("SELECT prefix, last FROM id_counters").values {
            guard let prefix = row[0], let last = row[1].flatMap({ Int($0) }) else { continue }
            counters[prefix] = last
        }
        return counters
    }

    public func households() throws -> [HouseholdRecord] {
        try connection.query("""
            SELECT family_id, return_group, size, return_date, building_id, unit FROM households ORDER BY family_id COLLATE "C"
            """).values.map { row in
            let family = row[0] ?? ""
            let returnDate = try row[3].map { text in
                guard let date = ISODate(text) else {
                    throw InputError(source: location, "households: family \(family): the return date \"\(text)\" is not a YYYY-MM-DD date")
                }
                return date
            }
            return HouseholdRecord(familyID: family, group: row[1] ?? "", size: row[2].flatMap { Int($0) } ?? 0, returnDate: returnDate,
                                   buildingID: row[4], unit: row[5].flatMap { Int($0) })
        }
    }

    // MARK: writes

    public func adopt(_ request: AdoptRequest) throws {
        let revision = request.revision
        try connection.transaction {
            // Adopters queue here (readers do not); the latest revision is read after the lock,
            // so it is the one committed by whoever adopted meanwhile.
            try connection.query("LOCK TABLE revisions IN EXCLUSIVE MODE")
            let latest = try connection.scalar("SELECT max(number) FROM revisions").flatMap { Int($0) } ?? 0
            if revision.number != latest + 1 {
                if revision.number >= 1, revision.number <= latest { throw try conflict(revision.number) }
                throw InputError(source: location, "cannot adopt revision \(revision.number): the next revision is \(latest + 1)")
            }
            if revision.planningCRS != planningCRS {
                throw InputError(source: location, "revision \(revision.number) is in \(revision.planningCRS), the store in \(planningCRS)")
            }
            do {
                try connection.query("""
                    INSERT INTO revisions (number, author, adopted_at, message, scenario, seed, planning_crs, scenario_digest)
                    VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
                    """, [String(revision.number), revision.author, revision.adoptedAt, revision.message, revision.scenario,
                          String(revision.seed), revision.planningCRS.description, revision.scenarioDigest])
            } catch let error as PostgreSQLError where error.sqlState == "23505" {
                // Not expected under the table lock; the aborted transaction cannot say by whom.
                throw InputError(source: location, "revision \(revision.number) was adopted meanwhile; plan again on top of it")
            }

            var seen = Set<String>()
            for layer in request.layers {
                guard PostGISSchema.layerTables.contains(layer.name) else {
                    throw InputError(source: location, "adopt: \"\(layer.name)\" is not a layer of the plan of record (\(RecordLayers.names.joined(separator: ", ")))")
                }
                guard seen.insert(layer.name).inserted else { throw InputError(source: location, "adopt: the layer \(layer.name) is given twice") }
            }
            // A layer not given has no features in this revision.
            let byName = Dictionary(uniqueKeysWithValues: request.layers.map { ($0.name, $0) })
            for table in PostGISSchema.layerTables {
                try write(byName[table] ?? Layer(name: table, crs: planningCRS, features: []), revision: revision.number)
            }

            for (prefix, last) in request.idCounters.sorted(by: { $0.key < $1.key }) {
                try connection.query("""
                    INSERT INTO id_counters (prefix, last) VALUES ($1, $2)
                    ON CONFLICT (prefix) DO UPDATE SET last = GREATEST(id_counters.last, EXCLUDED.last)
                    """, [prefix, String(last)])
            }

            try connection.query("DELETE FROM households")
            if !request.households.isEmpty {
                var copy = BinaryCopy()
                for household in request.households {
                    copy.row(fields: 6)
                    copy.text(household.familyID)
                    copy.text(household.group)
                    try copy.int4(household.size)
                    copy.text(household.returnDate?.description)
                    copy.text(household.buildingID)
                    try copy.int4(household.unit)
                }
                try connection.copy(into: "households", columns: ["family_id", "return_group", "size", "return_date", "building_id", "unit"], copy)
            }
        }
    }

    /// The error for adopting `number` when someone else adopted it meanwhile.
    private func conflict(_ number: Int) throws -> InputError {
        let row = try connection.query("SELECT author, adopted_at FROM revisions WHERE number = $1", [String(number)]).values.first
        let author = row?[0] ?? "someone"
        let when = row?[1].map { " at \($0)" } ?? ""
        return InputError(source: location, "revision \(number) was adopted meanwhile by \(author)\(when); plan again on top of it")
    }

    /// Writes one layer of revision `number`: a feature whose geometry (WKB bytes) and attributes
    /// (JSON text) equal its current row's keeps that row; a changed or removed one gets
    /// `rev_to = number` on its row, and a new or changed one a new row from `number` on.
    private func write(_ layer: Layer, revision number: Int) throws {
        let table = layer.name
        if layer.crs != planningCRS {
            throw InputError(source: location, "adopt: the layer \(table) is in \(layer.crs), not in the store's planning CRS \(planningCRS)")
        }
        struct Row { let wkb: [UInt8]?; let attributes: String; let role: String; let parcelID: String? }
        var rows: [(id: String, row: Row)] = []
        var ids = Set<String>()
        for (k, feature) in layer.features.enumerated() {
            guard let id = feature.id, !id.isEmpty else {
                throw InputError(source: location, feature: FeatureRef(index: feature.index ?? k, id: nil), "adopt: the \(table) feature has no asset id")
            }
            guard ids.insert(id).inserted else {
                throw InputError(source: location, feature: feature.ref, "adopt: the asset id \(id) is used twice in \(table)")
            }
            rows.append((id, Row(wkb: try feature.geometry?.wkb(), attributes: JSONWriter.write(.object(feature.properties)),
                                 role: RecordLayers.role(layer: table, properties: feature.properties), parcelID: feature.properties["parcel_id"]?.string)))
        }

        var current: [String: (fid: String, wkb: [UInt8]?, attributes: String?)] = [:]
        for row in try connection.query("SELECT fid, asset_id, ST_AsBinary(geom), attributes FROM \(table) WHERE rev_to IS NULL").values {
            guard let fid = row[0], let id = row[1] else { continue }
            current[id] = (fid, row[2].flatMap(PostGISPlanStore.bytes), row[3])
        }
        var closed: [String] = []
        var inserted: [(id: String, row: Row)] = []
        for (id, row) in rows {
            if let old = current.removeValue(forKey: id) {
                if old.wkb == row.wkb, old.attributes == row.attributes { continue }
                closed.append(old.fid)
            }
            inserted.append((id, row))
        }
        closed += current.values.map(\.fid)

        if !closed.isEmpty {
            try connection.query("UPDATE \(table) SET rev_to = $1 WHERE fid = ANY($2::integer[])",
                                 [String(number), "{" + closed.joined(separator: ",") + "}"])
        }
        guard !inserted.isEmpty else { return }
        try connection.query("""
            CREATE TEMP TABLE IF NOT EXISTS siteplan_layer_stage (ord INTEGER, geom BYTEA, asset_id TEXT, role TEXT, parcel_id TEXT,
                                                                  attributes TEXT) ON COMMIT DELETE ROWS
            """)
        try connection.query("TRUNCATE siteplan_layer_stage")
        var copy = BinaryCopy()
        for (k, (id, row)) in inserted.enumerated() {
            copy.row(fields: 6)
            try copy.int4(k)
            copy.bytea(row.wkb)
            copy.text(id)
            copy.text(row.role)
            copy.text(row.parcelID)
            copy.text(row.attributes)
        }
        try connection.copy(into: "siteplan_layer_stage", columns: ["ord", "geom", "asset_id", "role", "parcel_id", "attributes"], copy)
        try connection.query("""
            INSERT INTO \(table) (geom, asset_id, rev_from, role, parcel_id, attributes)
            SELECT ST_SetSRID(ST_GeomFromWKB(geom), $2::integer), asset_id, $1::integer, role, parcel_id, attributes
            FROM siteplan_layer_stage ORDER BY ord
            """, [String(number), String(srid)])
    }

    public func record(_ events: [WorksEvent]) throws {
        guard !events.isEmpty else { return }
        try connection.transaction {
            let recordedAt = try connection.scalar("SELECT \(PostGISPlanStore.utcNow)")
            var copy = BinaryCopy()
            for event in events {
                copy.row(fields: 6)
                copy.text(event.assetID)
                copy.text(event.status.rawValue)
                copy.text(event.date.description)
                copy.text(event.recordedBy)
                copy.text(event.note)
                copy.text(recordedAt)
            }
            try connection.copy(into: "works_events", columns: ["asset_id", "status", "date", "recorded_by", "note", "recorded_at"], copy)

            // The periods of the touched assets, from their whole history: one per day with an
            // event (the day's last event by fid), from that day to the next one, the last
            // unbounded. The exclusion constraint refuses any overlap.
            let assets = PostGISPlanStore.textArray(Set(events.map(\.assetID)).sorted())
            // The touched assets' whole history is read into periods: a row of it that a QGIS
            // user typed wrong is named here, not left to a failed date cast.
            for row in try connection.query("SELECT fid, status, date FROM works_events WHERE asset_id = ANY($1::text[]) ORDER BY fid", [assets]).values {
                _ = try checked(fid: row[0] ?? "?", status: row[1], date: row[2])
            }
            try connection.query("DELETE FROM works_periods WHERE asset_id = ANY($1::text[])", [assets])
            try connection.query("""
                INSERT INTO works_periods (asset_id, status, valid)
                SELECT asset_id, status, daterange(day, lead(day) OVER (PARTITION BY asset_id ORDER BY day), '[)')
                FROM (SELECT DISTINCT ON (asset_id, date) asset_id, status, date::date AS day
                      FROM works_events WHERE asset_id = ANY($1::text[]) ORDER BY asset_id, date, fid DESC) AS days
                """, [assets])
        }
    }

    // MARK: text forms

    /// The bytes of a `bytea` in text output (`\x` and hex digits); nil for other text.
    static func bytes(_ text: String) -> [UInt8]? {
        let utf8 = Array(text.utf8)
        guard utf8.count >= 2, utf8[0] == UInt8(ascii: "\\"), utf8[1] == UInt8(ascii: "x"), utf8.count % 2 == 0 else { return nil }
        func nibble(_ c: UInt8) -> UInt8? {
            switch c {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): c - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): c - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): c - UInt8(ascii: "A") + 10
            default: nil
            }
        }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(utf8.count / 2 - 1)
        var i = 2
        while i < utf8.count {
            guard let high = nibble(utf8[i]), let low = nibble(utf8[i + 1]) else { return nil }
            bytes.append(high << 4 | low)
            i += 2
        }
        return bytes
    }

    /// A PostgreSQL array literal of texts (`{"a","b \"c\""}`), for one `$n::text[]` parameter.
    static func textArray(_ values: [String]) -> String {
        "{" + values.map { value in
            var quoted = "\""
            for c in value.unicodeScalars {
                if c == "\"" || c == "\\" { quoted.unicodeScalars.append("\\") }
                quoted.unicodeScalars.append(c)
            }
            return quoted + "\""
        }.joined(separator: ",") + "}"
    }
}
