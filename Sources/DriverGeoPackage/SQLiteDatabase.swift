import CSQLite
import Foundation
import SiteVocabulary

/// A failure reported by SQLite, with its own message and the statement that caused it.
public struct SQLiteError: Error, CustomStringConvertible, Sendable {
    public let operation: String
    public let code: Int32
    public let message: String

    public var description: String { "SQLite \(operation) failed (\(code)): \(message)" }
}

extension SQLiteError: SiteplanError {
    public var kind: SiteplanErrorKind { .library }
}

/// The few SQLite calls the GeoPackage adapter needs: one connection, prepared statements,
/// bound parameters. Values are always bound, never spliced into SQL; the only identifiers
/// put into SQL text are table and column names that passed `SQLiteDatabase.checkIdentifier`.
package final class SQLiteDatabase {
    private(set) var handle: OpaquePointer?
    package let path: String

    package enum Mode { case readOnly, readWrite, create }

    /// Opens (or, with `.create`, creates) the database at `path`. Wraps `sqlite3_open_v2`.
    package init(path: String, mode: Mode) throws {
        self.path = path
        let flags = switch mode {
        case .readOnly: SQLITE_OPEN_READONLY
        case .readWrite: SQLITE_OPEN_READWRITE
        case .create: SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE
        }
        var db: OpaquePointer?
        let status = sqlite3_open_v2(path, &db, flags, nil)
        handle = db
        if status != SQLITE_OK {
            let message = db.map { String(cString: sqlite3_errmsg($0)) } ?? "out of memory"
            sqlite3_close(db)
            handle = nil
            throw SQLiteError(operation: "open \(path)", code: status, message: message)
        }
    }

    deinit { close() }

    package func close() {
        if let handle { sqlite3_close(handle) }
        handle = nil
    }

    /// Runs SQL without parameters (schema statements, PRAGMAs). Wraps `sqlite3_exec`.
    package func execute(_ sql: String) throws {
        var error: UnsafeMutablePointer<CChar>?
        let status = sqlite3_exec(handle, sql, nil, nil, &error)
        if status != SQLITE_OK {
            let message = error.map { String(cString: $0) } ?? String(cString: sqlite3_errmsg(handle))
            sqlite3_free(error)
            throw SQLiteError(operation: "exec \(sql.prefix(80))", code: status, message: message)
        }
    }

    package func prepare(_ sql: String) throws -> Statement { try Statement(self, sql) }

    /// Runs `sql` once with `values` bound to its `?` parameters.
    package func run(_ sql: String, _ values: [SQLValue] = []) throws {
        let statement = try prepare(sql)
        try statement.bind(values)
        while try statement.step() {}
    }

    /// The rows of a query, every column as an `SQLValue`.
    package func rows(_ sql: String, _ values: [SQLValue] = []) throws -> [[SQLValue]] {
        let statement = try prepare(sql)
        try statement.bind(values)
        var rows: [[SQLValue]] = []
        while try statement.step() { rows.append((0..<statement.columnCount).map { statement.value(at: $0) }) }
        return rows
    }

    package func error(_ operation: String, _ status: Int32) -> SQLiteError {
        SQLiteError(operation: operation, code: status, message: String(cString: sqlite3_errmsg(handle)))
    }

    /// Table and column names go into SQL text, so they must be plain lower-case identifiers.
    package static func checkIdentifier(_ name: String, what: String) throws {
        let ok = !name.isEmpty && name.utf8.count <= 60 && name.unicodeScalars.enumerated().allSatisfy { i, c in
            c == "_" || ("a"..."z").contains(c) || (i > 0 && ("0"..."9").contains(c))
        }
        if !ok { throw InputError("\(what) \"\(name)\" is not a plain name (lower-case letters, digits and _, not starting with a digit)") }
    }

    /// A prepared statement. Wraps `sqlite3_prepare_v2`, `sqlite3_bind_*`, `sqlite3_step`.
    package final class Statement {
        private let db: SQLiteDatabase
        private var handle: OpaquePointer?
        package let sql: String

        init(_ db: SQLiteDatabase, _ sql: String) throws {
            self.db = db
            self.sql = sql
            let status = sqlite3_prepare_v2(db.handle, sql, -1, &handle, nil)
            if status != SQLITE_OK { throw db.error("prepare \(sql.prefix(80))", status) }
        }

        deinit { sqlite3_finalize(handle) }

        package func bind(_ values: [SQLValue]) throws {
            sqlite3_reset(handle)
            sqlite3_clear_bindings(handle)
            for (i, value) in values.enumerated() {
                let index = Int32(i + 1)
                let status: Int32
                switch value {
                case .null: status = sqlite3_bind_null(handle, index)
                case .integer(let n): status = sqlite3_bind_int64(handle, index, Int64(n))
                case .real(let x): status = sqlite3_bind_double(handle, index, x)
                case .text(let s): status = sqlite3_bind_text(handle, index, s, -1, sqliteTransient)
                case .blob(let bytes):
                    status = bytes.withUnsafeBytes { sqlite3_bind_blob(handle, index, $0.baseAddress, Int32($0.count), sqliteTransient) }
                }
                if status != SQLITE_OK { throw db.error("bind parameter \(index) of \(sql.prefix(80))", status) }
            }
        }

        /// Steps once: true when a row is available, false when done.
        package func step() throws -> Bool {
            let status = sqlite3_step(handle)
            switch status {
            case SQLITE_ROW: return true
            case SQLITE_DONE: return false
            default: throw db.error("step \(sql.prefix(80))", status)
            }
        }

        package var columnCount: Int { Int(sqlite3_column_count(handle)) }

        package func columnName(at i: Int) -> String { sqlite3_column_name(handle, Int32(i)).map { String(cString: $0) } ?? "" }

        /// The declared type of a result column (`INTEGER`, `POLYGON`, ...), upper-cased.
        package func declaredType(at i: Int) -> String { sqlite3_column_decltype(handle, Int32(i)).map { String(cString: $0).uppercased() } ?? "" }

        package func value(at i: Int) -> SQLValue {
            let column = Int32(i)
            switch sqlite3_column_type(handle, column) {
            case SQLITE_INTEGER: return .integer(Int(sqlite3_column_int64(handle, column)))
            case SQLITE_FLOAT: return .real(sqlite3_column_double(handle, column))
            case SQLITE_TEXT: return .text(String(cString: sqlite3_column_text(handle, column)))
            case SQLITE_BLOB:
                let count = Int(sqlite3_column_bytes(handle, column))
                guard count > 0, let base = sqlite3_column_blob(handle, column) else { return .blob([]) }
                return .blob(Array(UnsafeRawBufferPointer(start: base, count: count)))
            default: return .null
            }
        }
    }
}

