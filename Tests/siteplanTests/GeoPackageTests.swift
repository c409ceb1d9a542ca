import Foundation
import DriverGeoJSON
import DriverGeoPackage
import SitePlanning
import SiteVocabulary
import XCTest

/// `siteplan export --format gpkg` and `plan --gpkg`: what GDAL sees, what our reader reads
/// back, and a scenario read from a GeoPackage.
final class GeoPackageTests: XCTestCase {
    /// Feature counts per layer of the Khojaly plan (seed 1), from the GeoJSON layer files.
    func planCounts() throws -> [(String, Int)] {
        let folder = try CLIRunner.temporaryFolder(self)
        XCTAssertEqual(try CLIRunner.run(["plan", "--out", folder.path]).status, 0)
        // Every layer the plan writes, whatever PlanLayers adds later.
        return try PlanLayers.allLayerNames.map { layer in
            let fc = try XCTUnwrap(CLIRunner.json(String(contentsOf: folder.appendingPathComponent("\(layer).geojson"), encoding: .utf8)) as? [String: Any])
            return (layer, try XCTUnwrap(fc["features"] as? [Any]).count)
        }
    }

    func testExportOpensInGDALWithEveryLayer() throws {
        try XCTSkipIf(GDALInteropTests.ogrinfo() == nil, "ogrinfo (gdal-bin) is not installed")
        let counts = try planCounts()
        let folder = try CLIRunner.temporaryFolder(self)
        for (crs, epsg) in [("wgs84", 4326), ("planning", 32638)] {
            let file = folder.appendingPathComponent("khojaly-\(crs).gpkg").path
            let export = try CLIRunner.run(["export", "--format", "gpkg", "--crs", crs, "--out", file])
            XCTAssertEqual(export.status, 0, export.stderr)
            let info = try GDALInteropTests.runOGRInfo(["-al", "-so", file])
            XCTAssertEqual(info.status, 0)
            XCTAssertEqual(info.err, "", "no warning from GDAL")
            // One block per layer, in order: name, count, CRS; then QGIS's layer_styles table
            // (attributes, no geometry), a style per layer.
            let blocks = info.out.components(separatedBy: "\nLayer name: ").dropFirst()
            XCTAssertEqual(blocks.map { String($0.prefix { $0 != "\n" }) }, counts.map(\.0) + ["layer_styles"], crs)
            XCTAssertTrue(blocks.last?.contains("Feature Count: \(counts.count)\n") == true, "one style per layer")
            for (block, (layer, count)) in zip(blocks, counts) {
                XCTAssertTrue(block.contains("Feature Count: \(count)\n"), "\(crs) \(layer): \(block.prefix(300))")
                XCTAssertTrue(block.contains("ID[\"EPSG\",\(epsg)]]"), "\(crs) \(layer) CRS")
            }
            XCTAssertTrue(info.out.contains("units: Integer"), "typed integer column")
            XCTAssertTrue(info.out.contains("footprint_m2: Real"), "typed real column")
            XCTAssertTrue(info.out.contains("width_m: Real"), "a measurement stays REAL even when whole")
            // The R-tree is there and GDAL uses it.
            let index = try GDALInteropTests.runOGRInfo(["-q", file, "-sql", "SELECT HasSpatialIndex('buildings', 'geom')"])
            XCTAssertTrue(index.out.contains("= 1"), index.out + index.err)
        }
    }

    func testReadBackWithOurReaderAndDeterministic() throws {
        let counts = try planCounts()
        let folder = try CLIRunner.temporaryFolder(self)
        let file = folder.appendingPathComponent("a.gpkg").path, again = folder.appendingPathComponent("b.gpkg").path
        XCTAssertEqual(try CLIRunner.run(["plan", "--out", folder.path, "--gpkg", file]).status, 0)
        XCTAssertEqual(try CLIRunner.run(["export", "--out", again]).status, 0, "an .gpkg --out means GeoPackage")
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: file)), try Data(contentsOf: URL(fileURLWithPath: again)),
                       "plan --gpkg and export write the same bytes")
        XCTAssertEqual(try GeoPackageReader.layerNames(file: file), counts.map(\.0))
        for (layer, count) in counts {
            XCTAssertEqual(try GeoPackageReader.read(file: file, layer: layer).features.count, count, layer)
        }
        let buildings = try GeoPackageReader.read(file: file, layer: "buildings").features
        let first = try XCTUnwrap(buildings.first)
        // Same ids, attributes and (up to GeoJSON's 7 decimals) geometry as the GeoJSON layer.
        let geojson = try GeoJSONReader.read(file: folder.appendingPathComponent("buildings.geojson").path)
        XCTAssertEqual(buildings.map(\.id), geojson.map(\.id))
        XCTAssertEqual(first.properties, try XCTUnwrap(geojson.first).properties)
        let a = try XCTUnwrap(first.geometry), b = try XCTUnwrap(geojson.first?.geometry)
        XCTAssertLessThan(try a.symmetricDifference(b).area, try 1e-3 * a.area)
    }

    /// A scenario whose parcels and exclusion zones are GeoPackage tables, stored in the
    /// planning CRS: the same parcels as the GeoJSON scenario.
    func testScenarioLayersFromGeoPackage() throws {
        let folder = try CLIRunner.temporaryFolder(self)
        let gpkg = folder.appendingPathComponent("site.gpkg").path
        XCTAssertEqual(try CLIRunner.run(["export", "--format", "gpkg", "--crs", "planning", "--layers", "parcels,exclusions", "--out", gpkg]).status, 0)
        let manifestURL = CLIRunner.repositoryRoot.appendingPathComponent("geodata/khojaly/scenario.json")
        var manifest = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(contentsOf: manifestURL)) as? [String: Any])
        manifest["layers"] = ["parcels": "site.gpkg", "exclusions": "site.gpkg#exclusions"]
        try JSONSerialization.data(withJSONObject: manifest).write(to: folder.appendingPathComponent("scenario.json"))

        let fromGpkg = try CLIRunner.run(["parcels", "--scenario", folder.path, "--format", "csv"])
        XCTAssertEqual(fromGpkg.status, 0, fromGpkg.stderr)
        XCTAssertEqual(fromGpkg.stdout, try CLIRunner.run(["parcels", "--format", "csv"]).stdout)
        let plan = try CLIRunner.run(["plan", "--scenario", folder.path, "--out", folder.appendingPathComponent("out").path, "--format", "json"])
        XCTAssertEqual(plan.status, 0, plan.stderr)

        manifest["layers"] = ["parcels": "site.gpkg#lots"]
        try JSONSerialization.data(withJSONObject: manifest).write(to: folder.appendingPathComponent("scenario.json"))
        let bad = try CLIRunner.run(["parcels", "--scenario", folder.path])
        XCTAssertNotEqual(bad.status, 0)
        XCTAssertTrue(bad.stderr.contains("site.gpkg: no feature table \"lots\" (feature tables: parcels, exclusions)"), bad.stderr)
    }

    func testGeoPackageOptionsAreChecked() throws {
        try CLIRunner.assertFails(["export", "--format", "gpkg"], "--format gpkg needs --out")
        try CLIRunner.assertFails(["export", "--crs", "planning"], "--crs planning is for GeoPackage, Shapefile and FlatGeobuf")
    }
}
