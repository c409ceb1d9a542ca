/// Planar algorithms on flat vertex buffers (EPSG:32638 metres), written to give the answers
/// GEOS gives (same formulas as GEOS's `Area`, `Centroid`, `RayCrossingCounter` and
/// `Distance`), so the audit can run them without building a GEOS geometry per feature.

/// Where a point lies relative to an area, in the OGC sense.
public enum PointLocation: Sendable, Equatable {
    case interior, boundary, exterior
}

/// A polygon inside flat columns: the ring range and the shared vertex buffer.
@frozen public struct PolygonRef {
    public let xy: UnsafePointer<Double>
    public let ringStart: UnsafePointer<Int32>
    public let firstRing: Int
    public let endRing: Int

    /// A view of rings `firstRing..<endRing` (the first one the exterior) of flat columns:
    /// vertex `v` at `xy[2v], xy[2v+1]`, ring `r` over vertices `ringStart[r]..<ringStart[r+1]`.
    @inlinable public init(xy: UnsafePointer<Double>, ringStart: UnsafePointer<Int32>, firstRing: Int, endRing: Int) {
        self.xy = xy
        self.ringStart = ringStart
        self.firstRing = firstRing
        self.endRing = endRing
    }

    @inlinable @inline(__always) public func x(_ v: Int) -> Double { xy[2 * v] }
    @inlinable @inline(__always) public func y(_ v: Int) -> Double { xy[2 * v + 1] }
    @inlinable @inline(__always) public func ring(_ r: Int) -> Range<Int> { Int(ringStart[r])..<Int(ringStart[r + 1]) }
}

// MARK: Robust orientation

@inline(__always)
@inlinable func twoSum(_ a: Double, _ b: Double) -> (Double, Double) {
    let s = a + b
    let bb = s - a
    return (s, (a - (s - bb)) + (b - bb))
}

@inline(__always)
@inlinable func twoProduct(_ a: Double, _ b: Double) -> (Double, Double) {
    let p = a * b
    return (p, (-p).addingProduct(a, b))
}

/// The exact sign of `(ax-px)(by-py) - (ay-py)(bx-px)` with expansion arithmetic.
@inlinable func orientationExact(_ ax: Double, _ ay: Double, _ bx: Double, _ by: Double, _ px: Double, _ py: Double) -> Int {
    let a = twoSum(ax, -px), b = twoSum(by, -py), c = twoSum(ay, -py), d = twoSum(bx, -px)
    var terms: [Double] = []
    terms.reserveCapacity(16)
    for (u, v, sign) in [(a.0, b.0, 1.0), (a.0, b.1, 1.0), (a.1, b.0, 1.0), (a.1, b.1, 1.0),
                         (c.0, d.0, -1.0), (c.0, d.1, -1.0), (c.1, d.0, -1.0), (c.1, d.1, -1.0)] {
        let (p, e) = twoProduct(u, v)
        terms.append(sign * p)
        terms.append(sign * e)
    }
    // Grow an exact expansion (Shewchuk); its most significant non-zero component has the sign.
    var expansion: [Double] = []
    expansion.reserveCapacity(32)
    for t in terms {
        var q = t
        for i in expansion.indices {
            let (s, err) = twoSum(q, expansion[i])
            expansion[i] = err
            q = s
        }
        expansion.append(q)
    }
    for component in expansion.reversed() where component != 0 { return component > 0 ? 1 : -1 }
    return 0
}

/// The orientation of `p` relative to the directed segment a→b: 1 left (counter-clockwise),
/// -1 right, 0 collinear. Exact (a floating-point filter, then expansion arithmetic).
@inline(__always)
@inlinable public func orientation(_ ax: Double, _ ay: Double, _ bx: Double, _ by: Double, _ px: Double, _ py: Double) -> Int {
    let detLeft = (ax - px) * (by - py)
    let detRight = (ay - py) * (bx - px)
    let det = detLeft - detRight
    let bound = 3.3306690738754716e-16 * (abs(detLeft) + abs(detRight))
    if det > bound { return 1 }
    if -det > bound { return -1 }
    return orientationExact(ax, ay, bx, by, px, py)
}

