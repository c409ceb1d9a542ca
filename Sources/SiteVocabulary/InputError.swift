/// Which feature of an input a problem is in: its position and, when it has one, its id.
public struct FeatureRef: Sendable, Equatable, CustomStringConvertible {
    /// 0-based position in the file's feature list.
    public var index: Int
    public var id: String?

    public init(index: Int, id: String?) {
        self.index = index
        self.id = id
    }

    /// `feature 812 (id "B0000813")`; the id as a JSON string, so a control character in it
    /// cannot break the line.
    public var description: String {
        guard let id else { return "feature \(index)" }
        var quoted = ""
        JSONWriter.writeString(id, into: &quoted)
        return "feature \(index) (id \(quoted))"
    }
}

/// Bad input: something a planner can fix in their data. Names the file, the feature and the
/// problem in words; distinct from library failures (`GEOSError`, `ProjectionError`).
///
///     geodata/khojaly/parcels.geojson: feature 1 (id "P1-B"): polygon ring 0 is not closed
public struct InputError: Error, CustomStringConvertible, Sendable, Equatable {
    /// The file (as the user named it) or another source such as "scenario.json".
    public var source: String?
    public var feature: FeatureRef?
    public var problem: String

    public init(source: String? = nil, feature: FeatureRef? = nil, _ problem: String) {
        self.source = source
        self.feature = feature
        self.problem = problem
    }

    /// A problem in `source` at feature `featureIndex` (nil: not in a feature), whose id may not
    /// have been read yet.
    public init(source: String, featureIndex: Int?, featureID: String?, _ problem: String) {
        self.init(source: source, feature: featureIndex.map { FeatureRef(index: $0, id: featureID) }, problem)
    }

    public var description: String {
        [source, feature?.description, problem].compactMap { $0 }.joined(separator: ": ")
    }

    /// The same error attributed to `source` when it has none yet.
    public func inSource(_ source: String) -> InputError {
        var copy = self
        if copy.source == nil { copy.source = source }
        return copy
    }
}
