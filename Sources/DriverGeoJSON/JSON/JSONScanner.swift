import SiteVocabulary
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Where and why a JSON text is malformed: the one error of the JSON lexer, worded the same
/// for every reader (`JSONParser` for scenarios and parcels, `FeatureCollectionReader` for the
/// audit).
///
///     malformed JSON at line 2, column 35: expected ',' or '}', found '"'
public struct JSONSyntaxError: Error, CustomStringConvertible, Sendable {
    // Three words in all, so the lexer's typed throws return it in registers (a larger error
    // is returned through memory at every call, which cost the streaming reader speed).
    private let line32: Int32
    private let column32: Int32
    public let problem: String

    init(line: Int, column: Int, problem: String) {
        line32 = Int32(clamping: line)
        column32 = Int32(clamping: column)
        self.problem = problem
    }

    public var line: Int { Int(line32) }
    /// 1-based, in characters (UTF-8 sequences), not bytes.
    public var column: Int { Int(column32) }
    public var description: String { "malformed JSON at line \(line), column \(column): \(problem)" }
}

/// The JSON lexer (RFC 8259) shared by the tree parser (`JSONParser`) and the audit's streaming
/// reader (`FeatureCollectionReader`), so both accept the same language and word their errors
/// the same: whitespace, strings (escapes checked, `\u` surrogate pairs, UTF-8 validated),
/// numbers (the strict grammar, finite, correctly rounded), literals, and skipping a whole
/// value (closers matched, duplicate member names refused, nesting limited to `maxDepth`).
///
/// Forward-only over a byte buffer (a memory-mapped file or an array): no tree, no strings
/// unless asked. A read past the end yields the byte 0 (never valid JSON there), so an error
/// at the end is reported as a truncated file.
struct JSONScanner {
    /// Objects and arrays nested deeper than this are refused (by both readers).
    static let maxDepth = 512

    let p: UnsafePointer<UInt8>
    let n: Int
    var i = 0

    /// A string's raw bytes (between the quotes, escapes undecoded) and whether it has escapes.
    struct RawString {
        var start: Int
        var end: Int
        var escaped: Bool
    }

    init(_ p: UnsafePointer<UInt8>, count: Int) {
        self.p = p
        self.n = count
    }

    var atEnd: Bool { i >= n }

    @inline(__always) func peek() -> UInt8 { i < n ? p[i] : 0 }

    /// Skips a UTF-8 byte order mark at the start (RFC 8259 lets a parser ignore it).
    mutating func skipBOM() {
        if i == 0, n >= 3, p[0] == 0xEF, p[1] == 0xBB, p[2] == 0xBF { i = 3 }
    }

    @inline(__always) mutating func skipWhitespace() {
        while i < n {
            let c = p[i]
            if c == 0x20 || c == 0x0A || c == 0x0D || c == 0x09 { i += 1 } else { return }
        }
    }

    // MARK: Errors

    /// `problem` at byte `offset` (default: the current byte), with its line and column.
    @inline(never)
    func error(_ problem: String, at offset: Int? = nil) -> JSONSyntaxError {
        let end = min(max(offset ?? i, 0), n)
        var line = 1, column = 1
        for k in 0..<end {
            let b = p[k]
            if b == 0x0A { line += 1; column = 1 } else if b & 0xC0 != 0x80 { column += 1 }
        }
        return JSONSyntaxError(line: line, column: column, problem: problem)
    }

    /// "'x'" or "byte 0x1f" for the current byte.
    func describeCurrent() -> String {
        let c = p[i]
        return c >= 0x20 && c < 0x7F ? "'\(Character(Unicode.Scalar(c)))'" : "byte 0x\(String(c, radix: 16))"
    }

    @inline(never)
    func unexpected(_ expected: String) -> JSONSyntaxError {
        if i >= n { return error("the file ends in the middle of the data (truncated?), expected \(expected)") }
        return error("expected \(expected), found \(describeCurrent())")
    }

