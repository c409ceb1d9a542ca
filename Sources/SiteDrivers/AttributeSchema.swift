import SiteVocabulary

/// The kind of values an attribute column holds, inferred from its values the same way by
/// every driver, so a layer has the same schema in a GeoPackage, a CSV or any later format.
public enum AttributeKind: Sendable, Equatable {
    case text, integer, real, boolean
    /// A calendar date, `YYYY-MM-DD` text in the data (Date in GDAL's terms).
    case date
}

/// The attribute columns of a set of features.
public enum AttributeSchema {
    /// Keys whose values are measurements are real numbers even when every value is whole, so
    /// the schema does not change with the data.
    public static let measurementSuffixes = ["_m", "_m2", "_ha", "_km", "_ratio", "_share", "_deg", "_pct"]

    /// Every property key of `features`, in first-seen order, leaving out `excluded` (the
    /// columns a format names itself, such as its geometry column).
    public static func keys(_ features: [Feature], excluding excluded: Set<String>) -> [String] {
        var keys: [String] = []
        var seen = excluded
        for feature in features {
            for key in feature.properties.keys where seen.insert(key).inserted { keys.append(key) }
        }
        return keys
    }

    /// Whether `key` names a measurement, whose values are real numbers whatever they are.
    public static func isMeasurement(_ key: String) -> Bool { measurementSuffixes.contains(where: key.hasSuffix) }

    /// The kind of `key`'s values: all booleans boolean; all whole numbers integer (real for a
    /// measurement key); numbers real; all `YYYY-MM-DD` dates date; anything else, or no value
    /// at all, text.
    public static func kind(of key: String, in features: [Feature]) -> AttributeKind {
        let values = features.compactMap { $0.properties[key] }.filter { !$0.isNull }
        if values.isEmpty { return .text }
        if values.allSatisfy({ $0.bool != nil }) { return .boolean }
        if values.allSatisfy({ $0.string.map { $0.count == 10 && ISODate($0) != nil } ?? false }) { return .date }
        guard values.allSatisfy({ $0.number != nil }) else { return .text }
        let measurement = measurementSuffixes.contains(where: key.hasSuffix)
        return values.allSatisfy({ $0.int != nil }) && !measurement ? .integer : .real
    }
}
