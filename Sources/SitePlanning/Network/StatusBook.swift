import SiteVocabulary

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

/// Where the works status of a generated network comes from: a status file read beforehand,
/// a store's works history, or a book made in code. Called once per run, after the network is
/// built, with no file I/O of its own: it checks its records against the network's ids.
public protocol WorksStatusProvider: Sendable {
    /// The status of `network`'s segments as of `asOf` (nil: as the records stand). Throws an
    /// `InputError` for a record that names no segment of the network.
    func statusBook(for network: UtilityNetwork, asOf: ISODate?) throws -> StatusBook

    /// True when the provider holds no record at all (every segment is `planned`).
    var isEmpty: Bool { get }

    /// Where the records come from, for messages (a file as the user named it); nil for records
    /// made in code. A provider with a source belongs to the network of the scenario's seed.
    var source: String? { get }
}

extension WorksStatusProvider {
    public var source: String? { nil }
}

extension StatusBook: WorksStatusProvider {
    /// The book itself, after checking that every record names a segment of `network`.
    public func statusBook(for network: UtilityNetwork, asOf: ISODate? = nil) throws -> StatusBook {
        for id in records.keys.sorted() where network.segmentIndex(id: id) == nil {
            throw InputError("works status for segment \"\(id)\": unknown segment id")
        }
        return self
    }

    public var isEmpty: Bool { records.isEmpty }
}
