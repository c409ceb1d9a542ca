import DriverCSV
import SiteDrivers
import SiteGeometry
import SitePlanning
import SiteProjection
import SiteVocabulary
import StoreGeoPackage

/// Opening a plan of record by what `--store` names, and the commands' reads and writes on it.
public enum PlanStores {
    /// The store at `location`: a GeoPackage file (`PATH.gpkg`) or a PostGIS database
    /// (`postgresql://user@host:port/db`). With `creatingWith`, a missing GeoPackage file is
    /// created empty in that planning CRS (only `adopt` does that).
    public static func open(_ location: String, creatingWith crs: CRS? = nil) throws -> any PlanStore {
        if location.hasPrefix("postgresql://") || location.hasPrefix("postgres://") {
            return try openPostGIS(location, creatingWith: crs)
        }
        guard location.lowercased().hasSuffix(".gpkg") else {
            throw InputError(source: location, "--store is a GeoPackage file (PATH.gpkg) or a PostGIS URL (postgresql://user@host:port/db)")
        }
        return try GeoPackagePlanStore(path: location, creatingWith: crs)
    }

    /// What a re-plan needs from `store`: the latest revision's layers, the works history, the
    /// id counters and the households.
    public static func loadRecord(_ store: any PlanStore) throws -> PlanRecord {
        let revisions = try store.revisions()
        let layers = try revisions.last.map { try store.layers(revision: $0.number) } ?? []
        let history = WorksHistory(events: try store.events(assetID: nil), source: store.location)
        // Rows a QGIS user added are checked as the CLI checks its own.
        try WorksCheck.checkStored(history, segmentIDsEver: try store.segmentIDsEver(), today: UTCClock.today())
        return PlanRecord(revisions: revisions, layers: layers, history: history,
                          idCounters: try store.idCounters(), households: try store.households(), location: store.location)
    }

    /// Records `run` (a run on `record`) as the next revision. Every feature carries the
    /// number of the revision that brought it in (`since_revision`). Fails, writing nothing,
    /// when someone adopted on top of `record` meanwhile. Returns the revision and what changed
    /// against `record`'s latest revision, per layer.
    public static func adopt(_ run: PlanRun, on record: PlanRecord, into store: any PlanStore, author: String, message: String,
                             adoptedAt: String, scenarioDigest: String = "") throws -> (revision: RevisionInfo, changes: [LayerDiff]) {
        let number = (record.revision?.number ?? 0) + 1
        let since = Dictionary(record.layers.flatMap { layer in layer.features.compactMap { f in
            f.id.flatMap { id in f.properties["since_revision"]?.int.map { ("\(layer.name)/\(id)", $0) } }
        } }, uniquingKeysWith: { a, _ in a })
        var layers = try RecordLayers.settle(try PlanLayers.recordLayers(run.scenario, run.plan, run.network), onto: record.layers)
        for k in layers.indices {
            for j in layers[k].features.indices {
                let id = layers[k].features[j].id ?? ""
                layers[k].features[j].properties["since_revision"] = .number(Double(since["\(layers[k].name)/\(id)"] ?? number))
            }
        }
        let revision = RevisionInfo(number: number, author: author, adoptedAt: adoptedAt, message: message, scenario: run.scenario.name,
                                    seed: run.seed, planningCRS: run.scenario.frame.crs, scenarioDigest: scenarioDigest)
        let housed = Dictionary(run.households.assignments.map { ($0.familyID, $0) }, uniquingKeysWith: { a, _ in a })
        let previous = Dictionary(record.households.map { ($0.familyID, $0) }, uniquingKeysWith: { a, _ in a })
        let households = run.households.families.map { f in
            HouseholdRecord(familyID: f.id, group: f.group, size: f.size, returnDate: f.returnDate ?? previous[f.id]?.returnDate,
                            buildingID: housed[f.id]?.buildingID, unit: housed[f.id]?.unit)
        }
        var counters = run.identity?.counters ?? [:]
        for layer in layers where RecordLayers.assetLayers.contains(layer.name) {
            for f in layer.features { if let id = f.id { AssetIdentity.noteGiven(id, in: &counters) } }
        }
        let changes = try RevisionDiff.compare(record.layers, layers)
        try store.adopt(AdoptRequest(revision: revision, layers: layers, idCounters: counters, households: households))
        return (revision, changes)
    }

    /// When `package` is not the scenario `record`'s latest revision was adopted from, what to
    /// tell the user: the run is a proposal on another scenario, not that revision.
    public static func scenarioNote(_ record: PlanRecord, _ package: ScenarioPackage) -> String? {
        guard let r = record.revision, !r.scenarioDigest.isEmpty, r.scenarioDigest != package.digest else { return nil }
        return "the scenario \(package.folder) is not the one revision \(r.number) was adopted from (\"\(r.scenario)\", its files differ): these figures are of a re-plan on it, a proposal, not of revision \(r.number); adopt it, or run with the scenario revision \(r.number) came from"
    }

    /// The segment ids of the latest revision (network and service lines).
    public static func segmentIDs(_ record: PlanRecord) -> Set<String> {
        Set(record.layers.filter { $0.name == "network" || $0.name == "service_lines" }.flatMap(\.features).compactMap(\.id))
    }

