import SitePlanning
import SiteVocabulary

/// Tables and JSON for `siteplan progress`, `network`, `trace` and `households`.
public enum ProgressReports {
    static func pct(_ x: Double) -> ReportTable.Cell { .number(x, decimals: 1) }

    public static let scopeColumns = ["scope", "works_complete_pct", "mains_complete_pct"] + Utility.allCases.map { "\($0.rawValue)_pct" }
        + ["buildings", "dwellings", "buildings_fully_connected", "dwellings_fully_connected", "buildings_in_service", "served_area_ha"]

    /// One row for the town and one per parcel.
    public static func scopeTable(_ p: ProgressReport) -> ReportTable {
        ReportTable(columns: scopeColumns, rows: ([p.town] + p.parcels).map { a in
            [.text(a.scope), pct(a.worksCompletePercent), pct(a.mainsCompletePercent)] + a.utilities.map { pct($0.worksCompletePercent) }
                + [.integer(a.buildings), .integer(a.dwellings), .integer(a.buildingsFullyConnected), .integer(a.dwellingsFullyConnected),
                   .integer(a.buildingsInServiceAll), .number(a.servedAreaAllSquareMetres / 10_000, decimals: 2)]
        })
    }

    public static let utilityColumns = ["utility", "length_m", "built_m", "works_complete_pct", "buildings_connected", "dwellings_connected",
                                        "buildings_in_service", "dwellings_in_service", "served_area_ha"]

    public static func utilityTable(_ a: AreaProgress) -> ReportTable {
        ReportTable(columns: utilityColumns, rows: a.utilities.map { u in
            [.text(u.utility.rawValue), .number(u.totalLengthMetres, decimals: 1), .number(u.builtLengthMetres, decimals: 1),
             pct(u.worksCompletePercent), .integer(u.buildingsConnected), .integer(u.dwellingsConnected),
             .integer(u.buildingsInService), .integer(u.dwellingsInService), .number(u.servedAreaSquareMetres / 10_000, decimals: 2)]
        })
    }

    public static let nextColumns = ["rank", "building_id", "utilities", "segments", "length_m", "dwellings_unlocked", "buildings_unlocked",
                                     "dwellings_per_100m", "segment_ids"]

    /// The next work packages, best first. The text names at most `idsShown` segments per
    /// package (then how many more); the JSON lists them all.
    public static func nextTable(_ next: [WorkPackage], idsShown: Int = 3) -> ReportTable {
        ReportTable(columns: nextColumns, rows: next.enumerated().map { k, w in
            let ids = w.segmentIDs.count > idsShown + 1
                ? w.segmentIDs.prefix(idsShown).joined(separator: " ") + " +\(w.segmentIDs.count - idsShown) more"
                : w.segmentIDs.joined(separator: " ")
            return [.integer(k + 1), .text(w.buildingID), .text(w.utilities.map(\.rawValue).joined(separator: ",")), .integer(w.segmentIDs.count),
                    .number(w.lengthMetres, decimals: 1), .integer(w.dwellingsUnlocked), .integer(w.buildingsUnlocked.count),
                    .number(w.dwellingsPerHundredMetres, decimals: 2), .text(ids)]
        })
    }

    /// One work package as JSON, with every segment and building id.
    static func workPackage(_ w: WorkPackage, rank: Int) -> JSONValue {
        .object(JSONObject([("rank", .number(Double(rank))), ("building_id", .string(w.buildingID)),
                            ("utilities", .array(w.utilities.map { .string($0.rawValue) })),
                            ("length_m", ReportTable.json(.number(w.lengthMetres, decimals: 1))),
                            ("dwellings_unlocked", .number(Double(w.dwellingsUnlocked))),
                            ("buildings_unlocked", .number(Double(w.buildingsUnlocked.count))),
                            ("dwellings_per_100m", ReportTable.json(.number(w.dwellingsPerHundredMetres, decimals: 2))),
                            ("building_ids", .array(w.buildingsUnlocked.map { .string($0) })),
                            ("segment_ids", .array(w.segmentIDs.map { .string($0) }))]))
    }

