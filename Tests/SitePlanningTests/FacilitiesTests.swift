import Foundation
import SiteGeometry
import XCTest
@testable import SitePlanning
import SiteVocabulary

/// Facilities reserved from the norms: their number and size, their lots in the layout, the
/// residents' distances to them, the norms' validation, and the floor-area-per-dwelling check.
final class FacilitiesTests: XCTestCase {
    /// 600 × 400 m, 40 houses and 2 apartment buildings, every facility kind at its defaults.
    func scenario(houses: Int = 40) throws -> Scenario {
        let boundary = try SyntheticScenario.polygon(SyntheticScenario.rect(0, 0, 600, 400))
        var s = try SyntheticScenario.scenario(parcel: boundary, program: [
            ProgramItem(type: SyntheticScenario.house, count: houses), ProgramItem(type: SyntheticScenario.apartment, count: 2),
        ])
        s.facilityNorms = FacilityKind.allCases.map(FacilityNorm.sp42)
        return try FacilityPlanning.reservingFacilities(s)
    }

    func testRequirementsFollowTheNorms() throws {
        let s = try scenario()
        // Residents: dwellings × persons per dwelling, worked out here from the program's figures.
        let residents = 40 * SyntheticScenario.house.unitsPerBuilding * SyntheticScenario.house.personsPerUnit
            + 2 * SyntheticScenario.apartment.unitsPerBuilding * SyntheticScenario.apartment.personsPerUnit
        let requirements = FacilityPlanning.requirements(s)
        XCTAssertEqual(requirements.map(\.kind), FacilityKind.allCases)
        for r in requirements {
            let norm = FacilityNorm.sp42(r.kind)
            XCTAssertEqual(r.residents, residents)
            let places = ceil(Double(residents) * norm.perThousandResidents / 1000)
            XCTAssertEqual(r.places, places, "\(r.kind)")
            let count = Int(ceil(places / norm.maxPlacesPerFacility))
            XCTAssertEqual(r.count, count, "\(r.kind)")
            let each = ceil(places / Double(count))
            XCTAssertEqual(r.placesEach, each)
            XCTAssertEqual(r.lotSquareMetresEach, ceil(each * norm.lotSquareMetresPerPlace(forPlaces: each)), "\(r.kind)")
        }
        // The program holds them, with no dwellings, after the housing items.
        let items = s.program(for: "T").items
        XCTAssertEqual(items.count, 2 + requirements.filter { $0.count > 0 }.count)
        XCTAssertEqual(s.program(for: "T").dwellingUnits, 40 + 24)
        XCTAssertEqual(FacilityPlanning.residents(s.program(for: "T")), residents)
        // Reserving again replaces them instead of adding more.
        XCTAssertEqual(try FacilityPlanning.reservingFacilities(s).program(for: "T").items.count, items.count)
    }

    /// 3,276 pupils make 3 schools of 1,100 at most, but a school of 1,092 pupils needs a lot of
    /// 39,312 m², 579 m along a 70-m block of at most 250 m: the need is split until a lot fits.
    func testANeedTooLargeForOneBlockIsSplit() throws {
        let boundary = try SyntheticScenario.polygon(SyntheticScenario.rect(0, 0, 600, 400))
        var s = try SyntheticScenario.scenario(parcel: boundary, program: [ProgramItem(type: SyntheticScenario.house, count: 3900)])
        s.facilityNorms = [FacilityNorm.sp42(.school)]
        let r = try XCTUnwrap(FacilityPlanning.requirements(s).first)
        let norm = FacilityNorm.sp42(.school)
        XCTAssertEqual(r.places, ceil(Double(3900 * 6) * norm.perThousandResidents / 1000))
        let longest = 0.97 * s.rules.blockDepthMetres * 0.97 * s.rules.maxBlockLengthMetres
        XCTAssertGreaterThan(r.count, Int(ceil(r.places / norm.maxPlacesPerFacility)))
        XCTAssertLessThanOrEqual(r.lotSquareMetresEach, longest)
        // One school fewer would not fit a block.
        let fewer = ceil(r.places / Double(r.count - 1))
        XCTAssertGreaterThan(ceil(fewer * norm.lotSquareMetresPerPlace(forPlaces: fewer)), longest)
        XCTAssertGreaterThanOrEqual(Double(r.count) * r.placesEach, r.places)
    }

