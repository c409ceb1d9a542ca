import SiteDrivers
import SiteVocabulary

/// A small RFC 4180 CSV reader: a header row, then records; fields may be quoted. Reports
/// problems with the file and line number.
public struct CSVTable: Sendable {
    public let source: String
    public let header: [String]
    /// Records with their 1-based line numbers.
    public let records: [(line: Int, fields: [String: String])]

    public init(path: String, required: [String]) throws {
        let bytes = try FileIO.readBytes(path)
        guard let text = String(validating: bytes, as: UTF8.self) else { throw InputError(source: path, "is not UTF-8 text") }
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

import Foundation
