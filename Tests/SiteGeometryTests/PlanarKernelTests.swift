import XCTest
@testable import SiteGeometry

/// The audit's planar kernel on flat columns gives GEOS's answers (seeded with `SplitMix`, so a
/// failure replays): point location (interior,
/// boundary, exterior, holes included), areas, centroids and distances, on seeded random
/// polygons, points and segments, boundary cases included.
final class PlanarKernelTests: XCTestCase {
    /// A star-shaped ring around (cx, cy): simple, closed, `n` vertices on a 1 mm grid.
    func starRing(_ rng: inout SplitMix, cx: Double, cy: Double, radius: Double, n: Int, clockwise: Bool) -> [XY] {
        var ring: [XY] = (0..<n).map { k in
            let angle = 2 * Double.pi * Double(k) / Double(n)
            let r = radius * rng.uniform(0.4, 1.0)
            return XY(((cx + r * cos(angle)) * 1000).rounded() / 1000, ((cy + r * sin(angle)) * 1000).rounded() / 1000)
        }
        if clockwise { ring.reverse() }
        ring.append(ring[0])
        return ring
    }

    /// A polygon with one hole, as GEOS geometry and as columns.
    func randomPolygon(_ rng: inout SplitMix) throws -> (Geometry, xy: [Double], ringStart: [Int32]) {
        let cx = rng.uniform(650_000, 660_000), cy = rng.uniform(4_410_000, 4_420_000)
        let outer = starRing(&rng, cx: cx, cy: cy, radius: 100, n: 5 + Int(rng.next() % 20), clockwise: rng.next() % 2 == 0)
        let hole = starRing(&rng, cx: cx, cy: cy, radius: 15, n: 4 + Int(rng.next() % 6), clockwise: rng.next() % 2 == 0)
        let geometry = try Geometry.polygon(exterior: outer, holes: [hole])
        var xy: [Double] = []
        for p in outer + hole { xy.append(p.x); xy.append(p.y) }
        return (geometry, xy, [0, Int32(outer.count), Int32(outer.count + hole.count)])
    }

    func withPolygon<T>(_ xy: [Double], _ ringStart: [Int32], _ body: (PolygonRef) throws -> T) rethrows -> T {
        try xy.withUnsafeBufferPointer { x in
            try ringStart.withUnsafeBufferPointer { r in
                try body(PolygonRef(xy: x.baseAddress!, ringStart: r.baseAddress!, firstRing: 0, endRing: 2))
            }
        }
    }

    func testPointLocationAreaAndCentroidAgreeWithGEOS() throws {
        var rng = SplitMix(seed: 2026)
        var seen: [PointLocation: Int] = [:]
        for _ in 0..<150 {
            let (polygon, xy, ringStart) = try randomPolygon(&rng)
            let prepared = try PreparedGeometry(polygon)
            let boundary = try polygon.boundary()
            try withPolygon(xy, ringStart) { ref in
                XCTAssertEqual(polygonArea(ref), try polygon.area, accuracy: 1e-6)
                let c = polygonCentroid(ref), g = try polygon.centroidXY()
                XCTAssertEqual(c.x, g.x, accuracy: 1e-6)
                XCTAssertEqual(c.y, g.y, accuracy: 1e-6)
                let envelope = try polygon.envelope()
                var points: [XY] = (0..<40).map { _ in
                    XY(rng.uniform(envelope.minX - 5, envelope.maxX + 5), rng.uniform(envelope.minY - 5, envelope.maxY + 5))
                }
                // Vertices, and points on the grid of the rings' vertices, hit the boundary.
                for k in 0..<(xy.count / 2) where k % 3 == 0 { points.append(XY(xy[2 * k], xy[2 * k + 1])) }
                for k in 0..<(xy.count / 2 - 1) where k % 4 == 0 {
                    points.append(XY((xy[2 * k] + xy[2 * k + 2]) / 2, (xy[2 * k + 1] + xy[2 * k + 3]) / 2))
                }
                for p in points {
                    let point = try Geometry.point(p)
                    let expected: PointLocation
                    if try boundary.intersects(point) { expected = .boundary } else if try prepared.contains(point) { expected = .interior } else { expected = .exterior }
                    let got = locate(ref, p.x, p.y)
                    // A midpoint rounded off its edge is not on it: GEOS decides exactly, and so must we.
                    XCTAssertEqual(got, expected, "point \(p.x), \(p.y)")
                    seen[got, default: 0] += 1
                }
            }
        }
        XCTAssertGreaterThan(seen[.interior] ?? 0, 500)
        XCTAssertGreaterThan(seen[.exterior] ?? 0, 500)
        XCTAssertGreaterThan(seen[.boundary] ?? 0, 500, "the boundary cases were exercised")
    }

