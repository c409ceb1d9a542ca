import SiteGeometry
import XCTest
@testable import SitePlanning
import SiteVocabulary

/// Tracing on small hand-built networks.
///
///     source(0) --a-- 1 --b-- 2 --c-- 3
///                             |       |
///                         svc H1    svc H2   (service lines from nodes 2 and 3)
final class TracingTests: XCTestCase {
    /// A straight water main with two houses; `loop` adds a second route from node 1 to node 3.
    func network(loop: Bool = false, serviceForH2: Bool = true) throws -> UtilityNetwork {
        var n = UtilityNetwork()
        let source = n.addNode(XY(0, 0))
        n.sourceNodes[.water] = source
        let n1 = n.addNode(XY(100, 0)), n2 = n.addNode(XY(200, 0)), n3 = n.addNode(XY(300, 0))
        try n.addSegment(id: "a", utility: .water, kind: .trunk, parcelID: "P", buildingID: nil, from: source, to: n1)
        try n.addSegment(id: "b", utility: .water, kind: .main, parcelID: "P", buildingID: nil, from: n1, to: n2)
        try n.addSegment(id: "c", utility: .water, kind: .main, parcelID: "P", buildingID: nil, from: n2, to: n3)
        if loop {
            let n4 = n.addNode(XY(200, 80))
            try n.addSegment(id: "d", utility: .water, kind: .main, parcelID: "P", buildingID: nil, from: n1, to: n4)
            try n.addSegment(id: "e", utility: .water, kind: .main, parcelID: "P", buildingID: nil, from: n4, to: n3)
        }
        let h1 = n.addNode(XY(200, -20)), h2 = n.addNode(XY(300, -20))
        try n.addSegment(id: "s1", utility: .water, kind: .service, parcelID: "P", buildingID: "H1", from: n2, to: h1)
        if serviceForH2 {
            try n.addSegment(id: "s2", utility: .water, kind: .service, parcelID: "P", buildingID: "H2", from: n3, to: h2)
        }
        return n
    }

    func book(_ built: [String], _ others: [String: WorksStatus] = [:]) -> StatusBook {
        var records: [String: StatusRecord] = [:]
        for id in built { records[id] = StatusRecord(status: .laid, date: ISODate("2026-01-01")) }
        for (id, s) in others { records[id] = StatusRecord(status: s, date: ISODate("2026-01-01")) }
        return StatusBook(records: records)
    }

    func testAllBuiltConnectsBoth() throws {
        let t = ConnectionTracer(network: try network(), status: book(["a", "b", "c", "s1", "s2"]))
        XCTAssertEqual(t.connectedBuildings(.water), ["H1", "H2"])
        XCTAssertEqual(t.connectedBuildings(.gas), [], "no gas source")
    }

    func testGapInTheMiddleDisconnectsEverythingDownstream() throws {
        let t = ConnectionTracer(network: try network(), status: book(["a", "c", "s1", "s2"], ["b": .underConstruction]))
        XCTAssertEqual(t.connectedBuildings(.water), [])
        let trace = try XCTUnwrap(t.trace(building: "H2", utility: .water))
        XCTAssertFalse(trace.connected)
        XCTAssertEqual(trace.blocking.map { t.network.segments[$0].id }, ["b"])
        XCTAssertEqual(trace.path.map { t.network.segments[$0].id }, ["s2", "c", "b", "a"])
    }

    func testGapDownstreamLeavesUpstreamConnected() throws {
        let t = ConnectionTracer(network: try network(), status: book(["a", "b", "s1", "s2"]))
        XCTAssertEqual(t.connectedBuildings(.water), ["H1"])
    }

    func testLoopGivesASecondPath() throws {
        let withoutLoop = ConnectionTracer(network: try network(), status: book(["a", "c", "s1", "s2"]))
        XCTAssertEqual(withoutLoop.connectedBuildings(.water), [])
        let loop = ConnectionTracer(network: try network(loop: true), status: book(["a", "c", "d", "e", "s1", "s2"]))
        // b is missing, but d-e reaches node 3, and c carries water back to node 2.
        XCTAssertEqual(loop.connectedBuildings(.water), ["H1", "H2"])
        let trace = try XCTUnwrap(loop.trace(building: "H2", utility: .water))
        XCTAssertTrue(trace.connected)
        XCTAssertEqual(trace.path.map { loop.network.segments[$0].id }, ["s2", "e", "d", "a"])
    }

    func testMissingServiceLineDisconnectsOnlyItsBuilding() throws {
        let t = ConnectionTracer(network: try network(serviceForH2: false), status: book(["a", "b", "c", "s1"]))
        XCTAssertEqual(t.connectedBuildings(.water), ["H1"])
        XCTAssertNil(t.trace(building: "H2", utility: .water), "H2 has no water service line at all")
        let planned = ConnectionTracer(network: try network(), status: book(["a", "b", "c", "s1"]))
        XCTAssertEqual(planned.connectedBuildings(.water), ["H1"], "a planned service line disconnects only H2")
    }

    func testAsOfIgnoresLaterRecords() throws {
        var records = book(["a", "b", "c", "s1", "s2"]).records
        records["c"] = StatusRecord(status: .commissioned, date: ISODate("2026-09-01"))
        let book = StatusBook(records: records)
        XCTAssertEqual(ConnectionTracer(network: try network(), status: book, asOf: ISODate("2026-06-30")).connectedBuildings(.water), ["H1"])
        XCTAssertEqual(ConnectionTracer(network: try network(), status: book, asOf: ISODate("2026-09-01")).connectedBuildings(.water), ["H1", "H2"])
    }

    func testDates() {
        XCTAssertNotNil(ISODate("2024-02-29"))
        XCTAssertNil(ISODate("2023-02-29"))
        XCTAssertNil(ISODate("2026-13-01"))
        XCTAssertNil(ISODate("27/11/2026"))
        XCTAssertLessThan(ISODate("2026-01-31")!, ISODate("2026-02-01")!)
    }
}
