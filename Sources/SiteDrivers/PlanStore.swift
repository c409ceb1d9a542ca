import SitePlanning
import SiteVocabulary

/// The plan of record's schema version this build reads and writes. A store written by a newer
/// schema is refused (its tables may mean something this build does not know); an older one
/// is migrated forward, one numbered step at a time, inside a transaction.
public enum PlanStoreSchema {
    /// 2: `users` (accounts of the server).
    public static let version = 2
}

/// What `adopt` writes: the next revision, its layers and the id counters after it.
public struct AdoptRequest: Sendable {
    /// Its `number` must be the store's latest revision + 1 (1 for an empty store) when the
    /// transaction commits; otherwise someone adopted meanwhile, and nothing is written.
    public var revision: RevisionInfo
    /// `RecordLayers.names`, every geometry in the planning CRS, each feature with its asset id.
    public var layers: [Layer]
    /// For each id prefix (`P1-A-H`, `water-P1-A-M`), the highest number ever given; never lowered.
    public var idCounters: [String: Int]
    /// The households as allocated by this revision's run.
    public var households: [HouseholdRecord]

    public init(revision: RevisionInfo, layers: [Layer], idCounters: [String: Int], households: [HouseholdRecord]) {
        self.revision = revision
        self.layers = layers
        self.idCounters = idCounters
        self.households = households
    }
}

/// A plan of record: adopted revisions with their layers, the works events, the households and
/// the id counters. One implementation per store (a GeoPackage file, a PostGIS database), each
/// its own target, all with the same tables (docs/STORE.md).
///
/// Every write is one transaction: it lands whole or not at all. Reads see one consistent state.
public protocol PlanStore: AnyObject {
    /// Where the store is, for messages: the file path, or the URL without its password.
    var location: String { get }

    /// The adopted revisions, oldest first.
    func revisions() throws -> [RevisionInfo]

    /// The layers of revision `number` (`RecordLayers.names`, in that order), in the planning CRS.
    /// Throws an `InputError` naming the store when there is no such revision.
    func layers(revision number: Int) throws -> [Layer]

    /// The features of layer `name` (one of `RecordLayers.names`) in revision `number`, in the
    /// planning CRS, ordered by asset id byte by byte, handed to `body` in batches of at most
    /// `batchSize` (a feature's `index` counts from 0 over the whole layer): a large layer is
    /// read without holding all of it. Throws an `InputError` naming the store when there is no
    /// such revision or layer. The default reads `layers(revision:)`.
    func features(of name: String, revision number: Int, batchSize: Int, _ body: ([Feature]) throws -> Void) throws

    /// The works events, in the order they were recorded; only `assetID`'s when given.
    func events(assetID: String?) throws -> [WorksEvent]

    /// Every asset id any revision ever had in the network and service-line layers: what a works
    /// event may name.
    func segmentIDsEver() throws -> Set<String>

    /// The id counters (prefix → highest number ever given).
    func idCounters() throws -> [String: Int]

    /// The households as the latest revision left them.
    func households() throws -> [HouseholdRecord]

    /// Records a revision (see `AdoptRequest`) in one transaction.
    func adopt(_ request: AdoptRequest) throws

    /// Appends works events in one transaction, in the given order. The caller checks them
    /// against the plan of record first (`WorksHistory.check`).
    func record(_ events: [WorksEvent]) throws

    /// A short text that changes whenever a write lands, by siteplan or another client (a
    /// revision adopted, a works event recorded or edited): what a live view polls, cheaply,
    /// to know that it must read the plan again.
    func changeMark() throws -> String

    /// The accounts of the server, by name.
    func users() throws -> [UserAccount]

    /// Adds `user`, or replaces the account of that name (role, password), in one transaction.
    func saveUser(_ user: UserAccount) throws

    /// Removes the account `name`; false when there was none.
    func removeUser(named name: String) throws -> Bool
}

extension PlanStore {
    public func features(of name: String, revision number: Int, batchSize: Int, _ body: ([Feature]) throws -> Void) throws {
        guard let layer = try layers(revision: number).first(where: { $0.name == name }) else {
            throw InputError(source: location, "no layer \"\(name)\" in a plan of record (\(RecordLayers.names.joined(separator: ", ")))")
        }
        let size = max(1, batchSize)
        var start = 0
        while start < layer.features.count {
            try body(Array(layer.features[start..<min(layer.features.count, start + size)]))
            start += size
        }
    }

    /// The latest revision, nil for an empty store.
    public func latestRevision() throws -> RevisionInfo? { try revisions().last }
}