/// The orientation from the floating-point filter alone: 0 when the filter cannot decide.
/// For conservative tests ("might these touch?").
@inline(__always)
@inlinable public func orientationFiltered(_ ax: Double, _ ay: Double, _ bx: Double, _ by: Double, _ px: Double, _ py: Double) -> Int {
    let detLeft = (ax - px) * (by - py)
    let detRight = (ay - py) * (bx - px)
    let det = detLeft - detRight
    let bound = 4e-16 * (abs(detLeft) + abs(detRight)) + 1e-300
    if det > bound { return 1 }
    if -det > bound { return -1 }
    return 0
}

// MARK: Area and centroid

/// The absolute planar area of ring `r` (GEOS `Area::ofRing`).
@inline(__always)
@inlinable public func ringArea(_ p: PolygonRef, _ r: Int) -> Double {
    let range = p.ring(r)
    let n = range.count
    if n < 3 { return 0 }
    let s = range.lowerBound
    let x0 = p.x(s)
    var sum = 0.0
    var i = s + 1
    while i < s + n - 1 {
        sum += (p.x(i) - x0) * (p.y(i - 1) - p.y(i + 1))
        i += 1
    }
    return abs(sum / 2)
}

/// The planar area of a polygon, holes subtracted (GEOS `Polygon::getArea`).
@inlinable public func polygonArea(_ p: PolygonRef) -> Double {
    var area = ringArea(p, p.firstRing)
    var r = p.firstRing + 1
    while r < p.endRing { area -= ringArea(p, r); r += 1 }
    return area
}

/// Twice the signed area of ring `r`, positive when counter-clockwise.
@inline(__always)
@inlinable func ringSignedArea2(_ p: PolygonRef, _ r: Int) -> Double {
    let range = p.ring(r)
    if range.count < 3 { return 0 }
    let x0 = p.x(range.lowerBound)
    var sum = 0.0
    var i = range.lowerBound + 1
    while i < range.upperBound - 1 {
        sum += (p.x(i) - x0) * (p.y(i + 1) - p.y(i - 1))
        i += 1
    }
    return sum
}

/// The area centroid of a polygon (GEOS `Centroid`): triangles fanned from the first exterior
/// vertex, holes negative. Falls back to the vertex mean for a polygon without area.
@inlinable public func polygonCentroid(_ p: PolygonRef) -> (x: Double, y: Double) {
    let base = p.ring(p.firstRing).lowerBound
    let bx = p.x(base), by = p.y(base)
    var cx = 0.0, cy = 0.0, areaSum2 = 0.0
    for r in p.firstRing..<p.endRing {
        let isCCW = ringSignedArea2(p, r) > 0
        let positive = r == p.firstRing ? !isCCW : isCCW
        let sign = positive ? 1.0 : -1.0
        let range = p.ring(r)
        var i = range.lowerBound
        while i < range.upperBound - 1 {
            let x1 = p.x(i), y1 = p.y(i), x2 = p.x(i + 1), y2 = p.y(i + 1)
            let area2 = (x1 - bx) * (y2 - by) - (x2 - bx) * (y1 - by)
            cx += sign * area2 * (bx + x1 + x2)
            cy += sign * area2 * (by + y1 + y2)
            areaSum2 += sign * area2
            i += 1
        }
    }
    if areaSum2 != 0 { return (cx / 3 / areaSum2, cy / 3 / areaSum2) }
    let range = p.ring(p.firstRing)
    var sx = 0.0, sy = 0.0
    for v in range { sx += p.x(v); sy += p.y(v) }
    return (sx / Double(range.count), sy / Double(range.count))
}

// MARK: Point location

