/// Bad audit input: what is wrong, in which file, and at which feature.
///
///     buildings.geojson: features[812] (id "B0000813"): coordinate 2 of ring 1 is not a number
public struct AuditInputError: SiteplanError, Equatable {
    public var kind: SiteplanErrorKind { .input }
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
            place += featureID.map { " (id \"\($0)\")" } ?? " (id not read yet)"
        }
        return "\(place): \(message)"
    }
}