    @inline(never)
    func duplicateKey(_ key: RawString) -> JSONSyntaxError {
        error("duplicate member name \"\(string(key))\" (a name may appear only once in an object)", at: key.start - 1)
    }

    func tooDeep() -> JSONSyntaxError { error("nesting deeper than \(Self.maxDepth) levels") }

    /// Nothing but whitespace may follow the top-level value.
    mutating func expectEnd() throws(JSONSyntaxError) {
        skipWhitespace()
        if i < n { throw error("expected the end of the file after the top-level value, found \(describeCurrent())") }
    }

    // MARK: Structure

    @inline(__always) mutating func expect(_ c: UInt8, _ what: String) throws(JSONSyntaxError) {
        skipWhitespace()
        if peek() != c { throw unexpected(what) }
        i += 1
    }

    /// After a member or element: true for `,` (another follows), false for the closing `close`.
    @inline(__always) mutating func nextOrClose(_ close: UInt8) throws(JSONSyntaxError) -> Bool {
        skipWhitespace()
        let c = peek()
        if c == UInt8(ascii: ",") { i += 1; return true }
        if c == close { i += 1; return false }
        throw unexpected(close == UInt8(ascii: "}") ? "',' or '}'" : "',' or ']'")
    }

    /// Opens an object or array: true when it has a first member/element.
    @inline(__always) mutating func open(_ c: UInt8, close: UInt8, _ what: String) throws(JSONSyntaxError) -> Bool {
        try expect(c, what)
        skipWhitespace()
        if peek() == close { i += 1; return false }
        return true
    }

    /// Reads an object's member name and the `:` after it.
    @inline(__always) mutating func key() throws(JSONSyntaxError) -> RawString {
        let k = try rawString("a member name in double quotes")
        try expect(UInt8(ascii: ":"), "':' after a member name")
        return k
    }

    // MARK: Strings

    /// Reads a string, checking its escapes and its UTF-8, without decoding it.
    @inline(__always) mutating func rawString(_ what: StaticString = "a string") throws(JSONSyntaxError) -> RawString {
        skipWhitespace()
        if peek() != UInt8(ascii: "\"") { throw unexpected("\(what)") }
        let start = i + 1
        var j = start
        var high: UInt8 = 0
        while j < n {
            let c = p[j]
            if c == UInt8(ascii: "\"") {
                i = j + 1
                let r = RawString(start: start, end: j, escaped: false)
                if high & 0x80 != 0 { try validateUTF8(r) }
                return r
            }
            if c == UInt8(ascii: "\\") || c < 0x20 { break }
            high |= c
            j += 1
        }
        i = j
        return try rawStringRest(start, high)
    }

    /// The rest of a string from `i`: escapes, a control character or the end of the file.
    @inline(never)
    private mutating func rawStringRest(_ start: Int, _ high: UInt8) throws(JSONSyntaxError) -> RawString {
        var escaped = false
        var high = high
        while i < n {
            let c = p[i]
            if c == UInt8(ascii: "\"") {
                i += 1
                let r = RawString(start: start, end: i - 1, escaped: escaped)
                if high & 0x80 != 0 { try validateUTF8(r) }
                return r
            }
            if c == UInt8(ascii: "\\") { escaped = true; try skipEscape(); continue }
            if c < 0x20 { throw controlCharacter(c) }
            high |= c
            i += 1
        }
        throw error("the file ends inside a string (truncated?)")
    }

    @inline(never)
    private func controlCharacter(_ c: UInt8) -> JSONSyntaxError {
        error("control character (byte 0x\(String(c, radix: 16))) in a string; escape it")
    }

