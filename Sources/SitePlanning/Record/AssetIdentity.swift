import SiteGeometry
import SiteVocabulary

/// Gives a proposal's features their asset ids, against the plan of record.
///
/// **The rule** (docs/PLAN_OF_RECORD.md): a proposed feature *is* a recorded one when both are
/// in the same layer with the same role (`RecordLayers.role`: street class, building type,
/// utility and kind) and their discrete Hausdorff distance is at most `toleranceMetres`
/// (1 m): no vertex of either is farther than that from the other. Pairs are taken closest
/// first (ties: proposal order, then record order), one to one. A matched feature takes the
/// recorded id. An unmatched one keeps its generated id when that id was never given
/// (its number is above the counter of its prefix), and otherwise takes the next number of
/// the prefix, so no id is ever given twice, even after its asset is removed.
public struct AssetIdentity: Sendable {
    public static let toleranceMetres = 1.0

    /// Proposal id → asset id, for every asset layer's features that change id.
    public private(set) var renames: [String: String] = [:]
    /// The counters after this proposal (prefix → highest number given).
    public private(set) var counters: [String: Int]
    /// Proposal features matched to a recorded one, per layer (for reports).
    public private(set) var matched: [String: Int] = [:]

    /// Matches `proposal` (asset layers, generated ids) to `recorded` (the latest revision's
    /// layers, asset ids). `counters` are the store's.
    public init(proposal: [Layer], recorded: [Layer], counters: [String: Int]) throws {
        var counters = counters
        // Every recorded id counts as given, whatever the store's counters say.
        for layer in recorded where RecordLayers.assetLayers.contains(layer.name) {
            for f in layer.features { if let id = f.id { Self.noteGiven(id, in: &counters) } }
        }
        let tolerance = Self.toleranceMetres
        for layer in proposal where RecordLayers.assetLayers.contains(layer.name) {
            let old = recorded.first { $0.name == layer.name }?.features ?? []
            let oldRoles = old.map { RecordLayers.role(layer: layer.name, properties: $0.properties) }
            let oldEnvelopes = try old.map { try $0.geometry?.envelope().expanded(by: tolerance) }
            var grid: [GridKey: [Int]] = [:]
            for (j, e) in oldEnvelopes.enumerated() { if let e { for k in GridKey.cells(e) { grid[k, default: []].append(j) } } }
            var pairs: [(d: Double, i: Int, j: Int)] = []
            for (i, f) in layer.features.enumerated() {
                guard let g = f.geometry else { continue }
                let role = RecordLayers.role(layer: layer.name, properties: f.properties)
                let env = try g.envelope()
                var seen = Set<Int>()
                for k in GridKey.cells(env) {
                    for j in grid[k] ?? [] where seen.insert(j).inserted {
                        guard oldRoles[j] == role, let oe = oldEnvelopes[j], oe.intersects(env), let og = old[j].geometry else { continue }
                        // The same id and the same geometry: a fixed asset carried over.
                        if old[j].id == f.id, try og.wkb() == g.wkb() { pairs.append((-1, i, j)); continue }
                        let d = try g.hausdorffDistance(to: og)
                        if d <= tolerance { pairs.append((d, i, j)) }
                    }
                }
            }
            pairs.sort { ($0.d, $0.i, $0.j) < ($1.d, $1.i, $1.j) }
            var takenNew = Set<Int>(), takenOld = Set<Int>()
            var assigned: [Int: String] = [:]
            for p in pairs where !takenNew.contains(p.i) && !takenOld.contains(p.j) {
                takenNew.insert(p.i); takenOld.insert(p.j)
                assigned[p.i] = old[p.j].id
            }
            matched[layer.name] = assigned.count
            for (i, f) in layer.features.enumerated() {
                guard let id = f.id else { continue }
                let asset = assigned[i] ?? Self.fresh(id, counters: &counters)
                if asset != id { renames[id] = asset }
            }
        }
        self.counters = counters
    }

    /// `id` split into its prefix and trailing number (`P1-A-H0012` → `P1-A-H`, 12, width 4); a
    /// bare id (`water-P1-A-T`) is number 1 of itself, width 0.
    static func split(_ id: String) -> (prefix: String, number: Int, width: Int) {
        let digits = id.reversed().prefix { $0.isASCII && $0.isNumber }
        guard !digits.isEmpty, let n = Int(String(digits.reversed())) else { return (id, 1, 0) }
        return (String(id.dropLast(digits.count)), n, digits.count)
    }

