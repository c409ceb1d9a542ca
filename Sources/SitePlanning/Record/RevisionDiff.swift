import SiteGeometry
import SiteVocabulary

/// What changed in one layer between two versions of the plan, by asset id.
public struct LayerDiff: Sendable {
    public struct Moved: Sendable {
        public let id: String
        /// The Hausdorff distance between the two geometries, metres.
        public let distanceMetres: Double
    }
    public struct Changed: Sendable {
        public let id: String
        /// The attributes whose values differ.
        public let keys: [String]
    }

    public let layer: String
    /// Features only in the later version.
    public let added: [Feature]
    public let removed: [Feature]
    public let moved: [Moved]
    public let changed: [Changed]
    /// Features in both, the same.
    public let unchanged: Int

    public var isEmpty: Bool { added.isEmpty && removed.isEmpty && moved.isEmpty && changed.isEmpty }
}

/// The headline figures of one version of the plan, computed from its layers and the works
/// history: what `diff` compares.
public struct RecordFigures: Sendable, Equatable {
    public var buildings = 0
    public var dwellings = 0
    /// Building footprints over parcel area, percent.
    public var coveragePercent = 0.0
    public var streetLengthMetres = 0.0
    /// Trunks and mains.
    public var networkLengthMetres = 0.0
    public var serviceLengthMetres = 0.0
    /// Built length over all length (network and service lines), percent, as of the day.
    public var worksCompletePercent = 0.0
    /// Buildings and dwellings connected for every utility (tracing built segments from each
    /// utility's source, nodes joined at 1 cm).
    public var buildingsFullyConnected = 0
    public var dwellingsFullyConnected = 0

    /// The figures as (name, value, unit) rows, in a fixed order.
    public var rows: [(name: String, value: Double, unit: String)] {
        [("buildings", Double(buildings), ""), ("dwellings", Double(dwellings), ""), ("coverage", coveragePercent, "%"),
         ("street length", streetLengthMetres, "m"), ("network length", networkLengthMetres, "m"), ("service line length", serviceLengthMetres, "m"),
         ("works complete", worksCompletePercent, "%"), ("buildings fully connected", Double(buildingsFullyConnected), ""),
         ("dwellings fully connected", Double(dwellingsFullyConnected), "")]
    }

    /// The figures of `layers` (planning CRS) with the works `book`, fed from `sources`.
    public static func compute(_ layers: [Layer], book: StatusBook, asOf: ISODate?, sources: [UtilitySource]) throws -> RecordFigures {
        func features(_ name: String) -> [Feature] { layers.first { $0.name == name }?.features ?? [] }
        var f = RecordFigures()
        let buildings = features("buildings")
        f.buildings = buildings.count
        f.dwellings = buildings.reduce(0) { $0 + ($1.properties["units"]?.int ?? 1) }
        let parcelArea = try features("parcels").reduce(0.0) { $0 + (try $1.geometry?.area ?? 0) }
        let footprint = try buildings.reduce(0.0) { $0 + (try $1.geometry?.area ?? 0) }
        f.coveragePercent = parcelArea > 0 ? 100 * footprint / parcelArea : 0
        f.streetLengthMetres = try features("streets").reduce(0.0) { $0 + (try $1.geometry?.length ?? 0) }
        var total = 0.0, built = 0.0
        struct Key: Hashable { let x: Int64, y: Int64; init(_ p: XY) { x = Int64((p.x * 100).rounded()); y = Int64((p.y * 100).rounded()) } }
        var parent: [Utility: [Key: Key]] = [:]
        func find(_ u: Utility, _ k: Key) -> Key {
            var k = k
            while let p = parent[u]?[k], p != k { k = p }
            return k
        }
        func union(_ u: Utility, _ a: Key, _ b: Key) {
            let ra = find(u, a), rb = find(u, b)
            if ra != rb { parent[u, default: [:]][ra] = rb }
        }
        var services: [(building: String, utility: Utility, a: Key, b: Key)] = []
        for name in ["network", "service_lines"] {
            for s in features(name) {
                guard let g = s.geometry, let id = s.id, let u = Utility(rawValue: s.properties["utility"]?.string ?? "") else { continue }
                let length = try g.length
                if name == "network" { f.networkLengthMetres += length } else { f.serviceLengthMetres += length }
                total += length
                let c = try g.coordinates()
                guard let first = c.first, let last = c.last else { continue }
                let a = Key(first), b = Key(last)
                if book.status(of: id, asOf: asOf).isBuilt {
                    built += length
                    union(u, a, b)
                }
                if name == "service_lines", let building = s.properties["building_id"]?.string { services.append((building, u, a, b)) }
            }
        }
        f.worksCompletePercent = total > 0 ? 100 * built / total : 0
        let sourceKeys = Dictionary(sources.map { ($0.utility, Key($0.positionPlanar)) }, uniquingKeysWith: { a, _ in a })
        var connected: [String: Set<Utility>] = [:]
        for s in services {
            guard let source = sourceKeys[s.utility] else { continue }
            let root = find(s.utility, source)
            if find(s.utility, s.a) == root && find(s.utility, s.b) == root { connected[s.building, default: []].insert(s.utility) }
        }
        for b in buildings where connected[b.id ?? ""]?.count == Utility.allCases.count {
            f.buildingsFullyConnected += 1
            f.dwellingsFullyConnected += b.properties["units"]?.int ?? 1
        }
        return f
    }
}

