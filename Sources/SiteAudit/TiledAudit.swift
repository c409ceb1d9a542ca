import SiteGeometry
import SiteVocabulary

/// What a tile restricts the audit to (see `ConnectionAudit.run(_:…scope:)`).
struct TileScope: Sendable {
    /// Buildings whose distances are computed (the region's); nil: all.
    var nearest: [Bool]?
    /// Parcels whose network length and geodesic area are computed (the owned ones); nil: all.
    var clip: [Bool]?
    /// The tile's lines' positions in the whole input, ascending, and the whole input's line count.
    var lineIndex: (global: [Int32], total: Int)?
}

/// One tile's input: a subset of the whole input, every column in the whole input's order, with
/// each feature's position in the whole input.
public struct AuditTileInput: Sendable {
    /// The tile's features (planar coordinates; parcels also in lon/lat).
    public var input: AuditInput
    public var buildingIndex: [Int32]
    /// True for the tile's region buildings, false for context buildings.
    public var isRegion: [Bool]
    public var parcelIndex: [Int32]
    public var isOwned: [Bool]
    public var lineIndex: [Int32]
    /// The number of lines in the whole input (the clip's chunks are the whole input's).
    public var totalLines: Int
    /// Whether the whole input has any usable line of each utility (by `Utility.code`).
    public var usableUtilities: [Bool]
    public var cover: PlanarBox

    public init(input: AuditInput, buildingIndex: [Int32], isRegion: [Bool], parcelIndex: [Int32], isOwned: [Bool],
                lineIndex: [Int32], totalLines: Int, usableUtilities: [Bool], cover: PlanarBox) {
        self.input = input; self.buildingIndex = buildingIndex; self.isRegion = isRegion
        self.parcelIndex = parcelIndex; self.isOwned = isOwned; self.lineIndex = lineIndex
        self.totalLines = totalLines; self.usableUtilities = usableUtilities; self.cover = cover
    }
}

extension AuditTileInput {
    /// Tile `tile` of `whole`: its buildings (region and context) and its parcels and lines, in
    /// whole-input order. `usableUtilities`: `AuditTiling.usableUtilities(whole)`.
    public init(whole: AuditInput, tile: AuditTile, usableUtilities: [Bool]) {
        let members = (tile.regionBuildings + tile.contextBuildings).sorted()
        let region = Set(tile.regionBuildings), owned = Set(tile.ownedParcels)
        let input = AuditInput(parcelIDs: whole.parcelIDs.subset(tile.parcels), parcels: whole.parcels.subset(tile.parcels),
                               parcelsLonLat: whole.parcelsLonLat.subset(tile.parcels),
                               buildingIDs: whole.buildingIDs.subset(members), buildings: whole.buildings.subset(members),
                               networkIDs: whole.networkIDs.subset(tile.lines), network: whole.network.subset(tile.lines),
                               utility: tile.lines.map { whole.utility[Int($0)] }, status: tile.lines.map { whole.status[Int($0)] })
        self.init(input: input, buildingIndex: members, isRegion: members.map { region.contains($0) },
                  parcelIndex: tile.parcels, isOwned: tile.parcels.map { owned.contains($0) }, lineIndex: tile.lines,
                  totalLines: whole.network.count, usableUtilities: usableUtilities, cover: tile.cover)
    }
}

extension ByteStrings {
    /// The strings at `indices`, in that order.
    public func subset(_ indices: [Int32]) -> ByteStrings {
        var out = ByteStrings()
        out.offsets.reserveCapacity(indices.count + 1)
        out.bytes.reserveCapacity(indices.count * (bytes.count / Swift.max(1, count)))
        for i in indices { out.append(bytes[offsets[Int(i)]..<offsets[Int(i) + 1]]) }
        return out
    }
}

