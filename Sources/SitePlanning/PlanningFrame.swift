import SiteVocabulary
import SiteGeometry
import SiteProjection

/// The link between WGS84 (how data is stored and exchanged, lon/lat order) and a scenario's
/// planning CRS (a projected metric CRS in which every area, length and distance is computed).
///
///     let frame = try PlanningFrame(crs: .epsg(32638))
///     let footprintUTM = try frame.toPlanar(footprintWGS84)
public struct PlanningFrame: Sendable, Equatable {
    /// The projected CRS; units are metres.
    public let crs: CRS

    /// Checks with PROJ that `crs` exists and is projected in metres.
    public init(crs: CRS) throws {
        try crs.validate()
        guard try crs.isProjectedInMetres() else {
            throw InputError("\(crs) is not a projected CRS in metres (a UTM zone such as EPSG:32638 is); areas and distances need one")
        }
        self.crs = crs
    }

    /// The frame of the UTM zone holding `geometryWGS84`.
    public static func utm(for geometryWGS84: Geometry) throws -> PlanningFrame {
        try PlanningFrame(crs: UTMZone(of: geometryWGS84).crs)
    }

    /// A WGS84 lon/lat geometry in planning coordinates (metres).
    public func toPlanar(_ geometryWGS84: Geometry) throws -> Geometry {
        try Transformer.shared(from: .wgs84, to: crs).transform(geometryWGS84)
    }

    /// A planning-CRS geometry back in WGS84 lon/lat.
    public func toWGS84(_ geometryPlanar: Geometry) throws -> Geometry {
        try Transformer.shared(from: .wgs84, to: crs).transform(geometryPlanar, inverse: true)
    }

    public func toPlanar(_ position: LonLat) throws -> XY {
        try Transformer.shared(from: .wgs84, to: crs).transform(position.xy)
    }

    public func toLonLat(_ point: XY) throws -> LonLat {
        LonLat(xy: try Transformer.shared(from: .wgs84, to: crs).transform(point, inverse: true))
    }

    /// Planning coordinates of many points, in place.
    public func toPlanar(_ points: inout [XY]) throws {
        try Transformer.shared(from: .wgs84, to: crs).transform(&points)
    }
}
