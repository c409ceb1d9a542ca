/// Writes JSON deterministically: members in their stored order, numbers in the shortest
/// form that round-trips (or fixed decimals where a writer asks for them).
public enum JSONWriter {
    /// Compact JSON, or indented by `indent` spaces per level.
    public static func write(_ value: JSONValue, indent: Int? = nil) -> String {
        var out = ""
        write(value, into: &out, indent: indent, level: 0)
        return out
    }

    public static func write(_ value: JSONValue, into out: inout String, indent: Int?, level: Int) {
        switch value {
        case .null: out += "null"
        case .bool(let b): out += b ? "true" : "false"
        case .number(let n): out += formatNumber(n)
        case .string(let s): writeString(s, into: &out)
        case .array(let items):
            if items.isEmpty { out += "[]"; return }
            out += "["
            for (k, item) in items.enumerated() {
                if k > 0 { out += "," }
                newline(&out, indent, level + 1)
                write(item, into: &out, indent: indent, level: level + 1)
            }
            newline(&out, indent, level)
            out += "]"
        case .object(let object):
            if object.isEmpty { out += "{}"; return }
            out += "{"
            for (k, member) in object.members.enumerated() {
                if k > 0 { out += "," }
                newline(&out, indent, level + 1)
                writeString(member.key, into: &out)
                out += indent == nil ? ":" : ": "
                write(member.value, into: &out, indent: indent, level: level + 1)
            }
            newline(&out, indent, level)
            out += "}"
        }
    }

    private static func newline(_ out: inout String, _ indent: Int?, _ level: Int) {
        guard let indent else { return }
        out += "\n" + String(repeating: " ", count: indent * level)
    }

    /// Integers without a decimal point; other values in Swift's shortest round-trip form,
    /// never in exponent notation (JSON allows it, but some tools mis-read it).
    public static func formatNumber(_ n: Double) -> String {
        precondition(n.isFinite, "JSON has no NaN or infinity")
        if n == n.rounded(), abs(n) < 1e15 { return String(Int64(n)) }
        let s = "\(n)"
        if s.contains("e") { return fixed(n, decimals: 15) }
        return s
    }

    /// `n` with at most `decimals` decimals, trailing zeros trimmed ("46.79", "3", "-0.5"):
    /// `fixedNotation`'s correctly rounded digits, the one fixed-decimal formatter.
    public static func fixed(_ n: Double, decimals: Int) -> String {
        var bytes: [UInt8] = []
        appendFixedNotation(n, decimals: decimals, to: &bytes)
        if bytes.contains(UInt8(ascii: ".")) {
            while bytes.last == UInt8(ascii: "0") { bytes.removeLast() }
            if bytes.last == UInt8(ascii: ".") { bytes.removeLast() }
        }
        if bytes == [UInt8(ascii: "-"), UInt8(ascii: "0")] { return "0" }
        return String(decoding: bytes, as: UTF8.self)
    }

    public static func writeString(_ s: String, into out: inout String) {
        // Most strings (ids, words) need no escaping: copy them whole.
        if !s.utf8.contains(where: { $0 < 0x20 || $0 == 0x22 || $0 == 0x5C }) {
            out += "\""
            out += s
            out += "\""
            return
        }
        out += "\""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case let c where c.value < 0x20:
                out += "\\u" + String(repeating: "0", count: 4 - String(c.value, radix: 16).count) + String(c.value, radix: 16)
            default: out.unicodeScalars.append(scalar)
            }
        }
        out += "\""
    }
}
