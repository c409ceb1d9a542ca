import CLibPQ
import SiteVocabulary

/// A failure reported by PostgreSQL or libpq, with the library's own message, the SQLSTATE when
/// the server gave one, and the store it happened in (its URL without the password).
public struct PostgreSQLError: Error, CustomStringConvertible, Sendable {
    public let location: String
    public let operation: String
    /// The five-character SQLSTATE (`23505` unique violation, `23P01` exclusion violation);
    /// empty when the failure was on the client side (a lost connection).
    public let sqlState: String
    public let message: String

    public var description: String {
        "\(location): PostgreSQL \(operation) failed\(sqlState.isEmpty ? "" : " (SQLSTATE \(sqlState))"): \(message)"
    }
}

extension PostgreSQLError: SiteplanError {
    /// A refused login or privilege and a lost connection are for the user to fix; anything else
    /// the server refused is a bug or a broken install.
    public var kind: SiteplanErrorKind {
        sqlState.hasPrefix("28") || sqlState.hasPrefix("08") || sqlState == "42501" || sqlState.isEmpty ? .input : .library
    }
}

/// The few libpq calls the PostGIS store needs: one connection, statements with text parameters
/// (values are always parameters, never spliced into SQL; the only things put into SQL text are
/// the store's own table names and integers), plain text results copied out at once, and
/// `COPY ... FROM STDIN (FORMAT binary)`. No C pointer leaves this file.
final class PGConnection {
    private var handle: OpaquePointer?
    /// The URL without its password, for messages.
    let location: String

    /// Connects to `url` (a `postgresql://` URL or `key=value` words). Adds `connect_timeout=5`
    /// when the URL has none, so an unreachable server fails within 5 s. Wraps `PQconnectdb`.
    init(url: String) throws {
        location = PGConnection.redacted(url)
        let conninfo = PGConnection.withConnectTimeout(url)
        let connection = PQconnectdb(conninfo)
        guard let connection else {
            throw InputError("cannot reach the PostGIS store \(location): libpq could not allocate a connection")
        }
        if PQstatus(connection) != CONNECTION_OK {
            let message = PGConnection.oneLine(PQerrorMessage(connection).map { String(cString: $0) } ?? "unknown error")
            PQfinish(connection)
            throw InputError("cannot reach the PostGIS store \(location): \(message)")
        }
        handle = connection
        PQsetNoticeProcessor(connection, siteplan_pg_ignore_notice, nil)
    }

    deinit { if let handle { PQfinish(handle) } }

    /// The rows of a statement, every value as text (nil for NULL), copied out of the result.
    struct Rows {
        var columns: [String]
        var values: [[String?]]
        var count: Int { values.count }
    }

    /// Runs one statement with `parameters` as `$1, $2, ...` (text format; nil is NULL) and
    /// returns its rows in text format (a `bytea` as `\x` and hex digits). Wraps `PQexecParams`.
    @discardableResult
    func query(_ sql: String, _ parameters: [String?] = []) throws -> Rows {
        let handle = try open()
        let result: OpaquePointer? = withCStrings(parameters) { pointers in
            PQexecParams(handle, sql, Int32(parameters.count), nil, pointers, nil, nil, 0)
        }
        defer { PQclear(result) }
        let status = try check(result, sql, expecting: [PGRES_COMMAND_OK, PGRES_TUPLES_OK])
        guard status == PGRES_TUPLES_OK, let result else { return Rows(columns: [], values: []) }
        let rowCount = Int(PQntuples(result)), columnCount = Int(PQnfields(result))
        let columns = (0..<columnCount).map { PQfname(result, Int32($0)).map { String(cString: $0) } ?? "" }
        var values: [[String?]] = []
        values.reserveCapacity(rowCount)
        for row in 0..<rowCount {
            values.append((0..<columnCount).map { column -> String? in
                if PQgetisnull(result, Int32(row), Int32(column)) != 0 { return nil }
                guard let text = PQgetvalue(result, Int32(row), Int32(column)) else { return nil }
                return String(cString: text)
            })
        }
        return Rows(columns: columns, values: values)
    }

    /// The first column of the first row, nil when there is no row or it is NULL.
    func scalar(_ sql: String, _ parameters: [String?] = []) throws -> String? {
        let rows = try query(sql, parameters)
        return rows.values.first?.first ?? nil
    }

