import XCTest
import SiteGeometry
import SiteProjection
import SiteAudit
import SiteVocabulary
import DriverGeoJSON
import SiteFiles

/// End-to-end audits of hand-made GeoJSON: the cases the generated datasets lack.
final class AuditFixtureTests: XCTestCase {
    // Parcel A with a hole, parcel B next to it (sharing the edge at +0.002° lon).
    static let parcelA = polygonFeature("P-A", [Fixture.square(0, 0, 0.002, 0.002), Fixture.square(0.0008, 0.0008, 0.0012, 0.0012).reversed()])
    static let parcelB = polygonFeature("P-B", [Fixture.square(0.002, 0, 0.004, 0.002)])
    static let buildings = [
        polygonFeature("B3", [Fixture.square(0.0025, 0.0005, 0.0026, 0.0006)]),   // in B, crossed by N1
        polygonFeature("B1", [Fixture.square(0.0002, 0.0002, 0.0003, 0.0003)]),   // in A
        polygonFeature("B2", [Fixture.square(0.00095, 0.00095, 0.00105, 0.00105)]), // in A's hole: no parcel
    ]
    static let network = [
        lineFeature("N1", "water", "laid", [(0.0024, 0.00055), (0.0027, 0.00055)]),          // crosses B3
        lineFeature("N2", "sewer", "commissioned", [(0, 0), (0.002, 0)]),                  // on A's bottom edge
        lineFeature("N3", "gas", "planned", [(0.0001, 0.0001), (0.0019, 0.0001)]),          // the only gas: unusable
        lineFeature("N4", "power", "laid", [(0.01, 0.01), (0.011, 0.01)]),                  // far away
        lineFeature("N5", "telecom", "laid", [(0.0015, 0.001), (0.0025, 0.001)]),           // crosses A | B
        lineFeature("N6", "water", "planned", [(0.0022, 0.0015), (0.0030, 0.0015)]),        // inside B, unbuilt
    ]

    var fixture: Fixture!

    override func setUpWithError() throws {
        fixture = try Fixture()
        try fixture.write("parcels.geojson", Fixture.compact([Self.parcelB, Self.parcelA]))
        try fixture.write("buildings.geojson", Fixture.compact(Self.buildings))
        try fixture.write("network.geojson", Fixture.compact(Self.network))
    }

    override func tearDown() { fixture.remove() }

    // Independent expectations: PROJ point by point, GEOS for areas.
    let toUTM = try! Transformer(from: .wgs84, to: .epsg(32638))
    func utm(_ p: (Double, Double)) -> XY { try! toUTM.transform(LonLat(lon: Fixture.lon0 + p.0, lat: Fixture.lat0 + p.1)) }
    func length(_ a: (Double, Double), _ b: (Double, Double)) -> Double { utm(a).distance(to: utm(b)) }
    func area(_ rings: [[(Double, Double)]]) throws -> Double {
        try Geometry.polygon(exterior: rings[0].map(utm), holes: rings.dropFirst().map { $0.map(utm) }).area
    }

    func number(_ s: String) -> Double { Double(s)! }

    func testBuildingsReport() throws {
        try fixture.runAudit()
        let rows = try fixture.csv("buildings.csv")
        XCTAssertEqual(rows[0], ["id", "parcel_id", "dist_water", "dist_sewer", "dist_power", "dist_gas", "dist_telecom", "connected"])
        XCTAssertEqual(rows.dropFirst().map { $0[0] }, ["B1", "B2", "B3"], "rows sorted by id")
        let b1 = rows[1], b2 = rows[2], b3 = rows[3]
        XCTAssertEqual(b1[1], "P-A")
        XCTAssertEqual(b2[1], "", "a centroid in a parcel's hole is in no parcel")
        XCTAssertEqual(b3[1], "P-B")
        // A line crossing the footprint: distance 0.
        XCTAssertEqual(b3[2], "0.000")
        // No usable gas segment anywhere: empty distances, never connected.
        for row in rows.dropFirst() {
            XCTAssertEqual(row[5], "", "dist_gas of \(row[0])")
            XCTAssertEqual(row[7], "false")
        }
        // B1 to the sewer on A's bottom edge, as GEOS measures it.
        let footprint = try Geometry.polygon(exterior: Self.buildings[1].rings[0].map(utm))
        let sewer = try Geometry.lineString([utm((0, 0)), utm((0.002, 0))])
        XCTAssertEqual(number(b1[3]), try footprint.distance(to: sewer), accuracy: 0.0011)
        XCTAssertEqual(number(b1[3]), 0.0002 * 111_000, accuracy: 1)
        // Power is about a kilometre away from everything.
        XCTAssertGreaterThan(number(b1[4]), 700)
    }

