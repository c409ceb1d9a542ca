import SiteGeometry
import SiteVocabulary

/// Feature ids as UTF-8 byte strings in one buffer: `bytes[offsets[i]..<offsets[i+1]]` is id i.
///
/// Ids are compared by bytes, which for UTF-8 is code-point order (Python's `min()` on `str`).
public struct ByteStrings: Sendable {
    public var bytes: [UInt8] = []
    public var offsets: [Int] = [0]

    public init() {}

    public var count: Int { offsets.count - 1 }

    public mutating func append<C: Collection>(_ string: C) where C.Element == UInt8 {
        bytes.append(contentsOf: string)
        offsets.append(bytes.count)
    }

    public mutating func append(_ string: String) { append(Array(string.utf8)) }

    /// Id `i` as a Swift string (for messages and tests).
    public func string(_ i: Int) -> String { String(decoding: bytes[offsets[i]..<offsets[i + 1]], as: UTF8.self) }

    /// Byte-order comparison of ids `i` and `j`: negative, zero or positive.
    @inline(__always)
    public func compare(_ i: Int, _ j: Int) -> Int {
        bytes.withUnsafeBufferPointer { b in ByteStrings.compare(b, offsets[i], offsets[i + 1], offsets[j], offsets[j + 1]) }
    }

    @inline(__always)
    static func compare(_ b: UnsafeBufferPointer<UInt8>, _ s0: Int, _ e0: Int, _ s1: Int, _ e1: Int) -> Int {
        let n0 = e0 - s0, n1 = e1 - s1
        let n = min(n0, n1)
        var k = 0
        while k < n {
            let c0 = b[s0 + k], c1 = b[s1 + k]
            if c0 != c1 { return Int(c0) - Int(c1) }
            k += 1
        }
        return n0 - n1
    }

    /// The indices sorted by id in byte order (stable). Linear when the ids are already sorted,
    /// as generated files usually are.
    public func sortedOrder() -> [Int32] {
        let n = count
        var order = (0..<n).map { Int32($0) }
        return bytes.withUnsafeBufferPointer { b in
            offsets.withUnsafeBufferPointer { o in
                var sorted = true
                var i = 1
                while i < n {
                    if ByteStrings.compare(b, o[i - 1], o[i], o[i], o[i + 1]) > 0 { sorted = false; break }
                    i += 1
                }
                if sorted { return order }
                // Sort on an 8-byte big-endian prefix key first, full comparison only on ties.
                var keys = [UInt64](repeating: 0, count: n)
                for i in 0..<n {
                    var key: UInt64 = 0
                    let s = o[i], e = o[i + 1]
                    for k in 0..<8 { key = key << 8 | UInt64(s + k < e ? b[s + k] : 0) }
                    keys[i] = key
                }
                order.sort { x, y in
                    let kx = keys[Int(x)], ky = keys[Int(y)]
                    if kx != ky { return kx < ky }
                    let c = ByteStrings.compare(b, o[Int(x)], o[Int(x) + 1], o[Int(y)], o[Int(y) + 1])
                    return c < 0 || (c == 0 && x < y)
                }
                return order
            }
        }
    }

    /// The first pair of equal ids in `order` (which must be sorted): the positions in the
    /// input of the earlier and later feature, or nil when all ids are unique.
    public func firstDuplicate(inSortedOrder order: [Int32]) -> (first: Int, second: Int)? {
        var best: (Int, Int)? = nil
        for k in order.indices.dropFirst() where compare(Int(order[k - 1]), Int(order[k])) == 0 {
            let a = Int(min(order[k - 1], order[k])), b = Int(max(order[k - 1], order[k]))
            if best == nil || b < best!.1 { best = (a, b) }
        }
        return best
    }
}

/// Everything the audit computes on, in memory; no file format.
///
/// `parcels`, `buildings` and `network` are in EPSG:32638 metres; `parcelsLonLat` is the same
/// parcels as read (WGS84 lon/lat degrees), for the geodesic areas.
public struct AuditInput: Sendable {
    public var parcelIDs: ByteStrings
    public var parcels: PolygonColumns
    public var parcelsLonLat: PolygonColumns
    public var buildingIDs: ByteStrings
    public var buildings: PolygonColumns
    public var networkIDs: ByteStrings
    public var network: LineColumns
    /// `Utility.code` per segment.
    public var utility: [UInt8]
    /// `WorksStatus.code` per segment.
    public var status: [UInt8]

    public init(parcelIDs: ByteStrings, parcels: PolygonColumns, parcelsLonLat: PolygonColumns,
                buildingIDs: ByteStrings, buildings: PolygonColumns,
                networkIDs: ByteStrings, network: LineColumns, utility: [UInt8], status: [UInt8]) {
        self.parcelIDs = parcelIDs
        self.parcels = parcels
        self.parcelsLonLat = parcelsLonLat
        self.buildingIDs = buildingIDs
        self.buildings = buildings
        self.networkIDs = networkIDs
        self.network = network
        self.utility = utility
        self.status = status
    }
}