    /// Runs `body` in one transaction: `BEGIN`, then `COMMIT`, or `ROLLBACK` when `body` (or
    /// the commit) throws, and the error goes on.
    func transaction<T>(_ begin: String = "BEGIN", _ body: () throws -> T) throws -> T {
        try query(begin)
        do {
            let value = try body()
            try query("COMMIT")
            return value
        } catch {
            _ = try? query("ROLLBACK")
            throw error
        }
    }

    /// `COPY table (columns) FROM STDIN (FORMAT binary)` with the rows of `copy`, sent in
    /// pieces of at most 1 MiB. Wraps `PQputCopyData`, `PQputCopyEnd` and `PQgetResult`.
    func copy(into table: String, columns: [String], _ copy: BinaryCopy) throws {
        let handle = try open()
        let sql = "COPY \(table) (\(columns.joined(separator: ", "))) FROM STDIN (FORMAT binary)"
        let start = PQexec(handle, sql)
        do {
            defer { PQclear(start) }
            _ = try check(start, sql, expecting: [PGRES_COPY_IN])
        }
        let bytes = copy.finished()
        var sent = 0
        var failure: String?
        while sent < bytes.count, failure == nil {
            let piece = min(1 << 20, bytes.count - sent)
            let status = bytes.withUnsafeBufferPointer { buffer in
                buffer.baseAddress.map { base in
                    base.advanced(by: sent).withMemoryRebound(to: CChar.self, capacity: piece) { PQputCopyData(handle, $0, Int32(piece)) }
                } ?? -1
            }
            if status != 1 { failure = lastMessage() }
            sent += piece
        }
        // After a failed PQputCopyData the copy is ended with an error message, so the server
        // aborts the statement; the results below then carry the server's message.
        if PQputCopyEnd(handle, failure) != 1 { failure = failure ?? lastMessage() }
        var serverError: PostgreSQLError?
        while let result = PQgetResult(handle) {
            defer { PQclear(result) }
            if serverError == nil {
                do { _ = try check(result, sql, expecting: [PGRES_COMMAND_OK]) } catch let error as PostgreSQLError { serverError = error }
            }
        }
        if let serverError { throw serverError }
        if let failure { throw PostgreSQLError(location: location, operation: String(sql.prefix(80)), sqlState: "", message: failure) }
    }

    private func open() throws -> OpaquePointer {
        guard let handle else { throw PostgreSQLError(location: location, operation: "use", sqlState: "", message: "the connection is closed") }
        return handle
    }

    /// The status of `result`, or the server's error (message and SQLSTATE) when it is not one
    /// of `expecting`. A nil result is libpq out of memory or a lost connection.
    private func check(_ result: OpaquePointer?, _ sql: String, expecting: [ExecStatusType]) throws -> ExecStatusType {
        let operation = String(sql.split(separator: "\n").joined(separator: " ").prefix(80))
        guard let result else {
            throw PostgreSQLError(location: location, operation: operation, sqlState: "", message: lastMessage())
        }
        let status = PQresultStatus(result)
        if expecting.contains(status) { return status }
        let state = PQresultErrorField(result, siteplan_pg_diag_sqlstate()).map { String(cString: $0) } ?? ""
        var message = PQresultErrorMessage(result).map { String(cString: $0) } ?? ""
        if message.isEmpty { message = PQresStatus(status).map { String(cString: $0) } ?? "unexpected result status" }
        throw PostgreSQLError(location: location, operation: operation, sqlState: state, message: PGConnection.oneLine(message))
    }

    private func lastMessage() -> String {
        let message = handle.flatMap { PQerrorMessage($0) }.map { String(cString: $0) } ?? ""
        return message.isEmpty ? "unknown libpq error" : PGConnection.oneLine(message)
    }