    /// Checks and skips the escape at `i` (a backslash).
    @inline(never)
    private mutating func skipEscape() throws(JSONSyntaxError) {
        if i + 1 >= n { i = n; throw error("the file ends inside a string (truncated?)") }
        let x = p[i + 1]
        switch x {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"), UInt8(ascii: "b"), UInt8(ascii: "f"),
             UInt8(ascii: "n"), UInt8(ascii: "r"), UInt8(ascii: "t"):
            i += 2
        case UInt8(ascii: "u"):
            let code = try hex4(at: i + 2)
            if code >= 0xDC00 && code < 0xE000 { throw error("unpaired low surrogate in a \\u escape") }
            i += 6
            if code >= 0xD800 && code < 0xDC00 {
                guard i + 1 < n, p[i] == UInt8(ascii: "\\"), p[i + 1] == UInt8(ascii: "u") else {
                    throw error("unpaired high surrogate in a \\u escape")
                }
                let low = try hex4(at: i + 2)
                guard low >= 0xDC00 && low < 0xE000 else { throw error("invalid low surrogate in a \\u escape") }
                i += 6
            }
        default:
            let shown = x >= 0x20 && x < 0x7F ? "\\\(Character(Unicode.Scalar(x)))" : "\\ and byte 0x\(String(x, radix: 16))"
            throw error("invalid escape '\(shown)' in a string")
        }
    }

    private func hex4(at: Int) throws(JSONSyntaxError) -> UInt32 {
        if at + 4 > n { throw error("the file ends inside a string (truncated?)", at: n) }
        var v: UInt32 = 0
        for j in at..<(at + 4) {
            guard let d = Self.hexDigit(p[j]) else { throw error("invalid hex digit in a \\u escape", at: j) }
            v = v << 4 | d
        }
        return v
    }

    @inline(__always) static func hexDigit(_ c: UInt8) -> UInt32? {
        switch c {
        case 0x30...0x39: UInt32(c - 0x30)
        case 0x41...0x46: UInt32(c - 0x41 + 10)
        case 0x61...0x66: UInt32(c - 0x61 + 10)
        default: nil
        }
    }

    @inline(never)
    private func validateUTF8(_ r: RawString) throws(JSONSyntaxError) {
        var k = r.start
        while k < r.end {
            let b = p[k]
            if b < 0x80 { k += 1; continue }
            let len: Int, min: UInt32
            var scalar: UInt32
            switch b {
            case 0xC2...0xDF: len = 2; min = 0x80; scalar = UInt32(b & 0x1F)
            case 0xE0...0xEF: len = 3; min = 0x800; scalar = UInt32(b & 0x0F)
            case 0xF0...0xF4: len = 4; min = 0x10000; scalar = UInt32(b & 0x07)
            default: throw error("a string is not valid UTF-8", at: k)
            }
            if k + len > r.end { throw error("a string is not valid UTF-8", at: k) }
            for j in 1..<len {
                let c = p[k + j]
                if c & 0xC0 != 0x80 { throw error("a string is not valid UTF-8", at: k) }
                scalar = scalar << 6 | UInt32(c & 0x3F)
            }
            if scalar < min || scalar > 0x10FFFF || (scalar >= 0xD800 && scalar < 0xE000) {
                throw error("a string is not valid UTF-8", at: k)
            }
            k += len
        }
    }

