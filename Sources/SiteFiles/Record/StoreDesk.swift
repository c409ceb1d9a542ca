import Foundation
import SiteDrivers
import SitePlanning
import SiteVocabulary

/// One plan of record as a long-running server uses it: one connection, one writer at a time,
/// the record read again only when someone else wrote to the store.
///
/// Works events go through the same checks as `siteplan works record` (a known segment, a date
/// not in the future, a legal transition), and are written in one transaction each call; two
/// callers at once are served one after the other, in the order they got the lock.
public final class StoreDesk: @unchecked Sendable {
    private let lock = NSLock()
    private let store: any PlanStore
    private var cached: (mark: String, record: PlanRecord)?

    public var location: String { store.location }

    public init(location: String) throws {
        store = try PlanStores.open(location)
    }

    /// The record as the store holds it now.
    private func record() throws -> PlanRecord {
        let mark = try store.changeMark()
        if let cached, cached.mark == mark { return cached.record }
        let record = try PlanStores.loadRecord(store)
        cached = (mark, record)
        return record
    }

    /// Records `event` (checked as the CLI checks it) and returns it as stored, with its row.
    public func record(_ event: WorksEvent) throws -> WorksEvent {
        try lock.withLock {
            let current = try record()
            let (recorded, _) = try PlanStores.record([event], into: store, on: current, source: "the request")
            let stored = try store.events(assetID: event.assetID).last
            // Our own write: the cached record takes the event instead of being read again.
            let history = WorksHistory(events: current.history.events + (recorded > 0 ? [stored ?? event] : []), source: current.history.source)
            cached = (try store.changeMark(), PlanRecord(revisions: current.revisions, layers: current.layers, history: history,
                                                         idCounters: current.idCounters, households: current.households, location: current.location))
            return stored ?? event
        }
    }

    /// The works events of `id` (all when nil), in the order recorded.
    public func events(of id: String?) throws -> [WorksEvent] {
        try lock.withLock { try PlanStores.events(of: id, in: store, record: try record()) }
    }

    public func revisions() throws -> [RevisionInfo] { try lock.withLock { try store.revisions() } }

    /// Works complete and dwellings fully connected on each day the works history has an event,
    /// on the latest revision's layers (traced from `sources`): the progress over time.
    public func progressOverTime(sources: [UtilitySource]) throws -> [(day: ISODate, figures: RecordFigures)] {
        try lock.withLock {
            let record = try record()
            let days = Set(record.history.events.map(\.date)).sorted()
            return try days.map { day in
                (day, try RecordFigures.compute(record.layers, book: record.history.book(asOf: day), asOf: day, sources: sources))
            }
        }
    }

    /// Adopts the plan `propose` makes on the current record as the next revision (one
    /// transaction; refused when `base` is given and is no longer the latest revision).
    public func adopt(base: Int?, author: String, message: String, digest: String,
                      propose: (PlanRecord) throws -> PlanRun) throws -> (revision: RevisionInfo, changes: [LayerDiff]) {
        try lock.withLock {
            let record = try record()
            try PlanStores.checkBase(base, record: record)
            return try PlanStores.adopt(try propose(record), on: record, into: store, author: author, message: message,
                                        adoptedAt: UTCClock.timestamp(), scenarioDigest: digest)
        }
    }

    /// What changed from revision `a` to `b`, as one layer for a map (in the planning CRS):
    /// every added, removed, moved or changed feature with `change` (added, removed, moved,
    /// changed), its `layer`, and for a moved one `moved_m`, for a changed one `changed_keys`.
    /// The removed ones carry their geometry in `a`, the others in `b`.
    public func changes(from a: Int, to b: Int) throws -> Layer {
        try lock.withLock {
            let before = try store.layers(revision: a), after = try store.layers(revision: b)
            var features: [Feature] = []
            func add(_ f: Feature?, _ layer: String, _ change: String, _ extra: [(String, JSONValue)] = []) {
                guard let f else { return }
                var properties = JSONObject([("change", .string(change)), ("layer", .string(layer))] + extra)
                for (k, v) in f.properties where properties[k] == nil { properties[k] = v }
                features.append(Feature(id: f.id, properties: properties, geometry: f.geometry, index: features.count))
            }
            for diff in try RevisionDiff.compare(before, after) {
                let later = Dictionary((after.first { $0.name == diff.layer }?.features ?? []).compactMap { f in f.id.map { ($0, f) } }, uniquingKeysWith: { a, _ in a })
                for f in diff.added { add(f, diff.layer, "added") }
                for f in diff.removed { add(f, diff.layer, "removed") }
                for m in diff.moved { add(later[m.id], diff.layer, "moved", [("moved_m", .number(m.distanceMetres, decimals: 2))]) }
                for c in diff.changed { add(later[c.id], diff.layer, "changed", [("changed_keys", .string(c.keys.joined(separator: ", ")))]) }
            }
            return Layer(name: "changes", crs: before.first?.crs ?? after.first?.crs ?? .wgs84, features: features)
        }
    }

    public func users() throws -> [UserAccount] { try lock.withLock { try store.users() } }

    public func user(named name: String) throws -> UserAccount? { try users().first { $0.name == name } }

    public func saveUser(_ user: UserAccount) throws { try lock.withLock { try store.saveUser(user) } }

    public func removeUser(named name: String) throws -> Bool { try lock.withLock { try store.removeUser(named: name) } }
}