extension PolygonColumns {
    /// The polygons at `indices`, in that order.
    public func subset(_ indices: [Int32]) -> PolygonColumns {
        var out = PolygonColumns()
        out.polygonRingStart.reserveCapacity(indices.count + 1)
        out.ringStart.reserveCapacity(indices.count + 1)
        out.xy.reserveCapacity(indices.count * (xy.count / Swift.max(1, count)))
        for i in indices {
            for r in Int(polygonRingStart[Int(i)])..<Int(polygonRingStart[Int(i) + 1]) {
                out.xy.append(contentsOf: xy[(2 * Int(ringStart[r]))..<(2 * Int(ringStart[r + 1]))])
                out.ringStart.append(Int32(out.xy.count / 2))
            }
            out.polygonRingStart.append(Int32(out.ringStart.count - 1))
        }
        return out
    }
}

extension LineColumns {
    /// The lines at `indices`, in that order.
    public func subset(_ indices: [Int32]) -> LineColumns {
        var out = LineColumns()
        out.lineStart.reserveCapacity(indices.count + 1)
        out.xy.reserveCapacity(indices.count * (xy.count / Swift.max(1, count)))
        for i in indices {
            out.xy.append(contentsOf: xy[(2 * Int(lineStart[Int(i)]))..<(2 * Int(lineStart[Int(i) + 1]))])
            out.lineStart.append(Int32(out.xy.count / 2))
        }
        return out
    }
}


/// What one tile found: its region buildings' answers, final or waiting for the second pass,
/// and its owned parcels' partial sums. Indices are positions in the whole input.
public struct TileResult: Sendable {
    public struct Building: Sendable, Equatable {
        public var index: Int32
        /// The parcel holding the centroid (whole-input index), -1 for none.
        public var parcel: Int32
        /// Planar footprint area, m².
        public var areaM2: Double
        /// By `Utility.code`; NaN where the utility has no usable line at all, or is unresolved.
        public var distanceMetres: [Double]
        /// Bit u set: `distanceMetres[u]` is final.
        public var resolved: UInt8

        public init(index: Int32, parcel: Int32, areaM2: Double, distanceMetres: [Double], resolved: UInt8) {
            self.index = index; self.parcel = parcel; self.areaM2 = areaM2; self.distanceMetres = distanceMetres; self.resolved = resolved
        }

        public static let allResolved = UInt8((1 << Utility.allCases.count) - 1)
        public var isFinal: Bool { resolved == Self.allResolved }
    }

    /// Sums of one parcel, as the single run computes them (same inputs, same order).
    public struct Parcel: Sendable, Equatable {
        public var index: Int32
        public var areaM2: Double
        public var geodesicAreaM2: Double
        public var buildings: Int
        public var footprintM2: Double
        public var networkMetres: Double
        public var builtMetres: Double

        public init(index: Int32, areaM2: Double, geodesicAreaM2: Double, buildings: Int, footprintM2: Double, networkMetres: Double, builtMetres: Double) {
            self.index = index; self.areaM2 = areaM2; self.geodesicAreaM2 = geodesicAreaM2; self.buildings = buildings
            self.footprintM2 = footprintM2; self.networkMetres = networkMetres; self.builtMetres = builtMetres
        }
    }

    /// The region's buildings, in whole-input order.
    public var buildings: [Building]
    /// The owned parcels, in whole-input order.
    public var parcels: [Parcel]
}

