/// A word of the vocabulary: a closed set of cases, each spelt in files by its raw value and
/// stored in the audit's columns as a one-byte code (its position in `allCases`).
public protocol VocabularyWord: CaseIterable, Sendable, Hashable, RawRepresentable where RawValue == String, AllCases == [Self] {}

extension VocabularyWord {
    /// The position in `allCases`, as stored in a one-byte column.
    public var code: UInt8 { UInt8(Self.allCases.firstIndex(of: self)!) }

    /// The case stored as `code`; nil for a code that names none.
    public init?(code: UInt8) {
        guard Int(code) < Self.allCases.count else { return nil }
        self = Self.allCases[Int(code)]
    }

    /// "a, b or c": every word, for messages.
    public static var wordList: String {
        let words = allCases.map(\.rawValue)
        guard words.count > 1 else { return words.first ?? "" }
        return words.dropLast().joined(separator: ", ") + " or " + words.last!
    }
}

/// The underground utilities a settlement is served by, in the order of every report's columns.
///
/// The raw value is the word used in files (`properties.utility`, `status.csv`, column names
/// such as `connected_water`); `code` is the one-byte column code of the audit's columnar store.
public enum Utility: String, VocabularyWord, Comparable {
    case water, sewer, power, gas, telecom

    public static func < (a: Utility, b: Utility) -> Bool { a.code < b.code }

    /// Parses a utility word, case-insensitively; nil for an unknown one.
    public init?(word: String) { self.init(rawValue: word.lowercased()) }
}
