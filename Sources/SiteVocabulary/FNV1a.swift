/// FNV-1a, 64 bits: a fast digest that does not change between runs (Swift's `Hasher` does),
/// to seed per-parcel random streams and to tell files apart. Not a security hash.
///
///     var digest = FNV1a()
///     digest.add(Array("P1-A".utf8))
///     digest.value   // the same on every run and machine
public struct FNV1a: Sendable {
    public private(set) var value: UInt64 = 0xcbf2_9ce4_8422_2325

    public init() {}

    public mutating func add(_ bytes: some Sequence<UInt8>) {
        for b in bytes { value = (value ^ UInt64(b)) &* 0x100_0000_01b3 }
    }

    /// The digest as 16 lower-case hex digits.
    public var hex: String {
        let s = String(value, radix: 16)
        return String(repeating: "0", count: 16 - s.count) + s
    }

    /// The digest of a string's UTF-8 bytes.
    public static func of(_ text: String) -> UInt64 {
        var d = FNV1a()
        d.add(text.utf8)
        return d.value
    }
}
