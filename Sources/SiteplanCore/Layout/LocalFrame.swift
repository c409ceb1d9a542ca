import Foundation
import SiteGeometry

/// A rotated planar frame aligned with a parcel's principal axis: u runs along the axis,
/// v across it. Rotation about `origin` keeps metres as metres.
struct LocalFrame {
    let origin: XY
    /// The axis direction, radians counter-clockwise from planning-CRS east.
    let angle: Double
    private let c: Double
    private let s: Double

    init(origin: XY, angle: Double) {
        self.origin = origin
        self.angle = angle
        c = cos(angle)
        s = sin(angle)
    }

    /// The frame of a polygon's minimum rotated rectangle, u along its longer side.
    static func principalAxes(of polygon: Geometry) throws -> LocalFrame {
        let rectangle = try polygon.minimumRotatedRectangle()
        let centre = try polygon.centroidXY()
        guard rectangle.type == .polygon, let ring = try rectangle.polygonRings().first, ring.count >= 4 else {
            return LocalFrame(origin: centre, angle: 0)
        }
        let e1 = (ring[1].x - ring[0].x, ring[1].y - ring[0].y)
        let e2 = (ring[2].x - ring[1].x, ring[2].y - ring[1].y)
        let long = (e1.0 * e1.0 + e1.1 * e1.1) >= (e2.0 * e2.0 + e2.1 * e2.1) ? e1 : e2
        var angle = atan2(long.1, long.0)
        // Fold to (-90°, 90°] so the same shape always gives the same frame.
        if angle <= -Double.pi / 2 { angle += Double.pi }
        if angle > Double.pi / 2 { angle -= Double.pi }
        return LocalFrame(origin: centre, angle: angle)
    }

    func toLocal(_ p: XY) -> XY {
        let dx = p.x - origin.x, dy = p.y - origin.y
        return XY(c * dx + s * dy, -s * dx + c * dy)
    }

    func toWorld(_ p: XY) -> XY {
        XY(origin.x + c * p.x - s * p.y, origin.y + s * p.x + c * p.y)
    }

    func toLocal(_ g: Geometry) throws -> Geometry {
        try g.mapCoordinates { pts in for i in pts.indices { pts[i] = toLocal(pts[i]) } }
    }

    func toWorld(_ g: Geometry) throws -> Geometry {
        try g.mapCoordinates { pts in for i in pts.indices { pts[i] = toWorld(pts[i]) } }
    }
}