    func testParcelsReport() throws {
        try fixture.runAudit()
        let rows = try fixture.csv("parcels.csv")
        XCTAssertEqual(rows[0], ["id", "area_ha", "geodesic_area_ha", "buildings", "footprint_m2", "coverage",
                                 "connected_share", "network_m", "built_m", "works_complete"])
        XCTAssertEqual(rows.dropFirst().map { $0[0] }, ["P-A", "P-B"])
        let a = rows[1], b = rows[2]

        // A parcel with a hole: the hole is subtracted, planar and geodesic.
        let areaA = try area(Self.parcelA.rings)
        XCTAssertEqual(number(a[1]), areaA / 10_000, accuracy: 0.0011)
        XCTAssertLessThan(number(a[1]), try area([Self.parcelA.rings[0]]) / 10_000 - 0.1)
        XCTAssertEqual(number(a[2]), number(a[1]), accuracy: number(a[1]) * 0.002)
        XCTAssertEqual(a[3], "1")
        XCTAssertEqual(number(a[4]), try area(Self.buildings[1].rings), accuracy: 0.002)

        // Network in A: the sewer lying on its edge counts in full (closed set), plus the
        // telecom line's part west of the shared edge, plus the planned gas line (not built).
        let sewer = length((0, 0), (0.002, 0)), gas = length((0.0001, 0.0001), (0.0019, 0.0001))
        let telecomA = length((0.0015, 0.001), (0.002, 0.001)), telecomB = length((0.002, 0.001), (0.0025, 0.001))
        XCTAssertEqual(number(a[7]), sewer + telecomA + gas, accuracy: 0.01)
        XCTAssertEqual(number(a[8]), sewer + telecomA, accuracy: 0.01)
        XCTAssertEqual(number(a[9]), (sewer + telecomA) / (sewer + telecomA + gas), accuracy: 2e-6)

        // Network in B: the rest of the telecom line, the water line crossing B3 (inside B),
        // and the planned water line (network only).
        let water = length((0.0024, 0.00055), (0.0027, 0.00055)), planned = length((0.0022, 0.0015), (0.0030, 0.0015))
        XCTAssertEqual(number(b[7]), telecomB + water + planned, accuracy: 0.01)
        XCTAssertEqual(number(b[8]), telecomB + water, accuracy: 0.01)
        XCTAssertEqual(number(b[9]), (telecomB + water) / (telecomB + water + planned), accuracy: 2e-6)
        XCTAssertEqual(b[3], "1")
        XCTAssertEqual(b[6], "0.000000")
        XCTAssertEqual(number(b[5]), try area(Self.buildings[0].rings) / area(Self.parcelB.rings), accuracy: 2e-6)
    }

    func testLayoutDoesNotMatter() throws {
        try fixture.runAudit()
        let compactB = try fixture.csv("buildings.csv"), compactP = try fixture.csv("parcels.csv")
        try fixture.write("parcels.geojson", Fixture.pretty([Self.parcelB, Self.parcelA]))
        try fixture.write("buildings.geojson", Fixture.pretty(Self.buildings))
        try fixture.write("network.geojson", Fixture.pretty(Self.network))
        try fixture.runAudit(threads: 1)
        XCTAssertEqual(try fixture.csv("buildings.csv"), compactB)
        XCTAssertEqual(try fixture.csv("parcels.csv"), compactP)
    }
}
