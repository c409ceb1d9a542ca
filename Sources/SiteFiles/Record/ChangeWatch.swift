import Foundation
import SiteDrivers
import SiteVocabulary

/// What a live view polls to learn that its input changed: the plan of record's change mark,
/// or the sizes and modification times of a scenario folder's files (a status file edited in
/// place, a layer replaced). Cheap: no file is read.
public final class ChangeWatch: @unchecked Sendable {
    private let lock = NSLock()
    private let store: (any PlanStore)?
    private let scenario: ScenarioFiles

    /// Watches the store at `storeLocation` when one is named (it holds the works and the
    /// revisions), and the scenario's files in any case (the scenario may be edited too).
    public init(storeLocation: String?, scenario: ScenarioFiles) throws {
        store = try storeLocation.map { try PlanStores.open($0) }
        self.scenario = scenario
    }

    /// A text that changes when the store or a scenario file changes.
    public func mark() throws -> String {
        try lock.withLock {
            (try store?.changeMark() ?? "") + "|" + Self.filesMark(scenario)
        }
    }

    /// "name:size:mtime" of every file under the scenario folder, sorted; "" for an embedded
    /// scenario, which cannot change.
    static func filesMark(_ files: ScenarioFiles) -> String {
        guard !files.isEmbedded else { return "" }
        let manager = FileManager.default
        guard let names = manager.enumerator(atPath: files.location)?.allObjects as? [String] else { return "" }
        var digest = FNV1a()
        for name in names.sorted() {
            guard let attributes = try? manager.attributesOfItem(atPath: files.path(name)),
                  attributes[.type] as? FileAttributeType == .typeRegular else { continue }
            let size = (attributes[.size] as? NSNumber)?.int64Value ?? -1
            let time = (attributes[.modificationDate] as? Date)?.timeIntervalSince1970 ?? 0
            digest.add("\(name):\(size):\(time)\n".utf8)
        }
        return digest.hex
    }
}
