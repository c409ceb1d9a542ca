import SiteVocabulary
/// RFC 4180 field quoting, the one rule of every CSV siteplan writes (the audit's
/// `buildings.csv` and `parcels.csv`, and `--format csv` of every report): a field holding a
/// comma, a double quote, a CR or an LF is written in double quotes, its quotes doubled; any
/// other field is written as it is, so plain ids and numbers cost one scan.
///
///     B0,X   ->  "B0,X"
///     say "hi"  ->  "say ""hi"""
public enum CSVField {
    /// True when `field` must be quoted.
    @inline(__always) static func needsQuotes(_ field: UnsafeBufferPointer<UInt8>) -> Bool {
        for c in field where c == UInt8(ascii: ",") || c == UInt8(ascii: "\"") || c == 0x0A || c == 0x0D { return true }
        return false
    }

    /// Appends `field` to `out`, quoted when it needs it.
    @inline(__always) static func append(_ field: UnsafeBufferPointer<UInt8>, to out: inout [UInt8]) {
        if !needsQuotes(field) { out.append(contentsOf: field); return }
        appendQuoted(field, to: &out)
    }

    /// Appends `bytes[range]` to `out`, quoted when it needs it.
    @inline(__always) static func append(_ bytes: [UInt8], _ range: Range<Int>, to out: inout [UInt8]) {
        bytes.withUnsafeBufferPointer { b in
            append(UnsafeBufferPointer(rebasing: b[range]), to: &out)
        }
    }

    static func appendQuoted(_ field: UnsafeBufferPointer<UInt8>, to out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        for c in field {
            if c == UInt8(ascii: "\"") { out.append(c) }
            out.append(c)
        }
        out.append(UInt8(ascii: "\""))
    }

    /// `field` as CSV text, quoted when it needs it.
    public static func text(_ field: String) -> String {
        var s = field
        return s.withUTF8 { b in
            if !needsQuotes(b) { return field }
            var out: [UInt8] = []
            appendQuoted(b, to: &out)
            return String(decoding: out, as: UTF8.self)
        }
    }
}
