import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import SiteDrivers
import SiteGeometry
import SiteProjection
import SiteVocabulary
import XCTest
@testable import DriverGeoPackage

/// The GeoPackage carries a QGIS style per layer in `layer_styles`, read back with the sqlite3
/// client: one default style per layer, valid QML with the map's colours, registered as an
/// attributes table, dated from the data.
final class QGISStyleTests: XCTestCase {
    func sqlite(_ file: String, _ sql: String) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/sqlite3")
        process.arguments = [file, sql]
        let out = Pipe()
        process.standardOutput = out
        try process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        XCTAssertEqual(process.terminationStatus, 0, sql)
        return String(decoding: data, as: UTF8.self).trimmingCharacters(in: .newlines)
    }

    /// Collects `<category>` values and every `value` attribute of an Option, failing on bad XML.
    final class QML: NSObject, XMLParserDelegate {
        var root: String?
        var categories: [String] = []
        var optionValues: [String] = []
        func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?, attributes: [String: String]) {
            if root == nil { root = name }
            if name == "category", let v = attributes["value"] { categories.append(v) }
            if name == "Option", let v = attributes["value"] { optionValues.append(v) }
        }
        /// A style that is not XML fails the test (it is never a reason to skip).
        struct NotXML: Error, CustomStringConvertible { let message: String; var description: String { message } }
        static func parse(_ text: String) throws -> QML {
            let qml = QML()
            let parser = XMLParser(data: Data(text.utf8))
            parser.delegate = qml
            guard parser.parse() else { throw NotXML(message: "QML is not well-formed XML: \(parser.parserError.map { "\($0)" } ?? "")") }
            return qml
        }
    }

    static let utm = CRS.epsg(32638)

    /// Network segments of water, one per status, buildings of two types (in order of
    /// appearance: individual_house, cottage) and households, in UTM 38N.
    static func layers() throws -> [Layer] {
        let network = try WorksStatus.allCases.enumerated().map { i, status in
            Feature(id: "W\(i + 1)", properties: JSONObject([("layer", "network"), ("utility", "water"), ("status", .string(status.rawValue))]),
                    geometry: try Geometry.lineString([XY(653_000 + Double(10 * i), 4_419_300), XY(653_010 + Double(10 * i), 4_419_300)]))
        }
        let buildings = try (0..<3).map { i in
            let x = 653_000 + Double(30 * i)
            return Feature(id: "B\(i)", properties: JSONObject([("layer", "buildings"), ("type", .string(i == 1 ? "cottage" : "individual_house"))]),
                           geometry: try Geometry.polygon(exterior: [XY(x, 4_419_000), XY(x + 12, 4_419_000), XY(x + 12, 4_419_010), XY(x, 4_419_010), XY(x, 4_419_000)]))
        }
        let households = try (0..<2).map { i in
            Feature(id: "F\(i + 1)", properties: JSONObject([("layer", "households"), ("size", 4)]), geometry: try Geometry.point(XY(653_006 + Double(30 * i), 4_419_005)))
        }
        return [Layer(name: "network", crs: utm, features: network), Layer(name: "buildings", crs: utm, features: buildings),
                Layer(name: "households", crs: utm, features: households)]
    }

    static func write(_ layers: [Layer], to path: String) throws {
        let files = FileSet()
        try GeoPackageWriter(crs: utm, lastChange: "2026-11-27T00:00:00.000Z").write(layers, to: path, in: files)
        try files.commit()
    }

    /// Facility lots (`use`) tinted by kind with the map's colours; dwelling lots outlined.
    func testFacilityLotsAreCategorisedByUse() throws {
        let lots = try ["dwelling", "school", "dwelling", "play_area"].enumerated().map { i, use in
            let x = 653_000 + Double(40 * i)
            return Feature(id: "L\(i)", properties: JSONObject([("layer", "lots"), ("use", .string(use))]),
                           geometry: try Geometry.polygon(exterior: [XY(x, 4_419_000), XY(x + 30, 4_419_000), XY(x + 30, 4_419_035), XY(x, 4_419_035), XY(x, 4_419_000)]))
        }
        let qml = try QML.parse(QGISStyle.qml(layer: Layer(name: "lots", crs: Self.utm, features: lots)))
        XCTAssertEqual(qml.categories, ["dwelling", "school", "play_area"])
        for kind in [FacilityKind.school, .playArea] {
            let v = Int(MapStyle.facilityColour(kind.rawValue)!.dropFirst(), radix: 16)!
            XCTAssertTrue(qml.optionValues.contains("\(v >> 16 & 255),\(v >> 8 & 255),\(v & 255),255"), "\(kind) in its colour")
        }
        // Without facility lots, one symbol as before.
        let plain = try QML.parse(QGISStyle.qml(layer: Layer(name: "lots", crs: Self.utm, features: Array(lots.prefix(1)))))
        XCTAssertEqual(plain.categories, [])
    }

    func testEveryLayerHasOneDefaultQGISStyleWithTheMapsColours() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("siteplan-qml-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent("styled.gpkg").path
        let layers = try Self.layers()
        try Self.write(layers, to: file)

        XCTAssertEqual(try sqlite(file, "SELECT f_table_name || '|' || f_geometry_column || '|' || useAsDefault || '|' || update_time FROM layer_styles ORDER BY id"),
                       "network|geom|1|2026-11-27T00:00:00.000Z\nbuildings|geom|1|2026-11-27T00:00:00.000Z\nhouseholds|geom|1|2026-11-27T00:00:00.000Z")
        XCTAssertEqual(try sqlite(file, "SELECT count(*) FROM (SELECT f_table_name FROM layer_styles WHERE useAsDefault GROUP BY f_table_name HAVING count(*) = 1)"), "3")
        XCTAssertEqual(try sqlite(file, "SELECT data_type FROM gpkg_contents WHERE table_name = 'layer_styles'"), "attributes")
        let columns = try sqlite(file, "SELECT group_concat(name, ',') FROM pragma_table_info('layer_styles')")
        XCTAssertEqual(columns, "id,f_table_catalog,f_table_schema,f_table_name,f_geometry_column,styleName,styleQML,styleSLD,useAsDefault,description,owner,ui,update_time")

        func qml(_ layer: String) throws -> QML {
            try QML.parse(try sqlite(file, "SELECT styleQML FROM layer_styles WHERE f_table_name = '\(layer)'"))
        }
        func rgb(_ hex: String) -> String {
            let v = Int(hex.dropFirst(), radix: 16)!
            return "\(v >> 16 & 255),\(v >> 8 & 255),\(v & 255)"
        }
        let buildings = try qml("buildings")
        XCTAssertEqual(buildings.root, "qgis")
        XCTAssertEqual(buildings.categories, ["individual_house", "cottage"])
        XCTAssertTrue(buildings.optionValues.contains(rgb(MapStyle.buildingPalette[0]) + ",255"))
        XCTAssertTrue(buildings.optionValues.contains(rgb(MapStyle.buildingPalette[1]) + ",255"))
        let network = try qml("network")
        XCTAssertEqual(network.categories.count, 5 * MapStyle.statusLines.count, "each utility × each status")
        for (_, colour) in MapStyle.utilityColours {
            XCTAssertTrue(network.optionValues.contains { $0.hasPrefix(rgb(colour) + ",") }, colour)
        }
        XCTAssertTrue(network.categories.contains("water planned"))
        XCTAssertEqual(try qml("households").optionValues.first { $0.hasSuffix(",255") && $0.hasPrefix(rgb(MapStyle.householdColour)) }, rgb(MapStyle.householdColour) + ",255")
        // Same layers, same bytes (update_time from the data).
        let again = dir.appendingPathComponent("again.gpkg").path
        try Self.write(layers, to: again)
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: file)), try Data(contentsOf: URL(fileURLWithPath: again)))
    }
}