    static func area(_ a: AreaProgress) -> JSONObject {
        var o = JSONObject()
        o["works_complete_pct"] = .object(JSONObject([("overall", ReportTable.json(pct(a.worksCompletePercent)))]
            + a.utilities.map { ($0.utility.rawValue, ReportTable.json(pct($0.worksCompletePercent))) }))
        o["mains_complete_pct"] = .object(JSONObject([("overall", ReportTable.json(pct(a.mainsCompletePercent)))]
            + a.utilities.map { ($0.utility.rawValue, ReportTable.json(pct($0.mainsCompletePercent))) }))
        o["length_m"] = .object(JSONObject(a.utilities.map { u in
            (u.utility.rawValue, .object(JSONObject([("total", ReportTable.json(.number(u.totalLengthMetres, decimals: 1)))]
                + u.lengthByStatusMetres.map { ($0.status.rawValue, ReportTable.json(.number($0.metres, decimals: 1))) })))
        }))
        o["buildings"] = .number(Double(a.buildings))
        o["dwellings"] = .number(Double(a.dwellings))
        o["buildings_connected"] = .object(JSONObject(a.utilities.map { ($0.utility.rawValue, .number(Double($0.buildingsConnected))) }))
        o["dwellings_connected"] = .object(JSONObject(a.utilities.map { ($0.utility.rawValue, .number(Double($0.dwellingsConnected))) }))
        o["buildings_fully_connected"] = .number(Double(a.buildingsFullyConnected))
        o["dwellings_fully_connected"] = .number(Double(a.dwellingsFullyConnected))
        o["service_coverage"] = .object(JSONObject([
            ("buildings_share", ReportTable.json(.number(a.buildings > 0 ? Double(a.buildingsInServiceAll) / Double(a.buildings) : 0, decimals: 4))),
            ("dwellings_share", ReportTable.json(.number(a.dwellings > 0 ? Double(a.dwellingsInServiceAll) / Double(a.dwellings) : 0, decimals: 4))),
            ("served_area_ha", ReportTable.json(.number(a.servedAreaAllSquareMetres / 10_000, decimals: 2))),
            ("per_utility", .object(JSONObject(a.utilities.map { u in
                (u.utility.rawValue, .object(JSONObject([
                    ("buildings", .number(Double(u.buildingsInService))), ("dwellings", .number(Double(u.dwellingsInService))),
                    ("served_area_ha", ReportTable.json(.number(u.servedAreaSquareMetres / 10_000, decimals: 2))),
                ])))
            }))),
        ]))
        return o
    }

    public static func json(_ run: PlanRun) -> JSONValue {
        let p = run.progress
        var o = JSONObject([("scenario", .string(run.scenario.name)), ("as_of", p.asOf.map { .string($0.description) } ?? .null),
                            ("service_distance_m", .number(p.serviceDistanceMetres))])
        for member in area(p.town) { o[member.key] = member.value }
        o["households_housed"] = .number(Double(run.households.familiesHoused))
        o["people_housed"] = .number(Double(run.households.peopleHoused))
        o["parcels"] = .array(p.parcels.map { a in
            var x = JSONObject([("parcel_id", .string(a.scope))])
            for member in area(a) { x[member.key] = member.value }
            return .object(x)
        })
        o["next_work_packages"] = .array(p.nextWorkPackages.enumerated().map { workPackage($1, rank: $0 + 1) })
        o["households"] = householdsJSON(run.households)
        o["warnings"] = .array(p.warnings.map { .string($0) })
        if let revision = run.record?.revision {
            // On a plan of record: which revision, what was not counted, and the history's warnings.
            o["revision"] = .number(Double(revision.number))
            o["works_notes"] = .array(run.recordNotes.map { .string($0) })
            o["works_warnings"] = .array(WorksCheck.warnings(run).map { .string($0) })
        }
        return .object(o)
    }

    /// `siteplan network`: length per utility and status, for the town.
    public static let networkColumns = ["utility", "segments", "length_m"] + WorksStatus.allCases.map { "\($0.rawValue)_m" }

