import XCTest
import SiteAudit
import SiteGeometry
import SiteVocabulary

/// Domain-level cases in projected metres, where a point can be put exactly on an edge.
final class CentroidOnBoundaryTests: XCTestCase {
    func input(buildings: [[(Double, Double)]], lines: [[(Double, Double)]] = [], utilities: [Utility] = [], statuses: [WorksStatus] = []) -> AuditInput {
        var ids = ByteStrings(), parcels = PolygonColumns()
        // Two parcels sharing the edge x = 100.
        ids.append("P1"); parcels.append(rings: [[(0, 0), (100, 0), (100, 100), (0, 100), (0, 0)]])
        ids.append("P2"); parcels.append(rings: [[(100, 0), (200, 0), (200, 100), (100, 100), (100, 0)]])
        var lonLat = PolygonColumns()
        lonLat.append(rings: [[(46, 40), (46.001, 40), (46.001, 40.001), (46, 40.001), (46, 40)]])
        lonLat.append(rings: [[(46.001, 40), (46.002, 40), (46.002, 40.001), (46.001, 40.001), (46.001, 40)]])
        var bIDs = ByteStrings(), b = PolygonColumns()
        for (i, ring) in buildings.enumerated() { bIDs.append("B\(i)"); b.append(rings: [ring]) }
        var nIDs = ByteStrings(), n = LineColumns()
        for (i, line) in lines.enumerated() { nIDs.append("N\(i)"); n.append(points: line) }
        return AuditInput(parcelIDs: ids, parcels: parcels, parcelsLonLat: lonLat, buildingIDs: bIDs, buildings: b,
                          networkIDs: nIDs, network: n, utility: utilities.map(\.code), status: statuses.map(\.code))
    }

    func testCentroidOnSharedEdgeIsInNoParcel() throws {
        let r = try ConnectionAudit.run(input(buildings: [
            [(90, 40), (110, 40), (110, 60), (90, 60), (90, 40)],      // centroid (100, 50): on the shared edge
            [(90, 90), (110, 90), (110, 110), (90, 110), (90, 90)],    // centroid (100, 100): on a corner
            [(-10, 40), (10, 40), (10, 60), (-10, 60), (-10, 40)],     // centroid (0, 50): on the outer edge
            [(91, 40), (111, 40), (111, 60), (91, 60), (91, 40)],      // centroid (101, 50): inside P2
            [(89, 40), (109, 40), (109, 60), (89, 60), (89, 40)],      // centroid (99, 50): inside P1
        ]), threads: 1)
        XCTAssertEqual(r.buildings.parcel, [-1, -1, -1, 1, 0])
        XCTAssertEqual(r.parcels.buildings, [1, 1])
        XCTAssertEqual(r.parcels.footprintM2, [400, 400])
        XCTAssertEqual(r.parcels.coverage[0], 0.04, accuracy: 1e-12)
    }

    func testNoUsableSegmentGivesEmptyDistance() throws {
        let r = try ConnectionAudit.run(input(
            buildings: [[(10, 10), (20, 10), (20, 20), (10, 20), (10, 10)]],
            lines: [[(0, 50), (100, 50)], [(30, 10), (30, 20)]],
            utilities: [.water, .sewer], statuses: [.planned, .laid]), threads: 1)
        XCTAssertTrue(r.buildings.distanceMetres[Int(Utility.water.code)][0].isNaN)
        XCTAssertEqual(r.buildings.distanceMetres[Int(Utility.sewer.code)][0], 10, accuracy: 1e-12)
        XCTAssertFalse(r.buildings.connected[0])
        // The planned line's 100 m in P1 count in the network, not in what is built.
        XCTAssertEqual(r.parcels.networkMetres[0], 110, accuracy: 1e-9)
        XCTAssertEqual(r.parcels.builtMetres[0], 10, accuracy: 1e-9)
    }

    func testLineAlongSharedEdgeCountsInBothParcels() throws {
        let r = try ConnectionAudit.run(input(buildings: [], lines: [[(100, 20), (100, 70)], [(50, 50), (150, 50)]],
                                              utilities: [.power, .gas], statuses: [.laid, .planned]), threads: 2)
        XCTAssertEqual(r.parcels.networkMetres[0], 50 + 50, accuracy: 1e-9)
        XCTAssertEqual(r.parcels.networkMetres[1], 50 + 50, accuracy: 1e-9)
        XCTAssertEqual(r.parcels.builtMetres[0], 50, accuracy: 1e-9)
        XCTAssertEqual(r.parcels.worksComplete[1], 0.5, accuracy: 1e-12)
    }

    func testLineInsideFootprintAndCrossingFootprint() throws {
        let r = try ConnectionAudit.run(input(
            buildings: [[(10, 10), (40, 10), (40, 40), (10, 40), (10, 10)], [(60, 10), (70, 10), (70, 20), (60, 20), (60, 10)]],
            lines: [[(20, 20), (30, 30)], [(55, 15), (75, 15)], [(10, 80), (40, 80)]],
            utilities: [.water, .sewer, .telecom], statuses: [.laid, .commissioned, .laid]), threads: 1)
        let d = r.buildings.distanceMetres
        XCTAssertEqual(d[Int(Utility.water.code)][0], 0, "a line inside the footprint")
        XCTAssertEqual(d[Int(Utility.sewer.code)][1], 0, "a line crossing the footprint")
        XCTAssertEqual(d[Int(Utility.telecom.code)][0], 40, accuracy: 1e-12)
        XCTAssertEqual(d[Int(Utility.water.code)][1], (30.0 * 30 + 10 * 10).squareRoot(), accuracy: 1e-9)
    }
}
