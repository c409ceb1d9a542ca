import SiteGeometry

/// A UTM zone on WGS84 (EPSG:326xx north, 327xx south).
public struct UTMZone: Hashable, Sendable, CustomStringConvertible {
    /// 1...60.
    public let number: Int
    public let isNorth: Bool

    /// The zone holding `position` (standard 6° zones; the Norway and Svalbard exceptions are
    /// applied too).
    public init(containing position: LonLat) {
        var lon = position.lon
        while lon >= 180 { lon -= 360 }
        while lon < -180 { lon += 360 }
        var zone = Int(((lon + 180) / 6).rounded(.down)) + 1
        zone = min(max(zone, 1), 60)
        let lat = position.lat
        if lat >= 56, lat < 64, lon >= 3, lon < 12 { zone = 32 }
        if lat >= 72, lat < 84 {
            if lon >= 0, lon < 9 { zone = 31 } else if lon >= 9, lon < 21 { zone = 33 }
            else if lon >= 21, lon < 33 { zone = 35 } else if lon >= 33, lon < 42 { zone = 37 }
        }
        self.number = zone
        self.isNorth = lat >= 0
    }

    /// The zone of a geometry in WGS84 lon/lat: the zone of its envelope's centre.
    public init(of geometryWGS84: Geometry) throws {
        let center = try geometryWGS84.envelope().center
        self.init(containing: LonLat(xy: center))
    }

    public var epsgCode: Int { (isNorth ? 32600 : 32700) + number }
    public var crs: CRS { .epsg(epsgCode) }
    public var description: String { "UTM zone \(number)\(isNorth ? "N" : "S") (EPSG:\(epsgCode))" }
}
