import SitePlanning
import SiteVocabulary

/// The `siteplan plan --options N` report: the options side by side and the winner.
public enum OptionsReport {
    public static let columns = ["option", "grid", "primary_street", "block_depth_m", "access_point", "winner",
                                 "dwellings_planned", "dwellings_placed", "buildings_unplaced", "street_m", "street_m_per_dwelling",
                                 "network_m", "network_m_per_dwelling", "developed_share", "detour_factor", "dead_ends", "crossing_m", "cost_streets", "cost_networks", "cost_crossings",
                                 "cost_total", "cost_per_dwelling", "currency"]

    /// One row per option (CSV and JSON).
    public static func table(_ study: OptionsStudy) -> ReportTable {
        ReportTable(columns: columns, rows: study.options.enumerated().map { i, o in
            let f = o.figures, v = o.variant
            let networks = Utility.allCases.reduce(0) { $0 + (f.cost.networks[$1] ?? 0) }
            return [.integer(o.number), .text(v.grid.rawValue), .text(v.primary.rawValue),
                    .number(o.run.scenario.rules.blockDepthMetres, decimals: 1), .integer(v.accessChoice + 1), .bool(i == study.winnerIndex),
                    .integer(f.dwellingsPlanned), .integer(f.dwellingsPlaced), .integer(f.buildingsUnplaced),
                    .number(f.streetMetres, decimals: 1), .number(f.streetMetresPerDwelling, decimals: 1),
                    .number(f.networkMetres, decimals: 1), .number(f.networkMetresPerDwelling, decimals: 1),
                    .number(f.developedShare, decimals: 4), .number(f.detourFactor, decimals: 2), .integer(f.deadEnds),
                    .number(f.crossingMetres, decimals: 1),
                    .number(f.cost.streets, decimals: 0), .number(networks, decimals: 0), .number(f.cost.crossings, decimals: 0),
                    .number(f.cost.total, decimals: 0), .number(f.costPerDwelling, decimals: 0), .text(study.unitCosts.currency)]
        })
    }

    /// The options side by side for a person: one column per option, one row per figure, the
    /// winner's column marked with a star.
    public static func sideBySide(_ study: OptionsStudy) -> ReportTable {
        let rows = table(study)
        let keep = ["grid", "primary_street", "block_depth_m", "access_point", "dwellings_placed", "buildings_unplaced",
                    "street_m_per_dwelling", "network_m_per_dwelling", "developed_share", "detour_factor", "dead_ends",
                    "crossing_m", "cost_total", "cost_per_dwelling"]
        var side = ReportTable(columns: ["figure"] + study.options.enumerated().map { i, o in
            "option \(o.number)" + (i == study.winnerIndex ? " *" : "")
        })
        for key in keep {
            let c = rows.columns.firstIndex(of: key)!
            let label = key.hasPrefix("cost") ? "\(key) (\(study.unitCosts.currency))" : key
            side.append([.text(label)] + rows.rows.map { $0[c] })
        }
        return side
    }

    /// What to print under the table: the winner and why, and where the costs come from.
    public static func summary(_ study: OptionsStudy) -> String {
        var lines = ["winner: option \(study.winner.number) (\(study.winner.label)): \(reason(study))"]
        lines.append("objective: the most of the program placed, then the lowest infrastructure cost per dwelling, then the lower option number")
        if study.costsAreDefaults {
            lines.append("unit costs: the documented defaults (illustrative, not an estimate: streets \(number(study.unitCosts.streetPerSquareMetre)) \(study.unitCosts.currency)/m², networks per metre \(Utility.allCases.map { "\($0.rawValue) \(number(study.unitCosts.networkPerMetre[$0] ?? 0))" }.joined(separator: ", ")), crossings \(number(study.unitCosts.crossingPerMetre))/m); give \"costs\" in scenario.json for your own")
        } else {
            lines.append("unit costs: from the scenario (\(study.unitCosts.currency))")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// The JSON document: the options, the winner and the reason, the unit costs.
    public static func json(_ study: OptionsStudy) -> JSONValue {
        .object(JSONObject([
            ("scenario", .string(study.winner.run.scenario.name)),
            ("winner", .number(Double(study.winner.number))), ("reason", .string(reason(study))),
            ("unit_costs_are_defaults", .bool(study.costsAreDefaults)),
            ("currency", .string(study.unitCosts.currency)),
            ("options", .array(table(study).jsonObjects())),
        ]))
    }

    static func number(_ x: Double) -> String { fixedNotation(x, decimals: x == x.rounded() ? 0 : 2) }

    /// Why the winner won, in a sentence a planner can check against the table: against the next
    /// best, on the first term of the objective where they differ.
    public static func reason(_ study: OptionsStudy) -> String {
        let w = study.winner, currency = study.unitCosts.currency
        let placed = w.figures.buildingsUnplaced == 0 ? "places the whole program (\(w.figures.dwellingsPlaced) dwellings)"
            : "leaves out the fewest buildings (\(w.figures.buildingsUnplaced))"
        guard let r = study.runnerUp else { return "option \(w.number) is the only one; it \(placed)" }
        if w.figures.buildingsUnplaced != r.figures.buildingsUnplaced {
            return "option \(w.number) \(placed); the next best, option \(r.number), leaves out \(r.figures.buildingsUnplaced)"
        }
        let cw = w.figures.costPerDwelling.rounded(), cr = r.figures.costPerDwelling.rounded()
        if cw != cr {
            let saving = (cr - cw) / cr * 100
            return "option \(w.number) \(placed) at the lowest infrastructure cost per dwelling, \(money(cw)) \(currency), \(fixedNotation(saving, decimals: 1)) % below the next best, option \(r.number) (\(money(cr)) \(currency))"
        }
        return "option \(w.number) \(placed) at the same cost per dwelling as option \(r.number) (\(money(cw)) \(currency)); the lower number wins the tie"
    }

    /// Whole currency units with thousands separators: 12,345.
    static func money(_ x: Double) -> String { grouped(Int(x.rounded()), separator: ",") }
}
