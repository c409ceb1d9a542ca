import SitePlanning
import SiteVocabulary

/// The facilities part of the plan report: per scope (town, then each parcel) and kind, what the
/// norms ask for, what the layout reserved, and how far the residents live from it.
public enum FacilityReport {
    public static let columns = ["scope", "kind", "residents", "measure", "places_needed", "places_reserved", "facilities_needed",
                                 "facilities_placed", "lot_m2", "radius_m", "max_distance_m", "p95_distance_m", "within_radius_pct"]

    public static func table(_ access: FacilityAccess) -> ReportTable {
        ReportTable(columns: columns, rows: access.figures.map { f in
            [.text(f.scope), .text(f.kind.rawValue), .integer(f.residents), .text(f.kind.measure), .number(f.placesNeeded, decimals: 0),
             .number(f.placesReserved, decimals: 0), .integer(f.facilitiesNeeded), .integer(f.facilitiesPlaced),
             .number(f.lotSquareMetres, decimals: 1), .number(f.radiusMetres, decimals: 0),
             f.maxDistanceMetres.map { .number($0, decimals: 1) } ?? .null, f.p95DistanceMetres.map { .number($0, decimals: 1) } ?? .null,
             .number(100 * f.shareWithinRadius, decimals: 1)]
        })
    }

    /// The heading of the text section.
    public static let title = "facilities (norms: rules.facilities, SP 42.13330.2016; residents = dwellings × persons per dwelling; distances: straight line from each home to the nearest facility lot, weighted by residents):"

    /// Lines saying where the facilities fall short: fewer placed than needed, or residents
    /// beyond the radius.
    public static func notes(_ access: FacilityAccess) -> [String] {
        access.figures.filter { $0.scope == "town" }.compactMap { f in
            if f.facilitiesPlaced < f.facilitiesNeeded {
                return "\(f.kind.rawValue): \(f.facilitiesPlaced) of \(f.facilitiesNeeded) placed (see unplaced)"
            }
            if f.residents > 0 && f.shareWithinRadius < 1 {
                return "\(f.kind.rawValue): \(fixedNotation(100 * (1 - f.shareWithinRadius), decimals: 1)) % of residents live farther than \(fixedNotation(f.radiusMetres, decimals: 0)) m from one"
            }
            return nil
        }
    }

    /// The `facilities` member of report.json: the table's rows.
    public static func json(_ access: FacilityAccess) -> JSONValue { .array(table(access).jsonObjects()) }
}