    /// Appends the decoded UTF-8 bytes of a string `rawString` has checked.
    static func decode(_ p: UnsafePointer<UInt8>, _ r: RawString, appendingTo out: inout [UInt8]) {
        if !r.escaped { out.append(contentsOf: UnsafeBufferPointer(start: p + r.start, count: r.end - r.start)); return }
        func hex(_ at: Int) -> UInt32 { (at..<(at + 4)).reduce(0) { $0 << 4 | (hexDigit(p[$1]) ?? 0) } }
        var k = r.start
        while k < r.end {
            let c = p[k]
            if c != UInt8(ascii: "\\") { out.append(c); k += 1; continue }
            let x = p[k + 1]
            k += 2
            switch x {
            case UInt8(ascii: "b"): out.append(0x08)
            case UInt8(ascii: "f"): out.append(0x0C)
            case UInt8(ascii: "n"): out.append(0x0A)
            case UInt8(ascii: "r"): out.append(0x0D)
            case UInt8(ascii: "t"): out.append(0x09)
            case UInt8(ascii: "u"):
                var scalar = hex(k)
                k += 4
                if scalar >= 0xD800 && scalar < 0xDC00 {
                    scalar = 0x10000 + ((scalar - 0xD800) << 10) + (hex(k + 2) - 0xDC00)
                    k += 6
                }
                out.append(contentsOf: Unicode.Scalar(scalar).map { Array(String($0).utf8) } ?? [0xEF, 0xBF, 0xBD])
            default: out.append(x)  // " \ /
            }
        }
    }

    /// The decoded bytes of a string.
    mutating func string(into out: inout [UInt8]) throws(JSONSyntaxError) {
        out.removeAll(keepingCapacity: true)
        Self.decode(p, try rawString(), appendingTo: &out)
    }