    /// Counts `id` as given in `counters`.
    public static func noteGiven(_ id: String, in counters: inout [String: Int]) {
        let (prefix, n, _) = split(id)
        counters[prefix] = max(counters[prefix] ?? 0, n)
    }

    /// The id for a new asset generated as `id`: itself when never given, else the next number.
    static func fresh(_ id: String, counters: inout [String: Int]) -> String {
        let (prefix, n, width) = split(id)
        let last = counters[prefix] ?? 0
        if n > last { counters[prefix] = n; return id }
        let next = last + 1
        counters[prefix] = next
        let digits = String(next)
        return prefix + String(repeating: "0", count: max(0, width - digits.count)) + digits
    }

    /// A 50 m grid cell, to find candidate pairs without comparing every feature with every other.
    struct GridKey: Hashable {
        let x: Int, y: Int
        static let size = 50.0
        static func cells(_ e: Envelope) -> [GridKey] {
            let x0 = Int((e.minX / size).rounded(.down)), x1 = Int((e.maxX / size).rounded(.down))
            let y0 = Int((e.minY / size).rounded(.down)), y1 = Int((e.maxY / size).rounded(.down))
            var keys: [GridKey] = []
            for x in x0...x1 { for y in y0...y1 { keys.append(GridKey(x: x, y: y)) } }
            return keys
        }
    }
}

extension SitePlan {
    /// The plan with its ids renamed (`renames`: old → new; ids not in it stay), references
    /// (a lot's block and street, a building's block and lot) included.
    public func renamed(_ renames: [String: String]) -> SitePlan {
        func r(_ id: String) -> String { renames[id] ?? id }
        var copy = self
        copy.streets = streets.map { Street(id: r($0.id), parcelID: $0.parcelID, kind: $0.kind, widthMetres: $0.widthMetres, centrelinePlanar: $0.centrelinePlanar) }
        copy.blocks = blocks.map { Block(id: r($0.id), parcelID: $0.parcelID, polygonPlanar: $0.polygonPlanar) }
        copy.lots = lots.map { Lot(id: r($0.id), parcelID: $0.parcelID, blockID: r($0.blockID), polygonPlanar: $0.polygonPlanar,
                                   frontageMetres: $0.frontageMetres, streetID: r($0.streetID)) }
        copy.buildings = buildings.map { Building(id: r($0.id), type: $0.type, parcelID: $0.parcelID, blockID: r($0.blockID),
                                                  lotID: r($0.lotID), footprintPlanar: $0.footprintPlanar) }
        copy.crossings = crossings.map { Crossing(id: $0.id, parcelID: $0.parcelID, streetID: r($0.streetID), zoneID: $0.zoneID, zoneKind: $0.zoneKind,
                                                  centrelinePlanar: $0.centrelinePlanar, lengthMetres: $0.lengthMetres) }
        copy.facilities = facilities.map { FacilitySite(kind: $0.kind, parcelID: $0.parcelID, lotID: r($0.lotID), buildingID: $0.buildingID.map(r),
                                                        typeKey: $0.typeKey, places: $0.places, lotPlanar: $0.lotPlanar) }
        return copy
    }
}

extension UtilityNetwork {
    /// The network with its segment ids and the buildings they serve renamed.
    public func renamed(_ renames: [String: String]) -> UtilityNetwork {
        func r(_ id: String) -> String { renames[id] ?? id }
        var copy = self
        copy.segments = segments.map {
            NetworkSegment(id: r($0.id), utility: $0.utility, kind: $0.kind, parcelID: $0.parcelID, buildingID: $0.buildingID.map(r),
                           from: $0.from, to: $0.to, geometryPlanar: $0.geometryPlanar, lengthMetres: $0.lengthMetres)
        }
        copy.indexByID = Dictionary(uniqueKeysWithValues: copy.segments.enumerated().map { ($1.id, $0) })
        copy.serviceLines = Dictionary(uniqueKeysWithValues: serviceLines.map { (r($0.key), $0.value) })
        copy.unreachableBuildings = unreachableBuildings.map(r)
        return copy
    }
}