    /// Reads works events from a CSV file: the header names `asset_id` (or `segment_id`),
    /// `status` and `date`, and may name `recorded_by` and `note`. The Khojaly `status.csv` is
    /// such a file. Every line is checked; the first bad one stops the import.
    public static func readEvents(csv path: String, recordedBy: String) throws -> [WorksEvent] {
        let table = try CSVTable(path: path, required: ["status", "date"])
        let idColumn = table.header.contains("asset_id") ? "asset_id" : "segment_id"
        guard table.header.contains(idColumn) else {
            throw InputError(source: path, "the header names neither asset_id nor segment_id (columns: \(table.header.joined(separator: ", ")))")
        }
        return try table.records.compactMap { line, f in
            let id = f[idColumn] ?? ""
            let origin = "line \(line)"
            guard !id.isEmpty else { throw InputError(source: path, "\(origin): empty \(idColumn)") }
            // A planned row without a date says nothing happened: not an event.
            guard case let (status, date?) = try StatusFile.statusAndDate(f, line: line, id: id, source: path) else { return nil }
            let by = f["recorded_by"].flatMap { $0.isEmpty ? nil : $0 } ?? recordedBy
            return WorksEvent(assetID: id, status: status, date: date, recordedBy: by, note: f["note"] ?? "", origin: origin)
        }
    }
}

/// Two versions of the plan compared: their layers, figures and the per-layer differences.
public struct PlanComparison: Sendable {
    public let beforeLabel: String
    public let afterLabel: String
    public let before: RecordFigures
    public let after: RecordFigures
    public let layers: [LayerDiff]
    /// The later side's layers, for the change layers (removed features are in `layers`).
    public let afterLayers: [Layer]
}

extension PlanStores {
    /// Compares revision `a` (default: the one before `b`, or the latest with `proposal`) with
    /// revision `b` (default: the latest) or with `proposal` (a run on the latest revision).
    public static func compare(_ store: any PlanStore, record: PlanRecord, a: Int?, b: Int?, proposal: PlanRun?,
                               scenario: Scenario, asOf: ISODate?) throws -> PlanComparison {
        let revisions = try store.revisions()
        guard let latest = revisions.last?.number else {
            throw InputError(source: store.location, "no revision adopted yet; `siteplan adopt --store \(store.location)` records the first")
        }
        let afterNumber: Int? = proposal == nil ? (b ?? latest) : nil
        let beforeNumber = a ?? (proposal == nil ? (afterNumber ?? latest) - 1 : latest)
        guard beforeNumber >= 1 else {
            throw InputError(source: store.location, "only revision 1 is adopted; compare it with the proposal (--proposal) or adopt another first")
        }
        let book = record.history.book(asOf: asOf)
        let beforeLayers = try store.layers(revision: beforeNumber)
        let afterLayers: [Layer]
        if let proposal {
            afterLayers = try RecordLayers.settle(try PlanLayers.recordLayers(proposal.scenario, proposal.plan, proposal.network), onto: record.layers)
        } else {
            afterLayers = try store.layers(revision: afterNumber!)
        }
        let sources = scenario.utilitySources
        return PlanComparison(
            beforeLabel: "revision \(beforeNumber)", afterLabel: afterNumber.map { "revision \($0)" } ?? "proposal",
            before: try RecordFigures.compute(beforeLayers, book: book, asOf: asOf, sources: sources),
            after: try RecordFigures.compute(afterLayers, book: book, asOf: asOf, sources: sources),
            layers: try RevisionDiff.compare(beforeLayers, afterLayers), afterLayers: afterLayers)
    }
}

extension PlanStores {
    /// Refuses an adopt when `base` (the revision a reviewed proposal was made on) is no longer
    /// `record`'s latest.
    public static func checkBase(_ base: Int?, record: PlanRecord) throws {
        guard let base, base != (record.revision?.number ?? 0) else { return }
        let latest = record.revision.map { "revision \($0.number) (by \($0.author) at \($0.adoptedAt))" } ?? "no revision"
        throw InputError(source: record.location, "the latest is \(latest), not revision \(base): the proposal you reviewed was made on another plan; review it again (siteplan diff --proposal) and adopt with --base \(record.revision?.number ?? 0)")
    }

    /// Records `events` on `record`'s latest revision, in one transaction: each is checked
    /// (`WorksCheck.checkNew`, errors naming `source`), and those already recorded (same segment,
    /// status and date) are skipped. Returns how many were recorded and how many skipped.
    public static func record(_ events: [WorksEvent], into store: any PlanStore, on record: PlanRecord,
                              source: String) throws -> (recorded: Int, repeats: Int) {
        guard record.revision != nil else {
            throw InputError(source: store.location, "no revision adopted yet, so no segment to record works on; `siteplan adopt --store \(store.location)` first")
        }
        let (fresh, repeats) = WorksCheck.withoutRepeats(events, history: record.history)
        try WorksCheck.checkNew(fresh, segmentIDs: segmentIDs(record), history: record.history, today: UTCClock.today(), source: source)
        try store.record(fresh)
        return (fresh.count, repeats)
    }

    /// The works events of segment `id` (all when nil), in the order recorded; an id no revision
    /// ever had is an error, not an empty history.
    public static func events(of id: String?, in store: any PlanStore, record: PlanRecord) throws -> [WorksEvent] {
        guard let id else { return record.history.events }
        let events = record.history.events.filter { $0.assetID == id }
        if events.isEmpty, !(try store.segmentIDsEver().contains(id)) {
            throw InputError(source: store.location, "no segment \"\(id)\" in any revision (works are recorded on network segments and service lines; siteplan network --segments --store … lists them)")
        }
        return events
    }
}
