import SiteVocabulary
import SiteGeometry
import SiteProjection

/// Per-building results, in input order.
public struct BuildingResults: Sendable {
    /// The parcel holding the footprint's centroid (smallest id when several), -1 for none.
    public var parcel: [Int32]
    /// Planar footprint area, m².
    public var areaM2: [Double]
    /// `distanceMetres[u.rawValue][b]`: distance from footprint b to the nearest usable
    /// segment of utility u, metres; NaN when that utility has no usable segment at all.
    public var distanceMetres: [[Double]]
    /// Within the audit's threshold (30 m by default) of a built segment of every utility.
    public var connected: [Bool]

    public init(parcel: [Int32], areaM2: [Double], distanceMetres: [[Double]], connected: [Bool]) {
        self.parcel = parcel; self.areaM2 = areaM2; self.distanceMetres = distanceMetres; self.connected = connected
    }
}

/// Per-parcel results, in input order.
public struct ParcelResults: Sendable {
    public var areaM2: [Double]
    public var geodesicAreaM2: [Double]
    public var buildings: [Int]
    public var footprintM2: [Double]
    public var coverage: [Double]
    public var connectedShare: [Double]
    /// Length of all network segments inside the parcel (closed set), metres.
    public var networkMetres: [Double]
    /// The same for `laid` and `commissioned` segments only.
    public var builtMetres: [Double]
    public var worksComplete: [Double]

    public init(areaM2: [Double], geodesicAreaM2: [Double], buildings: [Int], footprintM2: [Double], coverage: [Double],
                connectedShare: [Double], networkMetres: [Double], builtMetres: [Double], worksComplete: [Double]) {
        self.areaM2 = areaM2; self.geodesicAreaM2 = geodesicAreaM2; self.buildings = buildings; self.footprintM2 = footprintM2
        self.coverage = coverage; self.connectedShare = connectedShare; self.networkMetres = networkMetres
        self.builtMetres = builtMetres; self.worksComplete = worksComplete
    }

    /// Coverage, connected share and works complete from the sums, as the audit computes them.
    public static func ratios(areaM2: Double, buildings: Int, footprintM2: Double, connected: Int,
                              networkMetres: Double, builtMetres: Double) -> (coverage: Double, connectedShare: Double, worksComplete: Double) {
        (footprintM2 / areaM2, buildings > 0 ? Double(connected) / Double(buildings) : 0, networkMetres > 0 ? builtMetres / networkMetres : 0)
    }
}

public struct AuditResult: Sendable {
    public var buildings: BuildingResults
    public var parcels: ParcelResults
    public var timings: StepTimings
}

/// The connection audit of WORKLOAD.md on projected columns (EPSG:32638 by default): each building's
/// parcel and distances to the nearest usable segment of each utility, and each parcel's
/// areas, coverage, connected share and clipped network length.
///
///     let result = try ConnectionAudit.run(input, threads: 2)
///     result.buildings.distanceMetres[Int(Utility.water.code)][0]
public enum ConnectionAudit {
    /// A building is connected to a utility within this distance by default, metres (WORKLOAD.md).
    public static let defaultThresholdMetres = 30.0
    static let chunk = 2048

    /// - Parameter thresholdMetres: a building within this distance of a built segment of
    ///   every utility is connected (`connected_all`).
    public static func run(_ input: AuditInput, thresholdMetres: Double = defaultThresholdMetres, threads: Int = availableCores,
                           progress: AuditProgress? = nil) throws -> AuditResult {
        try run(input, thresholdMetres: thresholdMetres, threads: threads, progress: progress, scope: nil)
    }