/// Locates (px, py) relative to ring `r` (GEOS `RayCrossingCounter`).
@inline(__always)
@inlinable public func locateInRing(_ p: PolygonRef, _ r: Int, _ px: Double, _ py: Double) -> PointLocation {
    let range = p.ring(r)
    var crossings = 0
    var i = range.lowerBound + 1
    while i < range.upperBound {
        let x1 = p.x(i - 1), y1 = p.y(i - 1), x2 = p.x(i), y2 = p.y(i)
        i += 1
        if x1 < px && x2 < px { continue }
        if px == x2 && py == y2 { return .boundary }
        if y1 == py && y2 == py {
            if px >= min(x1, x2) && px <= max(x1, x2) { return .boundary }
            continue
        }
        if (y1 > py && y2 <= py) || (y2 > py && y1 <= py) {
            var o = orientation(x1, y1, x2, y2, px, py)
            if o == 0 { return .boundary }
            if y2 < y1 { o = -o }
            if o > 0 { crossings += 1 }
        }
    }
    return crossings & 1 == 1 ? .interior : .exterior
}

/// Locates a point relative to a polygon with holes: a point on any ring is on the boundary.
@inlinable public func locate(_ p: PolygonRef, _ px: Double, _ py: Double) -> PointLocation {
    let outer = locateInRing(p, p.firstRing, px, py)
    if outer != .interior { return outer }
    var r = p.firstRing + 1
    while r < p.endRing {
        switch locateInRing(p, r, px, py) {
        case .interior: return .exterior
        case .boundary: return .boundary
        case .exterior: break
        }
        r += 1
    }
    return .interior
}

// MARK: Distances (GEOS `Distance::pointToSegment`, `segmentToSegment`)

/// Squared distance from (px, py) to segment a–b.
@inline(__always)
@inlinable public func pointSegmentDistance2(_ px: Double, _ py: Double, _ ax: Double, _ ay: Double, _ bx: Double, _ by: Double) -> Double {
    let dx = bx - ax, dy = by - ay
    let len2 = dx * dx + dy * dy
    if len2 == 0 { return (px - ax) * (px - ax) + (py - ay) * (py - ay) }
    let r = ((px - ax) * dx + (py - ay) * dy) / len2
    if r <= 0 { return (px - ax) * (px - ax) + (py - ay) * (py - ay) }
    if r >= 1 { return (px - bx) * (px - bx) + (py - by) * (py - by) }
    let cross = (ay - py) * dx - (ax - px) * dy
    return cross * cross / len2
}

/// Squared distance between segments a–b and c–d; 0 when they intersect.
@inline(__always)
@inlinable public func segmentSegmentDistance2(_ ax: Double, _ ay: Double, _ bx: Double, _ by: Double,
                             _ cx: Double, _ cy: Double, _ dx: Double, _ dy: Double) -> Double {
    let envelopesMeet = min(ax, bx) <= max(cx, dx) && min(cx, dx) <= max(ax, bx)
        && min(ay, by) <= max(cy, dy) && min(cy, dy) <= max(ay, by)
    if envelopesMeet {
        let denom = (bx - ax) * (dy - cy) - (by - ay) * (dx - cx)
        if denom != 0 {
            let r = ((ay - cy) * (dx - cx) - (ax - cx) * (dy - cy)) / denom
            let s = ((ay - cy) * (bx - ax) - (ax - cx) * (by - ay)) / denom
            if r >= 0 && r <= 1 && s >= 0 && s <= 1 { return 0 }
        }
    }
    return min(min(pointSegmentDistance2(ax, ay, cx, cy, dx, dy), pointSegmentDistance2(bx, by, cx, cy, dx, dy)),
               min(pointSegmentDistance2(cx, cy, ax, ay, bx, by), pointSegmentDistance2(dx, dy, ax, ay, bx, by)))
}

/// Squared distance from an area (polygon with holes) to segment a–b: 0 when the segment
/// touches, crosses or lies inside the area (GEOS `DistanceOp` on Polygon × LineString).
/// `box` is the polygon's envelope (minX, minY, maxX, maxY).
@inline(__always)
@inlinable public func polygonSegmentDistance2(_ p: PolygonRef, _ box: (Double, Double, Double, Double),
                             _ ax: Double, _ ay: Double, _ bx: Double, _ by: Double) -> Double {
    if max(ax, bx) < box.0 || min(ax, bx) > box.2 || max(ay, by) < box.1 || min(ay, by) > box.3 {
        // Envelopes apart: no intersection and no containment, so the distance is the least
        // of the polygon's vertices to the segment and the segment's ends to the polygon's edges.
        return separatedPolygonSegmentDistance2(p, ax, ay, bx, by)
    }
    var best = Double.infinity
    for r in p.firstRing..<p.endRing {
        let range = p.ring(r)
        var i = range.lowerBound + 1
        while i < range.upperBound {
            let d = segmentSegmentDistance2(p.x(i - 1), p.y(i - 1), p.x(i), p.y(i), ax, ay, bx, by)
            if d < best {
                if d == 0 { return 0 }
                best = d
            }
            i += 1
        }
    }
    if ax >= box.0 && ax <= box.2 && ay >= box.1 && ay <= box.3 && locate(p, ax, ay) != .exterior { return 0 }
    return best
}