    func testDistancesAgreeWithGEOS() throws {
        var rng = SplitMix(seed: 38)
        for _ in 0..<2_000 {
            func xy() -> XY { XY((rng.uniform(0, 200) * 100).rounded() / 100, (rng.uniform(0, 200) * 100).rounded() / 100) }
            let p = xy(), a = xy(), b = rng.next() % 10 == 0 ? a : xy(), c = xy(), d = xy()
            let ab = try a == b ? Geometry.point(a) : Geometry.lineString([a, b])
            let cd = try Geometry.lineString([c, d])
            XCTAssertEqual(pointSegmentDistance2(p.x, p.y, a.x, a.y, b.x, b.y).squareRoot(), try Geometry.point(p).distance(to: ab), accuracy: 1e-9)
            XCTAssertEqual(segmentSegmentDistance2(a.x, a.y, b.x, b.y, c.x, c.y, d.x, d.y).squareRoot(), try ab.distance(to: cd), accuracy: 1e-9)
        }
    }

    func testOrientationIsExactWhereTheFilterCannotDecide() {
        // Coordinates on a grid of 2^-20 m up to about 2^25 m: every difference is exact in a
        // Double, but the determinant's products need up to 90 bits, so near-collinear points
        // defeat a plain floating-point determinant. The reference is exact integer arithmetic.
        // Consecutive Fibonacci vectors (F(n), F(n+1)) and (F(n-1), F(n)) span a parallelogram of
        // area 1 unit², whatever their length: collinear to within one unit, the hardest case.
        var rng = SplitMix(seed: 7)
        let unit = 1.0 / Double(1 << 20)
        var fib: [Int64] = [1, 1]
        while fib.count < 64 { fib.append(fib[fib.count - 1] + fib[fib.count - 2]) }
        var undecidable = 0
        for _ in 0..<2_000 {
            let n = 30 + Int(rng.next() % 32)
            let ax = Int64(rng.next() % (1 << 24)), ay = Int64(rng.next() % (1 << 24))
            let bx = ax + fib[n], by = ay + fib[n + 1]
            let flip = rng.next() % 2 == 0
            let px = ax + (flip ? fib[n - 1] : fib[n] + fib[n - 1]), py = ay + (flip ? fib[n] : fib[n + 1] + fib[n])
            let exact = Int128(ax - px) * Int128(by - py) - Int128(ay - py) * Int128(bx - px)
            let expected = exact > 0 ? 1 : exact < 0 ? -1 : 0
            let d = { (v: Int64) in Double(v) * unit }
            let naive = (d(ax) - d(px)) * (d(by) - d(py)) - (d(ay) - d(py)) * (d(bx) - d(px))
            if (naive > 0 ? 1 : naive < 0 ? -1 : 0) != expected { undecidable += 1 }
            XCTAssertEqual(orientation(d(ax), d(ay), d(bx), d(by), d(px), d(py)), expected, "a=(\(ax),\(ay)) b=(\(bx),\(by)) p=(\(px),\(py))")
        }
        XCTAssertGreaterThan(undecidable, 0, "some cases defeat the plain determinant, so the exact path was tested")
    }
}