    /// The audit, or with `scope` the part of it one tile computes (`TiledAudit`).
    static func run(_ input: AuditInput, thresholdMetres: Double, threads: Int, progress: AuditProgress?,
                    scope: TileScope?) throws -> AuditResult {
        var timings = StepTimings()
        let nb = input.buildings.count, np = input.parcels.count

        // ---- index: footprint measures, parcel grid, per-utility segment trees
        progress?.begin("index", total: nb)
        var area = [Double](repeating: 0, count: nb)
        var centroid = [Double](repeating: 0, count: 2 * nb)
        var boxes = [Double](repeating: 0, count: 4 * nb)
        try input.buildings.xy.withUnsafeBufferPointer { xy in
            try input.buildings.ringStart.withUnsafeBufferPointer { rs in
                try input.buildings.polygonRingStart.withUnsafeBufferPointer { prs in
                  try area.withUnsafeMutableBufferPointer { areaBuffer in
                  try centroid.withUnsafeMutableBufferPointer { centroidBuffer in
                  try boxes.withUnsafeMutableBufferPointer { boxesBuffer in
                    // Workers write disjoint ranges of these buffers, valid for this scope.
                    let a = Shared(areaBuffer), c = Shared(centroidBuffer), bx = Shared(boxesBuffer)
                    let src = Shared((xy, rs, prs))
                    try parallelChunks((nb + chunk - 1) / chunk, threads: threads) { ch, _ in
                        let (xy, rs, prs) = src.value
                        for b in (ch * chunk)..<min(nb, (ch + 1) * chunk) {
                            let p = PolygonRef(xy: xy.baseAddress!, ringStart: rs.baseAddress!, firstRing: Int(prs[b]), endRing: Int(prs[b + 1]))
                            a.value[b] = polygonArea(p)
                            let ctr = polygonCentroid(p)
                            c.value[2 * b] = ctr.x; c.value[2 * b + 1] = ctr.y
                            var e = (Double.infinity, Double.infinity, -Double.infinity, -Double.infinity)
                            for v in p.ring(p.firstRing) {
                                e.0 = min(e.0, p.x(v)); e.1 = min(e.1, p.y(v)); e.2 = max(e.2, p.x(v)); e.3 = max(e.3, p.y(v))
                            }
                            bx.value[4 * b] = e.0; bx.value[4 * b + 1] = e.1; bx.value[4 * b + 2] = e.2; bx.value[4 * b + 3] = e.3
                        }
                        progress?.advance(min(nb, (ch + 1) * chunk) - ch * chunk)
                    }
                  }
                  }
                  }
                }
            }
        }
        let grid = ParcelGrid(input.parcels)
        var trees = [SegmentIndex](repeating: SegmentIndex(segments: []), count: Utility.allCases.count)
        try trees.withUnsafeMutableBufferPointer { treesBuffer in
            let treesOut = Shared(treesBuffer)
            let net = Shared(input)
            try parallelChunks(Utility.allCases.count, threads: threads) { u, _ in
                treesOut.value[u] = usableSegmentIndex(net.value, utility: UInt8(u))
            }
        }
        timings.lap("index")

        // ---- assign: the parcel holding each centroid, smallest id first
        progress?.begin("assign", total: nb)
        let parcelOrder = input.parcelIDs.sortedOrder()
        var rank = [Int32](repeating: 0, count: np)
        for (r, p) in parcelOrder.enumerated() { rank[Int(p)] = Int32(r) }
        var parcelOf = [Int32](repeating: -1, count: nb)
        try withPolygons(input.parcels) { parcelRef in
          try parcelOf.withUnsafeMutableBufferPointer { parcelBuffer in
            let out = Shared(parcelBuffer)
            let ctx = Shared((grid, rank, centroid))
            try parallelChunks((nb + chunk - 1) / chunk, threads: threads) { ch, _ in
                let (grid, rank, centroid) = ctx.value
                for b in (ch * chunk)..<min(nb, (ch + 1) * chunk) {
                    let x = centroid[2 * b], y = centroid[2 * b + 1]
                    var best: Int32 = -1, bestRank = Int32.max
                    grid.forEachCandidate(x: x, y: y) { p in
                        if rank[p] < bestRank && locate(parcelRef(p), x, y) == .interior { best = Int32(p); bestRank = rank[p] }
                    }
                    out.value[b] = best
                }
                progress?.advance(min(nb, (ch + 1) * chunk) - ch * chunk)
            }
          }
        }
        timings.lap("assign")

        // ---- nearest: per utility, the exact distance to the nearest usable segment
        progress?.begin("nearest", total: nb)
        // distances[u * nb + b], NaN when utility u has no usable segment
        var distances = [Double](repeating: .nan, count: Utility.allCases.count * nb)
        try withPolygons(input.buildings) { buildingRef in
          try distances.withUnsafeMutableBufferPointer { distanceBuffer in
          try boxes.withUnsafeBufferPointer { boxesBuffer in
            let storages = trees.map { $0.makeView() }
            let views = UnsafeMutablePointer<SegmentIndex.View>.allocate(capacity: storages.count)
            for (u, sv) in storages.enumerated() { (views + u).initialize(to: sv.1) }
            defer { views.deallocate() }
            let treeCount = storages.count
            let near = NearSegmentGrid(trees, radius: thresholdMetres)
            let ctx = Shared((views, boxesBuffer.baseAddress!, distanceBuffer))
            try parallelChunks((nb + chunk - 1) / chunk, threads: threads) { ch, _ in
                let (trees, boxes, outs) = ctx.value
                let stack = UnsafeMutablePointer<Int32>.allocate(capacity: 1024)
                let scratchBound = UnsafeMutablePointer<Double>.allocate(capacity: NearSegmentGrid.scratchCapacity)
                let scratchEntry = UnsafeMutablePointer<UInt32>.allocate(capacity: NearSegmentGrid.scratchCapacity)
                defer { stack.deallocate(); scratchBound.deallocate(); scratchEntry.deallocate() }
                var seedStore = (-1, -1, -1, -1, -1, -1, -1, -1)
                withUnsafeMutableBytes(of: &seedStore) { seedRaw in
                let seeds = seedRaw.baseAddress!.assumingMemoryBound(to: Int.self)
                var nearStore = (0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0), nearSegStore = (0, 0, 0, 0, 0, 0, 0, 0)
                let r2 = near.radius * near.radius
                withUnsafeMutableBytes(of: &nearStore) { nearRaw in
                withUnsafeMutableBytes(of: &nearSegStore) { nearSegRaw in
                let near2 = nearRaw.baseAddress!.assumingMemoryBound(to: Double.self)
                let nearSeg = nearSegRaw.baseAddress!.assumingMemoryBound(to: Int.self)
                for b in (ch * chunk)..<min(nb, (ch + 1) * chunk) {
                    if let only = scope?.nearest, !only[b] { continue }
                    let poly = buildingRef(b)
                    let box = (boxes[4 * b], boxes[4 * b + 1], boxes[4 * b + 2], boxes[4 * b + 3])
                    for u in 0..<treeCount { near2[u] = .infinity; nearSeg[u] = -1 }
                    near.scan(poly, box: box, views: trees, best2: near2, bestSegment: nearSeg,
                          scratchBound: scratchBound, scratchEntry: scratchEntry)
                    for u in 0..<treeCount where !trees[u].isEmpty {
                        if near2[u] <= r2 {
                            seeds[u] = nearSeg[u]
                            outs[u * nb + b] = near2[u].squareRoot()
                            continue
                        }
                        var bound2 = near2[u], seed = nearSeg[u]
                        if seeds[u] >= 0 {
                            let s = trees[u].segment(seeds[u])
                            let d2 = polygonSegmentDistance2(poly, box, s.0, s.1, s.2, s.3)
                            if d2 < bound2 { bound2 = d2; seed = seeds[u] }
                        }
                        let r = trees[u].nearest(poly, box: box, bound2: bound2, seed: seed, stack: stack)
                        seeds[u] = r.segment
                        outs[u * nb + b] = r.distance2.squareRoot()
                    }
                }
                }
                }
                }
                withExtendedLifetime(storages) {}
                withExtendedLifetime(near) {}
                progress?.advance(min(nb, (ch + 1) * chunk) - ch * chunk)
            }
          }
          }
        }
        let distance = Utility.allCases.indices.map { u in Array(distances[(u * nb)..<((u + 1) * nb)]) }
        distances = []
        var connected = [Bool](repeating: false, count: nb)
        for b in 0..<nb {
            var all = true
            for u in distance.indices where !(distance[u][b] <= thresholdMetres) { all = false; break }
            connected[b] = all
        }
        timings.lap("nearest")

        // ---- clip: network length inside each parcel
        let (networkM, builtM) = try clip(input, grid: grid, threads: threads, progress: progress, scope: scope)
        timings.lap("clip")

        // ---- aggregate
        progress?.begin("aggregate", total: np)
        var parcelArea = [Double](repeating: 0, count: np), geodesic = [Double](repeating: 0, count: np)
        withPolygons(input.parcels) { ref in for p in 0..<np { parcelArea[p] = polygonArea(ref(p)) } }
        for p in 0..<np where scope?.clip?[p] ?? true { geodesic[p] = geodesicArea(input.parcelsLonLat, p) }
        var count = [Int](repeating: 0, count: np)
        var footprint = [Double](repeating: 0, count: np), connectedCount = [Int](repeating: 0, count: np)
        for b in 0..<nb where parcelOf[b] >= 0 {
            let p = Int(parcelOf[b])
            count[p] += 1; footprint[p] += area[b]
            if connected[b] { connectedCount[p] += 1 }
        }
        var coverage = [Double](repeating: 0, count: np), share = coverage, works = coverage
        for p in 0..<np {
            (coverage[p], share[p], works[p]) = ParcelResults.ratios(areaM2: parcelArea[p], buildings: count[p], footprintM2: footprint[p],
                                                                     connected: connectedCount[p], networkMetres: networkM[p], builtMetres: builtM[p])
        }
        timings.lap("aggregate")

        return AuditResult(
            buildings: BuildingResults(parcel: parcelOf, areaM2: area, distanceMetres: distance, connected: connected),
            parcels: ParcelResults(areaM2: parcelArea, geodesicAreaM2: geodesic, buildings: count, footprintM2: footprint,
                                   coverage: coverage, connectedShare: share, networkMetres: networkM, builtMetres: builtM,
                                   worksComplete: works),
            timings: timings)
    }

