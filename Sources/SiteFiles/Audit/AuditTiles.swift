import SiteGeometry
import SiteProjection
import SiteDrivers
import DriverCSV
import SiteAudit
import SiteVocabulary
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The audit in tiles, files to files, in three steps that may run on different machines:
///
///     // 1. one process: read, project and cut into tiles with a halo
///     let cut = try AuditTiles.cut(parcels: p, buildings: b, network: n, tilesDirectory: "work/tiles",
///                                  maxBuildings: 250_000, haloMetres: 5_000)
///     // 2. one task per tile, anywhere that sees the folders (a retry writes the same part)
///     for tile in cut.tileFiles { try AuditTiles.runTile("work/tiles/" + tile, partsDirectory: "work/parts") }
///     // 3. one process: the second pass, and buildings.csv and parcels.csv as `AuditFiles.run` writes them
///     try AuditTiles.merge(tilesDirectory: "work/tiles", partsDirectory: "work/parts", outputDirectory: "report")
///
/// `tilesDirectory` holds `tiles.txt` (the tile files, one per line), `manifest.bin`,
/// `segments.bin` (the usable lines for the second pass) and `tile-NNNNN.bin`;
/// `partsDirectory` holds `part-NNNNN/` with `rows.csv` (the tile's final rows of
/// `buildings.csv`, sorted by id) and `part.bin` (rows left for the second pass, the owned
/// parcels' sums). Each is one `FileSet`: all new or all old.
public enum AuditTiles {
    static let tileMagic = "siteplan-audit-tile 1"
    static let manifestMagic = "siteplan-audit-manifest 1"
    static let segmentsMagic = "siteplan-audit-segments 1"
    static let partMagic = "siteplan-audit-part 1"

    public static func tileName(_ t: Int) -> String { "tile-" + String(t).leftPadded(to: 5) + ".bin" }
    public static func partName(_ t: Int) -> String { "part-" + String(t).leftPadded(to: 5) }

    /// What `cut` did.
    public struct CutSummary: Sendable {
        public var tileFiles: [String]
        public var buildingsPerTile: [Int]
        /// Buildings, parcels and lines in each tile including its halo.
        public var featuresPerTile: [Int]
        public var timings: StepTimings
        public var crs: CRS
    }

    /// Reads and projects the inputs (with every check of `AuditFiles.run`), cuts them into
    /// tiles of at most `maxBuildings` buildings (or, with `tiles`, of the buildings shared out
    /// into that many) with a halo of `haloMetres`, and writes them.
    @discardableResult
    public static func cut(parcels: String, buildings: String, network: String, tilesDirectory: String,
                           options: AuditFiles.Options = AuditFiles.Options(), maxBuildings: Int = 1_000_000, tiles tileCount: Int? = nil,
                           haloMetres: Double = AuditTiling.defaultHaloMetres, threads: Int = availableCores,
                           progress: AuditProgress? = nil) throws -> CutSummary {
        try cut(.files(parcels: parcels, buildings: buildings, network: network), tilesDirectory: tilesDirectory, options: options,
                maxBuildings: maxBuildings, tiles: tileCount, haloMetres: haloMetres, threads: threads, progress: progress)
    }

