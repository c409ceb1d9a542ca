import XCTest
@testable import SiteGeometry

final class STRtreeTests: XCTestCase {
    func testNearestMatchesBruteForceOnRandomData() throws {
        var rng = SplitMix(seed: 42)
        var entries: [(Geometry, Int)] = []
        for i in 0..<400 {
            let a = XY(rng.uniform(0, 1000), rng.uniform(0, 1000))
            let b = XY(a.x + rng.uniform(-50, 50), a.y + rng.uniform(-50, 50))
            entries.append((try Geometry.lineString([a, b]), i))
        }
        let tree = try STRtree(entries)
        for _ in 0..<200 {
            let c = XY(rng.uniform(-200, 1200), rng.uniform(-200, 1200))
            let query = try Geometry.rectangle(Envelope(minX: c.x, minY: c.y, maxX: c.x + 12, maxY: c.y + 9))
            let found = try XCTUnwrap(try tree.nearest(to: query))
            let brute = try entries.map { try query.distance(to: $0.0) }
            XCTAssertEqual(try query.distance(to: tree.geometries[found]), brute.min()!, accuracy: 1e-9)
        }
    }

    func testQueryMatchesBruteForce() throws {
        var rng = SplitMix(seed: 3)
        var entries: [(Geometry, String)] = []
        for i in 0..<300 {
            let c = XY(rng.uniform(0, 1000), rng.uniform(0, 1000))
            entries.append((try Geometry.rectangle(Envelope(minX: c.x, minY: c.y, maxX: c.x + 20, maxY: c.y + 20)), "b\(i)"))
        }
        let tree = try STRtree(entries)
        let window = Envelope(minX: 200, minY: 300, maxX: 450, maxY: 500)
        let expected = try entries.indices.filter { try entries[$0].0.envelope().intersects(window) }
        XCTAssertEqual(try tree.query(intersecting: window), expected)
        XCTAssertEqual(tree.items[expected[0]], entries[expected[0]].1)
    }

    func testEmptyTree() throws {
        let tree = try STRtree<Int>([])
        XCTAssertNil(try tree.nearest(to: Geometry.point(XY(0, 0))))
        XCTAssertEqual(try tree.query(intersecting: Envelope(minX: 0, minY: 0, maxX: 1, maxY: 1)), [])
    }

    func testNearestPropagatesCallbackErrors() throws {
        struct Boom: Error {}
        let tree = try STRtree([(try Geometry.point(XY(0, 0)), 0), (try Geometry.point(XY(5, 5)), 1)])
        XCTAssertThrowsError(try tree.nearest(to: Geometry.point(XY(1, 1))) { _ in throw Boom() }) { XCTAssertTrue($0 is Boom) }
    }
}
