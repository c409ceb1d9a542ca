import SiteGeometry
import SiteProjection
import XCTest
@testable import SiteVocabulary

/// One vocabulary for plan and audit: the words in files, the one-byte column codes, dates,
/// errors and their exit codes, and layers that carry their CRS.
final class VocabularyTests: XCTestCase {
    func testUtilitiesAndStatusesRoundTripThroughTheirWordsAndCodes() {
        XCTAssertEqual(Utility.allCases.map(\.rawValue), ["water", "sewer", "power", "gas", "telecom"])
        for u in Utility.allCases {
            XCTAssertEqual(Utility(code: u.code), u)
        }
        XCTAssertNil(Utility(code: 5))
        XCTAssertEqual(Utility(word: "GAS"), .gas)
        XCTAssertEqual(Utility.wordList, "water, sewer, power, gas or telecom")

        XCTAssertEqual(WorksStatus.allCases.map(\.rawValue), ["planned", "under_construction", "laid", "commissioned"])
        for s in WorksStatus.allCases {
            XCTAssertEqual(WorksStatus(code: s.code), s)
            XCTAssertEqual(WorksStatus.isBuilt(code: s.code), s.isBuilt)
        }
        XCTAssertEqual(WorksStatus.allCases.filter(\.isBuilt), [.laid, .commissioned])
        XCTAssertTrue(WorksStatus.planned < .underConstruction && WorksStatus.laid < .commissioned)
        XCTAssertEqual(WorksStatus.wordList, "planned, under_construction, laid or commissioned")
    }

    func testDates() {
        XCTAssertEqual(ISODate("2026-02-28")?.description, "2026-02-28")
        XCTAssertNil(ISODate("2026-02-29"))
        XCTAssertNotNil(ISODate("2024-02-29"))
        XCTAssertNil(ISODate("2026-13-01"))
        XCTAssertNil(ISODate("26-01-01"))
        XCTAssertLessThan(ISODate("2025-12-31")!, ISODate("2026-01-01")!)
    }

    func testErrorsSayWhereAndHaveOneExitCodePerKind() {
        let input = InputError(source: "parcels.geojson", feature: FeatureRef(index: 1, id: "P1-B"), "ring 0 is not closed")
        XCTAssertEqual(input.description, "parcels.geojson: feature 1 (id \"P1-B\"): ring 0 is not closed")
        XCTAssertEqual(input.kind, .input)
        let output = OutputError("out/report.json", "cannot write: No space left on device")
        XCTAssertEqual(output.description, "out/report.json: cannot write: No space left on device")
        XCTAssertEqual(OutputError(nil, "port 8080 is in use").description, "port 8080 is in use")
        XCTAssertEqual(input.kind.exitCode, output.kind.exitCode)
        // A real library failure: PROJ refusing an unknown CRS.
        XCTAssertThrowsError(try CRS.epsg(999_999).validate()) { error in
            let library = error as? any SiteplanError
            XCTAssertEqual(library?.kind, .library)
            XCTAssertNotEqual(library?.kind.exitCode, input.kind.exitCode)
        }
    }

    func testALayerIsProjectedOnceAndKeepsItsAttributes() throws {
        let utm = CRS.epsg(32638)
        let layer = Layer(name: "p", crs: .wgs84, features: [
            Feature(id: "A", properties: JSONObject([("n", 1)]), geometry: try Geometry.point(XY(46.79, 39.91))),
            Feature(id: "B", geometry: nil),
        ])
        let planar = try layer.projected(to: utm)
        XCTAssertEqual(planar.crs, utm)
        let p = try XCTUnwrap(planar.features[0].geometry).pointXY()
        XCTAssertEqual(p.x, 652_998.72, accuracy: 0.01)
        XCTAssertEqual(p.y, 4_419_301.80, accuracy: 0.01)
        XCTAssertEqual(planar.features[0].properties["n"], .number(1))
        XCTAssertNil(planar.features[1].geometry)
        let back = try planar.projected(to: .wgs84)
        XCTAssertEqual(try XCTUnwrap(back.features[0].geometry).pointXY().x, 46.79, accuracy: 1e-9)
        XCTAssertEqual(try layer.projected(to: .wgs84).features[0].geometry?.pointXY(), try layer.features[0].geometry?.pointXY())
    }

    func testRoundedNumbersInAttributes() {
        XCTAssertEqual(JSONValue.number(2.0005, decimals: 3), .number(2.001))
        XCTAssertEqual(JSONValue.number(.nan, decimals: 2), .null)
        XCTAssertEqual(fixedNotation(1e30, decimals: 2), "1000000000000000019884624838656.00")
        XCTAssertEqual(fixedNotation(0.125, decimals: 12), "0.125000000000")
    }
}
