import SiteGeometry
import SiteProjection
import SitePlanning
import SiteVocabulary

/// Catches parcels written latitude-first. `[39.91, 46.79]` for Khojaly's `[46.79, 39.91]` is in
/// range either way, so it parses, and the site would be planned some 400 km from where it is
/// (with a trunk main to the utility sources 1,900 km long).
enum AxisOrderCheck {
    /// Eastings a UTM zone is meant for (the zone's 6° at the equator, with the usual margin), metres.
    static let utmEastings = 166_000.0...834_000.0

    /// In a UTM planning CRS (EPSG:326xx, 327xx): refuses a parcel whose centre lies outside the
    /// zone's eastings while the same two numbers read the other way round fall inside them.
    /// Other planning CRSs are not checked.
    static func check(_ parcel: Parcel, frame: PlanningFrame, feature: FeatureRef) throws {
        let centre = LonLat(xy: try parcel.boundaryWGS84.envelope().center)
        if let problem = swappedReading(centre, crs: frame.crs, what: "the parcel") { throw InputError(feature: feature, problem) }
    }

    /// The sentence for `what`, centred on `centre`, when `crs` is a UTM zone whose eastings it
    /// lies outside while its two numbers swapped would lie inside; nil otherwise.
    static func swappedReading(_ given: LonLat, crs: CRS, what: String) -> String? {
        guard let code = crs.epsgCode, (32601...32660).contains(code) || (32701...32760).contains(code),
              let toPlanar = try? Transformer.shared(from: .wgs84, to: crs) else { return nil }
        guard let easting = try? toPlanar.transform(given).x, !utmEastings.contains(easting) else { return nil }
        let swapped = LonLat(lon: given.lat, lat: given.lon)
        guard swapped.isValid, let swappedEasting = try? toPlanar.transform(swapped).x, utmEastings.contains(swappedEasting) else { return nil }
        let zone = "UTM zone \(code % 100)\(code < 32700 ? "N" : "S")"
        let off = easting < utmEastings.lowerBound ? utmEastings.lowerBound - easting : easting - utmEastings.upperBound
        return """
            \(what) lies at longitude \(fixedNotation(given.lon, decimals: 4)), latitude \(fixedNotation(given.lat, decimals: 4)), \
            \(fixedNotation(off / 1000, decimals: 0)) km outside the eastings of \(crs) (\(zone)), while \
            longitude \(fixedNotation(swapped.lon, decimals: 4)), latitude \(fixedNotation(swapped.lat, decimals: 4)) would be inside: \
            the positions may be latitude-first; GeoJSON wants [longitude, latitude]
            """
    }
}