    /// `cut` on `source`: files, or the latest revision of a plan of record.
    @discardableResult
    public static func cut(_ source: AuditFiles.Source, tilesDirectory: String,
                           options: AuditFiles.Options = AuditFiles.Options(), maxBuildings: Int = 1_000_000, tiles tileCount: Int? = nil,
                           haloMetres: Double = AuditTiling.defaultHaloMetres, threads: Int = availableCores,
                           progress: AuditProgress? = nil) throws -> CutSummary {
        var timings = StepTimings()
        let threads = max(1, threads)
        let (input, _, crs, labels) = try AuditFiles.load(source, options: options, threads: threads, progress: progress, timings: &timings)
        let (parcels, buildings, network) = (labels.parcels, labels.buildings, labels.network)
        // The single run refuses a parcel with no area after its sums; here before any tile runs.
        if let p = AuditTiling.firstParcelWithoutArea(input) {
            throw InputError(source: parcels, feature: FeatureRef(index: p, id: input.parcelIDs.string(p)),
                             "the parcel has no area (its ring collapses to a line or a point)")
        }
        let nb = input.buildings.count
        let perTile = tileCount.map { max(1, (nb + max(1, $0) - 1) / max(1, $0)) } ?? maxBuildings
        let tiles = AuditTiling.tiles(input, maxBuildings: perTile, haloMetres: haloMetres)
        let usable = AuditTiling.usableUtilities(input)
        timings.lap("tile")

        try FileSet.makeFolders(tilesDirectory, for: tilesDirectory)
        let files = FileSet(flushes: false)   // work files: atomic, not durable
        var names: [String] = [], features: [Int] = []
        // Encoded `threads` tiles at a time, side by side; written one by one.
        var first = 0
        while first < tiles.count {
            let batch = Array(first..<min(tiles.count, first + threads))
            var encoded = [[UInt8]](repeating: [], count: batch.count)
            try encoded.withUnsafeMutableBufferPointer { out in
                let shared = Shared(out)
                try parallelChunks(batch.count, threads: threads) { k, _ in
                    shared.value[k] = encodeTile(batch[k], whole: input, tile: tiles[batch[k]], usableUtilities: usable,
                                                 count: tiles.count, files: (parcels, buildings, network), thresholdMetres: options.thresholdMetres)
                }
            }
            for (k, t) in batch.enumerated() {
                names.append(tileName(t))
                features.append(tiles[t].regionBuildings.count + tiles[t].contextBuildings.count + tiles[t].parcels.count + tiles[t].lines.count)
                try files.add(tilesDirectory + "/" + tileName(t), bytes: encoded[k])
                encoded[k] = []
            }
            first += batch.count
        }
        var s = TileEncoder(magic: segmentsMagic)
        for quads in AuditTiling.usableSegments(input) { s.array(quads) }
        try files.add(tilesDirectory + "/segments.bin", bytes: s.bytes)
        var m = TileEncoder(magic: manifestMagic)
        m.string(parcels); m.string(buildings); m.string(network); m.string(crs.description)
        m.int(tiles.count); m.int(input.buildings.count); m.int(input.parcels.count); m.int(input.network.count)
        m.double(options.thresholdMetres); m.double(haloMetres)
        try files.add(tilesDirectory + "/manifest.bin", bytes: m.bytes)
        try files.add(tilesDirectory + "/tiles.txt", text: names.map { $0 + "\n" }.joined())
        try files.commit()
        timings.lap("write")
        return CutSummary(tileFiles: names, buildingsPerTile: tiles.map { $0.regionBuildings.count },
                          featuresPerTile: features, timings: timings, crs: crs)
    }

