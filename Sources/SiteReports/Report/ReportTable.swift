import DriverCSV
/// A table a command reports, rendered as an aligned text table, CSV or JSON.
///
/// Column keys carry their units (`area_ha`, `perimeter_m`) and are the JSON keys and CSV
/// headers; numbers carry their decimals so every rendering rounds the same way.
public struct ReportTable: Sendable {
    public enum Cell: Sendable, Equatable {
        case text(String)
        case integer(Int)
        case number(Double, decimals: Int)
        case bool(Bool)
        case null
    }

    public var columns: [String]
    public var rows: [[Cell]]

    public init(columns: [String], rows: [[Cell]] = []) {
        self.columns = columns
        self.rows = rows
    }

    public mutating func append(_ row: [Cell]) {
        precondition(row.count == columns.count, "row has \(row.count) cells for \(columns.count) columns")
        rows.append(row)
    }

    /// Aligned columns, numbers right-aligned, a rule under the header. With `boldHeader`
    /// the header line is wrapped in the ANSI bold escape (for a terminal only: the caller
    /// decides, see `TerminalStyle`); alignment is computed on the plain text.
    public func text(boldHeader: Bool = false) -> String {
        let rendered = rows.map { $0.map(Self.plain) }
        var widths = columns.map(\.count)
        for row in rendered { for (i, cell) in row.enumerated() { widths[i] = max(widths[i], cell.count) } }
        let numeric = columns.indices.map { i in rows.allSatisfy { row in
            switch row[i] { case .integer, .number, .null: true; default: false }
        } && !rows.isEmpty }
        func line(_ cells: [String]) -> String {
            cells.enumerated().map { i, c in
                let pad = String(repeating: " ", count: widths[i] - c.count)
                return numeric[i] ? pad + c : c + pad
            }.joined(separator: "  ").replacingTrailingSpaces()
        }
        var out = (boldHeader ? "\u{1B}[1m" + line(columns) + "\u{1B}[0m" : line(columns)) + "\n"
        out += widths.map { String(repeating: "-", count: $0) }.joined(separator: "  ") + "\n"
        for row in rendered { out += line(row) + "\n" }
        return out
    }

    /// RFC 4180 CSV with a header of the column keys.
    public func csv() -> String {
        var out = columns.map(CSVField.text).joined(separator: ",") + "\n"
        for row in rows { out += row.map { CSVField.text(Self.plain($0)) }.joined(separator: ",") + "\n" }
        return out
    }

    /// The rows as JSON objects keyed by column.
    public func jsonObjects() -> [JSONValue] {
        rows.map { row in .object(JSONObject(zip(columns, row.map(Self.json)).map { ($0, $1) })) }
    }

    static func plain(_ cell: Cell) -> String {
        switch cell {
        case .text(let s): s
        case .integer(let n): String(n)
        case .number(let x, let d): x.isFinite ? fixedNotation(x, decimals: d) : ""
        case .bool(let b): b ? "true" : "false"
        case .null: ""
        }
    }

    static func json(_ cell: Cell) -> JSONValue {
        switch cell {
        case .text(let s): .string(s)
        case .integer(let n): .number(Double(n))
        case .number(let x, let d): .number(x, decimals: d)
        case .bool(let b): .bool(b)
        case .null: .null
        }
    }

}

extension String {
    func replacingTrailingSpaces() -> String {
        var s = self
        while s.hasSuffix(" ") { s.removeLast() }
        return s
    }
}

import SiteVocabulary
import Foundation