/// The connection audit cut into tiles (`AuditTiling`) and put together again, exactly: each
/// tile finds its region's nearest lines within its cover and sums the parcels it owns; a
/// building whose nearest line may lie beyond the cover goes to the second pass, which
/// searches the usable lines of the whole input.
public enum TiledAudit {
    /// Runs one tile. Errors name parcels by their whole-input position.
    public static func run(_ tile: AuditTileInput, thresholdMetres: Double = ConnectionAudit.defaultThresholdMetres,
                           threads: Int = availableCores, progress: AuditProgress? = nil) throws -> TileResult {
        let scope = TileScope(nearest: tile.isRegion, clip: tile.isOwned, lineIndex: (tile.lineIndex, tile.totalLines))
        let result: AuditResult
        do {
            result = try ConnectionAudit.run(tile.input, thresholdMetres: thresholdMetres, threads: threads, progress: progress, scope: scope)
        } catch var error as InputError {
            // Parcel problems name the tile's parcel k: name it by its place in the whole input.
            if let f = error.feature, f.index < tile.parcelIndex.count { error.feature = FeatureRef(index: Int(tile.parcelIndex[f.index]), id: f.id) }
            throw error
        }
        let (boxes, _) = AuditTiling.envelopesAndCentroids(tile.input.buildings)
        let utilities = Utility.allCases.count
        var buildings: [TileResult.Building] = []
        buildings.reserveCapacity(tile.isRegion.count)
        for b in tile.isRegion.indices where tile.isRegion[b] {
            // A line nearer than the footprint's clearance in the cover has its envelope meeting
            // the cover, so it is in the tile: a distance up to the clearance is the global one.
            // (1 mm less, for the rounding of the clearance itself.)
            let clearance = tile.cover.clearance(of: boxes[b]) - 0.001
            var resolved: UInt8 = 0
            var distance = [Double](repeating: .nan, count: utilities)
            for u in 0..<utilities {
                let d = result.buildings.distanceMetres[u][b]
                if !tile.usableUtilities[u] { resolved |= 1 << u; continue }
                if d <= clearance { distance[u] = d; resolved |= 1 << u }
            }
            let p = result.buildings.parcel[b]
            buildings.append(TileResult.Building(index: tile.buildingIndex[b], parcel: p >= 0 ? tile.parcelIndex[Int(p)] : -1,
                                                 areaM2: result.buildings.areaM2[b], distanceMetres: distance, resolved: resolved))
        }
        var parcels: [TileResult.Parcel] = []
        for p in tile.isOwned.indices where tile.isOwned[p] {
            let r = result.parcels
            parcels.append(TileResult.Parcel(index: tile.parcelIndex[p], areaM2: r.areaM2[p], geodesicAreaM2: r.geodesicAreaM2[p],
                                             buildings: r.buildings[p], footprintM2: r.footprintM2[p],
                                             networkMetres: r.networkMetres[p], builtMetres: r.builtMetres[p]))
        }
        return TileResult(buildings: buildings, parcels: parcels)
    }

    /// The second pass: the exact distance from each footprint to the nearest of the usable
    /// segments of each utility whose bit is clear in `resolved[b]` (NaN where a utility has no
    /// segment at all). `segments[u]` holds (ax, ay, bx, by) quadruples
    /// (`AuditTiling.usableSegments`).
    public static func secondPass(_ footprints: PolygonColumns, resolved: [UInt8], segments: [[Double]],
                                  threads: Int = availableCores) throws -> [[Double]] {
        let n = footprints.count
        let (boxes, _) = AuditTiling.envelopesAndCentroids(footprints)
        // Trees only for the utilities some building still needs.
        let needed = (0..<segments.count).map { u in resolved.contains { $0 & (1 << u) == 0 } }
        var trees = [SegmentIndex](repeating: SegmentIndex(segments: []), count: segments.count)
        try trees.withUnsafeMutableBufferPointer { treesBuffer in
            let out = Shared(treesBuffer)
            try parallelChunks(segments.count, threads: threads) { u, _ in
                if needed[u] { out.value[u] = SegmentIndex(segments: segments[u]) }
            }
        }
        let storages = trees.map { $0.makeView() }
        var result = [[Double]](repeating: [Double](repeating: .nan, count: n), count: segments.count)
        let chunk = 256
        try ConnectionAudit.withPolygons(footprints) { ref in
            for u in 0..<segments.count where !storages[u].1.isEmpty {
                try result[u].withUnsafeMutableBufferPointer { outBuffer in
                    let out = Shared(outBuffer)
                    let view = storages[u].1
                    let ctx = Shared((boxes, resolved))
                    try parallelChunks((n + chunk - 1) / chunk, threads: threads) { ch, _ in
                        let (boxes, resolved) = ctx.value
                        let stack = UnsafeMutablePointer<Int32>.allocate(capacity: 1024)
                        defer { stack.deallocate() }
                        for b in (ch * chunk)..<min(n, (ch + 1) * chunk) where resolved[b] & (1 << u) == 0 {
                            let e = boxes[b]
                            let r = view.nearest(ref(b), box: (e.minX, e.minY, e.maxX, e.maxY), bound2: .infinity, seed: -1, stack: stack)
                            out.value[b] = r.distance2.squareRoot()
                        }
                    }
                }
            }
        }
        withExtendedLifetime(storages) {}
        return result
    }
}