    /// The bytes of tile file `t` of `count`: the tile's features written straight from the
    /// whole input's columns (`readTile` reads them back as `AuditTileInput(whole:tile:…)`).
    static func encodeTile(_ t: Int, whole: AuditInput, tile: AuditTile, usableUtilities: [Bool], count: Int,
                           files: (String, String, String), thresholdMetres: Double) -> [UInt8] {
        // The region's and the context's buildings, both ascending and disjoint, merged.
        var members: [Int32] = [], isRegion: [UInt8] = []
        members.reserveCapacity(tile.regionBuildings.count + tile.contextBuildings.count)
        isRegion.reserveCapacity(members.capacity)
        var r = 0, c = 0
        while r < tile.regionBuildings.count || c < tile.contextBuildings.count {
            if c == tile.contextBuildings.count || (r < tile.regionBuildings.count && tile.regionBuildings[r] < tile.contextBuildings[c]) {
                members.append(tile.regionBuildings[r]); isRegion.append(1); r += 1
            } else {
                members.append(tile.contextBuildings[c]); isRegion.append(0); c += 1
            }
        }
        var owned = [UInt8](repeating: 0, count: tile.parcels.count)
        var o = 0
        for (k, p) in tile.parcels.enumerated() where o < tile.ownedParcels.count && tile.ownedParcels[o] == p { owned[k] = 1; o += 1 }

        var e = TileEncoder(magic: tileMagic)
        let vertices = whole.buildings.xy.count / max(1, whole.buildings.count) * members.count
            + whole.network.xy.count / max(1, whole.network.count) * tile.lines.count
        e.bytes.reserveCapacity(8 * vertices + 40 * (members.count + tile.lines.count) + (1 << 16))
        e.string(files.0); e.string(files.1); e.string(files.2)
        e.int(t); e.int(count); e.int(whole.network.count)
        e.double(thresholdMetres)
        for v in [tile.cover.minX, tile.cover.minY, tile.cover.maxX, tile.cover.maxY] { e.double(v) }
        e.array(usableUtilities.map { UInt8($0 ? 1 : 0) })
        e.strings(whole.parcelIDs, at: tile.parcels); e.array(tile.parcels); e.array(owned)
        e.polygons(whole.parcels, at: tile.parcels); e.polygons(whole.parcelsLonLat, at: tile.parcels)
        e.strings(whole.buildingIDs, at: members); e.array(members); e.array(isRegion)
        e.polygons(whole.buildings, at: members)
        e.strings(whole.networkIDs, at: tile.lines); e.array(tile.lines)
        e.array(tile.lines.map { whole.utility[Int($0)] }); e.array(tile.lines.map { whole.status[Int($0)] })
        e.lines(whole.network, at: tile.lines)
        return e.bytes
    }

    /// What `runTile` did.
    public struct TileRunSummary: Sendable {
        public var tile: Int
        public var buildings: Int
        /// Buildings left for the second pass.
        public var secondPass: Int
        public var timings: StepTimings
    }

    /// Runs one tile and writes its part into `partsDirectory/part-NNNNN/` (one file set, so a
    /// task killed half-way leaves no part and its retry writes the same bytes).
    @discardableResult
    public static func runTile(_ tilePath: String, partsDirectory: String, threads: Int = availableCores,
                               progress: AuditProgress? = nil) throws -> TileRunSummary {
        var timings = StepTimings()
        // Decoded in a scope of its own, so the file's bytes are freed before the audit runs.
        let (t, parcelsPath, threshold, tileInput) = try readTile(tilePath)
        let (buildingIDs, parcelIDs, buildings) = (tileInput.input.buildingIDs, tileInput.input.parcelIDs, tileInput.input.buildings)
        let (isRegion, parcelIndex) = (tileInput.isRegion, tileInput.parcelIndex)
        timings.lap("read")
        let result: TileResult
        do {
            result = try TiledAudit.run(tileInput, thresholdMetres: threshold, threads: max(1, threads), progress: progress)
        } catch let error as InputError {
            throw error.inSource(parcelsPath)
        }
        timings.lap("audit")

        // Final rows, sorted by id; the rest for the second pass.
        // result.buildings[k] is the tile's k-th region building (TiledAudit.run keeps their order).
        let regionLocal = isRegion.indices.filter { isRegion[$0] }.map { Int32($0) }
        precondition(regionLocal.count == result.buildings.count)
        let parcelLocal = Dictionary(uniqueKeysWithValues: parcelIndex.enumerated().map { ($0.element, $0.offset) })
        let finalAt = result.buildings.indices.filter { result.buildings[$0].isFinal }
        let openAt = result.buildings.indices.filter { !result.buildings[$0].isFinal }
        let finals = finalAt.map { result.buildings[$0] }
        let finalIDs = buildingIDs.subset(finalAt.map { regionLocal[$0] })
        var rows: [UInt8] = []
        rows.reserveCapacity(finals.count * 90)
        var connectedCount: [Int32: Int] = [:]
        for k in finalIDs.sortedOrder() {
            let b = finals[Int(k)]
            let connected = b.distanceMetres.allSatisfy { $0 <= threshold }
            if connected && b.parcel >= 0 { connectedCount[b.parcel, default: 0] += 1 }
            AuditCSVWriter.appendBuildingRow(id: finalIDs, Int(k), parcelIDs: parcelIDs, parcel: b.parcel >= 0 ? parcelLocal[b.parcel]! : -1,
                                             distanceMetres: b.distanceMetres, connected: connected, to: &rows)
        }
        let open = openAt.map { result.buildings[$0] }, openLocal = openAt.map { regionLocal[$0] }
        var e = TileEncoder(magic: partMagic)
        e.int(t); e.int(finals.count)
        e.strings(buildingIDs, at: openLocal); e.array(open.map(\.index))
        e.array(open.map(\.parcel)); e.array(open.map(\.resolved)); e.array(open.flatMap(\.distanceMetres))
        e.polygons(buildings, at: openLocal)
        let ps = result.parcels
        e.strings(parcelIDs.subset(ps.map { Int32(parcelLocal[$0.index]!) })); e.array(ps.map(\.index))
        e.array(ps.map(\.areaM2)); e.array(ps.map(\.geodesicAreaM2)); e.array(ps.map { Int64($0.buildings) })
        e.array(ps.map(\.footprintM2)); e.array(ps.map(\.networkMetres)); e.array(ps.map(\.builtMetres))
        let counted = connectedCount.keys.sorted()
        e.array(counted); e.array(counted.map { Int64(connectedCount[$0]!) })

        let folder = partsDirectory + "/" + partName(t)
        try FileSet.makeFolders(folder, for: folder)
        let files = FileSet(flushes: false)   // work files: atomic, not durable
        try files.add(folder + "/rows.csv", bytes: rows)
        try files.add(folder + "/part.bin", bytes: e.bytes)
        try files.commit()
        timings.lap("write")
        return TileRunSummary(tile: t, buildings: result.buildings.count, secondPass: open.count, timings: timings)
    }

