#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The member names seen so far in one object, to refuse a duplicate. Up to 8 plain
/// (unescaped) names are kept as ranges of the buffer, with no allocation; more names, or an
/// escaped one, switch the object to decoded copies.
struct JSONKeySet {
    private var count = 0
    /// start << 16 | length of each plain name, in the scanner's buffer.
    private var slots: (Int, Int, Int, Int, Int, Int, Int, Int) = (0, 0, 0, 0, 0, 0, 0, 0)
    private var decoded = false
    private var bytes: [UInt8] = []
    private var ends: [Int] = []
    /// Past 16 decoded names, a hash set keeps large objects linear.
    private var large: Set<[UInt8]>? = nil

    @inline(__always) mutating func removeAll() {
        count = 0
        if decoded { clearDecoded() }
    }

    private mutating func clearDecoded() {
        decoded = false
        bytes.removeAll(keepingCapacity: true)
        ends.removeAll(keepingCapacity: true)
        large = nil
    }

    /// Adds the name; false when the object already has it.
    @inline(__always) mutating func insert(_ p: UnsafePointer<UInt8>, _ r: JSONScanner.RawString) -> Bool {
        let len = r.end - r.start
        if decoded || r.escaped || count == 8 || len >= 1 << 16 { return insertDecoded(p, r) }
        let n = count
        let found = withUnsafeMutablePointer(to: &slots) { t in
            t.withMemoryRebound(to: Int.self, capacity: 8) { slot -> Bool in
                for k in 0..<n where slot[k] & 0xFFFF == len && memcmp(p + (slot[k] >> 16), p + r.start, len) == 0 { return true }
                slot[n] = r.start << 16 | len
                return false
            }
        }
        if found { return false }
        count += 1
        return true
    }

    @inline(never)
    private mutating func insertDecoded(_ p: UnsafePointer<UInt8>, _ r: JSONScanner.RawString) -> Bool {
        if !decoded {
            decoded = true
            let n = count
            let plain = withUnsafeMutablePointer(to: &slots) { t in
                t.withMemoryRebound(to: Int.self, capacity: 8) { slot in (0..<n).map { slot[$0] } }
            }
            for slot in plain {
                let start = slot >> 16
                _ = insertDecoded(p, JSONScanner.RawString(start: start, end: start + (slot & 0xFFFF), escaped: false))
            }
        }
        let start = bytes.count
        JSONScanner.decode(p, r, appendingTo: &bytes)
        let len = bytes.count - start
        if large != nil {
            let name = Array(bytes[start...])
            bytes.removeSubrange(start...)
            return large!.insert(name).inserted
        }
        var s = 0
        let found = bytes.withUnsafeBufferPointer { b in
            for e in ends {
                if e - s == len && (len == 0 || memcmp(b.baseAddress! + s, b.baseAddress! + start, len) == 0) { return true }
                s = e
            }
            return false
        }
        if found { bytes.removeSubrange(start...); return false }
        ends.append(bytes.count)
        if ends.count > 16 {
            var set = Set<[UInt8]>()
            var s = 0
            for e in ends { set.insert(Array(bytes[s..<e])); s = e }
            large = set
        }
        return true
    }
}
