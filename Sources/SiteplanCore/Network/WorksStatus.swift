/// Where the works on a segment stand. Only `laid` and `commissioned` carry service.
public enum WorksStatus: String, CaseIterable, Sendable, Comparable {
    case planned
    case underConstruction = "under_construction"
    case laid
    case commissioned

    public var isBuilt: Bool { self == .laid || self == .commissioned }

    public static func < (a: WorksStatus, b: WorksStatus) -> Bool {
        allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)!
    }
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
        String(format: "%04d-%02d-%02d", year, month, day)
    }

    public static func < (a: ISODate, b: ISODate) -> Bool { (a.year, a.month, a.day) < (b.year, b.month, b.day) }
}

/// A segment's recorded status: reached on `date`.
public struct StatusRecord: Sendable, Equatable {
    public let status: WorksStatus
    public let date: ISODate?

    public init(status: WorksStatus, date: ISODate?) {
        self.status = status
        self.date = date
    }
}

/// The status of every segment, keyed by segment id. A segment without a record is `planned`.
/// As of a date, a record dated later than that date does not count yet (the segment is then
/// `planned`).
public struct StatusBook: Sendable {
    public private(set) var records: [String: StatusRecord]

    public init(records: [String: StatusRecord] = [:]) { self.records = records }

    public func status(of segmentID: String, asOf: ISODate? = nil) -> WorksStatus {
        guard let record = records[segmentID] else { return .planned }
        if let asOf, let date = record.date, date > asOf { return .planned }
        return record.status
    }

    public func date(of segmentID: String) -> ISODate? { records[segmentID]?.date }
}

import Foundation
