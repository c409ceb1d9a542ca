import Foundation
import SiteGeometry
import XCTest
@testable import SitePlanning
@testable import SiteFiles
import SiteVocabulary

/// Khojaly's facilities: as many as the norms ask for the program's residents (worked out here
/// from scenario.json itself), on lots inside their parcels, and the published figures intact.
final class KhojalyFacilitiesTests: XCTestCase {
    /// scenario.json as plain JSON, read without siteplan's reader.
    func manifest() throws -> [String: Any] {
        let data = try Data(contentsOf: URL(fileURLWithPath: KhojalyLayoutTests.folder).appendingPathComponent("scenario.json"))
        return try XCTUnwrap(JSONSerialization.jsonObject(with: data) as? [String: Any])
    }

    func testFacilityCountsFollowTheNormsForTheProgram() throws {
        let json = try manifest()
        let programs = try XCTUnwrap(json["programs"] as? [String: [[String: Any]]])
        let facilities = try XCTUnwrap((json["rules"] as? [String: Any])?["facilities"] as? [String: [String: Any]])
        let scenario = try ScenarioReader.load(folder: KhojalyLayoutTests.folder)
        let plan = try LayoutEngine(scenario: scenario, seed: 1).plan()
        XCTAssertEqual(plan.unplaced, [])
        XCTAssertEqual(try PlanCheck.violations(plan, scenario), [])
        for (parcel, entries) in programs {
            let residents = entries.reduce(0) { $0 + ($1["count"] as! Int) * ($1["units_per_building"] as! Int) * ($1["persons_per_unit"] as? Int ?? 6) }
            for kind in FacilityKind.allCases {
                var norm = FacilityNorm.sp42(kind)
                let given = try XCTUnwrap(facilities[kind.rawValue])
                if let r = given["radius_m"] as? Double { norm.radiusMetres = r }
                if let r = given["per_1000_residents"] as? Double { norm.perThousandResidents = r }
                if let m = given["max_places"] as? Double { norm.maxPlacesPerFacility = m }
                let places = ceil(Double(residents) * norm.perThousandResidents / 1000)
                let count = Int(ceil(places / norm.maxPlacesPerFacility))
                let sites = plan.facilities.filter { $0.parcelID == parcel && $0.kind == kind }
                XCTAssertEqual(sites.count, count, "\(parcel) \(kind)")
                XCTAssertEqual(sites.reduce(0) { $0 + $1.places }, ceil(places / Double(count)) * Double(count), "\(parcel) \(kind)")
                let each = ceil(places / Double(count))
                for site in sites {
                    XCTAssertGreaterThanOrEqual(try site.lotPlanar.area, each * norm.lotSquareMetresPerPlace(forPlaces: each) - 0.01)
                }
            }
        }
        let parcels = Dictionary(uniqueKeysWithValues: scenario.parcels.map { ($0.id, $0.boundaryPlanar) })
        let zones = scenario.exclusions.map(\.boundaryPlanar)
        for site in plan.facilities {
            XCTAssertTrue(try XCTUnwrap(parcels[site.parcelID]).buffer(0.01).covers(site.lotPlanar), "\(site.lotID) inside \(site.parcelID)")
            for zone in zones { XCTAssertLessThan(try zone.intersection(site.lotPlanar).area, 0.01, "\(site.lotID) in an exclusion zone") }
            for lot in plan.lots where lot.id != site.lotID {
                XCTAssertLessThan(try lot.polygonPlanar.intersection(site.lotPlanar).area, 0.01, "\(site.lotID) overlaps \(lot.id)")
            }
        }
        // The school takes a full-depth lot: at least 90 % of the block depth.
        for school in plan.facilities where school.kind == .school {
            let ring = try school.lotPlanar.minimumRotatedRectangle().exteriorRing().coordinates()
            XCTAssertGreaterThanOrEqual(max(ring[0].distance(to: ring[1]), ring[1].distance(to: ring[2])), 0.9 * scenario.rules.blockDepthMetres)
        }
    }

