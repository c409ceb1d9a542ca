import SiteGeometry
import SiteVocabulary

/// Checks every rule a layout must keep, on real GEOS geometry, and lists what breaks them in
/// words: a planner's acceptance check of a plan, and what the tests assert on every layout.
///
/// Rules (tolerance 1 cm): every building inside its lot and parcel, keeping its type's front setback
/// from every street corridor and side/rear setback from its lot lines, outside every
/// exclusion zone, with its type's footprint area; no two footprints overlapping or closer than
/// the minimum spacing; every lot touching a street, with frontage, overlapping no other lot;
/// placed plus reported shortfall equal to the program, type by type.
///
///     XCTAssertEqual(try PlanCheck.violations(plan, scenario), [])
public enum PlanCheck {
    /// Metres.
    public static let toleranceMetres = 0.01

    /// What breaks a rule, one line each; empty for a plan that keeps them all.
    public static func violations(_ plan: SitePlan, _ scenario: Scenario) throws -> [String] {
        let tolerance = toleranceMetres
        let rules = scenario.rules
        var problems: [String] = []
        let lots = Dictionary(uniqueKeysWithValues: plan.lots.map { ($0.id, $0) })
        let parcels = Dictionary(uniqueKeysWithValues: scenario.parcels.map { ($0.id, $0) })
        var corridorsByParcel: [String: Geometry] = [:]
        for parcel in scenario.parcels {
            let streets = plan.streets.filter { $0.parcelID == parcel.id }
            corridorsByParcel[parcel.id] = try Geometry.union(of: streets.map { try $0.centrelinePlanar.buffer($0.widthMetres / 2, style: .corridor) })
                .intersection(parcel.boundaryPlanar)
        }
        let exclusions = scenario.exclusions

        for building in plan.buildings {
            guard let lot = lots[building.lotID] else { problems.append("\(building.id): its lot \(building.lotID) does not exist"); continue }
            guard let parcel = parcels[building.parcelID] else { problems.append("\(building.id): its parcel \(building.parcelID) does not exist"); continue }
            let f = building.footprintPlanar
            if !(try lot.polygonPlanar.buffer(tolerance).covers(f)) { problems.append("\(building.id): not inside its lot \(lot.id)") }
            if !(try parcel.boundaryPlanar.buffer(tolerance).covers(f)) { problems.append("\(building.id): not inside its parcel \(parcel.id)") }
            if lot.parcelID != building.parcelID { problems.append("\(building.id): its lot is in parcel \(lot.parcelID), the building in \(building.parcelID)") }
            if let corridors = corridorsByParcel[building.parcelID] {
                let toStreet = try corridors.distance(to: f)
                let front = rules.setbacks(of: building.type).frontMetres
                if toStreet < front - tolerance {
                    problems.append("\(building.id): \(fixedNotation(toStreet, decimals: 2)) m from a street, the front setback is \(front) m")
                }
            }
            let toLotLine = try lot.polygonPlanar.boundary().distance(to: f)
            let setbacks = rules.setbacks(of: building.type)
            let sideRear = min(setbacks.sideMetres, setbacks.rearMetres)
            if toLotLine < sideRear - tolerance {
                problems.append("\(building.id): \(fixedNotation(toLotLine, decimals: 2)) m from a lot line, the side/rear setback is \(sideRear) m")
            }
            for zone in exclusions where try zone.boundaryPlanar.intersection(f).area >= 1e-6 {
                problems.append("\(building.id): inside exclusion zone \(zone.id)")
            }
            let area = try f.area
            if abs(area - building.type.footprintSquareMetres) > 0.01 {
                problems.append("\(building.id): footprint \(fixedNotation(area, decimals: 2)) m², its type has \(building.type.footprintSquareMetres) m²")
            }
        }

        let tree = try STRtree(plan.buildings.map { ($0.footprintPlanar, $0.id) })
        let widestSpacing = plan.buildings.map { rules.spacing(of: $0.type) }.max() ?? rules.minBuildingSpacingMetres
        for (i, b) in plan.buildings.enumerated() {
            let near = try tree.query(intersecting: b.footprintPlanar.envelope().expanded(by: widestSpacing))
            for j in near where j > i {
                let other = plan.buildings[j]
                if try b.footprintPlanar.intersection(other.footprintPlanar).area >= 1e-6 { problems.append("\(b.id): overlaps \(other.id)") }
                let gap = try b.footprintPlanar.distance(to: other.footprintPlanar)
                // Between two types the larger spacing applies (0 for two terraced houses).
                let spacing = max(rules.spacing(of: b.type), rules.spacing(of: other.type))
                if gap < spacing - tolerance {
                    problems.append("\(b.id): \(fixedNotation(gap, decimals: 2)) m from \(other.id), the minimum spacing is \(spacing) m")
                }
            }
        }

        let lotTree = try STRtree(plan.lots.map { ($0.polygonPlanar, $0.id) })
        for (i, lot) in plan.lots.enumerated() {
            if let corridors = corridorsByParcel[lot.parcelID], try corridors.distance(to: lot.polygonPlanar) >= tolerance {
                problems.append("\(lot.id): touches no street")
            }
            if lot.frontageMetres <= 0 { problems.append("\(lot.id): no street frontage") }
            for j in try lotTree.query(intersectingEnvelopeOf: lot.polygonPlanar) where j > i {
                if try lot.polygonPlanar.intersection(plan.lots[j].polygonPlanar).area >= 0.01 { problems.append("\(lot.id): overlaps \(plan.lots[j].id)") }
            }
        }

        for program in scenario.programs {
            for item in program.items {
                // A play area is a lot without a building: counted by its facility lot.
                let placed = item.type.facility.map { !$0.kind.hasBuilding } == true
                    ? plan.facilities.filter { $0.parcelID == program.parcelID && $0.typeKey == item.type.key }.count
                    : plan.buildings.filter { $0.parcelID == program.parcelID && $0.type.key == item.type.key }.count
                let missing = plan.unplaced.filter { $0.parcelID == program.parcelID && $0.typeKey == item.type.key }.reduce(0) { $0 + $1.count }
                if placed + missing != item.count {
                    problems.append("\(program.parcelID) \(item.type.key): \(placed) placed + \(missing) reported unplaced, the program has \(item.count)")
                }
            }
        }
        return problems
    }
}
