import Foundation
import SiteFiles
@testable import SitePlanning
import SiteReports
import SiteVocabulary
import XCTest

/// The facilities in the plan report, the layers and the map, on Khojaly.
final class FacilityReportTests: XCTestCase {
    func testReportRowsMatchTheAnalysis() throws {
        let run = try ScenarioReader.loadPackage(folder: MapTests.khojaly).run()
        let access = try FacilityAccess.compute(scenario: run.scenario, plan: run.plan)
        let document = try PlanReport.document(run).json
        let rows = try XCTUnwrap(document.object?["facilities"]?.array)
        XCTAssertEqual(rows.count, (1 + run.scenario.parcels.count) * FacilityKind.allCases.count)
        XCTAssertEqual(rows.count, access.figures.count)
        for (row, f) in zip(rows, access.figures) {
            let o = try XCTUnwrap(row.object)
            XCTAssertEqual(o.keys, FacilityReport.columns)
            XCTAssertEqual(o["scope"]?.string, f.scope)
            XCTAssertEqual(o["kind"]?.string, f.kind.rawValue)
            XCTAssertEqual(o["residents"]?.number, Double(f.residents))
            XCTAssertEqual(o["facilities_placed"]?.number, Double(run.plan.facilities.filter { $0.kind == f.kind && (f.scope == "town" || $0.parcelID == f.scope) }.count))
            XCTAssertEqual(try XCTUnwrap(o["max_distance_m"]?.number), try XCTUnwrap(f.maxDistanceMetres), accuracy: 0.05)
            XCTAssertEqual(try XCTUnwrap(o["within_radius_pct"]?.number), 100 * f.shareWithinRadius, accuracy: 0.05)
        }
        // Khojaly's flats are plausible: no floor-area warning in the report.
        XCTAssertEqual(document.object?["warnings"], .array([]))
        let table = FacilityReport.table(access).text()
        XCTAssertTrue(table.hasPrefix("scope"), table)
        XCTAssertEqual(table.split(separator: "\n").count, 2 + access.figures.count)
    }

    func testLotsAndBuildingsCarryTheirUseAndTheMapTintsFacilityLots() throws {
        let run = try ScenarioReader.loadPackage(folder: MapTests.khojaly).run()
        let layers = try PlanLayers.runLayers(run)
        let lots = try XCTUnwrap(layers.first { $0.name == "lots" })
        let buildings = try XCTUnwrap(layers.first { $0.name == "buildings" })
        let uses = FacilitySites.uses(run.plan)
        for f in lots.features + buildings.features {
            XCTAssertEqual(f.properties["use"]?.string, uses[f.id ?? ""]?.rawValue ?? "dwelling", f.id ?? "")
        }
        XCTAssertEqual(lots.features.filter { $0.properties["use"]?.string != "dwelling" }.count, run.plan.facilities.count)
        XCTAssertEqual(buildings.features.filter { $0.properties["use"]?.string == "play_area" }.count, 0, "play areas have no building")
        let svg = try SVGMap(scenario: run.scenario, layers: layers).render()
        for (kind, colour) in MapStyle.facilityColours {
            let sites = run.plan.facilities.filter { $0.kind == kind }
            guard !sites.isEmpty else { continue }
            for site in sites { XCTAssertTrue(svg.contains("fill=\"\(colour)\" fill-opacity=\"0.35\" data-id=\"\(site.lotID)\""), "\(site.lotID) tinted") }
            XCTAssertTrue(svg.contains("\(kind.label.lowercased()) lot (\(sites.count))"), "legend counts \(kind) lots")
        }
        // Facility buildings keep their kind's colour; the houses keep the palette from its start.
        let colours = MapStyle.buildingColours(buildings.features.compactMap { $0.properties["type"]?.string })
        XCTAssertEqual(colours.first { $0.type == "school" }?.colour, MapStyle.facilityColour("school"))
        XCTAssertEqual(colours.first { $0.type == "apartment_building_12" }?.colour, MapStyle.buildingPalette[0])
    }
}