    /// Tile file `path`: its number, the parcels file (for messages), the threshold and the tile.
    static func readTile(_ path: String) throws -> (Int, String, Double, AuditTileInput) {
        var d = try TileDecoder(try FileIO.readBytes(path), path: path, magic: tileMagic)
        let parcelsPath = try d.string(); _ = try d.string(); _ = try d.string()
        let t = try d.int(); _ = try d.int(); let totalLines = try d.int()
        let threshold = try d.double()
        let cover = PlanarBox(minX: try d.double(), minY: try d.double(), maxX: try d.double(), maxY: try d.double())
        let usable = try d.array(UInt8.self).map { $0 != 0 }
        let parcelIDs = try d.strings(), parcelIndex: [Int32] = try d.array(), owned = try d.array(UInt8.self).map { $0 != 0 }
        let parcels = try d.polygons(), parcelsLonLat = try d.polygons()
        let buildingIDs = try d.strings(), buildingIndex: [Int32] = try d.array(), region = try d.array(UInt8.self).map { $0 != 0 }
        let buildings = try d.polygons()
        let networkIDs = try d.strings(), lineIndex: [Int32] = try d.array()
        let utility: [UInt8] = try d.array(), status: [UInt8] = try d.array()
        let lines = try d.lines()
        let input = AuditInput(parcelIDs: parcelIDs, parcels: parcels, parcelsLonLat: parcelsLonLat,
                               buildingIDs: buildingIDs, buildings: buildings,
                               networkIDs: networkIDs, network: lines, utility: utility, status: status)
        let tileInput = AuditTileInput(input: input, buildingIndex: buildingIndex, isRegion: region, parcelIndex: parcelIndex,
                                       isOwned: owned, lineIndex: lineIndex, totalLines: totalLines, usableUtilities: usable, cover: cover)
        return (t, parcelsPath, threshold, tileInput)
    }

    /// What `merge` did.
    public struct MergeSummary: Sendable {
        public var tiles: Int
        public var buildings: Int
        public var secondPass: Int
        public var timings: StepTimings
    }

