import XCTest
@testable import SiteGeometry

final class OperationsTests: XCTestCase {
    func testMeasurement() throws {
        let square = try Geometry(wkt: "POLYGON ((0 0, 100 0, 100 100, 0 100, 0 0), (10 10, 10 20, 20 20, 20 10, 10 10))")
        XCTAssertEqual(try square.area, 10_000 - 100)
        XCTAssertEqual(try square.length, 400 + 40)
        let line = try Geometry.lineString([XY(0, 0), XY(3, 4)])
        XCTAssertEqual(try line.length, 5)
        XCTAssertEqual(try line.distance(to: Geometry.point(XY(3, 0))), 2.4, accuracy: 1e-12)
        XCTAssertEqual(try Geometry(wkt: "POLYGON ((0 0, 4 0, 4 2, 0 2, 0 0))").centroidXY(), XY(2, 1))
        XCTAssertEqual(try square.envelope(), Envelope(minX: 0, minY: 0, maxX: 100, maxY: 100))
    }

    func testPredicatesOnBoundary() throws {
        let square = try Geometry.rectangle(Envelope(minX: 0, minY: 0, maxX: 10, maxY: 10))
        let onEdge = try Geometry.point(XY(10, 5))
        let inside = try Geometry.point(XY(5, 5))
        XCTAssertFalse(try square.contains(onEdge))
        XCTAssertTrue(try square.covers(onEdge))
        XCTAssertTrue(try square.touches(onEdge))
        XCTAssertTrue(try square.contains(inside))
        XCTAssertTrue(try inside.isWithin(square))
        XCTAssertTrue(try square.intersects(onEdge))
    }

    func testPreparedPredicatesAgreeWithPlain() throws {
        let parcel = try Geometry(wkt: "POLYGON ((0 0, 100 0, 100 40, 40 40, 40 100, 0 100, 0 0), (10 10, 20 10, 20 20, 10 20, 10 10))")
        let prepared = try parcel.prepared()
        var rng = SplitMix(seed: 7)
        for _ in 0..<2000 {
            let p = XY(rng.uniform(-10, 110), rng.uniform(-10, 110))
            // Snap some points onto lines to exercise the boundary cases.
            let q = rng.uniform(0, 1) < 0.2 ? XY(p.x.rounded(), 40) : p
            let box = try Geometry.rectangle(Envelope(minX: q.x, minY: q.y, maxX: q.x + rng.uniform(0, 30), maxY: q.y + rng.uniform(0, 30)))
            for g in [try Geometry.point(q), box] {
                XCTAssertEqual(try prepared.contains(g), try parcel.contains(g))
                XCTAssertEqual(try prepared.covers(g), try parcel.covers(g))
                XCTAssertEqual(try prepared.intersects(g), try parcel.intersects(g))
                XCTAssertEqual(try prepared.touches(g), try parcel.touches(g))
                XCTAssertEqual(try prepared.isWithin(g), try parcel.isWithin(g))
                XCTAssertEqual(try prepared.distance(to: g), try parcel.distance(to: g), accuracy: 1e-9)
            }
        }
    }

    func testSetOperationsAndBuffer() throws {
        let a = try Geometry.rectangle(Envelope(minX: 0, minY: 0, maxX: 10, maxY: 10))
        let b = try Geometry.rectangle(Envelope(minX: 5, minY: 5, maxX: 15, maxY: 15))
        XCTAssertEqual(try a.intersection(b).area, 25, accuracy: 1e-9)
        XCTAssertEqual(try a.union(b).area, 175, accuracy: 1e-9)
        XCTAssertEqual(try a.difference(b).area, 75, accuracy: 1e-9)
        XCTAssertEqual(try Geometry.union(of: [a, b]).area, 175, accuracy: 1e-9)
        let street = try Geometry.lineString([XY(0, 0), XY(100, 0)])
        XCTAssertEqual(try street.buffer(5, style: .corridor).area, 1000, accuracy: 1e-9)
        XCTAssertEqual(try Geometry.point(XY(0, 0)).buffer(1, style: BufferStyle(quadrantSegments: 64)).area, Double.pi, accuracy: 1e-3)
        let chain = try Geometry(wkt: "MULTILINESTRING ((0 0, 10 0), (10 0, 20 0), (20 0, 20 10), (50 50, 60 60))")
        let merged = try chain.lineMerged()
        XCTAssertEqual(try merged.partCount(), 2)
        XCTAssertEqual(try merged.length, try chain.length, accuracy: 1e-9)
    }

    func testValidityAndMakeValid() throws {
        let bowtie = try Geometry(wkt: "POLYGON ((0 0, 10 10, 10 0, 0 10, 0 0))")
        let v = try bowtie.validity()
        XCTAssertFalse(v.isValid)
        XCTAssertTrue(v.reason.contains("Self-intersection"), v.reason)
        XCTAssertEqual(v.location, XY(5, 5))
        let fixed = try bowtie.makeValid()
        XCTAssertTrue(try fixed.isValid)
        XCTAssertEqual(try fixed.area, 50, accuracy: 1e-9)
        XCTAssertTrue(try Geometry.rectangle(Envelope(minX: 0, minY: 0, maxX: 1, maxY: 1)).validity().isValid)
    }

    func testErrorsAreCapturedNotCrashing() throws {
        // A failing C call: GEOS reports through the context's handler, we throw its message.
        let polygon = try Geometry(wkt: "POLYGON ((0 0, 10 10, 10 0, 0 10, 0 0))")
        XCTAssertThrowsError(try polygon.coordinates()) { error in
            let e = error as! GEOSError
            XCTAssertEqual(e.function, "GEOSGeom_getCoordSeq_r")
            XCTAssertNotEqual(e.message, "no message from GEOS")
        }
        // A constructive operation's NULL becomes an error with GEOS's message.
        let box = try Geometry.rectangle(Envelope(minX: 0, minY: 0, maxX: 1, maxY: 1))
        XCTAssertThrowsError(try Geometry(wkt: "LINESTRING (0 0, 1 1)").interpolate(0.5).exteriorRing()) { error in
            XCTAssertEqual((error as! GEOSError).function, "GEOSGetExteriorRing_r")
        }
        // After an error the context is usable and the message does not leak into the next call.
        XCTAssertEqual(try box.area, 1)
        XCTAssertThrowsError(try Geometry(wkt: "POINT (1)")) { error in
            XCTAssertFalse((error as! GEOSError).message.contains("GEOSGeom_getCoordSeq_r"))
        }
    }

    func testContextsPerThread() throws {
        let parcel = try Geometry.rectangle(Envelope(minX: 0, minY: 0, maxX: 100, maxY: 100))
        nonisolated(unsafe) let results = UnsafeMutableBufferPointer<Int>.allocate(capacity: 8)
        defer { results.deallocate() }
        DispatchQueue.concurrentPerform(iterations: 8) { worker in
            var inside = 0
            let prepared = try! parcel.prepared()
            for i in 0..<500 {
                let p = try! Geometry.point(XY(Double(i % 200), Double(worker)))
                if try! prepared.contains(p) { inside += 1 }
            }
            results[worker] = inside
        }
        // x in 1..<100 is inside (x = 0 and 100 are on the boundary); worker 0 has y = 0.
        XCTAssertEqual(results[0], 0)
        for w in 1..<8 { XCTAssertEqual(results[w], 3 * 99) }
    }
}

/// A small deterministic generator for test data.
struct SplitMix {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    mutating func uniform(_ a: Double, _ b: Double) -> Double { a + (b - a) * Double(next() >> 11) / Double(1 << 53) }
}