    func testLotTiersBySize() {
        let school = FacilityNorm.sp42(.school)
        XCTAssertEqual(school.lotSquareMetresPerPlace(forPlaces: 290), 55)
        XCTAssertEqual(school.lotSquareMetresPerPlace(forPlaces: 450), 65)
        XCTAssertEqual(school.lotSquareMetresPerPlace(forPlaces: 5000), 16)
        let kindergarten = FacilityNorm.sp42(.kindergarten)
        XCTAssertEqual(kindergarten.lotSquareMetresPerPlace(forPlaces: 100), 44)
        XCTAssertEqual(kindergarten.lotSquareMetresPerPlace(forPlaces: 101), 38)
    }

    func testFacilityLotsAreReservedInTheLayout() throws {
        let s = try scenario()
        let plan = try LayoutEngine(scenario: s, seed: 1).plan()
        XCTAssertEqual(plan.unplaced, [])
        XCTAssertEqual(try PlanCheck.violations(plan, s), [])
        let requirements = FacilityPlanning.requirements(s)
        let parcel = try s.parcel(id: "T").boundaryPlanar
        for r in requirements {
            let sites = plan.facilities.filter { $0.kind == r.kind }
            XCTAssertEqual(sites.count, r.count, "\(r.kind)")
            for site in sites {
                let area = try site.lotPlanar.area
                XCTAssertGreaterThanOrEqual(area, r.lotSquareMetresEach - 0.01, "\(r.kind) lot as large as the norm")
                XCTAssertTrue(try parcel.buffer(0.01).covers(site.lotPlanar), "\(site.lotID) inside the parcel")
                for other in plan.lots where other.id != site.lotID {
                    XCTAssertLessThan(try other.polygonPlanar.intersection(site.lotPlanar).area, 0.01, "\(site.lotID) overlaps \(other.id)")
                }
                // Schools and kindergartens take the whole block depth: the full-depth row.
                let depth = try site.lotPlanar.minimumRotatedRectangle().exteriorRing().coordinates()
                let sides = [depth[0].distance(to: depth[1]), depth[1].distance(to: depth[2])]
                if r.norm.fullBlockDepth {
                    XCTAssertTrue(sides.contains { $0 >= 0.9 * s.rules.blockDepthMetres }, "\(r.kind) lot \(sides) spans the block depth")
                } else {
                    XCTAssertLessThanOrEqual(sides.min()!, s.rules.blockDepthMetres / 2 + 0.01, "\(r.kind) lot is half a block deep")
                }
                if r.kind.hasBuilding {
                    let b = try XCTUnwrap(plan.buildings.first { $0.id == site.buildingID })
                    XCTAssertEqual(b.units, 0)
                    XCTAssertEqual(b.lotID, site.lotID)
                } else {
                    XCTAssertNil(site.buildingID)
                    XCTAssertFalse(plan.buildings.contains { $0.lotID == site.lotID }, "a play area is an open lot")
                }
            }
        }
        // Houses stay houses: the facility buildings are not among them.
        XCTAssertEqual(plan.housingBuildings.count, 42)
        let coverage = try CoverageAnalysis.parcels(plan, scenario: s)[0]
        XCTAssertEqual(coverage.figures.buildingCount, 42)
        XCTAssertEqual(coverage.figures.lotCount, 42)
        XCTAssertEqual(coverage.buildingsByType.map(\.type), ["house", "apartment"])
    }

