import XCTest
import SiteGeometry
@testable import SitePlanning
import SiteVocabulary

/// Asset identity, the works history and its checks, on small hand-made layers.
final class PlanOfRecordTests: XCTestCase {
    func square(_ x: Double, _ y: Double, _ size: Double = 10) throws -> Geometry {
        try .rectangle(Envelope(minX: x, minY: y, maxX: x + size, maxY: y + size))
    }

    func buildings(_ items: [(String, Geometry, String)]) -> Layer {
        Layer(name: "buildings", crs: .epsg(32638), features: items.map { id, g, type in
            Feature(id: id, properties: JSONObject([("type", .string(type))]), geometry: g)
        })
    }

    func testAFeatureWithinTheToleranceKeepsItsIdAndOneFartherGetsANewOne() throws {
        let recorded = [buildings([("P-H0001", try square(0, 0), "house"), ("P-H0002", try square(100, 0), "house"),
                                   ("P-H0003", try square(200, 0), "house")])]
        // Generated ids in another order: H0001 is now the house moved 0.6 m from the recorded
        // P-H0002; H0002 moved 3 m from P-H0001 (beyond 1 m); H0003 is a cottage where a house was.
        let proposal = [buildings([("P-H0001", try square(100.6, 0), "house"), ("P-H0002", try square(3, 0), "house"),
                                   ("P-H0003", try square(200, 0), "cottage")])]
        let identity = try AssetIdentity(proposal: proposal, recorded: recorded, counters: [:])
        XCTAssertEqual(identity.renames["P-H0001"], "P-H0002")
        // Recorded ids 1-3 are given, so the two new features get 4 and 5: never a reused id.
        XCTAssertEqual(identity.renames["P-H0002"], "P-H0004")
        XCTAssertEqual(identity.renames["P-H0003"], "P-H0005")
        XCTAssertEqual(identity.counters["P-H"], 5)
        XCTAssertEqual(identity.matched["buildings"], 1)
    }

    func testAnIdRemovedOnceIsNeverGivenAgain() throws {
        // The store's counter says 7 was given (a removed asset); the recorded layer only has 1.
        let recorded = [buildings([("P-H0001", try square(0, 0), "house")])]
        let proposal = [buildings([("P-H0001", try square(0, 0), "house"), ("P-H0002", try square(50, 0), "house")])]
        let identity = try AssetIdentity(proposal: proposal, recorded: recorded, counters: ["P-H": 7])
        XCTAssertNil(identity.renames["P-H0001"])
        XCTAssertEqual(identity.renames["P-H0002"], "P-H0008")
        // A bare id (a trunk) counts as number 1 of itself.
        var counters: [String: Int] = [:]
        XCTAssertEqual(AssetIdentity.fresh("water-P1-A-T", counters: &counters), "water-P1-A-T")
        XCTAssertEqual(AssetIdentity.fresh("water-P1-A-T", counters: &counters), "water-P1-A-T2")
    }

    func testTheHistoryTakesTheLastEventOnOrBeforeTheDay() throws {
        let d = { (s: String) in ISODate(s)! }
        let history = WorksHistory(events: [
            WorksEvent(assetID: "s1", status: .underConstruction, date: d("2026-01-10"), origin: "e1"),
            WorksEvent(assetID: "s1", status: .laid, date: d("2026-03-01"), origin: "e2"),
            WorksEvent(assetID: "s1", status: .commissioned, date: d("2026-05-20"), origin: "e3"),
            // Recorded later but dated earlier: still ordered by date.
            WorksEvent(assetID: "s2", status: .laid, date: d("2026-04-01"), origin: "e4"),
            WorksEvent(assetID: "s2", status: .underConstruction, date: d("2026-02-01"), origin: "e5"),
        ])
        XCTAssertEqual(history.book(asOf: d("2026-01-09")).status(of: "s1"), .planned)
        XCTAssertEqual(history.book(asOf: d("2026-03-01")).status(of: "s1"), .laid)
        XCTAssertEqual(history.book(asOf: d("2026-05-19")).status(of: "s1"), .laid)
        XCTAssertEqual(history.book(asOf: nil).status(of: "s1"), .commissioned)
        XCTAssertEqual(history.book(asOf: d("2026-03-15")).status(of: "s2"), .underConstruction)
        XCTAssertEqual(history.book(asOf: d("2026-04-15")).status(of: "s2"), .laid)
        XCTAssertEqual(history.events(after: d("2026-04-01")).map(\.origin), ["e3"])
    }

    func testTwoStatusesOnOneDayAreRefusedAndSoAreUnknownIdsAndFutureDates() throws {
        let d = { (s: String) in ISODate(s)! }
        let history = WorksHistory(events: [WorksEvent(assetID: "s1", status: .laid, date: d("2026-03-01"), origin: "works_events fid 1")],
                                   source: "k.gpkg")
        let clash = WorksEvent(assetID: "s1", status: .commissioned, date: d("2026-03-01"), origin: "line 2")
        XCTAssertThrowsError(try WorksCheck.checkNew([clash], segmentIDs: ["s1"], history: history, today: d("2026-12-03"), source: "new.csv")) {
            let text = "\($0)"
            XCTAssertTrue(text.contains("line 2") && text.contains("works_events fid 1") && text.contains("same day"), text)
        }
        let unknown = WorksEvent(assetID: "nope", status: .laid, date: d("2026-03-02"), origin: "line 3")
        XCTAssertThrowsError(try WorksCheck.checkNew([unknown], segmentIDs: ["s1"], history: history, today: d("2026-12-03"), source: "new.csv")) {
            XCTAssertTrue("\($0)".contains("line 3 (segment \"nope\"): unknown segment id"), "\($0)")
        }
        let future = WorksEvent(assetID: "s1", status: .commissioned, date: d("2027-01-01"), origin: "line 4")
        XCTAssertThrowsError(try WorksCheck.checkNew([future], segmentIDs: ["s1"], history: history, today: d("2026-12-03"), source: "new.csv")) {
            XCTAssertTrue("\($0)".contains("in the future"), "\($0)")
        }
        // The same status twice on one day is a repeat, not a clash.
        let repeatEvent = WorksEvent(assetID: "s1", status: .laid, date: d("2026-03-01"), origin: "line 5")
        XCTAssertNoThrow(try WorksCheck.checkNew([repeatEvent], segmentIDs: ["s1"], history: history, today: d("2026-12-03"), source: "new.csv"))
    }

    func testSettleKeepsTheRecordedGeometryOnlyForSubMillimetreNoise() throws {
        let recorded = [buildings([("a", try square(0, 0), "house"), ("b", try square(50, 0), "house")])]
        let proposal = [buildings([("a", try square(0.0004, 0), "house"), ("b", try square(50.01, 0), "house")])]
        let settled = try RecordLayers.settle(proposal, onto: recorded)
        XCTAssertEqual(try settled[0].features[0].geometry!.wkb(), try recorded[0].features[0].geometry!.wkb())
        XCTAssertEqual(try settled[0].features[1].geometry!.wkb(), try proposal[0].features[1].geometry!.wkb())
    }
}
