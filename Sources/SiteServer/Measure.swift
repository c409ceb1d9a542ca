import SiteProjection
import SiteReports
import SiteVocabulary

/// The measure tool's answer: geodesic lengths and area on the WGS84 ellipsoid (Karney's
/// algorithms, PROJ's geodesic.h), for a path a person clicked on the map.
enum Measure {
    /// `text`: `LON,LAT;LON,LAT;…` (2 to 1000 points, plain decimal numbers, longitude first).
    /// Answers the path's length, and for 3 points or more the area and perimeter of the
    /// polygon they close.
    static func answer(_ text: String) throws -> JSONValue {
        let parts = text.split(separator: ";", omittingEmptySubsequences: false)
        guard (2...1000).contains(parts.count) else { throw InputError("expected 2 to 1000 points LON,LAT separated by ';', got \(parts.count)") }
        let points = try parts.map { try PositionText.parse(String($0)) }
        let geodesic = Geodesic.wgs84
        var members: [(String, JSONValue)] = [("points", .number(Double(points.count))),
                                              ("length_m", .number(geodesic.lineLength(points), decimals: 3))]
        if points.count >= 3 {
            let (area, perimeter) = geodesic.ringAreaAndPerimeter(points)
            members += [("area_m2", .number(abs(area), decimals: 2)), ("area_ha", .number(abs(area) / 10_000, decimals: 4)),
                        ("perimeter_m", .number(perimeter, decimals: 3))]
        }
        members.append(("method", .string("geodesic on the WGS84 ellipsoid (Karney, PROJ geodesic.h)")))
        return .object(JSONObject(members))
    }
}
