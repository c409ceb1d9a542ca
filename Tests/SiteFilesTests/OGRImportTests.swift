import Foundation
import SiteDrivers
import SiteGeometry
import SiteProjection
import SiteVocabulary
import XCTest
import DriverOGR
@testable import SitePlanning
@testable import SiteFiles

/// `siteplan import` over real GDAL: the Khojaly parcels written by siteplan's own export as a
/// Shapefile in EPSG:32638, a DXF (no CRS: --source-crs) and a KML, imported into copies of
/// the scenario, give the same 166.982 / 17.998 ha and the same layout as the GeoJSON original.
final class OGRImportTests: XCTestCase {
    static let khojaly = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("geodata/khojaly").path

    func copyOfKhojaly() throws -> String {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("siteplan-import-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(at: root) }
        let copy = root.appendingPathComponent("khojaly").path
        try FileManager.default.copyItem(atPath: Self.khojaly, toPath: copy)
        return copy
    }

    func testKhojalyParcelsFromShapefileDXFAndKMLGiveTheSameFiguresAndPlan() throws {
        let original = try ScenarioReader.load(folder: Self.khojaly)
        let originalPlan = try LayoutEngine(scenario: original, seed: 1).plan()
        let parcels = try PlanLayers.scenarioLayers(original).filter { $0.name == "parcels" }
        for (format, crs, sourceCRS) in [(OGRFormat.shapefile, CRS.epsg(32638), nil as CRS?), (.dxf, .epsg(32638), .epsg(32638)), (.kml, .wgs84, nil)] {
            let scenario = try copyOfKhojaly()
            let file = scenario + "/../cadastre." + format.rawValue
            let files = FileSet()
            try OGRSink(format: format, crs: crs, planningCRS: original.frame.crs, currentDate: "2026-11-27").write(parcels, to: file, in: files)
            try files.commit()
            if format == .dxf {
                // A DXF names no CRS: refused without --source-crs, naming the file.
                XCTAssertThrowsError(try ScenarioImport.importLayer(file, layer: nil, idField: nil, sourceCRS: nil, as: .parcels, scenario: scenario)) {
                    XCTAssertTrue("\($0)".contains("cadastre.dxf") && "\($0)".contains("--source-crs"), "\($0)")
                }
            }
            let summary = try ScenarioImport.importLayer(file, layer: nil, idField: nil, sourceCRS: sourceCRS, as: .parcels, scenario: scenario)
            XCTAssertEqual(summary.features, 2, "\(format)")
            XCTAssertEqual(summary.crs, crs == .wgs84 ? "EPSG:4326" : "EPSG:32638", "\(format)")
            let imported = try ScenarioReader.load(folder: scenario)
            let areas = try imported.parcels.map { ($0.id, fixedNotation(try ParcelMetrics($0, frame: imported.frame).areaHectares, decimals: 3)) }
            XCTAssertEqual(areas.map(\.0), ["P1-A", "P1-B"], "\(format)")
            XCTAssertEqual(areas.map(\.1), ["166.982", "17.998"], "\(format)")
            // The input's attributes are kept (not for DXF, whose writer has no attributes).
            if format != .dxf { XCTAssertEqual(imported.parcels[0].attributes["section"], .string("A"), "\(format)") }
            let plan = try LayoutEngine(scenario: imported, seed: 1).plan()
            XCTAssertEqual(plan.buildings.map(\.id), originalPlan.buildings.map(\.id), "\(format)")
            XCTAssertEqual(plan.lots.count, originalPlan.lots.count, "\(format)")
            for (a, b) in zip(plan.buildings, originalPlan.buildings) {
                XCTAssertLessThan(try a.footprintPlanar.symmetricDifference(b.footprintPlanar).area, 0.01, "\(format) \(a.id)")
            }
        }
    }

    func testImportRefusesNonPolygonsAndInvalidPolygonsNamingTheFeature() throws {
        let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Fixtures/ogr").path
        let scenario = try copyOfKhojaly()
        let before = try FileIO.readBytes(scenario + "/parcels.geojson")
        XCTAssertThrowsError(try ScenarioImport.importLayer(fixtures + "/points.shp", layer: nil, idField: "parcel_no", sourceCRS: nil, as: .parcels, scenario: scenario)) {
            XCTAssertTrue("\($0)".contains("points.shp") && "\($0)".contains("feature 0") && "\($0)".contains("must be a Polygon"), "\($0)")
        }
        XCTAssertThrowsError(try ScenarioImport.importLayer(fixtures + "/invalid.shp", layer: nil, idField: "parcel_no", sourceCRS: nil, as: .parcels, scenario: scenario)) {
            XCTAssertTrue("\($0)".contains("invalid.shp") && "\($0)".contains("feature 1") && "\($0)".contains("invalid parcel boundary"), "\($0)")
        }
        // Nothing was written.
        XCTAssertEqual(try FileIO.readBytes(scenario + "/parcels.geojson"), before)
    }

    func testScenarioMayNameADXFReadInItsPlanningCRS() throws {
        let scenario = try copyOfKhojaly()
        let original = try ScenarioReader.load(folder: Self.khojaly)
        let files = FileSet()
        try OGRSink(format: .dxf, planningCRS: original.frame.crs, currentDate: "2026-11-27")
            .write(try PlanLayers.scenarioLayers(original).filter { $0.name == "parcels" }, to: scenario + "/survey.dxf", in: files)
        try files.commit()
        let manifest = scenario + "/scenario.json"
        let text = try String(contentsOfFile: manifest, encoding: .utf8).replacingOccurrences(of: "\"parcels\": \"parcels.geojson\"", with: "\"parcels\": \"survey.dxf#parcels\"")
        try text.write(toFile: manifest, atomically: true, encoding: .utf8)
        let loaded = try ScenarioReader.load(folder: scenario)
        XCTAssertEqual(try loaded.parcels.map { fixedNotation(try ParcelMetrics($0, frame: loaded.frame).areaHectares, decimals: 3) }, ["166.982", "17.998"])
    }

    func testScenarioMayNameAShapefileAndALegacyCRSGeoJSON() throws {
        let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Fixtures/ogr").path
        // The legacy GeoJSON in UTM 38N: no longer "longitude 652212 out of range".
        let read = try LayerSource.read(fixtures + "/legacy_crs_utm.geojson", layer: "parcels", sourceCRS: nil, idField: "parcel_no")
        XCTAssertEqual(read.layer.crs, .wgs84)
        let lon = try read.layer.features[0].geometry!.envelope().minX
        XCTAssertEqual(lon, 46.79, accuracy: 0.02)
        let shp = try LayerSource.read(fixtures + "/good.shp", layer: "parcels", sourceCRS: nil, idField: "parcel_no")
        XCTAssertEqual(shp.layer.features.map(\.id), ["A1", "A2"])
    }
}
