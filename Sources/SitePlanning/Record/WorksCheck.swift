import SiteVocabulary

/// Checks on works events: the hard ones before anything is recorded, the warnings on a run.
public enum WorksCheck {
    /// Checks `events` before they are recorded: every asset is a segment of the plan of record
    /// (`segmentIDs`), no date is after `today`, and no asset gets two statuses on one day
    /// (against the history too). Throws an `InputError` naming the event's origin.
    public static func checkNew(_ events: [WorksEvent], segmentIDs: Set<String>, history: WorksHistory, today: ISODate,
                                source: String?) throws {
        for e in events {
            guard segmentIDs.contains(e.assetID) else {
                throw InputError(source: source, "\(e.origin) (segment \"\(e.assetID)\"): unknown segment id; ids come from the plan of record's latest revision (siteplan network --segments --store …)")
            }
            guard e.date <= today else {
                throw InputError(source: source, "\(e.origin) (segment \"\(e.assetID)\"): the date \(e.date) is in the future (today is \(today))")
            }
        }
        try WorksHistory(events: history.events + events, source: source).checkConsistency()
        // A status that goes back (laid → under construction: a failed pressure test, a dug-up
        // trench) is a real event, but only with a reason: without a note it is refused.
        var byAsset: [String: [WorksEvent]] = [:]
        for e in history.events { byAsset[e.assetID, default: []].append(e) }
        for e in events {
            // The asset's status on e's day: its last event on or before it, the last recorded of a day.
            let before = byAsset[e.assetID]?.filter { $0.date <= e.date }.max { ($0.date, 0) < ($1.date, 1) }
            if let before, e.status < before.status, e.note.trimmingCharacters(in: .whitespaces).isEmpty {
                throw InputError(source: source, "\(e.origin) (segment \"\(e.assetID)\"): goes back from \(before.status.rawValue) (\(before.origin), \(before.date)) to \(e.status.rawValue); say why in the note")
            }
            byAsset[e.assetID, default: []].append(e)
        }
    }

    /// Checks the events a store holds (rows may have been added by hand, in QGIS): each names a
    /// segment some revision had, and none is dated after `today`. Throws naming the row.
    public static func checkStored(_ history: WorksHistory, segmentIDsEver: Set<String>, today: ISODate) throws {
        for e in history.events {
            guard segmentIDsEver.contains(e.assetID) else {
                throw InputError(source: history.source, "\(e.origin) (segment \"\(e.assetID)\"): no revision of the plan of record has this segment; correct the asset_id or delete the row")
            }
            guard e.date <= today else {
                throw InputError(source: history.source, "\(e.origin) (segment \"\(e.assetID)\"): the date \(e.date) is in the future (today is \(today))")
            }
        }
        try history.checkConsistency()
    }

    /// Events of `new` already in `history` (same segment, status and date): a file imported
    /// twice, or an event recorded again. Returns the rest, and how many were repeats.
    public static func withoutRepeats(_ new: [WorksEvent], history: WorksHistory) -> (events: [WorksEvent], repeats: Int) {
        var seen = Set(history.events.map { "\($0.assetID)\u{0}\($0.status.rawValue)\u{0}\($0.date)" })
        var kept: [WorksEvent] = []
        for e in new where seen.insert("\(e.assetID)\u{0}\(e.status.rawValue)\u{0}\(e.date)").inserted { kept.append(e) }
        return (kept, new.count - kept.count)
    }

