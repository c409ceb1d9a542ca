import Foundation
import SiteDrivers
import SiteGeometry
import SiteProjection
import SiteVocabulary
import XCTest
@testable import DriverGeoPackage

/// The GeoPackage driver on layers made in code: any layer it is given becomes a feature table
/// with typed columns in the CRS asked for, read back equal; bad names are refused; a write
/// that cannot happen names the file and leaves nothing behind.
final class GeoPackageWriterTests: XCTestCase {
    static let utm = CRS.epsg(32638)

    func folder() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("siteplan-gpkg-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(at: url) }
        return url
    }

    /// A network layer with one segment per status, buildings with connection flags and
    /// households as points, all in UTM 38N metres near Khojaly.
    func layers() throws -> [Layer] {
        let statuses = WorksStatus.allCases.map(\.rawValue)
        let network = try statuses.enumerated().map { i, status in
            Feature(id: "W\(i + 1)", properties: JSONObject([("layer", "network"), ("utility", "water"), ("status", .string(status)),
                                                           ("length_m", 10), ("diameter_mm", 110)]),
                    geometry: try Geometry.lineString([XY(653_000 + Double(10 * i), 4_419_300), XY(653_010 + Double(10 * i), 4_419_300)]))
        }
        let buildings = try (0..<3).map { i in
            let x = 653_000 + Double(30 * i)
            return Feature(id: "B\(i)", properties: JSONObject([("layer", "buildings"), ("connected_all", .bool(i == 0)), ("footprint_m2", 120)]),
                           geometry: try Geometry.polygon(exterior: [XY(x, 4_419_000), XY(x + 12, 4_419_000), XY(x + 12, 4_419_010), XY(x, 4_419_010), XY(x, 4_419_000)]))
        }
        let households = try (0..<2).map { i in
            Feature(id: "F\(i + 1)", properties: JSONObject([("layer", "households"), ("size", 4)]),
                    geometry: try Geometry.point(XY(653_006 + Double(30 * i), 4_419_005)))
        }
        return [Layer(name: "network", crs: Self.utm, features: network), Layer(name: "buildings", crs: Self.utm, features: buildings),
                Layer(name: "households", crs: Self.utm, features: households)]
    }

    func write(_ layers: [Layer], crs: CRS, to path: String) throws {
        let files = FileSet()
        try GeoPackageWriter(crs: crs, lastChange: "2026-11-27T00:00:00.000Z").write(layers, to: path, in: files)
        try files.commit()
    }

    func testNewLayersWithTypedColumnsInThePlanningCRS() throws {
        let file = try folder().appendingPathComponent("net.gpkg").path
        let layers = try layers()
        try write(layers, crs: Self.utm, to: file)
        XCTAssertEqual(try GeoPackageReader.layerNames(file: file), ["network", "buildings", "households"])
        let network = try GeoPackageReader.read(file: file, layer: "network")
        XCTAssertEqual(network.crs, Self.utm, "stored in the planning CRS, read back in it")
        XCTAssertEqual(network.features.map { $0.properties["status"]?.string }, ["planned", "under_construction", "laid", "commissioned"])
        XCTAssertEqual(network.features[0].properties["diameter_mm"], .number(110))
        XCTAssertEqual(network.features[0].properties["length_m"], .number(10))
        let buildings = try GeoPackageReader.read(file: file, layer: "buildings")
        XCTAssertEqual(buildings.features[0].properties["connected_all"], .bool(true), "BOOLEAN column read back as a boolean")
        XCTAssertEqual(buildings.features[1].properties["connected_all"], .bool(false))
        // No round trip through WGS84: the planar vertices are stored as they are.
        XCTAssertEqual(try buildings.features[1].geometry?.exteriorRing().coordinates(), try layers[1].features[1].geometry?.exteriorRing().coordinates())
        XCTAssertEqual(try GeoPackageReader.read(file: file, layer: "households").features.map { $0.geometry?.type }, [.point, .point])
    }

    func testWGS84IsProjectedOnceAndSameLayersGiveSameBytes() throws {
        let dir = try folder()
        let a = dir.appendingPathComponent("a.gpkg").path, b = dir.appendingPathComponent("b.gpkg").path
        try write(try layers(), crs: .wgs84, to: a)
        try write(try layers(), crs: .wgs84, to: b)
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: a)), try Data(contentsOf: URL(fileURLWithPath: b)))
        let households = try GeoPackageReader.read(file: a, layer: "households")
        XCTAssertEqual(households.crs, .wgs84)
        let p = try XCTUnwrap(households.features.first?.geometry).pointXY()
        XCTAssertEqual(p.x, 46.79, accuracy: 0.02, "longitude first")
        XCTAssertEqual(p.y, 39.91, accuracy: 0.02)
    }

    func testBadLayerOrPropertyNamesAreRefused() throws {
        let dir = try folder()
        let point = try Geometry.point(XY(46.79, 39.91))
        for (layer, key) in [("bad name\"; DROP TABLE x", "ok"), ("ok", "Bad Key")] {
            let layers = [Layer(name: layer, crs: .wgs84, features: [Feature(id: "1", properties: JSONObject([(key, 1)]), geometry: point)])]
            XCTAssertThrowsError(try write(layers, crs: .wgs84, to: dir.appendingPathComponent("x.gpkg").path)) { error in
                XCTAssertTrue("\(error)".contains("is not a plain name"), "\(error)")
            }
        }
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: dir.path), [], "nothing left behind")
    }

    func testAnOutputThatCannotBeWrittenNamesTheFile() throws {
        let dir = try folder()
        // A file where the folder should be.
        try Data("x".utf8).write(to: dir.appendingPathComponent("taken"))
        let target = dir.appendingPathComponent("taken/plan.gpkg").path
        XCTAssertThrowsError(try write(try layers(), crs: Self.utm, to: target)) { error in
            let e = error as? OutputError
            XCTAssertNotNil(e, "an output failure, not bad input: \(type(of: error))")
            XCTAssertEqual(e?.target, target)
            XCTAssertFalse("\(error)".contains("NSCocoaErrorDomain"))
        }
    }
}
