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
final class SQLiteDatabase {
    private(set) var handle: OpaquePointer?
    let path: String

    enum Mode { case readOnly, create }

    /// Opens (or, with `.create`, creates) the database at `path`. Wraps `sqlite3_open_v2`.
    init(path: String, mode: Mode) throws {
        self.path = path
        let flags = mode == .readOnly ? SQLITE_OPEN_READONLY : (SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE)
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

    func close() {
        if let handle { sqlite3_close(handle) }
        handle = nil
    }

    /// Runs SQL without parameters (schema statements, PRAGMAs). Wraps `sqlite3_exec`.
    func execute(_ sql: String) throws {
        var error: UnsafeMutablePointer<CChar>?
        let status = sqlite3_exec(handle, sql, nil, nil, &error)
        if status != SQLITE_OK {
            let message = error.map { String(cString: $0) } ?? String(cString: sqlite3_errmsg(handle))
            sqlite3_free(error)
            throw SQLiteError(operation: "exec \(sql.prefix(80))", code: status, message: message)
        }
    }

    func prepare(_ sql: String) throws -> Statement { try Statement(self, sql) }

    /// Runs `sql` once with `values` bound to its `?` parameters.
    func run(_ sql: String, _ values: [SQLValue] = []) throws {
        let statement = try prepare(sql)
        try statement.bind(values)
        while try statement.step() {}
    }

    /// The rows of a query, every column as an `SQLValue`.
    func rows(_ sql: String, _ values: [SQLValue] = []) throws -> [[SQLValue]] {
        let statement = try prepare(sql)
        try statement.bind(values)
        var rows: [[SQLValue]] = []
        while try statement.step() { rows.append((0..<statement.columnCount).map { statement.value(at: $0) }) }
        return rows
    }

    func error(_ operation: String, _ status: Int32) -> SQLiteError {
        SQLiteError(operation: operation, code: status, message: String(cString: sqlite3_errmsg(handle)))
    }

    /// Table and column names go into SQL text, so they must be plain lower-case identifiers.
    static func checkIdentifier(_ name: String, what: String) throws {
        let ok = !name.isEmpty && name.utf8.count <= 60 && name.unicodeScalars.enumerated().allSatisfy { i, c in
            c == "_" || ("a"..."z").contains(c) || (i > 0 && ("0"..."9").contains(c))
        }
        if !ok { throw InputError("\(what) \"\(name)\" is not a plain name (lower-case letters, digits and _, not starting with a digit)") }
    }

    /// A prepared statement. Wraps `sqlite3_prepare_v2`, `sqlite3_bind_*`, `sqlite3_step`.
    final class Statement {
        private let db: SQLiteDatabase
        private var handle: OpaquePointer?
        let sql: String

        init(_ db: SQLiteDatabase, _ sql: String) throws {
            self.db = db
            self.sql = sql
            let status = sqlite3_prepare_v2(db.handle, sql, -1, &handle, nil)
            if status != SQLITE_OK { throw db.error("prepare \(sql.prefix(80))", status) }
        }

        deinit { sqlite3_finalize(handle) }

        func bind(_ values: [SQLValue]) throws {
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
        func step() throws -> Bool {
            let status = sqlite3_step(handle)
            switch status {
            case SQLITE_ROW: return true
            case SQLITE_DONE: return false
            default: throw db.error("step \(sql.prefix(80))", status)
            }
        }

        var columnCount: Int { Int(sqlite3_column_count(handle)) }

        func columnName(at i: Int) -> String { sqlite3_column_name(handle, Int32(i)).map { String(cString: $0) } ?? "" }

        /// The declared type of a result column (`INTEGER`, `POLYGON`, ...), upper-cased.
        func declaredType(at i: Int) -> String { sqlite3_column_decltype(handle, Int32(i)).map { String(cString: $0).uppercased() } ?? "" }

        func value(at i: Int) -> SQLValue {
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
enum SQLValue: Equatable {
    case null
    case integer(Int)
    case real(Double)
    case text(String)
    case blob([UInt8])

    var int: Int? { if case .integer(let n) = self { n } else { nil } }
    var text: String? { if case .text(let s) = self { s } else { nil } }
    var double: Double? {
        switch self {
        case .integer(let n): Double(n)
        case .real(let x): x
        default: nil
        }
    }
}

/// SQLITE_TRANSIENT: SQLite copies the bound bytes before the call returns.
private let sqliteTransient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)
