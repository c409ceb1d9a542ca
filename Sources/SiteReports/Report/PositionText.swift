import Foundation
import SiteProjection
import SitePlanning
import SiteVocabulary

/// A position typed by a person: "46.79,39.91", longitude first (as in GeoJSON), in degrees.
public enum PositionText {
    /// Parses "LON,LAT" and checks the ranges; the error says what was expected, in words.
    ///
    ///     try PositionText.parse("46.7953,39.9167")   // LonLat(lon: 46.7953, lat: 39.9167)
    public static func parse(_ text: String) throws -> LonLat {
        let parts = text.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: CharacterSet(charactersIn: " ")) }
        guard parts.count == 2, parts.allSatisfy(isPlainDecimal), let lon = Double(parts[0]), let lat = Double(parts[1]), lon.isFinite, lat.isFinite else {
            throw InputError("expected longitude,latitude in degrees, e.g. 46.79,39.91; got \"\(text)\"")
        }
        guard (-180...180).contains(lon) else { throw InputError("longitude \(parts[0]) is out of range -180..180 (the order is longitude,latitude)") }
        guard (-90...90).contains(lat) else { throw InputError("latitude \(parts[1]) is out of range -90..90 (the order is longitude,latitude)") }
        return LonLat(lon: lon, lat: lat)
    }

    /// A plain decimal number as people write one: an optional sign, digits, an optional
    /// fraction, ASCII only. Refused: hex floats (`0x1p5`), exponents, `nan`/`inf`, and any
    /// invisible or control character (a zero-width space, a NUL), which `Double(_:)` alone
    /// would let through or read differently.
    static func isPlainDecimal(_ text: String) -> Bool {
        var bytes = Substring(text).utf8[...]
        if let first = bytes.first, first == UInt8(ascii: "-") || first == UInt8(ascii: "+") { bytes = bytes.dropFirst() }
        var digits = 0, dots = 0
        for byte in bytes {
            if byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") { digits += 1 }
            else if byte == UInt8(ascii: ".") { dots += 1 }
            else { return false }
        }
        return digits > 0 && dots <= 1
    }
}
