import SiteGeometry
#if canImport(Glibc)
import SiteVocabulary
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A problem found while scanning, before the reader adds the file and feature.
struct ScanError: Error {
    let message: String
}

/// A forward-only JSON byte scanner over a mapped buffer: no tree, no strings unless asked.
/// A read past the end yields the byte 0 (never valid JSON there), so errors at the end are
/// reported as a truncated file.
struct JSONScanner {
    let p: UnsafePointer<UInt8>
    let n: Int
    var i = 0

    init(_ p: UnsafePointer<UInt8>, count: Int) {
        self.p = p
        self.n = count
    }

    var atEnd: Bool { i >= n }

    @inline(__always) func peek() -> UInt8 { i < n ? p[i] : 0 }

    @inline(__always) mutating func skipWhitespace() {
        while i < n {
            let c = p[i]
            if c == 0x20 || c == 0x0A || c == 0x0D || c == 0x09 { i += 1 } else { return }
        }
    }

    func unexpected(_ expected: String) -> ScanError {
        if i >= n { return ScanError(message: "the file ends in the middle of the data (truncated?); expected \(expected)") }
        let c = p[i]
        let shown = c >= 0x20 && c < 0x7F ? "'\(Character(Unicode.Scalar(c)))'" : "byte 0x\(String(c, radix: 16))"
        return ScanError(message: "expected \(expected) at byte \(i), found \(shown)")
    }

    @inline(__always) mutating func expect(_ c: UInt8, _ what: String) throws(ScanError) {
        skipWhitespace()
        if peek() != c { throw unexpected(what) }
        i += 1
    }

    /// After a member or element: true for `,` (another follows), false for the closing `close`.
    @inline(__always) mutating func nextOrClose(_ close: UInt8) throws(ScanError) -> Bool {
        skipWhitespace()
        let c = peek()
        if c == UInt8(ascii: ",") { i += 1; return true }
        if c == close { i += 1; return false }
        throw unexpected(close == UInt8(ascii: "}") ? "',' or '}'" : "',' or ']'")
    }

    /// Opens an object or array: true when it has a first member/element.
    @inline(__always) mutating func open(_ c: UInt8, close: UInt8, _ what: String) throws(ScanError) -> Bool {
        try expect(c, what)
        skipWhitespace()
        if peek() == close { i += 1; return false }
        return true
    }

    /// A string's raw bytes (between the quotes, escapes undecoded) and whether it has escapes.
    @inline(__always) mutating func rawString() throws(ScanError) -> (start: Int, end: Int, escaped: Bool) {
        skipWhitespace()
        if peek() != UInt8(ascii: "\"") { throw unexpected("a string") }
        i += 1
        let start = i
        var escaped = false
        while i < n {
            let c = p[i]
            if c == UInt8(ascii: "\"") { i += 1; return (start, i - 1, escaped) }
            if c == UInt8(ascii: "\\") { escaped = true; i += 2; continue }
            if c < 0x20 { throw ScanError(message: "control character in a string at byte \(i)") }
            i += 1
        }
        throw ScanError(message: "the file ends inside a string (truncated?)")
    }

