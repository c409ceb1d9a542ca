import Foundation
import SiteGeometry
import SiteProjection
import XCTest
@testable import SiteplanCore
@testable import SiteplanIO

/// Checks every invariant a layout must keep, on real GEOS geometry.
enum LayoutInvariants {
    static let tolerance = 0.01 // 1 cm

    static func check(_ plan: SitePlan, _ scenario: Scenario, file: StaticString = #filePath, line: UInt = #line) throws {
        let rules = scenario.rules
        let lots = Dictionary(uniqueKeysWithValues: plan.lots.map { ($0.id, $0) })
        let parcels = Dictionary(uniqueKeysWithValues: scenario.parcels.map { ($0.id, $0) })
        var corridorsByParcel: [String: Geometry] = [:]
        for parcel in scenario.parcels {
            let streets = plan.streets.filter { $0.parcelID == parcel.id }
            corridorsByParcel[parcel.id] = try Geometry.union(of: streets.map { try $0.centrelinePlanar.buffer($0.widthMetres / 2, style: .corridor) })
                .intersection(parcel.boundaryPlanar)
        }
        let exclusions = scenario.exclusions.map(\.boundaryPlanar)

        for building in plan.buildings {
            let lot = try XCTUnwrap(lots[building.lotID], "building \(building.id) has lot \(building.lotID)", file: file, line: line)
            let parcel = try XCTUnwrap(parcels[building.parcelID], file: file, line: line)
            let f = building.footprintPlanar
            XCTAssertTrue(try lot.polygonPlanar.buffer(tolerance).covers(f), "\(building.id) inside its lot", file: file, line: line)
            XCTAssertTrue(try parcel.boundaryPlanar.buffer(tolerance).covers(f), "\(building.id) inside its parcel", file: file, line: line)
            XCTAssertEqual(lot.parcelID, building.parcelID, file: file, line: line)
            // Setbacks: from the street by the front setback, from every lot line by at least the side setback.
            let toStreet = try corridorsByParcel[building.parcelID]!.distance(to: f)
            XCTAssertGreaterThanOrEqual(toStreet, rules.frontSetbackMetres - tolerance, "\(building.id) front setback", file: file, line: line)
            let toLotLine = try lot.polygonPlanar.boundary().distance(to: f)
            XCTAssertGreaterThanOrEqual(toLotLine, min(rules.sideSetbackMetres, rules.rearSetbackMetres) - tolerance, "\(building.id) side/rear setback", file: file, line: line)
            for zone in exclusions {
                XCTAssertLessThan(try zone.intersection(f).area, 1e-6, "\(building.id) outside exclusion zones", file: file, line: line)
            }
            // Footprint dimensions as the type says.
            XCTAssertEqual(try f.area, building.type.footprintSquareMetres, accuracy: 0.01, file: file, line: line)
        }

        // No two footprints overlap, and they keep the minimum spacing.
        let tree = try STRtree(plan.buildings.map { ($0.footprintPlanar, $0.id) })
        for (i, b) in plan.buildings.enumerated() {
            let near = try tree.query(intersecting: b.footprintPlanar.envelope().expanded(by: rules.minBuildingSpacingMetres))
            for j in near where j > i {
                let other = plan.buildings[j].footprintPlanar
                XCTAssertLessThan(try b.footprintPlanar.intersection(other).area, 1e-6, "\(b.id) overlaps \(plan.buildings[j].id)", file: file, line: line)
                XCTAssertGreaterThanOrEqual(try b.footprintPlanar.distance(to: other), rules.minBuildingSpacingMetres - tolerance,
                                            "\(b.id) spacing to \(plan.buildings[j].id)", file: file, line: line)
            }
        }

        // Every lot touches a street, inside its parcel, with no lot overlapping another.
        let lotTree = try STRtree(plan.lots.map { ($0.polygonPlanar, $0.id) })
        for (i, lot) in plan.lots.enumerated() {
            XCTAssertLessThan(try corridorsByParcel[lot.parcelID]!.distance(to: lot.polygonPlanar), tolerance, "\(lot.id) touches a street", file: file, line: line)
            XCTAssertGreaterThan(lot.frontageMetres, 0, file: file, line: line)
            for j in try lotTree.query(intersectingEnvelopeOf: lot.polygonPlanar) where j > i {
                XCTAssertLessThan(try lot.polygonPlanar.intersection(plan.lots[j].polygonPlanar).area, 0.01, "\(lot.id) overlaps \(plan.lots[j].id)", file: file, line: line)
            }
        }

        // Counts: placed plus reported shortfall equals the program, type by type.
        for program in scenario.programs {
            for item in program.items {
                let placed = plan.buildings.filter { $0.parcelID == program.parcelID && $0.type.key == item.type.key }.count
                let missing = plan.unplaced.filter { $0.parcelID == program.parcelID && $0.typeKey == item.type.key }.reduce(0) { $0 + $1.count }
                XCTAssertEqual(placed + missing, item.count, "\(program.parcelID) \(item.type.key): placed \(placed) + unplaced \(missing)", file: file, line: line)
            }
        }
    }
}

/// Scenarios built in code around Khojaly, drawn in UTM 38N metres and stored in WGS84.
enum SyntheticScenario {
    static let frame = try! PlanningFrame(crs: .epsg(32638))
    static let origin = XY(653_000, 4_419_000)

    static let house = BuildingType(key: "house", label: "House", footprintWidthMetres: 12, footprintDepthMetres: 10,
                                    lotAreaSquareMetres: 600...900, lotFrontageMetres: 18...25, lotDepthMetres: nil, storeys: 2, unitsPerBuilding: 1)
    static let apartment = BuildingType(key: "apartment", label: "Apartment building", footprintWidthMetres: 48, footprintDepthMetres: 14,
                                        lotAreaSquareMetres: 2500...4000, lotFrontageMetres: 54...57, lotDepthMetres: 70, storeys: 4, unitsPerBuilding: 12)

    /// A polygon from local metres (relative to `origin`), rotated by `degrees`.
    static func polygon(_ exterior: [XY], holes: [[XY]] = [], rotatedBy degrees: Double = 0) throws -> Geometry {
        let a = degrees * .pi / 180
        func place(_ p: XY) -> XY { XY(origin.x + p.x * cos(a) - p.y * sin(a), origin.y + p.x * sin(a) + p.y * cos(a)) }
        let planar = try Geometry.polygon(exterior: exterior.map(place), holes: holes.map { $0.map(place) })
        return try frame.toWGS84(planar)
    }

    static func rect(_ x0: Double, _ y0: Double, _ x1: Double, _ y1: Double) -> [XY] {
        [XY(x0, y0), XY(x1, y0), XY(x1, y1), XY(x0, y1), XY(x0, y0)]
    }

    static func scenario(parcel boundaryWGS84: Geometry, program: [ProgramItem], exclusions: [Geometry] = [],
                         rules: LayoutRules = LayoutRules()) throws -> Scenario {
        let parcel = try Parcel(id: "T", name: "Test parcel", phase: 1, boundaryWGS84: boundaryWGS84, frame: frame,
                                feature: FeatureRef(index: 0, id: "T"))
        let zones = try exclusions.enumerated().map {
            try ExclusionZone(id: "X\($0)", name: "zone", kind: "green_space", parcelID: "T", boundaryWGS84: $1, frame: frame,
                              feature: FeatureRef(index: $0, id: "X\($0)"))
        }
        return try Scenario(name: "synthetic", settlement: "test", frame: frame, asOf: nil, parcels: [parcel], exclusions: zones,
                            rules: rules, programs: [HousingProgram(parcelID: "T", items: program)])
    }
}
