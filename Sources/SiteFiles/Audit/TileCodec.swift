import SiteGeometry
import SiteAudit
import SiteVocabulary

/// The byte layout of the tiled audit's work files (tiles, usable segments, partial results):
/// a magic line, then values in a fixed order, each array as its element count (Int64) and its
/// elements' bytes. Native byte order, little-endian on every machine siteplan builds for;
/// the files move between the hosts of one cluster, never into a user's hands.
struct TileEncoder {
    var bytes: [UInt8]

    init(magic: String) { bytes = Array((magic + "\n").utf8) }

    mutating func int(_ v: Int) { withUnsafeBytes(of: Int64(v).littleEndian) { bytes.append(contentsOf: $0) } }
    mutating func double(_ v: Double) { withUnsafeBytes(of: v.bitPattern.littleEndian) { bytes.append(contentsOf: $0) } }
    mutating func array<T: BitwiseCopyable>(_ a: [T]) {
        int(a.count)
        a.withUnsafeBytes { bytes.append(contentsOf: $0) }
    }
    mutating func string(_ s: String) { array(Array(s.utf8)) }
    mutating func strings(_ s: ByteStrings) { array(s.bytes); array(s.offsets.map { Int64($0) }) }
    mutating func polygons(_ p: PolygonColumns) { array(p.xy); array(p.ringStart); array(p.polygonRingStart) }
    mutating func lines(_ l: LineColumns) { array(l.xy); array(l.lineStart) }
}

struct TileDecoder {
    let bytes: [UInt8]
    let path: String
    var at = 0

    /// Checks the magic line; a file of another kind or version is refused, naming it.
    init(_ bytes: [UInt8], path: String, magic: String) throws {
        self.bytes = bytes
        self.path = path
        let m = Array((magic + "\n").utf8)
        guard bytes.count >= m.count, Array(bytes[0..<m.count]) == m else {
            throw InputError(source: path, "not a siteplan audit work file of this version (expected \(magic)); cut the tiles again with siteplan audit tile")
        }
        at = m.count
    }

    private func truncated() -> InputError { InputError(source: path, "is cut short at byte \(at) of \(bytes.count): written by a run that did not finish; run its step again") }

    mutating func int() throws -> Int {
        guard at + 8 <= bytes.count else { throw truncated() }
        var v: Int64 = 0
        withUnsafeMutableBytes(of: &v) { $0.copyBytes(from: bytes[at..<(at + 8)]) }
        at += 8
        return Int(Int64(littleEndian: v))
    }

    mutating func double() throws -> Double {
        let i = try int()
        return Double(bitPattern: UInt64(bitPattern: Int64(i)))
    }

    mutating func array<T: BitwiseCopyable>(_: T.Type = T.self) throws -> [T] {
        let n = try int()
        let size = n * MemoryLayout<T>.stride
        guard n >= 0, at + size <= bytes.count else { throw truncated() }
        let out = [T](unsafeUninitializedCapacity: n) { buffer, count in
            UnsafeMutableRawBufferPointer(buffer).copyBytes(from: bytes[at..<(at + size)])
            count = n
        }
        at += size
        return out
    }

    mutating func string() throws -> String { String(decoding: try array(UInt8.self), as: UTF8.self) }

    mutating func strings() throws -> ByteStrings {
        var s = ByteStrings()
        s.bytes = try array()
        s.offsets = try array(Int64.self).map { Int($0) }
        return s
    }

    mutating func polygons() throws -> PolygonColumns {
        var p = PolygonColumns()
        p.xy = try array(); p.ringStart = try array(); p.polygonRingStart = try array()
        return p
    }

    mutating func lines() throws -> LineColumns {
        var l = LineColumns()
        l.xy = try array(); l.lineStart = try array()
        return l
    }
}

