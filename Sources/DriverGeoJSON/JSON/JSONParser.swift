import SiteVocabulary
/// A strict RFC 8259 JSON parser over UTF-8 bytes that reports line and column on error.
/// For scenario-sized files; the audit reads its large inputs with a streaming reader. Both
/// use one lexer (`JSONScanner`), so they accept the same language and word errors the same;
/// a member name that appears twice in one object is refused.
public struct JSONParser {
    private var s: JSONScanner
    private var depth: Int

    public static func parse(_ bytes: [UInt8]) throws(JSONSyntaxError) -> JSONValue {
        if bytes.isEmpty { throw JSONSyntaxError(line: 1, column: 1, problem: "the file is empty, expected a JSON value") }
        return try bytes.withUnsafeBufferPointer { (buffer) throws(JSONSyntaxError) -> JSONValue in
            var parser = JSONParser(s: JSONScanner(buffer.baseAddress!, count: buffer.count), depth: 0)
            parser.s.skipBOM()
            let value = try parser.parseValue()
            try parser.s.expectEnd()
            return value
        }
    }

    public static func parse(_ text: String) throws(JSONSyntaxError) -> JSONValue { try parse(Array(text.utf8)) }

    /// The value at the scanner's position, `depth` objects and arrays deep (a streaming
    /// reader's slow path: the tree of one small value, to check it with the shared rules).
    static func value(_ scanner: inout JSONScanner, depth: Int) throws(JSONSyntaxError) -> JSONValue {
        var parser = JSONParser(s: scanner, depth: depth)
        defer { scanner.i = parser.s.i }
        return try parser.parseValue()
    }

    private mutating func parseValue() throws(JSONSyntaxError) -> JSONValue {
        s.skipWhitespace()
        switch s.peek() {
        case UInt8(ascii: "{"): return try parseObject()
        case UInt8(ascii: "["): return try parseArray()
        case UInt8(ascii: "\""): return .string(s.string(try s.rawString()))
        case UInt8(ascii: "t"): try s.literal("true"); return .bool(true)
        case UInt8(ascii: "f"): try s.literal("false"); return .bool(false)
        case UInt8(ascii: "n"): try s.literal("null"); return .null
        default:
            if let x = try s.number() { return .number(x) }
            throw s.unexpected("a value")
        }
    }

    private mutating func enter() throws(JSONSyntaxError) {
        if depth >= JSONScanner.maxDepth { throw s.tooDeep() }
        depth += 1
    }

    private mutating func parseObject() throws(JSONSyntaxError) -> JSONValue {
        try enter()
        defer { depth -= 1 }
        var members: [(String, JSONValue)] = []
        var seen = Set<String>()
        if try s.open(UInt8(ascii: "{"), close: UInt8(ascii: "}"), "'{'") {
            repeat {
                let k = try s.key()
                let key = s.string(k)
                if !seen.insert(key).inserted { throw s.duplicateKey(k) }
                members.append((key, try parseValue()))
            } while try s.nextOrClose(UInt8(ascii: "}"))
        }
        var object = JSONObject()
        object.appendUnchecked(members)
        return .object(object)
    }

    private mutating func parseArray() throws(JSONSyntaxError) -> JSONValue {
        try enter()
        defer { depth -= 1 }
        var items: [JSONValue] = []
        if try s.open(UInt8(ascii: "["), close: UInt8(ascii: "]"), "'['") {
            repeat { items.append(try parseValue()) } while try s.nextOrClose(UInt8(ascii: "]"))
        }
        return .array(items)
    }
}

extension JSONObject {
    /// Appends members known to have distinct keys (the parser checked), in O(n).
    mutating func appendUnchecked(_ newMembers: [(String, JSONValue)]) {
        self = JSONObject(uncheckedMembers: newMembers)
    }
}
