/// Planar geometry in flat columns: one vertex buffer for many features, no object per
/// feature. What the audit computes on, and what `PolygonRef` views.

/// Polygons as flat columns: vertex `v` is `(xy[2v], xy[2v+1])`; ring `r` has the vertices
/// `ringStart[r]..<ringStart[r+1]` (closed: first == last); polygon `p` has the rings
/// `polygonRingStart[p]..<polygonRingStart[p+1]`, the exterior first, then its holes.
/// Coordinates are lon/lat degrees before projection and EPSG:32638 metres after.
public struct PolygonColumns: Sendable {
    public var xy: [Double] = []
    public var ringStart: [Int32] = [0]
    public var polygonRingStart: [Int32] = [0]

    public init() {}

    public var count: Int { polygonRingStart.count - 1 }
    public var vertexCount: Int { xy.count / 2 }

    /// Appends a polygon from closed rings of (x, y) pairs, the exterior first.
    public mutating func append(rings: [[(Double, Double)]]) {
        for ring in rings {
            for (x, y) in ring { xy.append(x); xy.append(y) }
            ringStart.append(Int32(xy.count / 2))
        }
        polygonRingStart.append(Int32(ringStart.count - 1))
    }
}

/// Line strings as flat columns: line `l` has the vertices `lineStart[l]..<lineStart[l+1]`.
public struct LineColumns: Sendable {
    public var xy: [Double] = []
    public var lineStart: [Int32] = [0]

    public init() {}

    public var count: Int { lineStart.count - 1 }
    public var vertexCount: Int { xy.count / 2 }

    public mutating func append(points: [(Double, Double)]) {
        for (x, y) in points { xy.append(x); xy.append(y) }
        lineStart.append(Int32(xy.count / 2))
    }
}
