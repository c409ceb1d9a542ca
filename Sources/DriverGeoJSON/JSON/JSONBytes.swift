import SiteVocabulary

/// `JSONWriter`'s text appended to a UTF-8 byte buffer: the GeoJSON writer builds a layer's
/// text in one `[UInt8]` instead of a `String` per number and member. Each function appends
/// exactly the bytes of its `JSONWriter` counterpart (GeoJSONBytesTests checks them).
enum JSONBytes {
    /// `JSONWriter.fixed(n, decimals:)`'s bytes: `appendFixedNotation`'s digits, trailing zeros and a
    /// trailing point trimmed, "-0" written "0".
    static func appendFixed(_ n: Double, decimals: Int, to out: inout [UInt8]) {
        let start = out.count
        appendFixedNotation(n, decimals: decimals, to: &out)
        var hasPoint = false
        for i in start..<out.count where out[i] == UInt8(ascii: ".") { hasPoint = true; break }
        if hasPoint {
            // The point is in what was appended, so the trimming stops there at the latest.
            while out[out.count - 1] == UInt8(ascii: "0") { out.removeLast() }
            if out[out.count - 1] == UInt8(ascii: ".") { out.removeLast() }
        }
        if out.count - start == 2 && out[start] == UInt8(ascii: "-") && out[start + 1] == UInt8(ascii: "0") {
            out.removeLast(2)
            out.append(UInt8(ascii: "0"))
        }
    }

    /// `JSONWriter.formatNumber(n)`'s bytes; whole numbers below 1e15 are written digit by digit.
    static func appendNumber(_ n: Double, to out: inout [UInt8]) {
        precondition(n.isFinite, "JSON has no NaN or infinity")
        if n == n.rounded(), abs(n) < 1e15 { appendInteger(Int64(n), to: &out); return }
        out.append(contentsOf: JSONWriter.formatNumber(n).utf8)
    }

    /// `String(n)`'s bytes.
    static func appendInteger(_ n: Int64, to out: inout [UInt8]) {
        if n < 0 { out.append(UInt8(ascii: "-")) }
        var v = n.magnitude
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 20) { digits in
            var k = 20
            repeat { k -= 1; digits[k] = UInt8(ascii: "0") + UInt8(v % 10); v /= 10 } while v > 0
            out.append(contentsOf: UnsafeBufferPointer(rebasing: digits[k..<20]))
        }
    }

    /// `JSONWriter.writeString(s, into:)`'s bytes: a quoted, escaped JSON string.
    static func appendString(_ s: String, to out: inout [UInt8]) {
        var s = s
        let plain = s.withUTF8 { utf8 -> Bool in
            if utf8.contains(where: { $0 < 0x20 || $0 == 0x22 || $0 == 0x5C }) { return false }
            out.append(UInt8(ascii: "\""))
            out.append(contentsOf: utf8)
            out.append(UInt8(ascii: "\""))
            return true
        }
        if !plain {
            var text = ""
            JSONWriter.writeString(s, into: &text)
            out.append(contentsOf: text.utf8)
        }
    }

    /// `JSONWriter.write(value, indent: nil)`'s bytes: compact JSON.
    static func append(_ value: JSONValue, to out: inout [UInt8]) {
        switch value {
        case .null: out.append(contentsOf: "null".utf8)
        case .bool(let b): out.append(contentsOf: (b ? "true" : "false").utf8)
        case .number(let n): appendNumber(n, to: &out)
        case .string(let s): appendString(s, to: &out)
        case .array(let items):
            out.append(UInt8(ascii: "["))
            for (k, item) in items.enumerated() {
                if k > 0 { out.append(UInt8(ascii: ",")) }
                append(item, to: &out)
            }
            out.append(UInt8(ascii: "]"))
        case .object(let object):
            out.append(UInt8(ascii: "{"))
            for (k, member) in object.members.enumerated() {
                if k > 0 { out.append(UInt8(ascii: ",")) }
                appendString(member.key, to: &out)
                out.append(UInt8(ascii: ":"))
                append(member.value, to: &out)
            }
            out.append(UInt8(ascii: "}"))
        }
    }
}
