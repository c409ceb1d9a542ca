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
        let parts = text.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
        guard parts.count == 2, let lon = Double(parts[0]), let lat = Double(parts[1]), lon.isFinite, lat.isFinite else {
            throw InputError("expected longitude,latitude in degrees, e.g. 46.79,39.91; got \"\(text)\"")
        }
        guard (-180...180).contains(lon) else { throw InputError("longitude \(parts[0]) is out of range -180..180 (the order is longitude,latitude)") }
        guard (-90...90).contains(lat) else { throw InputError("latitude \(parts[1]) is out of range -90..90 (the order is longitude,latitude)") }
        return LonLat(lon: lon, lat: lat)
    }
}
