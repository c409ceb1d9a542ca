import SiteGeometry

/// A geographic position on WGS84, in degrees, with the longitude first: the order of
/// GeoJSON (RFC 7946) and of `Transformer`'s normalized axis order.
public struct LonLat: Hashable, Sendable, CustomStringConvertible {
    /// Degrees east, -180...180.
    public var lon: Double
    /// Degrees north, -90...90.
    public var lat: Double

    public init(lon: Double, lat: Double) {
        self.lon = lon
        self.lat = lat
    }

    /// As a planar pair in lon/lat order: x = longitude, y = latitude.
    public var xy: XY { XY(lon, lat) }

    /// Reads a lon/lat pair from a planar pair in lon/lat order (x = longitude).
    public init(xy: XY) { self.init(lon: xy.x, lat: xy.y) }

    /// True when both values are finite and inside the valid ranges.
    public var isValid: Bool { lon.isFinite && lat.isFinite && abs(lon) <= 180 && abs(lat) <= 90 }

    public var description: String { "\(lon),\(lat)" }
}
