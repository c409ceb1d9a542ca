import SitePlanning
import SiteVocabulary

/// The `siteplan plan` report: per-parcel coverage and what did not fit, per-block figures.
public enum PlanReport {
    public static let parcelColumns = ["parcel_id", "area_ha", "buildings", "buildings_by_type", "dwelling_units", "lot_count",
                                       "average_lot_m2", "footprint_m2", "coverage_ratio", "floor_area_ratio", "units_per_ha",
                                       "street_area_share", "open_space_share", "unplaced", "street_m_per_dwelling", "fronted_share",
                                       "dead_ends", "detour_factor", "developed_share", "reserve_ha", "unreachable_ha", "crossings"]

    public static func parcelTable(_ coverage: [ParcelCoverage]) -> ReportTable {
        ReportTable(columns: parcelColumns, rows: coverage.map { c in
            let f = c.figures
            return [.text(c.parcelID), .number(f.areaSquareMetres / 10_000, decimals: 3), .integer(f.buildingCount),
                    .text(c.buildingsByType.map { "\($0.type):\($0.count)" }.joined(separator: " ")), .integer(f.dwellingUnits),
                    .integer(f.lotCount), .number(f.averageLotSquareMetres, decimals: 1), .number(f.footprintSquareMetres, decimals: 1),
                    .number(f.coverageRatio, decimals: 4), .number(f.floorAreaRatio, decimals: 4), .number(f.unitsPerHectare, decimals: 2),
                    .number(c.streetAreaShare, decimals: 4), .number(c.openSpaceShare, decimals: 4),
                    .integer(c.unplaced.reduce(0) { $0 + $1.count }),
                    .number(c.layout.streetMetresPerDwelling, decimals: 1), .number(c.layout.frontedShare, decimals: 3),
                    .integer(c.layout.deadEnds), .number(c.layout.detourFactor, decimals: 2), .number(c.layout.developedShare, decimals: 3),
                    .number((c.layout.landUse?.reserveSquareMetres ?? 0) / 10_000, decimals: 2),
                    .number((c.layout.landUse?.unreachableSquareMetres ?? 0) / 10_000, decimals: 2), .integer(c.layout.crossings.count)]
        })
    }

    public static let blockColumns = ["block_id", "parcel_id", "area_m2", "lot_count", "average_lot_m2", "buildings", "dwelling_units",
                                      "coverage_ratio", "floor_area_ratio", "units_per_ha"]

    public static func blockTable(_ blocks: [BlockCoverage]) -> ReportTable {
        ReportTable(columns: blockColumns, rows: blocks.map { b in
            let f = b.figures
            return [.text(b.blockID), .text(b.parcelID), .number(f.areaSquareMetres, decimals: 1), .integer(f.lotCount),
                    .number(f.averageLotSquareMetres, decimals: 1), .integer(f.buildingCount), .integer(f.dwellingUnits),
                    .number(f.coverageRatio, decimals: 4), .number(f.floorAreaRatio, decimals: 4), .number(f.unitsPerHectare, decimals: 2)]
        })
    }

    /// The JSON document: scenario facts, per-parcel objects, per-block objects.
    public static func json(scenario: Scenario, plan: SitePlan, parcels: [ParcelCoverage], blocks: [BlockCoverage]) -> JSONValue {
        let parcelObjects: [JSONValue] = zip(parcels, parcelTable(parcels).jsonObjects()).map { c, row in
            var o = row.object ?? JSONObject()
            o["buildings_by_type"] = .object(JSONObject(c.buildingsByType.map { ($0.type, .number(Double($0.count))) }))
            o["unplaced"] = .array(c.unplaced.map { u in
                .object(JSONObject([("type", .string(u.typeKey)), ("count", .number(Double(u.count))), ("reason", .string(u.reason))]))
            })
            o["exclusion_share"] = ReportTable.json(.number(c.exclusionShare, decimals: 4))
            o["street_count"] = .number(Double(plan.streets.filter { $0.parcelID == c.parcelID }.count))
            o["block_count"] = .number(Double(plan.blocks.filter { $0.parcelID == c.parcelID }.count))
            o["development"] = .string(plan.development.rawValue)
            o["street_length_m"] = ReportTable.json(.number(c.layout.streetLengthMetres, decimals: 1))
            o["fronted_length_m"] = ReportTable.json(.number(c.layout.frontedLengthMetres, decimals: 1))
            if let land = c.layout.landUse {
                o["land_ha"] = ReportTable.json(.number(land.landSquareMetres / 10_000, decimals: 3))
                o["developed_ha"] = ReportTable.json(.number(land.developedSquareMetres / 10_000, decimals: 3))
                o["reserve_capacity"] = .object(JSONObject(land.reserveCapacity.map { ($0.typeKey, .number(Double($0.lots))) }))
            }
            o["crossings"] = .array(c.layout.crossings.map { x in
                .object(JSONObject([("id", .string(x.id)), ("street_id", .string(x.streetID)), ("zone_id", .string(x.zoneID)),
                                    ("zone_kind", .string(x.zoneKind)), ("length_m", ReportTable.json(.number(x.lengthMetres, decimals: 1)))]))
            })
            return .object(o)
        }
        return .object(JSONObject([
            ("scenario", .string(scenario.name)), ("planning_crs", .string(scenario.frame.crs.description)),
            ("seed", .number(Double(plan.seed))), ("parcels", .array(parcelObjects)),
            ("blocks", .array(blockTable(blocks).jsonObjects())),
        ]))
    }

    /// Lines on each parcel's reserve land (and what it could hold), unreachable land and
    /// street crossings, for the text report.
    public static func layoutLines(_ coverage: [ParcelCoverage]) -> String {
        var lines: [String] = []
        for c in coverage {
            let m = c.layout
            if let land = m.landUse {
                let capacity = land.reserveCapacity.filter { $0.lots > 0 }.map { "\($0.lots) \($0.typeKey)" }
                var line = "\(c.parcelID): developed \(fixedNotation(land.developedSquareMetres / 10_000, decimals: 2)) ha of \(fixedNotation(land.landSquareMetres / 10_000, decimals: 2)) ha of land; reserve \(fixedNotation(land.reserveSquareMetres / 10_000, decimals: 2)) ha"
                line += capacity.isEmpty ? "" : " (room for \(capacity.joined(separator: " or ")) lots)"
                if land.unreachableSquareMetres >= 1 { line += "; unreachable \(fixedNotation(land.unreachableSquareMetres / 10_000, decimals: 2)) ha (beyond a zone streets may not cross)" }
                lines.append(line)
            }
            for x in m.crossings {
                lines.append("\(c.parcelID): street \(x.streetID) crosses \(x.zoneID) (\(x.zoneKind)) for \(fixedNotation(x.lengthMetres, decimals: 1)) m: bridge or culvert \(x.id)")
            }
        }
        return lines.isEmpty ? "" : lines.joined(separator: "\n") + "\n"
    }

    /// Lines saying what did not fit, for the text report.
    public static func unplacedLines(_ coverage: [ParcelCoverage]) -> String {
        let lines = coverage.flatMap { $0.unplaced }.map { "not placed: \($0.count) × \($0.typeKey) in \($0.parcelID): \($0.reason)" }
        return lines.isEmpty ? "all buildings of the program placed\n" : lines.joined(separator: "\n") + "\n"
    }
}
