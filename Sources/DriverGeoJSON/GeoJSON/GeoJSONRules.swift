import SiteVocabulary
/// A GeoJSON geometry rule broken: the problem in words, without the file and the feature
/// (each reader adds those to its own error).
struct GeoJSONProblem: Error {
    let problem: String
    init(_ problem: String) { self.problem = problem }
}

/// The RFC 7946 geometry rules of both GeoJSON readers, the tree `GeoJSONReader` (scenarios,
/// `parcels`) and the audit's streaming `FeatureCollectionReader`, with their one wording.
/// A place names where in the geometry, as both readers write it:
///
///     Polygon ring 0 (exterior) is not closed: first position [46.79, 39.91] differs from last [46.79, 39.915]
///     LineString position 1: longitude is not a number in ["46.501",40.0012]
enum GeoJSONRules {
    // Features: the problems both readers word the same (the file and feature come first).

    /// A feature's `type` member, given as JSON text (nil when missing), is not "Feature".
    static func featureType(_ found: String?) -> String { "\"type\" is \(found ?? "missing"), expected \"Feature\"" }
    static let noGeometry = "has no \"geometry\" member"
    static let geometryWithoutType = "geometry has no \"type\""
    static func noCoordinates(_ type: String) -> String { "\(type) has no \"coordinates\"" }
    static let noFeatures = "the FeatureCollection has no \"features\" array"

    /// "Polygon ring 0 (exterior)", "MultiPolygon polygon 2 ring 1 (hole)".
    static func ringPlace(_ type: String, polygon: Int? = nil, ring: Int) -> String {
        "\(type) \(polygon.map { "polygon \($0) " } ?? "")ring \(ring) \(ring == 0 ? "(exterior)" : "(hole)")"
    }

    /// A position is `[longitude, latitude]`, optionally with more numbers (an altitude), each a
    /// number, longitude in -180...180 and latitude in -90...90.
    @inline(__always) static func inRange(_ lon: Double, _ lat: Double) -> Bool {
        lon >= -180 && lon <= 180 && lat >= -90 && lat <= 90
    }

    /// Checks one position at `place` ("LineString position 3"): its longitude and latitude.
    static func position(_ value: JSONValue, _ place: @autoclosure () -> String) throws(GeoJSONProblem) -> (lon: Double, lat: Double) {
        guard let list = value.array else {
            throw GeoJSONProblem("\(place()) is \(value.kindDescription), expected [longitude, latitude]")
        }
        guard list.count >= 2 else {
            throw GeoJSONProblem("\(place()) has \(list.count) value(s), expected [longitude, latitude]")
        }
        var numbers: [Double] = []
        numbers.reserveCapacity(list.count)
        for (k, item) in list.enumerated() {
            guard let x = item.number else {
                let name = k == 0 ? "longitude" : k == 1 ? "latitude" : "coordinate \(k)"
                throw GeoJSONProblem("\(place()): \(name) is not a number in \(JSONWriter.write(value))")
            }
            numbers.append(x)
        }
        guard inRange(numbers[0], numbers[1]) else { throw outOfRange(numbers, place()) }
        return (numbers[0], numbers[1])
    }

    /// The problem of a position whose numbers `inRange` refused.
    static func outOfRange(_ numbers: [Double], _ place: String) -> GeoJSONProblem {
        let text = "[" + numbers.map(JSONWriter.formatNumber).joined(separator: ",") + "]"
        let (lon, lat) = (numbers[0], numbers[1])
        if !(lon >= -180 && lon <= 180) {
            return GeoJSONProblem("\(place): longitude \(JSONWriter.formatNumber(lon)) is out of range -180..180 in \(text) (positions are [longitude, latitude])")
        }
        return GeoJSONProblem("\(place): latitude \(JSONWriter.formatNumber(lat)) is out of range -90..90 in \(text) (positions are [longitude, latitude])")
    }

    /// A ring has at least 4 positions and ends where it starts.
    static func checkRing(count: Int, first: (Double, Double), last: (Double, Double), _ place: @autoclosure () -> String) throws(GeoJSONProblem) {
        guard count >= 4 else {
            throw GeoJSONProblem("\(place()) has \(count) positions, a closed ring needs at least 4")
        }
        guard first == last else {
            let f = JSONWriter.formatNumber
            throw GeoJSONProblem("\(place()) is not closed: first position [\(f(first.0)), \(f(first.1))] differs from last [\(f(last.0)), \(f(last.1))]")
        }
    }

    /// A line has at least 2 positions; `place` is "LineString" or "MultiLineString line 2".
    static func checkLine(count: Int, _ place: @autoclosure () -> String) throws(GeoJSONProblem) {
        guard count >= 2 else { throw GeoJSONProblem("\(place()) has \(count) position(s), at least 2 are needed") }
    }
}
