/// A parsed JSON value. Objects keep their members in file order, so a file read and written
/// again keeps its property order (deterministic output).
public enum JSONValue: Equatable, Sendable {
    case null
    case bool(Bool)
    case number(Double)
    case string(String)
    case array([JSONValue])
    case object(JSONObject)

    public var string: String? { if case .string(let s) = self { s } else { nil } }
    public var number: Double? { if case .number(let n) = self { n } else { nil } }
    public var array: [JSONValue]? { if case .array(let a) = self { a } else { nil } }
    public var object: JSONObject? { if case .object(let o) = self { o } else { nil } }
    public var bool: Bool? { if case .bool(let b) = self { b } else { nil } }
    public var isNull: Bool { self == .null }

    /// An integer value, when the number is integral.
    public var int: Int? {
        guard case .number(let n) = self, n.rounded() == n, abs(n) < 9e15 else { return nil }
        return Int(n)
    }

    /// The JSON type name, for error messages: "a string", "an object", ...
    public var kindDescription: String {
        switch self {
        case .null: "null"
        case .bool: "a boolean"
        case .number: "a number"
        case .string: "a string"
        case .array: "an array"
        case .object: "an object"
        }
    }
}

/// A JSON object with members in insertion order and lookup by key.
public struct JSONObject: Equatable, Sendable, Sequence {
    public private(set) var members: [(key: String, value: JSONValue)] = []

    public init(_ members: [(String, JSONValue)] = []) {
        for (k, v) in members { self[k] = v }
    }

    /// Members whose keys are already known to be distinct (a parser that refused duplicates):
    /// kept as given, without the lookup per member.
    public init(uncheckedMembers: [(String, JSONValue)]) {
        members = uncheckedMembers.map { (key: $0.0, value: $0.1) }
    }

    public subscript(key: String) -> JSONValue? {
        get { members.first(where: { $0.key == key })?.value }
        set {
            if let i = members.firstIndex(where: { $0.key == key }) {
                if let newValue { members[i].value = newValue } else { members.remove(at: i) }
            } else if let newValue {
                members.append((key, newValue))
            }
        }
    }

    public var keys: [String] { members.map(\.key) }
    public var isEmpty: Bool { members.isEmpty }

    public func makeIterator() -> IndexingIterator<[(key: String, value: JSONValue)]> { members.makeIterator() }

    public static func == (a: JSONObject, b: JSONObject) -> Bool {
        a.members.count == b.members.count && zip(a.members, b.members).allSatisfy { $0.key == $1.key && $0.value == $1.value }
    }
}

extension JSONValue: ExpressibleByStringLiteral, ExpressibleByFloatLiteral, ExpressibleByIntegerLiteral, ExpressibleByBooleanLiteral, ExpressibleByNilLiteral {
    public init(stringLiteral value: String) { self = .string(value) }
    public init(floatLiteral value: Double) { self = .number(value) }
    public init(integerLiteral value: Int) { self = .number(Double(value)) }
    public init(booleanLiteral value: Bool) { self = .bool(value) }
    public init(nilLiteral: ()) { self = .null }
}

extension JSONValue {
    /// A measurement rounded to `decimals` (correctly rounded, as `fixedNotation` prints it), or
    /// null when it is not finite: how every figure is stored in a feature's attributes.
    public static func number(_ x: Double, decimals: Int) -> JSONValue {
        x.isFinite ? .number(Double(fixedNotation(x, decimals: decimals)) ?? x) : .null
    }
}
