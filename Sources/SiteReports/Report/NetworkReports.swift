import SitePlanning
import SiteVocabulary

/// The network figures of the `siteplan plan` report: length per dwelling of each utility and
/// in all, trunk and main crossings of lots, buildings and exclusion zones (0 in an acceptable
/// plan), and whether the water mains are looped. Keys carry units.
public enum NetworkReports {
    public static let columns = ["scope", "dwellings"] + Utility.allCases.map { "\($0.rawValue)_m_per_dwelling" }
        + ["network_m_per_dwelling", "network_m", "crossings_lots", "crossings_buildings", "crossings_zones", "water_looped", "water_loops"]

    public static func table(_ metrics: NetworkMetrics) -> ReportTable {
        ReportTable(columns: columns, rows: ([metrics.town] + metrics.parcels).map { s in
            [.text(s.scope), .integer(s.dwellings)]
                + Utility.allCases.map { .number(s.lengthPerDwellingMetres($0), decimals: 1) }
                + [.number(s.lengthPerDwellingMetres(nil), decimals: 1), .number(s.totalLengthMetres, decimals: 1),
                   .integer(s.crossings.lots), .integer(s.crossings.buildings), .integer(s.crossings.zones),
                   .bool(s.waterLooped), .integer(s.waterLoops)]
        })
    }

    /// The `networks` member of report.json: the table's rows, each with the ids of the
    /// segments that cross something (`crossing_segment_ids`, empty in an acceptable plan).
    public static func json(_ metrics: NetworkMetrics) -> JSONValue {
        .array(zip([metrics.town] + metrics.parcels, table(metrics).jsonObjects()).map { s, row in
            var o = row.object ?? JSONObject()
            o["crossing_segment_ids"] = .array(s.crossings.segmentIDs.map { .string($0) })
            return .object(o)
        })
    }
}