    public static func networkTable(_ run: PlanRun) -> ReportTable {
        let asOf = run.progress.asOf
        var rows: [[ReportTable.Cell]] = []
        for u in Utility.allCases {
            let segments = run.network.segments.filter { $0.utility == u }
            var byStatus: [WorksStatus: Double] = [:]
            for s in segments { byStatus[run.status.status(of: s.id, asOf: asOf), default: 0] += s.lengthMetres }
            rows.append([.text(u.rawValue), .integer(segments.count), .number(segments.reduce(0) { $0 + $1.lengthMetres }, decimals: 1)]
                        + WorksStatus.allCases.map { .number(byStatus[$0] ?? 0, decimals: 1) })
        }
        return ReportTable(columns: networkColumns, rows: rows)
    }

    public static let segmentColumns = ["segment_id", "utility", "kind", "parcel_id", "building_id", "length_m", "status", "date"]

    /// Every segment, for editing a status file.
    public static func segmentTable(_ run: PlanRun) -> ReportTable {
        ReportTable(columns: segmentColumns, rows: run.network.segments.map { s in
            [.text(s.id), .text(s.utility.rawValue), .text(s.kind.rawValue), .text(s.parcelID), s.buildingID.map { .text($0) } ?? .null,
             .number(s.lengthMetres, decimals: 2), .text(run.status.status(of: s.id, asOf: run.progress.asOf).rawValue),
             run.status.date(of: s.id).map { .text($0.description) } ?? .null]
        })
    }

    public static let traceColumns = ["step", "segment_id", "kind", "length_m", "status", "date", "blocking"]

    public static func traceTable(_ t: ConnectionTracer.Trace, _ run: PlanRun) -> ReportTable {
        ReportTable(columns: traceColumns, rows: t.path.enumerated().map { k, i in
            let s = run.network.segments[i]
            let status = run.status.status(of: s.id, asOf: run.progress.asOf)
            return [.integer(k + 1), .text(s.id), .text(s.kind.rawValue), .number(s.lengthMetres, decimals: 1), .text(status.rawValue),
                    run.status.date(of: s.id).map { .text($0.description) } ?? .null, .bool(!status.isBuilt)]
        })
    }

    /// Each utility's trace of a building as a verdict line, a table and a JSON document
    /// (utilities the building has no service line for are left out).
    public static func traces(building: String, utilities: [Utility], run: PlanRun)
        -> [(utility: Utility, verdict: String, table: ReportTable, json: JSONValue)] {
        let tracer = ConnectionTracer(network: run.network, status: run.status, asOf: run.progress.asOf)
        return utilities.compactMap { utility in
            guard let t = tracer.trace(building: building, utility: utility) else { return nil }
            let table = traceTable(t, run)
            let verdict = t.connected ? "connected"
                : !t.reachesSource ? "no path to a \(utility.rawValue) source"
                : "not connected: \(t.blocking.count) segment(s) block it"
            let json = JSONValue.object(JSONObject([
                ("building_id", .string(building)), ("utility", .string(utility.rawValue)), ("connected", .bool(t.connected)),
                ("blocking", .array(t.blocking.map { .string(run.network.segments[$0].id) })),
                ("path", .array(table.jsonObjects())),
            ]))
            return (utility, verdict, table, json)
        }
    }

    public static let householdColumns = ["family_id", "group", "size", "return_date", "building_id", "unit", "capacity", "housed", "reason"]

    public static func householdTable(_ h: HouseholdAllocation) -> ReportTable {
        let assigned = Dictionary(uniqueKeysWithValues: h.assignments.map { ($0.familyID, $0) })
        let unhoused = Dictionary(uniqueKeysWithValues: h.unhoused.map { ($0.familyID, $0) })
        return ReportTable(columns: householdColumns, rows: h.families.map { f in
            let a = assigned[f.id]
            let waiting = h.awaiting.contains { $0.id == f.id }
            return [.text(f.id), .text(f.group), .integer(f.size), f.returnDate.map { .text($0.description) } ?? .null,
                    a.map { .text($0.buildingID) } ?? .null, a.map { .integer($0.unit) } ?? .null,
                    a.map { .integer($0.capacity) } ?? .null, .bool(a != nil),
                    .text(unhoused[f.id]?.reason ?? (waiting ? "not back yet: returns on \(f.returnDate!)" : ""))]
        })
    }