/// Whether segment a–b might touch ring edges of the polygon: true whenever the filtered
/// orientation tests cannot rule it out (so a "false" is certain).
@inline(__always)
@inlinable public func segmentMayTouchBoundary(_ p: PolygonRef, _ ax: Double, _ ay: Double, _ bx: Double, _ by: Double) -> Bool {
    let sMinX = min(ax, bx), sMaxX = max(ax, bx), sMinY = min(ay, by), sMaxY = max(ay, by)
    for r in p.firstRing..<p.endRing {
        let range = p.ring(r)
        var i = range.lowerBound + 1
        while i < range.upperBound {
            let cx = p.x(i - 1), cy = p.y(i - 1), dx = p.x(i), dy = p.y(i)
            i += 1
            if max(cx, dx) < sMinX || min(cx, dx) > sMaxX || max(cy, dy) < sMinY || min(cy, dy) > sMaxY { continue }
            let o1 = orientationFiltered(cx, cy, dx, dy, ax, ay)
            let o2 = orientationFiltered(cx, cy, dx, dy, bx, by)
            if o1 * o2 > 0 { continue }
            let o3 = orientationFiltered(ax, ay, bx, by, cx, cy)
            let o4 = orientationFiltered(ax, ay, bx, by, dx, dy)
            if o3 * o4 > 0 { continue }
            return true
        }
    }
    return false
}

/// Squared distance between a polygon and a segment whose envelopes do not meet.
@inline(__always)
@inlinable public func separatedPolygonSegmentDistance2(_ p: PolygonRef, _ ax: Double, _ ay: Double, _ bx: Double, _ by: Double) -> Double {
    let dx = bx - ax, dy = by - ay
    let len2 = dx * dx + dy * dy
    let inv = len2 > 0 ? 1 / len2 : 0
    var best = Double.infinity
    for r in p.firstRing..<p.endRing {
        let range = p.ring(r)
        // vertices to the segment (the closing vertex repeats the first)
        var i = range.lowerBound
        while i < range.upperBound - 1 {
            let px = p.x(i), py = p.y(i)
            let t = ((px - ax) * dx + (py - ay) * dy) * inv
            let d: Double
            if t <= 0 { d = (px - ax) * (px - ax) + (py - ay) * (py - ay) }
            else if t >= 1 { d = (px - bx) * (px - bx) + (py - by) * (py - by) }
            else { let c = (ay - py) * dx - (ax - px) * dy; d = c * c * inv }
            best = min(best, d)
            i += 1
        }
    }
    // The segment's ends to the polygon's edges; an end whose distance to the polygon's
    // envelope is already no better than `best` cannot improve it.
    for end in 0..<2 {
        let qx = end == 0 ? ax : bx, qy = end == 0 ? ay : by
        for r in p.firstRing..<p.endRing {
            let range = p.ring(r)
            var i = range.lowerBound + 1
            while i < range.upperBound {
                let x1 = p.x(i - 1), y1 = p.y(i - 1), x2 = p.x(i), y2 = p.y(i)
                let ex = max(0, max(min(x1, x2) - qx, qx - max(x1, x2))), ey = max(0, max(min(y1, y2) - qy, qy - max(y1, y2)))
                if ex * ex + ey * ey < best { best = min(best, pointSegmentDistance2(qx, qy, x1, y1, x2, y2)) }
                i += 1
            }
        }
    }
    return best
}
