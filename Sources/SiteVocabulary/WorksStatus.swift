/// Where the works on a network segment stand, in the order they are reached.
/// Only `laid` and `commissioned` carry service.
///
/// The raw value is the word used in files (`status.csv`, `properties.status`); `code` is the
/// one-byte column code of the audit's columnar store.
public enum WorksStatus: String, VocabularyWord, Comparable {
    case planned
    case underConstruction = "under_construction"
    case laid
    case commissioned

    /// True for `laid` and `commissioned`: the segment can carry service.
    public var isBuilt: Bool { self == .laid || self == .commissioned }

    /// True when the status stored as `code` carries service (`laid` or `commissioned`): the
    /// audit's test per segment, on the column code.
    @inlinable public static func isBuilt(code: UInt8) -> Bool { code == 2 || code == 3 }

    public static func < (a: WorksStatus, b: WorksStatus) -> Bool { a.code < b.code }
}

/// A calendar date, ISO 8601 `YYYY-MM-DD`, checked (month 1-12, day valid for the month).
public struct ISODate: Sendable, Hashable, Comparable, CustomStringConvertible {
    public let year: Int, month: Int, day: Int

    public init?(_ text: String) {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
              let y = Int(parts[0]), let m = Int(parts[1]), let d = Int(parts[2]), (1...12).contains(m) else { return nil }
        let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0
        let days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][m - 1]
        guard (1...days).contains(d) else { return nil }
        year = y; month = m; day = d
    }

    public var description: String {
        func pad(_ n: Int, _ width: Int) -> String {
            let digits = String(n)
            return String(repeating: "0", count: max(0, width - digits.count)) + digits
        }
        return "\(pad(year, 4))-\(pad(month, 2))-\(pad(day, 2))"
    }

    public static func < (a: ISODate, b: ISODate) -> Bool { (a.year, a.month, a.day) < (b.year, b.month, b.day) }
}
