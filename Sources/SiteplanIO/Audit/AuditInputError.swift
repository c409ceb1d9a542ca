/// Bad audit input: what is wrong, in which file, and at which feature.
///
///     buildings.geojson: features[812] (id "B0000813"): coordinate 2 of ring 1 is not a number
public struct AuditInputError: Error, CustomStringConvertible, Sendable, Equatable {
    /// The file as given on the command line.
    public let file: String
    /// The 0-based position in the `features` array; nil for a problem outside any feature.
    public let featureIndex: Int?
    /// The feature's `properties.id`, when it was read before the problem.
    public let featureID: String?
    public let message: String

    public init(file: String, featureIndex: Int?, featureID: String?, message: String) {
        self.file = file
        self.featureIndex = featureIndex
        self.featureID = featureID
        self.message = message
    }

    public var description: String {
        var place = file
        if let featureIndex {
            place += ": features[\(featureIndex)]"
            // The id as a JSON string, so a control character in it cannot break the line.
            place += featureID.map { id in
                var quoted = ""
                JSONWriter.writeString(id, into: &quoted)
                return " (id \(quoted))"
            } ?? " (id not read yet)"
        }
        return "\(place): \(message)"
    }
}