    /// Finishes the second pass and writes `buildings.csv` and `parcels.csv` into
    /// `outputDirectory`, byte for byte as `AuditFiles.run` on the same inputs. Refuses parts
    /// that are missing, from another cut, or that lose or repeat a building or parcel.
    @discardableResult
    public static func merge(tilesDirectory: String, partsDirectory: String, outputDirectory: String,
                             threads: Int = availableCores) throws -> MergeSummary {
        var timings = StepTimings()
        let manifestPath = tilesDirectory + "/manifest.bin"
        var m = try TileDecoder(try FileIO.readBytes(manifestPath), path: manifestPath, magic: manifestMagic)
        _ = try m.string(); _ = try m.string(); _ = try m.string(); _ = try m.string()
        let tileCount = try m.int(), nb = try m.int(), np = try m.int(); _ = try m.int()
        let threshold = try m.double(); _ = try m.double()

        // ---- the parts
        var openIDs = ByteStrings(), openParcel: [Int32] = [], openResolved: [UInt8] = [], openDistance: [Double] = []
        var openFootprints = PolygonColumns()
        var parcelSeen = [Bool](repeating: false, count: np)
        var parcelIDBytes = [[UInt8]](repeating: [], count: np)
        var area = [Double](repeating: 0, count: np), geodesic = area, footprint = area, network = area, built = area
        var count = [Int](repeating: 0, count: np), connected = [Int](repeating: 0, count: np)
        var finalRows = 0
        for t in 0..<tileCount {
            let path = partsDirectory + "/" + partName(t) + "/part.bin"
            guard FileIO.exists(path) else {
                throw InputError(source: path, "missing: tile \(t) has no results; run siteplan audit run-tile \(tilesDirectory)/\(tileName(t)) --parts \(partsDirectory)")
            }
            var d = try TileDecoder(try FileIO.readBytes(path), path: path, magic: partMagic)
            guard try d.int() == t else { throw InputError(source: path, "holds another tile's results") }
            finalRows += try d.int()
            let ids = try d.strings(); _ = try d.array(Int32.self)
            let parcel: [Int32] = try d.array(), resolved: [UInt8] = try d.array(), distance: [Double] = try d.array()
            let polygons = try d.polygons()
            for i in 0..<ids.count { openIDs.append(ids.bytes[ids.offsets[i]..<ids.offsets[i + 1]]) }
            openParcel += parcel
            openResolved += resolved; openDistance += distance
            let base = Int32(openFootprints.ringStart.count - 1), vbase = Int32(openFootprints.xy.count / 2)
            openFootprints.xy += polygons.xy
            openFootprints.ringStart += polygons.ringStart.dropFirst().map { $0 + vbase }
            openFootprints.polygonRingStart += polygons.polygonRingStart.dropFirst().map { $0 + base }
            let pIDs = try d.strings(), pIndex: [Int32] = try d.array()
            let a: [Double] = try d.array(), g: [Double] = try d.array(), c: [Int64] = try d.array()
            let f: [Double] = try d.array(), n: [Double] = try d.array(), bu: [Double] = try d.array()
            for (k, p) in pIndex.enumerated() {
                let p = Int(p)
                guard p >= 0, p < np, !parcelSeen[p] else {
                    throw InputError(source: path, "parcel \(pIDs.string(k)) is owned by two tiles: the parts come from different cuts; run the tiles again")
                }
                parcelSeen[p] = true
                parcelIDBytes[p] = Array(pIDs.bytes[pIDs.offsets[k]..<pIDs.offsets[k + 1]])
                area[p] = a[k]; geodesic[p] = g[k]; count[p] = Int(c[k]); footprint[p] = f[k]; network[p] = n[k]; built[p] = bu[k]
            }
            let counted: [Int32] = try d.array(), counts: [Int64] = try d.array()
            for (p, c) in zip(counted, counts) where Int(p) < np { connected[Int(p)] += Int(c) }
        }
        if let p = parcelSeen.firstIndex(of: false) {
            throw InputError(source: partsDirectory, "parcel \(p) is in no tile's results: the parts come from different cuts; run the tiles again")
        }
        timings.lap("read")

        // ---- the second pass
        // The usable lines of the whole input, read only when some building needs them.
        var segments = [[Double]](repeating: [], count: Utility.allCases.count)
        if openIDs.count > 0 {
            let segmentsPath = tilesDirectory + "/segments.bin"
            var s = try TileDecoder(try FileIO.readBytes(segmentsPath), path: segmentsPath, magic: segmentsMagic)
            for u in segments.indices { segments[u] = try s.array() }
        }
        let found = try TiledAudit.secondPass(openFootprints, resolved: openResolved, segments: segments, threads: max(1, threads))
        segments = []
        let utilities = Utility.allCases.count
        var openRows: [(key: [UInt8], row: [UInt8])] = []
        var parcelIDs = ByteStrings()
        for p in 0..<np { parcelIDs.append(parcelIDBytes[p]) }
        for b in 0..<openIDs.count {
            var distance = [Double](repeating: .nan, count: utilities)
            for u in 0..<utilities {
                distance[u] = openResolved[b] & (1 << u) != 0 ? openDistance[b * utilities + u] : found[u][b]
            }
            let isConnected = distance.allSatisfy { $0 <= threshold }
            let parcel = Int(openParcel[b])
            guard parcel < np else { throw InputError(source: partsDirectory, "a building's parcel \(parcel) is not in the input: the parts come from different cuts") }
            if isConnected && parcel >= 0 { connected[parcel] += 1 }
            var row: [UInt8] = []
            AuditCSVWriter.appendBuildingRow(id: openIDs, b, parcelIDs: parcelIDs, parcel: parcel, distanceMetres: distance,
                                             connected: isConnected, to: &row)
            openRows.append((Array(openIDs.bytes[openIDs.offsets[b]..<openIDs.offsets[b + 1]]), row))
        }
        openRows.sort { $0.key.lexicographicallyPrecedes($1.key) }
        timings.lap("second pass")

        // ---- buildings.csv: the tiles' sorted rows and the second pass's, merged by id
        try FileSet.makeFolders(outputDirectory, for: outputDirectory)
        let files = FileSet()
        let target = outputDirectory + "/buildings.csv"
        let staged = try files.stage(target)
        var sources = try (0..<tileCount).map { try SortedRows(path: partsDirectory + "/" + partName($0) + "/rows.csv") }
        sources.append(SortedRows(bytes: openRows.flatMap(\.row)))
        let written = try SortedRows.writeMerged(to: staged, target: target, sources: sources)
        sources = []
        guard written == nb, finalRows + openRows.count == nb else {
            throw InputError(source: partsDirectory, "the parts hold \(written) buildings, the input \(nb): the parts come from different cuts; run the tiles again")
        }

        // ---- parcels.csv
        var coverage = [Double](repeating: 0, count: np), share = coverage, works = coverage
        for p in 0..<np {
            (coverage[p], share[p], works[p]) = ParcelResults.ratios(areaM2: area[p], buildings: count[p], footprintM2: footprint[p],
                                                                     connected: connected[p], networkMetres: network[p], builtMetres: built[p])
        }
        let parcels = ParcelResults(areaM2: area, geodesicAreaM2: geodesic, buildings: count, footprintM2: footprint, coverage: coverage,
                                    connectedShare: share, networkMetres: network, builtMetres: built, worksComplete: works)
        try files.add(outputDirectory + "/parcels.csv", bytes: AuditCSVWriter.parcelsCSV(parcels, parcelIDs: parcelIDs))
        try files.commit()
        timings.lap("write")
        return MergeSummary(tiles: tileCount, buildings: nb, secondPass: openRows.count, timings: timings)
    }
}

extension String {
    func leftPadded(to width: Int) -> String { count >= width ? self : String(repeating: "0", count: width - count) + self }
}
