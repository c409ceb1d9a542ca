/// The underground utilities a settlement is served by, in the order of every report's columns.
///
/// The raw value is the word used in files (`properties.utility`, `status.csv`, column names
/// such as `connected_water`); `code` is the one-byte column code of the audit's columnar store.
public enum Utility: String, CaseIterable, Sendable, Comparable {
    case water, sewer, power, gas, telecom

    /// The position in `allCases`, as stored in a one-byte column.
    public var code: UInt8 {
        switch self {
        case .water: 0
        case .sewer: 1
        case .power: 2
        case .gas: 3
        case .telecom: 4
        }
    }

    /// The utility stored as `code`; nil for a code that names none.
    public init?(code: UInt8) {
        guard Int(code) < Utility.allCases.count else { return nil }
        self = Utility.allCases[Int(code)]
    }

    /// The file word as a static string, for byte comparison without allocating.
    public var word: StaticString {
        switch self {
        case .water: "water"
        case .sewer: "sewer"
        case .power: "power"
        case .gas: "gas"
        case .telecom: "telecom"
        }
    }

    /// "water, sewer, power, gas or telecom", for messages.
    public static var wordList: String { listInWords(allCases.map(\.rawValue)) }

    public static func < (a: Utility, b: Utility) -> Bool { a.code < b.code }

    /// Parses a utility word, case-insensitively; nil for an unknown one.
    public init?(word: String) { self.init(rawValue: word.lowercased()) }
}

/// "a, b or c".
func listInWords(_ words: [String]) -> String {
    guard words.count > 1 else { return words.first ?? "" }
    return words.dropLast().joined(separator: ", ") + " or " + words.last!
}
