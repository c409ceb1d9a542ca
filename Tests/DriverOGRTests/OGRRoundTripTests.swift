import Foundation
import SiteDrivers
import SiteGDAL
import SiteGeometry
import SiteProjection
import SiteVocabulary
import XCTest
@testable import DriverOGR
import DriverGeoJSON
import DriverGeoPackage

/// Round trips through every format DriverOGR writes, read back by OGRSource over real GDAL,
/// checked without ogr2ogr: feature counts, ids, attribute values and the types GDAL gives
/// them, the CRS, and geometry within 1 cm. And every kind of bad input, from the fixtures in
/// Tests/Fixtures/ogr, refused with the file, the feature and the problem.
final class OGRRoundTripTests: XCTestCase {
    static let utm = CRS.epsg(32638)
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/ogr").path

    func folder() throws -> String {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("siteplan-ogr-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(at: url) }
        return url.path
    }

    /// Two lots (one with a hole) near Khojaly in UTM 38N, with a whole-number measurement, a
    /// count, a date, a flag, a long name and text with non-ASCII letters.
    func lots() throws -> Layer {
        let a = try Geometry.polygon(exterior: [XY(653_000, 4_419_000), XY(653_100, 4_419_000), XY(653_100, 4_419_080), XY(653_000, 4_419_080), XY(653_000, 4_419_000)],
                                     holes: [[XY(653_020, 4_419_020), XY(653_020, 4_419_040), XY(653_040, 4_419_040), XY(653_040, 4_419_020), XY(653_020, 4_419_020)]])
        let b = try Geometry.polygon(exterior: [XY(653_200.25, 4_419_000.5), XY(653_260.75, 4_419_000.5), XY(653_260.75, 4_419_050), XY(653_200.25, 4_419_000.5)])
        return Layer(name: "lots", crs: Self.utm, features: [
            Feature(id: "L1", properties: JSONObject([("area_m2", 7600.0), ("units", 2), ("date", "2026-05-01"), ("connected_water", true),
                                                      ("connected_telecom", false), ("label", "Xocalı ev"), ("name", "Lot one")]), geometry: a),
            Feature(id: "L2", properties: JSONObject([("area_m2", 1512.6), ("units", 12), ("date", "2026-11-27"), ("connected_water", false),
                                                      ("connected_telecom", true), ("label", "Şuşa"), ("name", "Lot two")]), geometry: b),
        ])
    }

    func write(_ format: OGRFormat, _ layers: [Layer], to path: String, crs: CRS = utm) throws {
        let files = FileSet()
        try OGRSink(format: format, crs: crs, planningCRS: Self.utm, currentDate: "2026-11-27").write(layers, to: path, in: files)
        try files.commit()
    }

    /// Every vertex of `a` within 1 cm of `b`'s, ring by ring, and the areas equal to 1e-4 m².
    func assertSameGeometry(_ a: Geometry, _ b: Geometry, file: StaticString = #filePath, line: UInt = #line) throws {
        let ra = try a.polygonRings(), rb = try b.polygonRings()
        XCTAssertEqual(ra.count, rb.count, "ring count", file: file, line: line)
        XCTAssertEqual(try a.area, try b.area, accuracy: 1e-2, file: file, line: line)
        XCTAssertLessThan(try a.symmetricDifference(b).area, 0.01, "symmetric difference under 0.01 m²", file: file, line: line)
        for (x, y) in zip(ra, rb) {
            // Rings may start elsewhere or turn the other way: compare as vertex sets.
            for p in x { XCTAssertTrue(y.contains { abs($0.x - p.x) < 0.01 && abs($0.y - p.y) < 0.01 }, "vertex \(p) kept within 1 cm", file: file, line: line) }
        }
    }

    func testShapefileRoundTripKeepsIdsValuesTypesAndCRS() throws {
        let dir = try folder(), layer = try lots()
        try write(.shapefile, [layer], to: dir + "/lots.shp")
        for ext in ["shp", "shx", "dbf", "prj", "cpg", "fields.csv"] { XCTAssertTrue(FileIO.exists(dir + "/lots." + ext), ext) }
        XCTAssertEqual(String(decoding: try FileIO.readBytes(dir + "/lots.cpg"), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines), "UTF-8")
        // GDAL sees the short names and types directly.
        let raw = try VectorDataset.open(dir + "/lots.shp").readLayer(at: 0)
        XCTAssertEqual(raw.fields.map(\.name), ["id", "area_m2", "units", "date", "conn_water", "conn_telco", "label", "name"])
        XCTAssertEqual(raw.fields.map(\.type), [.string, .real, .integer, .date, .integer, .integer, .string, .string])
        XCTAssertEqual(raw.spatialReference?.epsgCode, 32638)
        // OGRSource restores the full names from the sidecar.
        let read = try OGRSource(path: dir + "/lots.shp").readLayer(nil)
        XCTAssertEqual(read.crs, Self.utm)
        XCTAssertEqual(read.features.map(\.id), ["L1", "L2"])
        XCTAssertEqual(read.features[0].properties.keys, ["area_m2", "units", "date", "connected_water", "connected_telecom", "label", "name"])
        XCTAssertEqual(read.features[0].properties["area_m2"], .number(7600))
        XCTAssertEqual(read.features[1].properties["area_m2"], .number(1512.6))
        XCTAssertEqual(read.features[1].properties["units"], .number(12))
        XCTAssertEqual(read.features[1].properties["date"], .string("2026-11-27"))
        XCTAssertEqual(read.features[1].properties["label"], .string("Şuşa"))
        // The Shapefile has no Boolean: flags come back as 0/1.
        XCTAssertEqual(read.features[0].properties["connected_water"], .number(1))
        for (a, b) in zip(layer.features, read.features) { try assertSameGeometry(a.geometry!, b.geometry!) }
    }

    func testFlatGeobufRoundTripKeepsBooleansAndDates() throws {
        let dir = try folder(), layer = try lots()
        try write(.flatGeobuf, [layer], to: dir + "/lots.fgb")
        let raw = try VectorDataset.open(dir + "/lots.fgb").readLayer(at: 0)
        XCTAssertEqual(Dictionary(uniqueKeysWithValues: raw.fields.map { ($0.name, $0.type) })["area_m2"], .real)
        XCTAssertEqual(Dictionary(uniqueKeysWithValues: raw.fields.map { ($0.name, $0.type) })["units"], .integer)
        XCTAssertEqual(Dictionary(uniqueKeysWithValues: raw.fields.map { ($0.name, $0.type) })["connected_water"], .boolean)
        let read = try OGRSource(path: dir + "/lots.fgb").readLayer(nil)
        XCTAssertEqual(read.crs, Self.utm)
        XCTAssertEqual(read.features.map(\.id), ["L1", "L2"])
        XCTAssertEqual(read.features[0].properties["connected_water"], .bool(true))
        XCTAssertEqual(read.features[1].properties["connected_telecom"], .bool(true))
        XCTAssertEqual(read.features[0].properties["date"]?.string?.prefix(10), "2026-05-01")
        XCTAssertEqual(read.features[1].properties["area_m2"], .number(1512.6))
        for (a, b) in zip(layer.features, read.features) { try assertSameGeometry(a.geometry!, b.geometry!) }
    }

    func testKMLIsWGS84WithNamesAndADescriptionTable() throws {
        let dir = try folder(), layer = try lots()
        try write(.kml, [layer], to: dir + "/lots.kml")
        let text = String(decoding: try FileIO.readBytes(dir + "/lots.kml"), as: UTF8.self)
        XCTAssertTrue(text.contains("<name>L1</name>"), "the placemark is named by the id")
        XCTAssertTrue(text.contains("&lt;th&gt;area_m2&lt;/th&gt;&lt;td&gt;7600&lt;/td&gt;") || text.contains("<th>area_m2</th><td>7600</td>"), "the description tabulates the attributes")
        let read = try OGRSource(path: dir + "/lots.kml").readLayer(nil)
        XCTAssertEqual(read.crs, .wgs84)
        XCTAssertEqual(read.features.map(\.id), ["L1", "L2"])
        XCTAssertEqual(read.features[1].properties["label"], .string("Şuşa"))
        XCTAssertEqual(read.features[1].properties["name"], .string("Lot two"), "a name attribute is not KML's placemark name")
        XCTAssertEqual(read.features[1].properties["area_m2"], .number(1512.6))
        XCTAssertEqual(read.features[1].properties["units"], .number(12))
        let back = try read.projected(to: Self.utm)
        for (a, b) in zip(layer.features, back.features) { try assertSameGeometry(a.geometry!, b.geometry!) }
    }

    func testDXFIsInThePlanningCRSWithLabelledClosedPolylines() throws {
        let dir = try folder(), layer = try lots()
        // Given in WGS84, drawn in the planning CRS (metres).
        try write(.dxf, [try layer.projected(to: .wgs84)], to: dir + "/lots.dxf")
        let raw = try VectorDataset.open(dir + "/lots.dxf").readLayer(at: 0)
        // 3 rings and 2 labels, on the DXF layer "lots", in metres.
        XCTAssertEqual(raw.features.count, 5)
        let layerColumn = raw.fields.firstIndex { $0.name == "Layer" }!
        XCTAssertTrue(raw.features.allSatisfy { $0.values[layerColumn] == .string("lots") })
        XCTAssertGreaterThan(try raw.features[0].geometry!.envelope().minX, 600_000)
        // Without a CRS the DXF is refused; with --source-crs the areas are rebuilt, holes and ids.
        XCTAssertThrowsError(try OGRSource(path: dir + "/lots.dxf").readLayer(nil)) { error in
            XCTAssertTrue("\(error)".contains("--source-crs"), "\(error)")
        }
        let read = try OGRSource(path: dir + "/lots.dxf", sourceCRS: Self.utm).readLayer(nil)
        XCTAssertEqual(read.features.map(\.id), ["L1", "L2"])
        XCTAssertEqual(try read.features[0].geometry!.interiorRingCount(), 1)
        for (a, b) in zip(layer.features, read.features) { try assertSameGeometry(a.geometry!, b.geometry!) }
        // --layer picks a DXF drawing layer.
        XCTAssertEqual(try OGRSource(path: dir + "/lots.dxf", sourceCRS: Self.utm).readLayer("lots").features.count, 2)
    }

    func testXLSXHasOneSheetOfAttributesPerLayer() throws {
        let dir = try folder(), layer = try lots()
        var other = layer
        other.name = "blocks"
        try write(.xlsx, [layer, other], to: dir + "/tables.xlsx")
        let dataset = try VectorDataset.open(dir + "/tables.xlsx")
        XCTAssertEqual(try dataset.layerNames(), ["lots", "blocks"])
        let sheet = try dataset.readLayer(at: 0)
        XCTAssertEqual(sheet.features.count, 2)
        XCTAssertEqual(sheet.features[1].values[0], .string("L2"))
        let types = Dictionary(uniqueKeysWithValues: sheet.fields.map { ($0.name, $0.type) })
        XCTAssertEqual(types["area_m2"], .real)
        XCTAssertEqual(types["units"], .integer)
    }

    func testSameLayersGiveTheSameBytes() throws {
        let layer = try lots()
        for (format, files) in [(OGRFormat.shapefile, ["lots.shp", "lots.dbf", "lots.shx", "lots.prj", "lots.cpg"]), (.flatGeobuf, ["lots.fgb"]),
                                (.kml, ["lots.kml"]), (.dxf, ["lots.dxf"]), (.xlsx, ["lots.xlsx"])] {
            let a = try folder(), b = try folder()
            try write(format, [layer], to: a + "/lots." + format.rawValue)
            try write(format, [layer], to: b + "/lots." + format.rawValue)
            for name in files { XCTAssertEqual(try FileIO.readBytes(a + "/" + name), try FileIO.readBytes(b + "/" + name), "\(format) \(name)") }
        }
        // The .dbf header's date is the scenario's as-of date, not the clock's.
        let dir = try folder()
        try write(.shapefile, [layer], to: dir + "/lots.shp")
        let header = try FileIO.readBytes(dir + "/lots.dbf").prefix(4)
        XCTAssertEqual(Array(header.dropFirst()), [126, 11, 27], "2026-11-27")
    }

    func testShapefileNamesAreUniqueAndShort() {
        let full = ["connected_water", "connected_sewer", "connected_power", "connected_gas", "connected_telecom", "connected_all",
                    "some_very_long_name_a", "some_very_long_name_b"]
        let short = ShapefileFieldNames.map(full)
        XCTAssertEqual(Array(short.prefix(6)), ["conn_water", "conn_sewer", "conn_power", "conn_gas", "conn_telco", "conn_all"])
        XCTAssertEqual(Set(short.map { $0.lowercased() }).count, full.count)
        XCTAssertTrue(short.allSatisfy { $0.utf8.count <= 10 })
    }

    func testMixedGeometryTypesGiveOneShapefilePerType() throws {
        let dir = try folder()
        let layer = Layer(name: "mixed", crs: Self.utm, features: [
            Feature(id: "p", geometry: try .point(XY(653_000, 4_419_000))),
            Feature(id: "l", geometry: try .lineString([XY(653_000, 4_419_000), XY(653_010, 4_419_000)])),
        ])
        try write(.shapefile, [layer], to: dir + "/m.shp")
        XCTAssertEqual(try OGRSource(path: dir + "/m_points.shp").readLayer(nil).features.map(\.id), ["p"])
        XCTAssertEqual(try OGRSource(path: dir + "/m_lines.shp").readLayer(nil).features.map(\.id), ["l"])
    }

    /// GDAL reads the same field types from siteplan's own GeoJSON and GeoPackage as from the
    /// OGR formats: a whole measurement is Real, a count Integer, a date Date, a flag Boolean.
    func testOwnGeoJSONAndGeoPackageGiveGDALTheSameTypes() throws {
        let dir = try folder(), layer = try lots()
        let files = FileSet()
        try GeoJSONSink().write([layer], to: dir + "/lots.geojson", in: files)
        try GeoPackageWriter(crs: Self.utm, lastChange: "2026-11-27T00:00:00.000Z").write([layer], to: dir + "/lots.gpkg", in: files)
        try files.commit()
        for file in ["lots.geojson", "lots.gpkg"] {
            let raw = try VectorDataset.open(dir + "/" + file).readLayer(at: 0)
            let types = Dictionary(uniqueKeysWithValues: raw.fields.map { ($0.name, $0.type) })
            XCTAssertEqual(types["area_m2"], .real, file)
            XCTAssertEqual(types["units"], .integer, file)
            XCTAssertEqual(types["date"], .date, file)
            XCTAssertEqual(types["connected_water"], .boolean, file)
            XCTAssertEqual(types["label"], .string, file)
        }
    }

    // MARK: Reading other files

    func testGeoPackageGMLAndCSVWithWKTAreRead() throws {
        let dir = try folder()
        let gpkg = dir + "/g.gpkg"
        let ds = try VectorDataset.create(gpkg, driver: "GPKG")
        let w = try ds.createLayer("zones", crs: "EPSG:32638", geometryType: .polygon, fields: [FieldDefinition(name: "id", type: .string)])
        try w.add([.string("Z1")], geometry: try lots().features[1].geometry)
        try ds.close()
        let read = try OGRSource(path: gpkg).readLayer(nil)
        XCTAssertEqual(read.crs, Self.utm)
        XCTAssertEqual(read.features.map(\.id), ["Z1"])

        let csv = dir + "/zones.csv"
        try "id,WKT\nZ1,\"POLYGON ((46.79 39.91,46.80 39.91,46.80 39.92,46.79 39.91))\"\n".write(toFile: csv, atomically: true, encoding: .utf8)
        let fromCSV = try OGRSource(path: csv, sourceCRS: .wgs84).readLayer(nil)
        XCTAssertEqual(fromCSV.features.map(\.id), ["Z1"])
        XCTAssertEqual(fromCSV.features[0].geometry?.type, .polygon)

        let gml = dir + "/zones.gml"
        try """
        <?xml version="1.0" encoding="utf-8" ?>
        <ogr:FeatureCollection xmlns:ogr="http://ogr.maptools.org/" xmlns:gml="http://www.opengis.net/gml">
          <gml:featureMember><ogr:zones><ogr:geometryProperty><gml:Polygon srsName="EPSG:32638"><gml:outerBoundaryIs><gml:LinearRing>
          <gml:coordinates>653000,4419000 653100,4419000 653100,4419100 653000,4419000</gml:coordinates></gml:LinearRing></gml:outerBoundaryIs></gml:Polygon></ogr:geometryProperty>
          <ogr:id>G1</ogr:id></ogr:zones></gml:featureMember>
        </ogr:FeatureCollection>
        """.write(toFile: gml, atomically: true, encoding: .utf8)
        let fromGML = try OGRSource(path: gml).readLayer(nil)
        XCTAssertEqual(fromGML.crs, Self.utm)
        XCTAssertEqual(fromGML.features.map(\.id), ["G1"])
        XCTAssertEqual(try fromGML.features[0].geometry!.area, 5000, accuracy: 1e-6)
    }

    /// A .prj that is no EPSG CRS (a local Transverse Mercator) is kept as its WKT, which PROJ
    /// uses: the squares come back where they were, 100 m on a side.
    func testACustomPrjIsReadAsItsWKT() throws {
        let read = try OGRSource(path: Self.fixtures + "/custom_tm.shp", idField: "parcel_no").readLayer(nil)
        XCTAssertNil(read.crs.epsgCode)
        XCTAssertTrue(read.crs.definition.contains("Local_TM"), read.crs.definition)
        let utm = try read.projected(to: Self.utm)
        XCTAssertEqual(try utm.features[0].geometry!.area, 10_000, accuracy: 2)
        XCTAssertEqual(try utm.features[0].geometry!.envelope().minX, 652_500, accuracy: 0.01)
    }

    func testLegacyCRSGeoJSONIsReadInItsCRS() throws {
        let read = try OGRSource(path: Self.fixtures + "/legacy_crs_utm.geojson", idField: "parcel_no").readLayer(nil)
        XCTAssertEqual(read.crs, Self.utm)
        XCTAssertEqual(read.features.map(\.id), ["A1", "A2"])
        XCTAssertEqual(try read.features[0].geometry!.area, 10_000, accuracy: 1e-6)
    }

    // MARK: Bad input

    func assertInputError(_ body: @autoclosure () throws -> Any, _ fragments: [String], file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertThrowsError(try body(), file: file, line: line) { error in
            XCTAssertTrue(error is InputError, "\(type(of: error)): \(error)", file: file, line: line)
            for f in fragments { XCTAssertTrue("\(error)".contains(f), "\"\(error)\" should contain \"\(f)\"", file: file, line: line) }
        }
    }

    func testBadInputIsRefusedNamingFileLayerAndFeature() throws {
        let f = Self.fixtures
        assertInputError(try OGRSource(path: f + "/no_shx.shp").readLayer(nil), ["no_shx.shp", "missing", "no_shx.shx"])
        assertInputError(try OGRSource(path: f + "/no_dbf.shp").readLayer(nil), ["no_dbf.shp", "missing", "no_dbf.dbf"])
        assertInputError(try OGRSource(path: f + "/bad_prj.shp").readLayer(nil), ["bad_prj.shp", "bad_prj.prj is not a CRS GDAL/PROJ can read"])
        assertInputError(try OGRSource(path: f + "/good.shp", idField: "parcel").readLayer(nil), ["good.shp", "--id-field parcel", "no such field", "parcel_no"])
        assertInputError(try OGRSource(path: f + "/dup.shp", idField: "parcel_no").readLayer(nil), ["dup.shp", "feature 1", "duplicate id \"A1\""])
        assertInputError(try OGRSource(path: f + "/nowhere.shp").readLayer(nil), ["nowhere.shp", "no such file"])
        let good = try OGRSource(path: f + "/good.shp", idField: "parcel_no").readLayer(nil)
        XCTAssertEqual(good.features.map(\.id), ["A1", "A2"])
        XCTAssertEqual(good.features[0].properties["section"], .string("A"))
    }
}
