import SiteVocabulary
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
        // Rounded (1e-5 rad: 1 cm over a kilometre; 1 mm), so input noise far below survey
        // precision does not turn the grid.
        return LocalFrame(origin: XY((centre.x * 1000).rounded() / 1000, (centre.y * 1000).rounded() / 1000),
                          angle: (angle * 1e5).rounded() / 1e5)
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

    /// Local coordinates on a 1 mm grid: the layout works from these, so coordinates that
    /// differ by less than that (a GeoPackage in another CRS, a round trip through PROJ) give
    /// the same plan.
    func toLocalSnapped(_ g: Geometry) throws -> Geometry { try toLocal(g).snapped(toGrid: LocalFrame.grid) }

    func toLocalSnapped(_ p: XY) -> XY {
        let q = toLocal(p)
        return XY((q.x / LocalFrame.grid).rounded() * LocalFrame.grid, (q.y / LocalFrame.grid).rounded() * LocalFrame.grid)
    }

    static let grid = 0.001

    func toWorld(_ g: Geometry) throws -> Geometry {
        try g.mapCoordinates { pts in for i in pts.indices { pts[i] = toWorld(pts[i]) } }
    }
}
