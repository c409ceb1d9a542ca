import SiteVocabulary
import SiteGeometry

/// One piece of a utility network between two nodes: a trunk from the source to a site, a
/// main along a street, or a building's service line. Planar geometry, metres.
public struct NetworkSegment: Sendable {
    public enum Kind: String, Sendable { case trunk, main, service }

    /// Stable id, e.g. `water-P1-A-M012`, `gas-P1-A-T`, `power-P1-A-H0001` (service lines carry
    /// their building's id). Status files are keyed by it.
    public let id: String
    public let utility: Utility
    public let kind: Kind
    public let parcelID: String
    /// The building a service line serves.
    public let buildingID: String?
    public let from: Int
    public let to: Int
    public let geometryPlanar: Geometry
    public let lengthMetres: Double
}

/// The utility networks of a plan as one topological graph: nodes at sources, junctions,
/// service tees and building connections; segments split at every node. Utilities share no
/// node, so a traversal from a utility's source stays in that utility.
public struct UtilityNetwork: Sendable {
    /// Node positions, planar.
    public internal(set) var nodes: [XY] = []
    public internal(set) var segments: [NetworkSegment] = []
    /// The source node of each utility that has a source.
    public internal(set) var sourceNodes: [Utility: Int] = [:]
    /// For each building and utility, the index of its service line.
    public internal(set) var serviceLines: [String: [Utility: Int]] = [:]
    /// Utilities with no source in the scenario: their segments reach no source.
    public internal(set) var utilitiesWithoutSource: [Utility] = []
    /// Buildings no street path reaches (their lot's street is cut off); listed in reports.
    public internal(set) var unreachableBuildings: [String] = []

    /// Segment index by id.
    public func segmentIndex(id: String) -> Int? { indexByID[id] }
    var indexByID: [String: Int] = [:]

    /// Segments touching each node.
    public func incidence() -> [[Int]] {
        var adjacent = [[Int]](repeating: [], count: nodes.count)
        for (i, s) in segments.enumerated() {
            adjacent[s.from].append(i)
            adjacent[s.to].append(i)
        }
        return adjacent
    }

    mutating func addNode(_ p: XY) -> Int {
        nodes.append(p)
        return nodes.count - 1
    }

    mutating func addSegment(id: String, utility: Utility, kind: NetworkSegment.Kind, parcelID: String, buildingID: String?,
                             from: Int, to: Int, geometry: Geometry? = nil) throws {
        // A fixed segment keeps its stored geometry, bit for bit.
        let line = try geometry ?? Geometry.lineString([nodes[from], nodes[to]])
        let length = try geometry?.length ?? nodes[from].distance(to: nodes[to])
        let segment = NetworkSegment(id: id, utility: utility, kind: kind, parcelID: parcelID, buildingID: buildingID,
                                     from: from, to: to, geometryPlanar: line, lengthMetres: length)
        // One hash of the id, to file it and to find a duplicate.
        if indexByID.updateValue(segments.count, forKey: id) != nil { preconditionFailure("duplicate segment id \(id)") }
        segments.append(segment)
        if kind == .service, let b = buildingID { serviceLines[b, default: [:]][utility] = segments.count - 1 }
    }

    /// Room for `nodes` more nodes, `segments` more segments and `buildings` more buildings'
    /// service lines, so that adding them does not grow the arrays and tables step by step.
    mutating func reserve(nodes: Int, segments: Int, buildings: Int) {
        self.nodes.reserveCapacity(self.nodes.count + nodes)
        self.segments.reserveCapacity(self.segments.count + segments)
        indexByID.reserveCapacity(indexByID.count + segments)
        serviceLines.reserveCapacity(serviceLines.count + buildings)
    }
}