/// A value bound to or read from SQLite.
package enum SQLValue: Equatable {
    case null
    case integer(Int)
    case real(Double)
    case text(String)
    case blob([UInt8])

    package var int: Int? { if case .integer(let n) = self { n } else { nil } }
    package var text: String? { if case .text(let s) = self { s } else { nil } }
    package var double: Double? {
        switch self {
        case .integer(let n): Double(n)
        case .real(let x): x
        default: nil
        }
    }
}

/// SQLITE_TRANSIENT: SQLite copies the bound bytes before the call returns.
private let sqliteTransient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

extension SQLiteDatabase {
    /// Registers the SQL functions the GeoPackage R-tree triggers call (`ST_MinX`, `ST_MaxX`,
    /// `ST_MinY`, `ST_MaxY`, `ST_IsEmpty`), read from the blob's header envelope, so this
    /// connection can write to tables whose index QGIS and GDAL keep with those triggers.
    package func registerEnvelopeFunctions() throws {
        let functions: [(String, Int)] = [("ST_MinX", 0), ("ST_MaxX", 1), ("ST_MinY", 2), ("ST_MaxY", 3), ("ST_IsEmpty", -1)]
        for (name, slot) in functions {
            let status = sqlite3_create_function_v2(handle, name, 1, SQLITE_UTF8 | SQLITE_DETERMINISTIC,
                                                    UnsafeMutableRawPointer(bitPattern: slot + 2), { context, count, values in
                let slot = Int(bitPattern: sqlite3_user_data(context)) - 2
                guard count == 1, let value = values?[0], sqlite3_value_type(value) == SQLITE_BLOB,
                      let base = sqlite3_value_blob(value) else { sqlite3_result_null(context); return }
                let bytes = UnsafeRawBufferPointer(start: base, count: Int(sqlite3_value_bytes(value)))
                guard bytes.count >= 8, bytes[0] == 0x47, bytes[1] == 0x50 else { sqlite3_result_null(context); return }
                let flags = bytes[3]
                let empty = flags & 0b0001_0000 != 0
                if slot < 0 { sqlite3_result_int(context, empty ? 1 : 0); return }
                let kind = (flags >> 1) & 0b111
                guard !empty, kind >= 1, kind <= 4, bytes.count >= 8 + 32 else { sqlite3_result_null(context); return }
                var raw: UInt64 = 0
                for k in 0..<8 { raw |= UInt64(bytes[8 + slot * 8 + k]) << (8 * UInt64(k)) }
                if flags & 1 == 0 { raw = raw.byteSwapped }
                sqlite3_result_double(context, Double(bitPattern: raw))
            }, nil, nil, nil)
            if status != SQLITE_OK { throw error("create function \(name)", status) }
        }
    }

    /// Runs `body` in one transaction (`BEGIN IMMEDIATE`: the write lock is taken first, so two
    /// writers queue instead of failing half-way); rolls back when it throws.
    package func transaction<T>(_ body: () throws -> T) throws -> T {
        try execute("BEGIN IMMEDIATE")
        do {
            let result = try body()
            try execute("COMMIT")
            return result
        } catch {
            try? execute("ROLLBACK")
            throw error
        }
    }
}
