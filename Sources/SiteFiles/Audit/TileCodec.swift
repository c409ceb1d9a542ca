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


extension TileEncoder {
    /// Appends `v`'s bytes, no count.
    @inline(__always)
    mutating func raw<T: BitwiseCopyable>(_ v: T) { withUnsafeBytes(of: v) { bytes.append(contentsOf: $0) } }

    /// `strings(s.subset(indices))` without building the subset: the cut writes each tile
    /// straight from the whole input's columns.
    mutating func strings(_ s: ByteStrings, at indices: [Int32]) {
        var total = 0
        for i in indices { total += s.offsets[Int(i) + 1] - s.offsets[Int(i)] }
        int(total)
        s.bytes.withUnsafeBytes { b in
            for i in indices { bytes.append(contentsOf: UnsafeRawBufferPointer(rebasing: b[s.offsets[Int(i)]..<s.offsets[Int(i) + 1]])) }
        }
        int(indices.count + 1)
        var at: Int64 = 0
        raw(at)
        for i in indices { at += Int64(s.offsets[Int(i) + 1] - s.offsets[Int(i)]); raw(at) }
    }

    /// `polygons(p.subset(indices))` without building the subset.
    mutating func polygons(_ p: PolygonColumns, at indices: [Int32]) {
        var vertices = 0, rings = 0
        for i in indices {
            let r0 = Int(p.polygonRingStart[Int(i)]), r1 = Int(p.polygonRingStart[Int(i) + 1])
            rings += r1 - r0; vertices += Int(p.ringStart[r1] - p.ringStart[r0])
        }
        int(2 * vertices)
        p.xy.withUnsafeBytes { xy in
            for i in indices {
                let v0 = Int(p.ringStart[Int(p.polygonRingStart[Int(i)])]), v1 = Int(p.ringStart[Int(p.polygonRingStart[Int(i) + 1])])
                bytes.append(contentsOf: UnsafeRawBufferPointer(rebasing: xy[(16 * v0)..<(16 * v1)]))
            }
        }
        int(rings + 1)
        var vertexAt: Int32 = 0
        raw(vertexAt)
        for i in indices {
            for r in Int(p.polygonRingStart[Int(i)])..<Int(p.polygonRingStart[Int(i) + 1]) { vertexAt += p.ringStart[r + 1] - p.ringStart[r]; raw(vertexAt) }
        }
        int(indices.count + 1)
        var ringAt: Int32 = 0
        raw(ringAt)
        for i in indices { ringAt += p.polygonRingStart[Int(i) + 1] - p.polygonRingStart[Int(i)]; raw(ringAt) }
    }

    /// `lines(l.subset(indices))` without building the subset.
    mutating func lines(_ l: LineColumns, at indices: [Int32]) {
        var vertices = 0
        for i in indices { vertices += Int(l.lineStart[Int(i) + 1] - l.lineStart[Int(i)]) }
        int(2 * vertices)
        l.xy.withUnsafeBytes { xy in
            for i in indices {
                bytes.append(contentsOf: UnsafeRawBufferPointer(rebasing: xy[(16 * Int(l.lineStart[Int(i)]))..<(16 * Int(l.lineStart[Int(i) + 1]))]))
            }
        }
        int(indices.count + 1)
        var at: Int32 = 0
        raw(at)
        for i in indices { at += l.lineStart[Int(i) + 1] - l.lineStart[Int(i)]; raw(at) }
    }
}
