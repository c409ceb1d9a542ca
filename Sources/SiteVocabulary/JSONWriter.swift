import SiteVocabulary
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

    /// `n` with at most `decimals` decimals, trailing zeros trimmed ("46.79", "3", "-0.5").
    public static func fixed(_ n: Double, decimals: Int) -> String {
        // Fast path: scale to an integer (exact to the last printed decimal for |n| < 1e11),
        // then print its digits; the C formatter handles the rest.
        if decimals <= 9, abs(n) < 1e11 {
            let scale = powersOfTen[decimals]
            let scaled = (abs(n) * Double(scale)).rounded()
            if scaled < 9e15 {
                let units = Int64(scaled)
                let whole = units / scale, fraction = units % scale
                var s = (n < 0 && units != 0 ? "-" : "") + String(whole)
                if fraction != 0 {
                    var digits = String(fraction)
                    digits = String(repeating: "0", count: decimals - digits.count) + digits
                    while digits.hasSuffix("0") { digits.removeLast() }
                    s += "." + digits
                }
                return s
            }
        }
        var s = fixedNotation(n, decimals: decimals)
        if s.contains(".") {
            while s.hasSuffix("0") { s.removeLast() }
            if s.hasSuffix(".") { s.removeLast() }
        }
        if s == "-0" { s = "0" }
        return s
    }

    private static let powersOfTen: [Int64] = [1, 10, 100, 1_000, 10_000, 100_000, 1_000_000, 10_000_000, 100_000_000, 1_000_000_000]

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
