import SiteVocabulary
import SiteGeometry

/// Coverage figures of one area (a parcel or a block), every one computed from the plan's
/// geometry. Areas in m², ratios as fractions (0.25 = 25 %).
public struct CoverageFigures: Sendable, Equatable {
    /// The area the ratios are taken over (the parcel or block), planar m².
    public let areaSquareMetres: Double
    /// Buildings with dwellings (facility buildings are in the footprint and floor area, not here).
    public let buildingCount: Int
    public let dwellingUnits: Int
    /// Sum of building footprint areas, m².
    public let footprintSquareMetres: Double
    /// Sum of footprint × storeys, m².
    public let floorAreaSquareMetres: Double
    /// Lots of buildings with dwellings (facility lots left out).
    public let lotCount: Int
    /// Mean area of those lots, m² (0 without lots).
    public let averageLotSquareMetres: Double

    /// Building coverage ratio: footprint / area.
    public var coverageRatio: Double { areaSquareMetres > 0 ? footprintSquareMetres / areaSquareMetres : 0 }
    /// Floor-area ratio: footprint × storeys / area.
    public var floorAreaRatio: Double { areaSquareMetres > 0 ? floorAreaSquareMetres / areaSquareMetres : 0 }
    /// Dwelling units per hectare of the area.
    public var unitsPerHectare: Double { areaSquareMetres > 0 ? Double(dwellingUnits) / (areaSquareMetres / 10_000) : 0 }
}

/// A parcel's coverage, with the shares of its land and what did not fit.
public struct ParcelCoverage: Sendable {
    public let parcelID: String
    public let figures: CoverageFigures
    /// Buildings placed per type key, in program order (dwelling types; facilities are in `FacilityAccess`).
    public let buildingsByType: [(type: String, count: Int)]
    /// Street corridors / parcel area.
    public let streetAreaShare: Double
    /// Exclusion zones (inside the parcel) / parcel area.
    public let exclusionShare: Double
    /// Land neither built on nor street: 1 - coverage - street share (lots' gardens, exclusion
    /// zones, left-over land).
    public var openSpaceShare: Double { max(0, 1 - figures.coverageRatio - streetAreaShare) }
    public let unplaced: [Unplaced]
    /// Street economy, frontage, dead ends, detours, land use and crossings.
    public let layout: LayoutMetrics
}

public struct BlockCoverage: Sendable {
    public let blockID: String
    public let parcelID: String
    public let figures: CoverageFigures
}

/// Computes coverage per parcel and per block of a plan.
public enum CoverageAnalysis {
    /// - Parameter layout: the parcels' layout metrics when already computed
    ///   (`LayoutMetricsAnalysis.parcels`, scenario order); nil to compute them.
    public static func parcels(_ plan: SitePlan, scenario: Scenario, layout: [LayoutMetrics]? = nil) throws -> [ParcelCoverage] {
        let zones = scenario.exclusions.map(\.boundaryPlanar)
        let allZones = zones.isEmpty ? nil : try Geometry.union(of: zones)
        let facilityLots = Set(plan.facilities.map(\.lotID))
        if let layout { precondition(layout.map(\.parcelID) == scenario.parcels.map(\.id), "layout metrics of other parcels") }
        return try scenario.parcels.enumerated().map { index, parcel in
            let buildings = plan.buildings.filter { $0.parcelID == parcel.id }
            let lots = plan.lots.filter { $0.parcelID == parcel.id }
            let area = try parcel.boundaryPlanar.area
            let figures = try figuresFor(area: area, buildings: buildings, lots: lots, facilityLots: facilityLots)
            var byType: [(String, Int)] = []
            for item in scenario.program(for: parcel.id).items where item.type.facility == nil && !byType.contains(where: { $0.0 == item.type.key }) {
                byType.append((item.type.key, buildings.filter { $0.type.key == item.type.key }.count))
            }
            let excluded = try allZones?.intersection(parcel.boundaryPlanar).area ?? 0
            return ParcelCoverage(parcelID: parcel.id, figures: figures, buildingsByType: byType,
                                  streetAreaShare: (plan.streetAreaSquareMetres[parcel.id] ?? 0) / area,
                                  exclusionShare: excluded / area,
                                  unplaced: plan.unplaced.filter { $0.parcelID == parcel.id },
                                  layout: try layout?[index] ?? LayoutMetricsAnalysis.metrics(of: parcel.id, plan))
        }
    }

    public static func blocks(_ plan: SitePlan) throws -> [BlockCoverage] {
        var buildingsByBlock: [String: [Building]] = [:]
        for b in plan.buildings { buildingsByBlock[b.blockID, default: []].append(b) }
        var lotsByBlock: [String: [Lot]] = [:]
        for l in plan.lots { lotsByBlock[l.blockID, default: []].append(l) }
        let facilityLots = Set(plan.facilities.map(\.lotID))
        return try plan.blocks.map { block in
            BlockCoverage(blockID: block.id, parcelID: block.parcelID,
                          figures: try figuresFor(area: block.polygonPlanar.area, buildings: buildingsByBlock[block.id] ?? [],
                                                  lots: lotsByBlock[block.id] ?? [], facilityLots: facilityLots))
        }
    }

    static func figuresFor(area: Double, buildings: [Building], lots allLots: [Lot], facilityLots: Set<String> = []) throws -> CoverageFigures {
        var footprint = 0.0, floor = 0.0, units = 0
        let lots = allLots.filter { !facilityLots.contains($0.id) }
        for b in buildings {
            let a = try b.footprintPlanar.area
            footprint += a
            floor += a * Double(b.storeys)
            units += b.units
        }
        let lotArea = try lots.reduce(0.0) { try $0 + $1.polygonPlanar.area }
        return CoverageFigures(areaSquareMetres: area, buildingCount: buildings.filter { $0.type.facility == nil }.count, dwellingUnits: units,
                               footprintSquareMetres: footprint, floorAreaSquareMetres: floor, lotCount: lots.count,
                               averageLotSquareMetres: lots.isEmpty ? 0 : lotArea / Double(lots.count))
    }
}