    /// Dwellings, fully connected dwellings and occupied dwellings, for the town and per parcel.
    public static func occupancyTable(_ h: HouseholdAllocation) -> ReportTable {
        ReportTable(columns: ["scope", "dwellings", "connected_dwellings", "occupied_dwellings", "occupied_of_connected_pct"], rows: h.occupancy.map { o in
            [.text(o.scope), .integer(o.dwellings), .integer(o.connectedDwellings), .integer(o.occupiedDwellings),
             o.connectedDwellings > 0 ? .number(100 * Double(o.occupiedDwellings) / Double(o.connectedDwellings), decimals: 1) : .null]
        })
    }

    public static func householdsJSON(_ h: HouseholdAllocation) -> JSONValue {
        var groups: [(String, JSONValue)] = []
        for group in h.families.map(\.group).reduce(into: [String](), { if !$0.contains($1) { $0.append($1) } }) {
            let members = h.families.filter { $0.group == group }
            groups.append((group, .object(JSONObject([("families", .number(Double(members.count))),
                                                      ("people", .number(Double(members.reduce(0) { $0 + $1.size })))]))))
        }
        return .object(JSONObject([
            ("families", .number(Double(h.families.count))), ("people", .number(Double(h.families.reduce(0) { $0 + $1.size }))),
            ("groups", .object(JSONObject(groups))),
            ("families_housed", .number(Double(h.familiesHoused))), ("people_housed", .number(Double(h.peopleHoused))),
            ("connected_dwellings_free", .number(Double(h.freeConnectedDwellings))),
            ("families_awaiting", .number(Double(h.awaiting.count))),
            ("occupancy", .array(occupancyTable(h).jsonObjects())),
            ("unhoused", .array(h.unhoused.map { u in
                .object(JSONObject([("family_id", .string(u.familyID)), ("size", .number(Double(u.size))), ("reason", .string(u.reason))]))
            })),
            ("assignments", .array(householdTable(h).jsonObjects())),
        ]))
    }
}

/// The full `siteplan plan` report of a run, with the figures it was made from, so a caller
/// prints its tables from the same figures without computing them again.
public struct PlanDocument: Sendable {
    public let parcels: [ParcelCoverage]
    public let blocks: [BlockCoverage]
    public let networks: NetworkMetrics
    public let facilities: FacilityAccess
    /// The report as `report.json` holds it.
    public let json: JSONValue
}

extension PlanReport {
    /// The full `siteplan plan` report of a run: coverage per parcel and block (with `layout`'s
    /// metrics, computed when nil), the network figures as its `networks` member, the works
    /// progress as `progress`, the facilities' access as `facilities`, and the warnings.
    public static func document(_ run: PlanRun, layout: [LayoutMetrics]? = nil) throws -> PlanDocument {
        let parcels = try CoverageAnalysis.parcels(run.plan, scenario: run.scenario, layout: layout)
        let blocks = try CoverageAnalysis.blocks(run.plan)
        let networks = try NetworkMetrics.compute(scenario: run.scenario, plan: run.plan, network: run.network)
        let facilities = try FacilityAccess.compute(scenario: run.scenario, plan: run.plan)
        var document = json(scenario: run.scenario, plan: run.plan, parcels: parcels, blocks: blocks)
        if case .object(var o) = document {
            o["networks"] = NetworkReports.json(networks)
            o["progress"] = ProgressReports.json(run)
            o["facilities"] = FacilityReport.json(facilities)
            o["warnings"] = .array(FloorAreaCheck.warnings(run.scenario).map { .string($0) })
            document = .object(o)
        }
        return PlanDocument(parcels: parcels, blocks: blocks, networks: networks, facilities: facilities, json: document)
    }
}