/// Compares two versions of the plan's layers, feature by feature, by asset id.
public enum RevisionDiff {
    /// Attributes that say where a feature came from, not what it is: not compared.
    static let ignoredKeys: Set<String> = ["since_revision", "layer"]

    /// Per layer of `RecordLayers.names` present in either: added, removed, moved (geometry
    /// differs; by the Hausdorff distance) and changed (attributes differ) features.
    public static func compare(_ before: [Layer], _ after: [Layer]) throws -> [LayerDiff] {
        try RecordLayers.names.compactMap { name -> LayerDiff? in
            let a = before.first { $0.name == name }?.features ?? []
            let b = after.first { $0.name == name }?.features ?? []
            if a.isEmpty && b.isEmpty { return nil }
            let old = Dictionary(a.compactMap { f in f.id.map { ($0, f) } }, uniquingKeysWith: { x, _ in x })
            let new = Dictionary(b.compactMap { f in f.id.map { ($0, f) } }, uniquingKeysWith: { x, _ in x })
            var moved: [LayerDiff.Moved] = [], changed: [LayerDiff.Changed] = [], unchanged = 0
            for f in b {
                guard let id = f.id, let o = old[id] else { continue }
                var same = true
                if let g = f.geometry, let og = o.geometry, try g.wkb() != og.wkb() {
                    moved.append(.init(id: id, distanceMetres: try g.hausdorffDistance(to: og)))
                    same = false
                }
                let keys = Set(f.properties.keys).union(o.properties.keys).subtracting(ignoredKeys).sorted().filter { key in
                    guard let x = f.properties[key], let y = o.properties[key] else { return true }
                    if let p = x.number, let q = y.number { return abs(p - q) > 1e-6 * max(1, abs(p)) }
                    return x != y
                }
                // A moved feature counts as moved only (its lengths and areas follow its geometry);
                // "changed" is attributes alone, so the columns add up to the layer.
                if same && !keys.isEmpty { changed.append(.init(id: id, keys: keys)); same = false }
                if same { unchanged += 1 }
            }
            return LayerDiff(layer: name, added: b.filter { $0.id.map { old[$0] == nil } ?? true },
                             removed: a.filter { $0.id.map { new[$0] == nil } ?? true },
                             moved: moved, changed: changed, unchanged: unchanged)
        }
    }
}