    /// A checked string as Swift text.
    func string(_ r: RawString) -> String {
        if !r.escaped { return String(decoding: UnsafeBufferPointer(start: p + r.start, count: r.end - r.start), as: UTF8.self) }
        var bytes: [UInt8] = []
        Self.decode(p, r, appendingTo: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// True when the string (decoded) equals `literal`; escapes take the slow path.
    /// Whether string `r` is `word` (a vocabulary word: no escapes in it), without allocating.
    func equals(_ r: RawString, _ word: String) -> Bool {
        if r.escaped { return string(r) == word }
        var word = word
        return word.withUTF8 { w in r.end - r.start == w.count && memcmp(p + r.start, w.baseAddress!, w.count) == 0 }
    }

    @inline(__always) func equals(_ r: RawString, _ literal: StaticString) -> Bool {
        let len = literal.utf8CodeUnitCount
        if r.escaped { return escapedEquals(r, literal) }
        return r.end - r.start == len && memcmp(p + r.start, literal.utf8Start, len) == 0
    }

    private func escapedEquals(_ r: RawString, _ literal: StaticString) -> Bool {
        var bytes: [UInt8] = []
        Self.decode(p, r, appendingTo: &bytes)
        return bytes.elementsEqual(UnsafeBufferPointer(start: literal.utf8Start, count: literal.utf8CodeUnitCount))
    }

    // MARK: Numbers and literals

    /// A JSON number (RFC 8259 grammar, finite, correctly rounded), or nil when the next value
    /// does not start like a number (`-` or a digit). A malformed number is an error.
    @inline(__always) mutating func number() throws(JSONSyntaxError) -> Double? {
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
        if intDigits == 0 {
            if negative { throw malformedNumber(start, "no digit after '-'") }
            i = start
            return nil
        }
        if intDigits > 1 && p[negative ? start + 1 : start] == UInt8(ascii: "0") { throw malformedNumber(start, "leading zero") }
        if i < n, p[i] == UInt8(ascii: ".") {
            i += 1
            var fracDigits = 0
            while i < n, p[i] &- 0x30 < 10 {
                let d = UInt64(p[i] &- 0x30)
                if digits < 19 { mantissa = mantissa &* 10 &+ d; exponent -= 1; if mantissa != 0 { digits += 1 } } else if d != 0 { exact = false }
                i += 1; fracDigits += 1
            }
            if fracDigits == 0 { throw malformedNumber(start, "no digits after '.'") }
        }
        if i < n, p[i] | 0x20 == UInt8(ascii: "e") {
            i += 1
            var expNegative = false
            if i < n, p[i] == UInt8(ascii: "-") || p[i] == UInt8(ascii: "+") { expNegative = p[i] == UInt8(ascii: "-"); i += 1 }
            var e = 0, expDigits = 0
            while i < n, p[i] &- 0x30 < 10 { if e < 100_000 { e = e * 10 + Int(p[i] &- 0x30) }; i += 1; expDigits += 1 }
            if expDigits == 0 { throw malformedNumber(start, "no digits in the exponent") }
            exponent += expNegative ? -e : e
        }
        if exact && mantissa <= (1 << 53) && exponent >= -22 && exponent <= 22 {
            // Clinger's fast path: both operands exact, one correctly rounded operation.
            var v = Double(mantissa)
            v = exponent < 0 ? v / exactPowersOfTen[-exponent] : v * exactPowersOfTen[exponent]
            return negative ? -v : v
        }
        return try slowNumber(from: start, to: i)
    }

    @inline(never)
    private func malformedNumber(_ start: Int, _ what: String) -> JSONSyntaxError {
        i >= n ? error("the file ends in the middle of a number (truncated?)") : error("invalid number (\(what))", at: start)
    }

    @inline(never)
    private func slowNumber(from start: Int, to end: Int) throws(JSONSyntaxError) -> Double {
        let len = end - start
        let v = withUnsafeTemporaryAllocation(of: CChar.self, capacity: len + 1) { buf in
            for k in 0..<len { buf[k] = CChar(bitPattern: p[start + k]) }
            buf[len] = 0
            return strtod(buf.baseAddress!, nil)
        }
        if !v.isFinite {
            throw error("number out of range: \(String(decoding: UnsafeBufferPointer(start: p + start, count: len), as: UTF8.self))", at: start)
        }
        return v
    }

    mutating func literal(_ word: StaticString) throws(JSONSyntaxError) {
        let len = word.utf8CodeUnitCount
        if i + len <= n && memcmp(p + i, word.utf8Start, len) == 0 { i += len; return }
        if n - i < len && memcmp(p + i, word.utf8Start, n - i) == 0 { i = n }
        throw unexpected("'\(word)'")
    }

    /// True (and consumes it) when the next value is `null`.
    @inline(__always) mutating func null() -> Bool {
        skipWhitespace()
        if i + 4 <= n && p[i] == UInt8(ascii: "n") && memcmp(p + i, "null", 4) == 0 { i += 4; return true }
        return false
    }

    // MARK: Skipping

    /// Checks and skips any JSON value; `depth` is the number of objects and arrays around it,
    /// `keySets` the reused member-name sets of the objects inside it, one per depth.
    mutating func skipValue(depth: Int, keys keySets: inout [JSONKeySet]) throws(JSONSyntaxError) {
        skipWhitespace()
        switch peek() {
        case UInt8(ascii: "\""): _ = try rawString()
        case UInt8(ascii: "{"):
            if depth >= Self.maxDepth { throw tooDeep() }
            i += 1
            skipWhitespace()
            if peek() == UInt8(ascii: "}") { i += 1; return }
            if keySets.count <= depth { keySets.append(contentsOf: repeatElement(JSONKeySet(), count: depth + 1 - keySets.count)) }
            keySets[depth].removeAll()
            repeat {
                let k = try key()
                if !keySets[depth].insert(p, k) { throw duplicateKey(k) }
                try skipValue(depth: depth + 1, keys: &keySets)
            } while try nextOrClose(UInt8(ascii: "}"))
        case UInt8(ascii: "["):
            if depth >= Self.maxDepth { throw tooDeep() }
            i += 1
            skipWhitespace()
            if peek() == UInt8(ascii: "]") { i += 1; return }
            repeat { try skipValue(depth: depth + 1, keys: &keySets) } while try nextOrClose(UInt8(ascii: "]"))
        case UInt8(ascii: "t"): try literal("true")
        case UInt8(ascii: "f"): try literal("false")
        case UInt8(ascii: "n"): try literal("null")
        default:
            if try number() == nil { throw unexpected("a value") }
        }
    }
}

private let exactPowersOfTen: [Double] = [1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
                                          1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22]
