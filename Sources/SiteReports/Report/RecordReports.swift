import SiteFiles
import SitePlanning
import SiteVocabulary
import SiteProjection

/// The plan of record's reports: revisions, works history and comparisons.
public enum RecordReports {
    public static func revisionTable(_ revisions: [RevisionInfo]) -> ReportTable {
        ReportTable(columns: ["revision", "adopted_at", "author", "scenario", "seed", "message"], rows: revisions.map {
            [.integer($0.number), .text($0.adoptedAt), .text($0.author), .text($0.scenario), .text(String($0.seed)), .text($0.message)]
        })
    }

    public static func revisionsJSON(_ revisions: [RevisionInfo]) -> JSONValue {
        .array(revisions.map { r in .object(JSONObject([
            ("revision", .number(Double(r.number))), ("adopted_at", .string(r.adoptedAt)), ("author", .string(r.author)),
            ("scenario", .string(r.scenario)), ("seed", .string(String(r.seed))), ("planning_crs", .string(r.planningCRS.description)), ("message", .string(r.message)),
        ])) })
    }

    public static func eventTable(_ events: [WorksEvent]) -> ReportTable {
        ReportTable(columns: ["asset_id", "status", "date", "recorded_by", "note", "where"], rows: events.map {
            [.text($0.assetID), .text($0.status.rawValue), .text($0.date.description), .text($0.recordedBy), .text($0.note), .text($0.origin)]
        })
    }

    public static func eventsJSON(_ events: [WorksEvent]) -> JSONValue {
        .array(events.map { e in .object(JSONObject([
            ("asset_id", .string(e.assetID)), ("status", .string(e.status.rawValue)), ("date", .string(e.date.description)),
            ("recorded_by", .string(e.recordedBy)), ("note", .string(e.note)), ("where", .string(e.origin)),
        ])) })
    }

    /// Per layer: how many features were added, removed, moved (and the farthest move) and
    /// changed, and how many stayed the same.
    public static func diffTable(_ c: PlanComparison) -> ReportTable {
        ReportTable(columns: ["layer", "added", "removed", "moved", "max_move_m", "changed", "unchanged"], rows: c.layers.map { d in
            [.text(d.layer), .integer(d.added.count), .integer(d.removed.count), .integer(d.moved.count),
             d.moved.isEmpty ? .null : .number(d.moved.map(\.distanceMetres).max()!, decimals: 2), .integer(d.changed.count), .integer(d.unchanged)]
        })
    }

    /// Every figure before and after, and the change.
    public static func figuresTable(_ c: PlanComparison) -> ReportTable {
        let before = c.before.rows, after = c.after.rows
        return ReportTable(columns: ["figure", "unit", c.beforeLabel.replacingOccurrences(of: " ", with: "_"), c.afterLabel.replacingOccurrences(of: " ", with: "_"), "change"],
                           rows: zip(before, after).map { b, a in
            let decimals = a.unit.isEmpty ? 0 : (a.unit == "%" ? 2 : 1)
            // Rounded before the subtraction, so the change is the difference of what is shown.
            func rounded(_ x: Double) -> Double { let f = [1.0, 10, 100][decimals]; return (x * f).rounded() / f }
            let change = rounded(a.value) - rounded(b.value)
            return [.text(a.name), .text(a.unit), .number(b.value, decimals: decimals), .number(a.value, decimals: decimals), .number(change == 0 ? 0 : change, decimals: decimals)]
        })
    }

    public static func diffJSON(_ c: PlanComparison) -> JSONValue {
        .object(JSONObject([
            ("before", .string(c.beforeLabel)), ("after", .string(c.afterLabel)),
            ("layers", .array(c.layers.map { d in .object(JSONObject([
                ("layer", .string(d.layer)),
                ("added", .array(d.added.compactMap(\.id).map { .string($0) })),
                ("removed", .array(d.removed.compactMap(\.id).map { .string($0) })),
                ("moved", .array(d.moved.map { .object(JSONObject([("id", .string($0.id)), ("distance_m", .number($0.distanceMetres, decimals: 3))])) })),
                ("changed", .array(d.changed.map { .object(JSONObject([("id", .string($0.id)), ("attributes", .array($0.keys.map { .string($0) }))])) })),
                ("unchanged", .number(Double(d.unchanged))),
            ])) })),
            ("figures", .array(zip(c.before.rows, c.after.rows).map { b, a in .object(JSONObject([
                ("figure", .string(a.name)), ("unit", .string(a.unit)), ("before", .number(b.value, decimals: 4)),
                ("after", .number(a.value, decimals: 4)), ("change", .number(a.value - b.value, decimals: 4)),
            ])) })),
        ]))
    }

    /// The changes as layers for QGIS, one per changed layer (`<layer>_changes`), in the
    /// planning CRS: each feature with `change` = added, removed (its old geometry), moved
    /// (its new geometry, with `moved_m`) or changed (with `changed_attributes`).
    public static func changeLayers(_ c: PlanComparison, crs: CRS) -> [Layer] {
        c.layers.filter { !$0.isEmpty }.map { d in
            let after = Dictionary((c.afterLayers.first { $0.name == d.layer }?.features ?? []).compactMap { f in f.id.map { ($0, f) } }, uniquingKeysWith: { a, _ in a })
            func tagged(_ f: Feature, _ change: String, _ extra: [(String, JSONValue)] = []) -> Feature {
                var g = f
                var p = JSONObject([("change", .string(change))])
                for (k, v) in extra { p[k] = v }
                for (k, v) in f.properties where p[k] == nil { p[k] = v }
                g.properties = p
                return g
            }
            var features = d.added.map { tagged($0, "added") } + d.removed.map { tagged($0, "removed") }
            features += d.moved.compactMap { m in after[m.id].map { tagged($0, "moved", [("moved_m", .number(m.distanceMetres, decimals: 3))]) } }
            let movedIDs = Set(d.moved.map(\.id))
            features += d.changed.filter { !movedIDs.contains($0.id) }.compactMap { ch in
                after[ch.id].map { tagged($0, "changed", [("changed_attributes", .string(ch.keys.joined(separator: ",")))]) }
            }
            return Layer(name: d.layer + "_changes", crs: crs, features: features)
        }
    }
}

extension RecordReports {
    /// What `adopt` says: the revision, what kept its id, moved, came and went, what stayed as
    /// built; that nothing changed when nothing did; then the run's notes.
    public static func adoptSummary(_ run: PlanRun, revision: RevisionInfo, changes: [LayerDiff], location: String) -> [String] {
        let matched = run.identity?.matched.values.reduce(0, +) ?? 0
        let total = run.plan.streets.count + run.plan.blocks.count + run.plan.lots.count + run.plan.buildings.count + run.network.segments.count
        let assets = changes.filter { RecordLayers.assetLayers.contains($0.layer) }
        let removed = assets.reduce(0) { $0 + $1.removed.count }, moved = assets.reduce(0) { $0 + $1.moved.count }
        var lines = ["revision \(revision.number) adopted into \(location): \(run.plan.buildings.count) buildings, \(run.network.segments.count) segments; \(matched) of \(total) features kept their ids\(moved > 0 ? " (\(moved) of them moved by up to 1 m)" : ""), \(total - matched) are new, \(removed) removed; \(run.fixed.segments.count) built segments and \(run.fixed.buildings.count) built buildings kept in place"]
        if let previous = run.record?.revision, changes.allSatisfy(\.isEmpty) {
            lines.append("(nothing changed since revision \(previous.number): the new revision records the same plan)")
        }
        return lines + run.recordNotes.map { "note: \($0)" }
    }
}
