import SiteVocabulary

/// The works history of a plan of record: every event, in the order recorded. The status of
/// an asset on a day is its last event on or before that day (among events of one day, the
/// last recorded); an asset without one is `planned`.
public struct WorksHistory: WorksStatusProvider {
    public let events: [WorksEvent]
    /// The store, for messages.
    public let source: String?

    public init(events: [WorksEvent], source: String? = nil) {
        self.events = events
        self.source = source
    }

    public var isEmpty: Bool { events.isEmpty }

    /// The status of every asset as of `day` (all events when nil).
    public func book(asOf day: ISODate?) -> StatusBook {
        var records: [String: StatusRecord] = [:]
        var dates: [String: ISODate] = [:]
        for e in events {
            if let day, e.date > day { continue }
            if let d = dates[e.assetID], d > e.date { continue }
            dates[e.assetID] = e.date
            records[e.assetID] = StatusRecord(status: e.status, date: e.date)
        }
        return StatusBook(records: records)
    }

    /// Events dated after `day`: not counted as of that day.
    public func events(after day: ISODate) -> [WorksEvent] { events.filter { $0.date > day } }

    /// The book as of `asOf`, after checking every event against `network`: events of assets
    /// the network does not have are left out (they belong to assets a later revision removed)
    /// and listed by `unknownAssets(in:)`.
    public func statusBook(for network: UtilityNetwork, asOf: ISODate?) throws -> StatusBook {
        try checkConsistency()
        let book = book(asOf: asOf)
        return StatusBook(records: book.records.filter { network.segmentIndex(id: $0.key) != nil })
    }

    /// Events naming no segment of `network`.
    public func unknownAssets(in network: UtilityNetwork) -> [WorksEvent] {
        events.filter { network.segmentIndex(id: $0.assetID) == nil }
    }

    /// Throws for two events of one asset on one day with different statuses: the history
    /// cannot say which held that day.
    public func checkConsistency() throws {
        var byDay: [String: WorksEvent] = [:]
        for e in events {
            let key = "\(e.assetID)\u{0}\(e.date)"
            if let other = byDay[key], other.status != e.status {
                throw InputError(source: source, "\(e.origin) (asset \"\(e.assetID)\"): \(e.status.rawValue) on \(e.date), but \(other.origin) says \(other.status.rawValue) on the same day; remove one of them")
            }
            byDay[key] = e
        }
    }
}
