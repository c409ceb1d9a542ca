/// A planar coordinate pair in the geometry's own CRS.
///
/// In a geographic CRS (EPSG:4326 as GeoJSON uses it) `x` is the longitude and `y` the
/// latitude, in degrees; in a projected CRS such as EPSG:32638 they are easting and northing
/// in metres. The type carries no CRS: the names of the values holding it do
/// (`footprintUTM`, `boundaryWGS84`).
public struct XY: Hashable, Sendable, CustomStringConvertible {
    public var x: Double
    public var y: Double

    public init(_ x: Double, _ y: Double) {
        self.x = x
        self.y = y
    }

    public var description: String { "(\(x), \(y))" }

    /// Euclidean distance to `other`, in the units of the CRS.
    public func distance(to other: XY) -> Double { ((x - other.x) * (x - other.x) + (y - other.y) * (y - other.y)).squareRoot() }
}

/// The signed area of a ring by the shoelace formula, positive when counter-clockwise, in the
/// square units of its CRS. The ring may be closed (last position repeating the first) or open:
/// the closing edge adds nothing, as every term is taken relative to the first position (which
/// also keeps large projected coordinates from losing precision). 0 for fewer than 3 positions.
public func signedRingArea(_ ring: [XY]) -> Double {
    guard ring.count > 2 else { return 0 }
    let o = ring[0]
    var sum = 0.0
    for i in 0..<(ring.count - 1) {
        let a = ring[i], b = ring[i + 1]
        sum += (a.x - o.x) * (b.y - o.y) - (b.x - o.x) * (a.y - o.y)
    }
    return sum / 2
}

/// An axis-aligned bounding box, in the units of the geometry's CRS.
public struct Envelope: Hashable, Sendable {
    public var minX: Double
    public var minY: Double
    public var maxX: Double
    public var maxY: Double

    public init(minX: Double, minY: Double, maxX: Double, maxY: Double) {
        self.minX = minX
        self.minY = minY
        self.maxX = maxX
        self.maxY = maxY
    }

    /// The smallest envelope holding every point of `points`; nil when it is empty.
    public init?<S: Sequence>(of points: S) where S.Element == XY {
        var iterator = points.makeIterator()
        guard let first = iterator.next() else { return nil }
        var envelope = Envelope(minX: first.x, minY: first.y, maxX: first.x, maxY: first.y)
        while let p = iterator.next() { envelope.expand(toInclude: p) }
        self = envelope
    }

    public var width: Double { maxX - minX }
    public var height: Double { maxY - minY }
    public var center: XY { XY((minX + maxX) / 2, (minY + maxY) / 2) }

    public mutating func expand(toInclude p: XY) {
        minX = Swift.min(minX, p.x); minY = Swift.min(minY, p.y)
        maxX = Swift.max(maxX, p.x); maxY = Swift.max(maxY, p.y)
    }

    public mutating func expand(toInclude other: Envelope) {
        minX = Swift.min(minX, other.minX); minY = Swift.min(minY, other.minY)
        maxX = Swift.max(maxX, other.maxX); maxY = Swift.max(maxY, other.maxY)
    }

    /// The envelope grown by `distance` on every side.
    public func expanded(by distance: Double) -> Envelope {
        Envelope(minX: minX - distance, minY: minY - distance, maxX: maxX + distance, maxY: maxY + distance)
    }

    public func intersects(_ other: Envelope) -> Bool {
        minX <= other.maxX && other.minX <= maxX && minY <= other.maxY && other.minY <= maxY
    }

    public func contains(_ p: XY) -> Bool { p.x >= minX && p.x <= maxX && p.y >= minY && p.y <= maxY }
}