    /// The decoded UTF-8 bytes of a string value.
    mutating func string(into out: inout [UInt8]) throws(ScanError) {
        out.removeAll(keepingCapacity: true)
        let (s, e, escaped) = try rawString()
        if !escaped { out.append(contentsOf: UnsafeBufferPointer(start: p + s, count: e - s)); return }
        var k = s
        func hex4(_ at: Int) throws(ScanError) -> UInt32 {
            if at + 4 > e { throw ScanError(message: "bad \\u escape in a string") }
            var v: UInt32 = 0
            for j in at..<(at + 4) {
                let c = p[j]
                let d: UInt32
                switch c {
                case 0x30...0x39: d = UInt32(c - 0x30)
                case 0x41...0x46: d = UInt32(c - 0x41 + 10)
                case 0x61...0x66: d = UInt32(c - 0x61 + 10)
                default: throw ScanError(message: "bad \\u escape in a string")
                }
                v = v << 4 | d
            }
            return v
        }
        while k < e {
            let c = p[k]
            if c != UInt8(ascii: "\\") { out.append(c); k += 1; continue }
            let x = p[k + 1]
            k += 2
            switch x {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): out.append(x)
            case UInt8(ascii: "b"): out.append(0x08)
            case UInt8(ascii: "f"): out.append(0x0C)
            case UInt8(ascii: "n"): out.append(0x0A)
            case UInt8(ascii: "r"): out.append(0x0D)
            case UInt8(ascii: "t"): out.append(0x09)
            case UInt8(ascii: "u"):
                var scalar = try hex4(k)
                k += 4
                if scalar >= 0xD800 && scalar < 0xDC00, k + 6 <= e, p[k] == UInt8(ascii: "\\"), p[k + 1] == UInt8(ascii: "u") {
                    let low = try hex4(k + 2)
                    if low >= 0xDC00 && low < 0xE000 {
                        scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                        k += 6
                    }
                }
                out.append(contentsOf: Array(String(Character(Unicode.Scalar(scalar) ?? "\u{FFFD}")).utf8))
            default: throw ScanError(message: "bad escape '\\\(Character(Unicode.Scalar(x)))' in a string")
            }
        }
    }

    /// True when the raw (unescaped) string bytes equal `literal`.
    /// Whether string `r` (unescaped) is `word`, byte for byte, without allocating.
    func rawEquals(_ r: (start: Int, end: Int, escaped: Bool), _ word: String) -> Bool {
        var word = word
        return word.withUTF8 { w in !r.escaped && r.end - r.start == w.count && memcmp(p + r.start, w.baseAddress!, w.count) == 0 }
    }

    @inline(__always) func rawEquals(_ r: (start: Int, end: Int, escaped: Bool), _ literal: StaticString) -> Bool {
        let len = literal.utf8CodeUnitCount
        return !r.escaped && r.end - r.start == len && memcmp(p + r.start, literal.utf8Start, len) == 0
    }

    /// " (the file ends here: truncated?)" when only the start of a number is left before the
    /// end of the file, else "".
    func truncationNote() -> String {
        var j = i
        while j < n, p[j] == 0x20 || p[j] == 0x0A || p[j] == 0x0D || p[j] == 0x09 || p[j] == UInt8(ascii: "-") || p[j] == UInt8(ascii: "+")
            || p[j] == UInt8(ascii: ".") || p[j] | 0x20 == UInt8(ascii: "e") || p[j] &- 0x30 < 10 { j += 1 }
        return j >= n ? " (the file ends here: truncated?)" : ""
    }

    /// The raw bytes of a string as text (for messages).
    func text(_ r: (start: Int, end: Int, escaped: Bool)) -> String {
        String(decoding: UnsafeBufferPointer(start: p + r.start, count: r.end - r.start), as: UTF8.self)
    }

    /// Reads an object key and the `:` after it.
    @inline(__always) mutating func key() throws(ScanError) -> (start: Int, end: Int, escaped: Bool) {
        let k = try rawString()
        try expect(UInt8(ascii: ":"), "':'")
        return k
    }

    /// Parses a JSON number; nil when the next value is not a number.
    @inline(__always) mutating func number() -> Double? {
        skipWhitespace()
        let start = i
        var negative = false
        if peek() == UInt8(ascii: "-") { negative = true; i += 1 }
        var mantissa: UInt64 = 0
        var digits = 0, exponent = 0, intDigits = 0
        var exact = true
        while i < n, p[i] &- 0x30 < 10 {
            let d = UInt64(p[i] &- 0x30)
            if digits < 19 { mantissa = mantissa &* 10 &+ d; if mantissa != 0 { digits += 1 } } else { exponent += 1; if d != 0 { exact = false } }
            i += 1; intDigits += 1
        }
        if intDigits == 0 { i = start; return nil }
        if i < n, p[i] == UInt8(ascii: ".") {
            i += 1
            var fracDigits = 0
            while i < n, p[i] &- 0x30 < 10 {
                let d = UInt64(p[i] &- 0x30)
                if digits < 19 { mantissa = mantissa &* 10 &+ d; exponent -= 1; if mantissa != 0 { digits += 1 } } else if d != 0 { exact = false }
                i += 1; fracDigits += 1
            }
            if fracDigits == 0 { i = start; return nil }
        }
        if i < n, p[i] | 0x20 == UInt8(ascii: "e") {
            i += 1
            var expNegative = false
            if i < n, p[i] == UInt8(ascii: "-") || p[i] == UInt8(ascii: "+") { expNegative = p[i] == UInt8(ascii: "-"); i += 1 }
            var e = 0, expDigits = 0
            while i < n, p[i] &- 0x30 < 10 { if e < 100_000 { e = e * 10 + Int(p[i] &- 0x30) }; i += 1; expDigits += 1 }
            if expDigits == 0 { i = start; return nil }
            exponent += expNegative ? -e : e
        }
        if exact && mantissa <= (1 << 53) && exponent >= -22 && exponent <= 22 {
            // Clinger's fast path: both operands exact, one correctly rounded operation.
            var v = Double(mantissa)
            v = exponent < 0 ? v / exactPowersOfTen[-exponent] : v * exactPowersOfTen[exponent]
            return negative ? -v : v
        }
        return slowNumber(from: start, to: i)
    }

    private func slowNumber(from start: Int, to end: Int) -> Double {
        let len = end - start
        return withUnsafeTemporaryAllocation(of: CChar.self, capacity: len + 1) { buf in
            for k in 0..<len { buf[k] = CChar(bitPattern: p[start + k]) }
            buf[len] = 0
            return strtod(buf.baseAddress!, nil)
        }
    }

    /// Skips any JSON value.
    mutating func skipValue() throws(ScanError) {
        skipWhitespace()
        switch peek() {
        case UInt8(ascii: "\""): _ = try rawString()
        case UInt8(ascii: "{"), UInt8(ascii: "["):
            var depth = 0
            while i < n {
                let c = p[i]
                if c == UInt8(ascii: "\"") { _ = try rawString(); continue }
                if c == UInt8(ascii: "{") || c == UInt8(ascii: "[") { depth += 1 }
                else if c == UInt8(ascii: "}") || c == UInt8(ascii: "]") { depth -= 1; if depth == 0 { i += 1; return } }
                i += 1
            }
            throw ScanError(message: "the file ends inside an object or array (truncated?)")
        case UInt8(ascii: "t"): try literal("true")
        case UInt8(ascii: "f"): try literal("false")
        case UInt8(ascii: "n"): try literal("null")
        default:
            if number() == nil { throw unexpected("a value") }
        }
    }

    mutating func literal(_ word: StaticString) throws(ScanError) {
        let len = word.utf8CodeUnitCount
        if i + len <= n && memcmp(p + i, word.utf8Start, len) == 0 { i += len; return }
        throw unexpected("'\(word)'")
    }

    /// True (and consumes it) when the next value is `null`.
    @inline(__always) mutating func null() -> Bool {
        skipWhitespace()
        if i + 4 <= n && p[i] == UInt8(ascii: "n") && memcmp(p + i, "null", 4) == 0 { i += 4; return true }
        return false
    }
}

private let exactPowersOfTen: [Double] = [1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
                                          1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22]