    func testDistancesAreCheckedWithGEOS() throws {
        let s = try scenario()
        let plan = try LayoutEngine(scenario: s, seed: 1).plan()
        let access = try FacilityAccess.compute(scenario: s, plan: plan)
        XCTAssertEqual(access.figures.map(\.scope), Array(repeating: "town", count: 4) + Array(repeating: "T", count: 4))
        for norm in s.facilityNorms {
            let lots = plan.facilities.filter { $0.kind == norm.kind }.map(\.lotPlanar)
            var entries: [(d: Double, w: Int)] = []
            for b in plan.buildings where b.type.facility == nil {
                let centre = try b.footprintPlanar.centroid()
                let d = try lots.map { try $0.distance(to: centre) }.min()!
                XCTAssertEqual(try XCTUnwrap(access.distances[norm.kind]?[b.id]), d, accuracy: 1e-9, "\(b.id) \(norm.kind)")
                entries.append((d, b.units * b.type.personsPerUnit))
            }
            entries.sort { $0.d < $1.d }
            let total = entries.reduce(0) { $0 + $1.w }
            var cumulative = 0
            let p95 = entries.first { cumulative += $0.w; return Double(cumulative) >= 0.95 * Double(total) }!.d
            let within = Double(entries.filter { $0.d <= norm.radiusMetres }.reduce(0) { $0 + $1.w }) / Double(total)
            let town = try XCTUnwrap(access.figures.first { $0.scope == "town" && $0.kind == norm.kind })
            XCTAssertEqual(town.residents, total)
            XCTAssertEqual(try XCTUnwrap(town.maxDistanceMetres), entries.last!.d, accuracy: 1e-9)
            XCTAssertEqual(try XCTUnwrap(town.p95DistanceMetres), p95, accuracy: 1e-9)
            XCTAssertEqual(town.shareWithinRadius, within, accuracy: 1e-12)
            XCTAssertEqual(town.facilitiesPlaced, lots.count)
            XCTAssertGreaterThan(town.maxDistanceMetres!, 0, "some home is outside every \(norm.kind) lot")
        }
    }

    func testANegativeRadiusOrRateIsRefusedNamingTheRule() {
        var school = FacilityNorm.sp42(.school)
        school.radiusMetres = -5
        XCTAssertThrowsError(try school.validate()) { error in
            XCTAssertEqual("\(error)", "rules.facilities.school.radius_m is -5: a service radius must be more than 0 m")
        }
        var shop = FacilityNorm.sp42(.shop)
        shop.perThousandResidents = -1
        XCTAssertThrowsError(try shop.validate()) { error in
            XCTAssertTrue("\(error)".hasPrefix("rules.facilities.shop.per_1000_residents is -1: a rate must be 0 or more"), "\(error)")
        }
        var kindergarten = FacilityNorm.sp42(.kindergarten)
        kindergarten.lotTiers = [.init(upToPlaces: 100, squareMetresPerPlace: 44), .init(upToPlaces: 50, squareMetresPerPlace: 38)]
        XCTAssertThrowsError(try kindergarten.validate())
        for kind in FacilityKind.allCases { XCTAssertNoThrow(try FacilityNorm.sp42(kind).validate()) }
    }

    func testFloorAreaPerDwellingOutsideTheRangeIsAWarning() throws {
        var s = try scenario()
        XCTAssertEqual(FloorAreaCheck.findings(s), [], "houses 240 m², apartments 224 m²: inside 30–250")
        s.floorAreaRule = FloorAreaRule(squareMetresPerUnit: 30...150)
        let findings = FloorAreaCheck.findings(s)
        XCTAssertEqual(findings.map(\.typeKey), ["house", "apartment"])
        let apartment = SyntheticScenario.apartment
        XCTAssertEqual(findings[1].squareMetresPerUnit,
                       apartment.footprintWidthMetres * apartment.footprintDepthMetres * Double(apartment.storeys) / Double(apartment.unitsPerBuilding))
        XCTAssertTrue(findings[1].message.contains("224 m² of floor per dwelling"), findings[1].message)
        XCTAssertTrue(findings[1].message.contains("above the plausible range 30–150 m²"), findings[1].message)
        // A warning, not an error: the layout is made all the same.
        XCTAssertEqual(try LayoutEngine(scenario: s, seed: 1).plan().unplaced, [])
    }

    func testWithoutNormsNoFacilities() throws {
        var s = try scenario()
        s.facilityNorms = []
        s = try FacilityPlanning.reservingFacilities(s)
        XCTAssertEqual(s.program(for: "T").items.count, 2)
        let plan = try LayoutEngine(scenario: s, seed: 1).plan()
        XCTAssertTrue(plan.facilities.isEmpty)
        XCTAssertTrue(try FacilityAccess.compute(scenario: s, plan: plan).figures.isEmpty)
    }
}
