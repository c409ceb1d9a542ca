import SiteDrivers
import SiteVocabulary

/// A small RFC 4180 CSV reader: a header row, then records; fields may be quoted. Reports
/// problems with the file and line number.
public struct CSVTable: Sendable {
    public let source: String
    public let header: [String]
    /// Records with their 1-based line numbers.
    public let records: [(line: Int, fields: [String: String])]

    /// Reads the CSV file at `path` (named in messages as given).
    public init(path: String, required: [String]) throws {
        try self.init(bytes: try FileIO.readBytes(path), source: path, required: required)
    }

    /// Reads CSV `bytes`; `source` names them in messages (a path, or "khojaly (embedded)/status.csv").
    public init(bytes: [UInt8], source path: String, required: [String]) throws {
        // A spreadsheet's UTF-8 byte-order mark is not part of the first column's name.
        let bytes = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? Array(bytes.dropFirst(3)) : bytes
        guard let text = String(validating: bytes, as: UTF8.self) else { throw Self.notUTF8(bytes, source: path) }
        source = path
        var rows: [(Int, [String])] = []
        var field = "", row: [String] = [], inQuotes = false, line = 1, rowLine = 1
        var chars = text.makeIterator()
        var pending: Character? = nil
        func endRow() {
            row.append(field); field = ""
            if !(row.count == 1 && row[0].isEmpty) { rows.append((rowLine, row)) }
            row = []
        }
        while let c = pending ?? chars.next() {
            pending = nil
            if inQuotes {
                if c == "\"" {
                    if let next = chars.next() {
                        if next == "\"" { field.append("\"") } else { inQuotes = false; pending = next }
                    } else { inQuotes = false }
                } else {
                    if c == "\n" { line += 1 }
                    field.append(c)
                }
            } else {
                switch c {
                case "\"": inQuotes = true
                case ",": row.append(field); field = ""
                case "\n", "\r\n": endRow(); line += 1; rowLine = line
                case "\r": break
                default: field.append(c)
                }
            }
        }
        if inQuotes { throw InputError(source: path, "line \(rowLine): unterminated quoted field") }
        if !field.isEmpty || !row.isEmpty { endRow() }
        guard let first = rows.first else { throw InputError(source: path, "is empty: a header line is needed (\(required.joined(separator: ",")))") }
        header = first.1.map { $0.trimmingCharacters(in: .whitespaces) }
        if header.count == 1, header[0].contains(";") {
            throw InputError(source: path, "line 1: the columns are separated by semicolons; siteplan reads comma-separated CSV (RFC 4180): save the file as \"CSV UTF-8 (comma delimited)\"")
        }
        for column in required where !header.contains(column) {
            throw InputError(source: path, "line 1: the header has no \"\(column)\" column (expected \(required.joined(separator: ",")))")
        }
        var records: [(Int, [String: String])] = []
        for (n, fields) in rows.dropFirst() {
            guard fields.count == header.count else {
                throw InputError(source: path, "line \(n): \(fields.count) fields, the header has \(header.count)")
            }
            records.append((n, Dictionary(uniqueKeysWithValues: zip(header, fields.map { $0.trimmingCharacters(in: .whitespaces) }))))
        }
        self.records = records
    }
}

extension CSVTable {
    /// Names the first line holding bytes that are not UTF-8 (typically a file a spreadsheet
    /// saved as Windows-1252 or Latin-1), with the byte and its column.
    static func notUTF8(_ bytes: [UInt8], source: String) -> InputError {
        guard let offset = firstNonUTF8Byte(bytes) else { return InputError(source: source, "is not UTF-8 text; save the file as UTF-8") }
        let before = bytes[..<offset]
        let line = before.count(where: { $0 == UInt8(ascii: "\n") }) + 1
        let column = offset - (before.lastIndex(of: UInt8(ascii: "\n")).map { $0 + 1 } ?? 0) + 1
        let byte = String(bytes[offset], radix: 16, uppercase: true)
        return InputError(source: source, "line \(line): byte 0x\(byte) at column \(column) is not UTF-8 text; save the file as UTF-8")
    }

    /// The offset of the first byte that does not begin a valid UTF-8 sequence.
    static func firstNonUTF8Byte(_ bytes: [UInt8]) -> Int? {
        var i = 0
        while i < bytes.count {
            let length: Int
            switch bytes[i] {
            case 0x00...0x7F: length = 1
            case 0xC2...0xDF: length = 2
            case 0xE0...0xEF: length = 3
            case 0xF0...0xF4: length = 4
            default: return i
            }
            guard i + length <= bytes.count, String(validating: bytes[i..<(i + length)], as: UTF8.self) != nil else { return i }
            i += length
        }
        return nil
    }
}