    /// Warnings on the works history of `run` (a run on a plan of record):
    /// - a segment commissioned on a day when no built path fed it from its utility's source;
    /// - an event dated before the revision that brought its asset in;
    /// - a status that goes backwards without a note.
    /// Events of one kind are grouped, so a first import of old records says it once.
    public static func warnings(_ run: PlanRun) -> [String] {
        guard let record = run.record else { return [] }
        let revisions = record.revisions
        let history = record.history
        var out: [String] = []
        let network = run.network

        // Backwards without a note.
        var last: [String: WorksEvent] = [:]
        var backwards: [WorksEvent] = []
        for e in history.events.sorted(by: { ($0.date, $0.origin) < ($1.date, $1.origin) }) {
            if let before = last[e.assetID], e.status < before.status, e.note.isEmpty { backwards.append(e) }
            last[e.assetID] = e
        }
        if let first = backwards.first {
            out.append("\(backwards.count) event\(backwards.count == 1 ? " takes" : "s take") a segment's status backwards without a note (the first: \(first.origin), \(first.assetID) back to \(first.status.rawValue) on \(first.date)); say why in the note")
        }

        // Before the asset's revision.
        let since = Dictionary(record.layers.filter { $0.name == "network" || $0.name == "service_lines" }.flatMap(\.features).compactMap { f -> (String, Int)? in
            guard let id = f.id, let n = f.properties["since_revision"]?.int else { return nil }
            return (id, n)
        }, uniquingKeysWith: { a, _ in a })
        let revisionDay = Dictionary(revisions.compactMap { r in r.adoptedOn.map { (r.number, $0) } }, uniquingKeysWith: { a, _ in a })
        var early: [Int: (count: Int, first: WorksEvent)] = [:]
        for e in history.events {
            guard let n = since[e.assetID], let day = revisionDay[n], e.date < day else { continue }
            early[n] = ((early[n]?.count ?? 0) + 1, early[n]?.first ?? e)
        }
        for (n, v) in early.sorted(by: { $0.key < $1.key }) {
            out.append("\(v.count) event\(v.count == 1 ? " is" : "s are") dated before revision \(n) (adopted \(revisionDay[n]!)) brought their segment in (the first: \(v.first.origin), \(v.first.assetID) on \(v.first.date)); expected for a first import of earlier records, a mistake otherwise")
        }

        // Commissioned but not fed from the source that day.
        let commissioned = history.events.filter { $0.status == .commissioned && network.segmentIndex(id: $0.assetID) != nil }
        let days = Set(commissioned.map(\.date)).sorted()
        let eventDays = Set(history.events.map(\.date)).sorted()
        // One tracer per day (its book and incidence), one reach per day and utility.
        var tracers: [ISODate: ConnectionTracer] = [:]
        var reachCache: [ISODate: [Utility: [Bool]]] = [:]
        func reached(_ u: Utility, on day: ISODate) -> [Bool] {
            if let r = reachCache[day]?[u] { return r }
            let tracer = tracers[day] ?? ConnectionTracer(network: network, status: history.book(asOf: day), asOf: day)
            tracers[day] = tracer
            let r = tracer.reachedFromSource(u)
            reachCache[day, default: [:]][u] = r
            return r
        }
        struct Group: Hashable { let parcel: String; let day: ISODate; let fedOn: ISODate? }
        var groups: [Group: [Utility: [String]]] = [:]
        for day in days {
            for e in commissioned where e.date == day {
                guard let i = network.segmentIndex(id: e.assetID) else { continue }
                let s = network.segments[i]
                guard network.sourceNodes[s.utility] != nil else { continue }
                if reached(s.utility, on: day)[s.from] || reached(s.utility, on: day)[s.to] { continue }
                let fedOn = eventDays.first { $0 > day && (reached(s.utility, on: $0)[s.from] || reached(s.utility, on: $0)[s.to]) }
                groups[Group(parcel: s.parcelID, day: day, fedOn: fedOn), default: [:]][s.utility, default: []].append(e.assetID)
            }
        }
        for (g, byUtility) in groups.sorted(by: { ($0.key.day, $0.key.parcel) < ($1.key.day, $1.key.parcel) }) {
            let until = g.fedOn.map { "until \($0)" } ?? "as of the last event"
            let parts = byUtility.sorted { $0.key < $1.key }.map { "\($0.value.count) \($0.key.rawValue)" }
            let list = parts.count > 1 ? parts.dropLast().joined(separator: ", ") + " and " + parts.last! : parts[0]
            let first = byUtility.sorted { $0.key < $1.key }.first!.value.sorted()[0]
            let total = byUtility.values.reduce(0) { $0 + $1.count }
            out.append("\(g.parcel): \(list) segment\(total == 1 ? "" : "s") commissioned on \(g.day) \(total == 1 ? "was" : "were") not fed from their source \(until) (the first: \(first)); either the dates or the network's trunk routing are wrong")
        }
        return out
    }
}