    func testThePublishedFiguresStillComeOut() throws {
        let run = try ScenarioReader.loadPackage(folder: KhojalyLayoutTests.folder).run()
        let coverage = try CoverageAnalysis.parcels(run.plan, scenario: run.scenario)
        let a = try XCTUnwrap(coverage.first { $0.parcelID == "P1-A" }), b = try XCTUnwrap(coverage.first { $0.parcelID == "P1-B" })
        XCTAssertEqual(a.buildingsByType.map(\.type), ["individual_house", "cottage", "apartment_building_12", "apartment_building_13"])
        XCTAssertEqual(a.buildingsByType.map(\.count), [140, 48, 7, 2])
        XCTAssertEqual(a.figures.buildingCount, 197)
        XCTAssertEqual(a.figures.dwellingUnits, 298)
        XCTAssertEqual(b.buildingsByType.map(\.count), [92])
        XCTAssertEqual(b.figures.buildingCount, 92)
        XCTAssertEqual(run.households.familiesHoused, 44)
        XCTAssertEqual(run.households.peopleHoused, 169)
        XCTAssertEqual(run.progress.town.buildingsFullyConnected, 50)
        XCTAssertEqual(run.progress.town.dwellings, 390)
        XCTAssertEqual(run.progress.town.worksCompletePercent, 90.0, accuracy: 0.5)
        // Facility buildings are served: each has its service lines; play areas have none.
        for site in run.plan.facilities {
            if let id = site.buildingID {
                XCTAssertEqual(run.network.serviceLines[id]?.count, Utility.allCases.count, id)
            } else {
                XCTAssertNil(run.network.serviceLines[site.lotID])
            }
        }
        XCTAssertEqual(run.progress.town.buildings, run.plan.buildings.count)
        XCTAssertEqual(run.plan.buildings.count, 289 + run.plan.facilities.filter { $0.buildingID != nil }.count)
        // No family lives in a facility.
        let facilityBuildings = Set(run.plan.facilities.compactMap(\.buildingID))
        XCTAssertFalse(run.households.assignments.contains { facilityBuildings.contains($0.buildingID) })
        // Khojaly's flats are plausible now: 24 × 12 m × 4 storeys / 12 or 13 flats.
        XCTAssertEqual(FloorAreaCheck.findings(run.scenario), [])
        // Every kind reports every resident's distance.
        let access = try FacilityAccess.compute(scenario: run.scenario, plan: run.plan)
        for f in access.figures where f.scope == "town" {
            XCTAssertEqual(f.residents, FacilityPlanning.residents(run.scenario.program(for: "P1-A")) + FacilityPlanning.residents(run.scenario.program(for: "P1-B")))
            XCTAssertNotNil(f.maxDistanceMetres)
        }
    }

    /// A copy of the Khojaly scenario with `edit` applied to its scenario.json.
    func scenarioCopy(_ edit: (inout [String: Any]) -> Void) throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("facilities-\(UUID().uuidString)")
        try FileManager.default.copyItem(at: URL(fileURLWithPath: KhojalyLayoutTests.folder), to: folder)
        var json = try manifest()
        edit(&json)
        try JSONSerialization.data(withJSONObject: json, options: [.sortedKeys]).write(to: folder.appendingPathComponent("scenario.json"))
        return folder
    }

    func testANegativeRadiusIsAnErrorNamingTheRule() throws {
        let folder = try scenarioCopy { json in
            var rules = json["rules"] as! [String: Any]
            rules["facilities"] = ["school": ["radius_m": -5]]
            json["rules"] = rules
        }
        defer { try? FileManager.default.removeItem(at: folder) }
        XCTAssertThrowsError(try ScenarioReader.load(folder: folder.path)) { error in
            XCTAssertTrue("\(error)".hasSuffix("scenario.json: rules.facilities.school.radius_m is -5: a service radius must be more than 0 m"), "\(error)")
        }
        let unknown = try scenarioCopy { json in
            var rules = json["rules"] as! [String: Any]
            rules["facilities"] = ["clinic": [String: Any]()]
            json["rules"] = rules
        }
        defer { try? FileManager.default.removeItem(at: unknown) }
        XCTAssertThrowsError(try ScenarioReader.load(folder: unknown.path)) { error in
            XCTAssertTrue("\(error)".contains("rules.facilities: unknown facility kind \"clinic\""), "\(error)")
        }
    }

    func testAFacilityKindSetToFalseIsNotPlanned() throws {
        let folder = try scenarioCopy { json in
            var rules = json["rules"] as! [String: Any]
            rules["facilities"] = ["school": false, "shop": false, "play_area": false]
            json["rules"] = rules
        }
        defer { try? FileManager.default.removeItem(at: folder) }
        let scenario = try ScenarioReader.load(folder: folder.path)
        XCTAssertEqual(scenario.facilityNorms.map(\.kind), [.kindergarten])
        XCTAssertEqual(scenario.facilityNorms[0].radiusMetres, FacilityNorm.sp42(.kindergarten).radiusMetres)
    }
}