    /// libpq's messages end in a newline and put hints on tab-indented lines: one line of text.
    static func oneLine(_ message: String) -> String {
        message.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }.joined(separator: " ")
    }

    /// `url` with its password removed: the user part of a `postgresql://user:password@host`
    /// URL keeps only the user, and a `password=` parameter (URL query or key=value word) goes.
    static func redacted(_ url: String) -> String {
        for scheme in ["postgresql://", "postgres://"] where url.hasPrefix(scheme) {
            var rest = Substring(url.dropFirst(scheme.count))
            var query: Substring = ""
            if let q = rest.firstIndex(of: "?") {
                query = rest[q...]
                rest = rest[..<q]
            }
            let authorityEnd = rest.firstIndex(of: "/") ?? rest.endIndex
            var authority = rest[..<authorityEnd]
            let path = rest[authorityEnd...]
            if let at = authority.lastIndex(of: "@") {
                let user = authority[..<at]
                let host = authority[authority.index(after: at)...]
                authority = (user.firstIndex(of: ":").map { user[..<$0] } ?? user) + "@" + host
            }
            if !query.isEmpty {
                let kept = query.dropFirst().split(separator: "&").filter { !$0.lowercased().hasPrefix("password=") }
                query = kept.isEmpty ? "" : Substring("?" + kept.joined(separator: "&"))
            }
            return scheme + authority + path + query
        }
        // key=value words: drop password=..., quoted ('...' with \' escapes) or not.
        var out = ""
        var i = url.startIndex
        while i < url.endIndex {
            let rest = url[i...]
            let atWordStart = i == url.startIndex || url[url.index(before: i)].isWhitespace
            if atWordStart, rest.lowercased().hasPrefix("password") {
                var j = rest.index(rest.startIndex, offsetBy: 8)
                while j < url.endIndex, url[j] == " " { j = url.index(after: j) }
                if j < url.endIndex, url[j] == "=" {
                    j = url.index(after: j)
                    while j < url.endIndex, url[j] == " " { j = url.index(after: j) }
                    if j < url.endIndex, url[j] == "'" {
                        j = url.index(after: j)
                        while j < url.endIndex, url[j] != "'" {
                            if url[j] == "\\" { j = url.index(after: j); if j == url.endIndex { break } }
                            j = url.index(after: j)
                        }
                        if j < url.endIndex { j = url.index(after: j) }
                    } else {
                        while j < url.endIndex, !url[j].isWhitespace { j = url.index(after: j) }
                    }
                    i = j
                    continue
                }
            }
            out.append(url[i])
            i = url.index(after: i)
        }
        return out.split(separator: " ").joined(separator: " ")
    }

    /// `url` with `connect_timeout=5` added when it sets none.
    static func withConnectTimeout(_ url: String) -> String {
        if url.lowercased().contains("connect_timeout") { return url }
        if url.hasPrefix("postgresql://") || url.hasPrefix("postgres://") {
            return url + (url.contains("?") ? "&" : "?") + "connect_timeout=5"
        }
        return url + " connect_timeout=5"
    }
}

/// Calls `body` with C strings for `strings` (nil stays a null pointer), valid during the call.
private func withCStrings<R>(_ strings: [String?], _ body: ([UnsafePointer<CChar>?]) -> R) -> R {
    var buffers: [UnsafeMutablePointer<CChar>?] = strings.map { $0.map { text in
        let bytes = Array(text.utf8CString)
        let copy = UnsafeMutablePointer<CChar>.allocate(capacity: bytes.count)
        copy.initialize(from: bytes, count: bytes.count)
        return copy
    } }
    defer { for buffer in buffers { buffer?.deallocate() }; buffers.removeAll() }
    return body(buffers.map { $0.map { UnsafePointer($0) } })
}

/// The bytes of a `COPY ... (FORMAT binary)`: the PGCOPY header, then per row its field count
/// and each field as a big-endian length (-1 for NULL) and big-endian value, then the trailer.
struct BinaryCopy {
    private var bytes: [UInt8] = Array("PGCOPY\n".utf8) + [0xFF, 0x0D, 0x0A, 0x00] + [0, 0, 0, 0] + [0, 0, 0, 0]
    private(set) var rows = 0

    mutating func row(fields: Int) {
        append(Int16(fields))
        rows += 1
    }

    mutating func text(_ value: String?) {
        guard let value else { return null() }
        let utf8 = Array(value.utf8)
        append(Int32(utf8.count))
        bytes += utf8
    }

    mutating func bytea(_ value: [UInt8]?) {
        guard let value else { return null() }
        append(Int32(value.count))
        bytes += value
    }

    /// An `integer` (int4) column.
    mutating func int4(_ value: Int?) throws {
        guard let value else { return null() }
        guard let small = Int32(exactly: value) else { throw InputError("\(value) does not fit an integer column") }
        append(Int32(4))
        append(small)
    }

    mutating func null() { append(Int32(-1)) }

    /// The bytes with the trailer (a field count of -1).
    func finished() -> [UInt8] {
        var copy = self
        copy.append(Int16(-1))
        return copy.bytes
    }

    private mutating func append<T: FixedWidthInteger>(_ value: T) {
        withUnsafeBytes(of: value.bigEndian) { bytes += $0 }
    }
}
