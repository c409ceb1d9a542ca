import Foundation
import SiteDrivers
import SiteGeometry
import SiteProjection
import SiteVocabulary
import XCTest
@testable import DriverCSV

/// The CSV driver: a planar layer written once as WGS84 WKT with its attributes, read back as it
/// was; a bad row names the file and line.
final class CSVDriverTests: XCTestCase {
    func folder() throws -> String {
        let path = NSTemporaryDirectory() + "siteplan-csvdriver-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(atPath: path) }
        return path
    }

    func testALayerRoundTripsThroughCSVWithWKT() throws {
        let utm = CRS.epsg(32638)
        let square = try Geometry.polygon(exterior: [XY(653_000, 4_419_300), XY(653_100, 4_419_300), XY(653_100, 4_419_400),
                                                     XY(653_000, 4_419_400), XY(653_000, 4_419_300)])
        let layer = Layer(name: "lots", crs: utm, features: [
            Feature(id: "L1", properties: JSONObject([("note", "corner, \"north\""), ("area_m2", 10000), ("built", true)]), geometry: square),
            Feature(id: "L2", properties: JSONObject([("area_m2", 12.5)]), geometry: nil),
        ])
        let dir = try folder()
        let files = FileSet()
        try CSVSink().write([layer], to: dir + "/lots.csv", in: files)
        try files.commit()
        let text = try String(contentsOfFile: dir + "/lots.csv", encoding: .utf8)
        XCTAssertTrue(text.hasPrefix("id,note,area_m2,built,WKT\nL1,\"corner, \"\"north\"\"\",10000,1,\"POLYGON ((46.79"), text)
        XCTAssertEqual(try String(contentsOfFile: dir + "/lots.csvt", encoding: .utf8), "String,String,Real,Integer(Boolean),WKT\n")
        XCTAssertTrue(try String(contentsOfFile: dir + "/lots.prj", encoding: .utf8).contains("WGS 84"))
        XCTAssertTrue(text.hasSuffix("L2,,12.5,,\n"), text)

        let read = try CSVSource(path: dir + "/lots.csv").readLayer(nil)
        XCTAssertEqual(read.name, "lots")
        XCTAssertEqual(read.crs, .wgs84)
        XCTAssertEqual(read.features.map(\.id), ["L1", "L2"])
        XCTAssertEqual(read.features[0].properties["note"], .string("corner, \"north\""))
        XCTAssertEqual(read.features[0].properties["area_m2"], .number(10000))
        XCTAssertNil(read.features[1].geometry)
        let back = try read.projected(to: utm)
        XCTAssertEqual(try XCTUnwrap(back.features[0].geometry).area, 10_000, accuracy: 2, "7 decimals: about 1 cm")
    }

    func testPointsFromLonLatColumnsAndBadRowsNamed() throws {
        let dir = try folder()
        try "id,name,lon,lat\nW1,well,46.79,39.91\nW2,nan,46.8,39.92\n".write(toFile: dir + "/wells.csv", atomically: true, encoding: .utf8)
        let wells = try CSVSource(path: dir + "/wells.csv").readLayer(nil)
        XCTAssertEqual(try wells.features.map { try XCTUnwrap($0.geometry).pointXY() }, [XY(46.79, 39.91), XY(46.8, 39.92)])
        XCTAssertEqual(wells.features[1].properties["name"], .string("nan"), "text that Double would take stays text")

        try "id,lon,lat\nW1,39.91,146.79\n".write(toFile: dir + "/swapped.csv", atomically: true, encoding: .utf8)
        XCTAssertThrowsError(try CSVSource(path: dir + "/swapped.csv").readLayer(nil)) { error in
            XCTAssertEqual("\(error)", "\(dir)/swapped.csv: line 2 (id \"W1\"): lon,lat \"39.91\",\"146.79\" is not a longitude,latitude position in degrees")
        }
        try "id,WKT\nA,\"POLYGON ((0 0, 1 0\"\n".write(toFile: dir + "/bad.csv", atomically: true, encoding: .utf8)
        XCTAssertThrowsError(try CSVSource(path: dir + "/bad.csv").readLayer(nil)) { error in
            XCTAssertTrue("\(error)".hasPrefix("\(dir)/bad.csv: line 2 (id \"A\"): the WKT does not parse: "), "\(error)")
        }
        try "id,name\nA,x\n".write(toFile: dir + "/plain.csv", atomically: true, encoding: .utf8)
        XCTAssertThrowsError(try CSVSource(path: dir + "/plain.csv").readLayer(nil)) { error in
            XCTAssertTrue("\(error)".contains("no geometry column"), "\(error)")
        }
    }
}