    /// The segment tree over every edge of the usable (laid or commissioned) lines of a utility.
    static func usableSegmentIndex(_ input: AuditInput, utility: UInt8) -> SegmentIndex {
        SegmentIndex(segments: usableSegmentIndexQuads(input, utility: utility))
    }

    /// The usable segments of a utility as (ax, ay, bx, by) quadruples, in line order.
    static func usableSegmentIndexQuads(_ input: AuditInput, utility: UInt8) -> [Double] {
        var quads: [Double] = []
        let net = input.network
        for l in 0..<net.count where input.utility[l] == utility && WorksStatus.isBuilt(code: input.status[l]) {
            let s = Int(net.lineStart[l]), e = Int(net.lineStart[l + 1])
            var v = s + 1
            while v < e {
                quads.append(net.xy[2 * v - 2]); quads.append(net.xy[2 * v - 1])
                quads.append(net.xy[2 * v]); quads.append(net.xy[2 * v + 1])
                v += 1
            }
        }
        return quads
    }

    /// |geodesic area| of parcel p's lon/lat rings, exterior minus holes, m².
    static func geodesicArea(_ lonLat: PolygonColumns, _ p: Int) -> Double {
        var total = 0.0
        for r in Int(lonLat.polygonRingStart[p])..<Int(lonLat.polygonRingStart[p + 1]) {
            let ring = (Int(lonLat.ringStart[r])..<Int(lonLat.ringStart[r + 1])).map { LonLat(lon: lonLat.xy[2 * $0], lat: lonLat.xy[2 * $0 + 1]) }
            let a = Geodesic.wgs84.ringAreaAndPerimeter(ring).areaSquareMetres
            total += r == Int(lonLat.polygonRingStart[p]) ? a : -a
        }
        return total
    }

    /// Calls `body` with a function giving polygon i of `columns` as a `PolygonRef`.
    static func withPolygons<R>(_ columns: PolygonColumns, _ body: (_ polygon: (Int) -> PolygonRef) throws -> R) rethrows -> R {
        try columns.xy.withUnsafeBufferPointer { xy in
            try columns.ringStart.withUnsafeBufferPointer { rs in
                try columns.polygonRingStart.withUnsafeBufferPointer { prs in
                    let x = xy.baseAddress ?? UnsafePointer(bitPattern: 8)!, r = rs.baseAddress!, pr = prs.baseAddress!
                    return try body { i in PolygonRef(xy: x, ringStart: r, firstRing: Int(pr[i]), endRing: Int(pr[i + 1])) }
                }
            }
        }
    }
}
