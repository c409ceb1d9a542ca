import SiteVocabulary
import SiteGeometry

extension ConnectionAudit {
    /// Per parcel, the length of network inside it (parcel as a closed set), all segments and
    /// usable ones. A line that cannot touch the parcel's boundary is wholly inside or wholly
    /// outside, decided by one vertex; only lines that may touch it are clipped, with GEOS.
    /// The sums are made per fixed chunk and added in chunk order: the same bytes whatever
    /// the thread count.
    ///
    /// With a tile's `scope`, only the parcels it owns are clipped, and its lines are summed in
    /// the chunks of the whole input's line order, so each sum has the single run's bytes.
    static func clip(_ input: AuditInput, grid: ParcelGrid, threads: Int, progress: AuditProgress?,
                     scope: TileScope? = nil) throws -> (network: [Double], built: [Double]) {
        let np = input.parcels.count, nl = input.network.count
        progress?.begin("clip", total: nl)
        if np == 0 || nl == 0 { return ([Double](repeating: 0, count: np), [Double](repeating: 0, count: np)) }
        // The parcels as GEOS polygons. A GEOS object stays on the thread whose context made it:
        // each chunk builds the polygons it needs on its own thread, used and destroyed there.
        // They are built once here first, in parcel order, only so a parcel GEOS refuses stops
        // the run with the same (first) parcel whatever the thread count.
        let clipped = scope?.clip ?? [Bool](repeating: true, count: np)
        for p in 0..<np where clipped[p] { _ = try parcelPolygon(input.parcels, p) }
        // Chunk ch holds lines ch·per..<(ch+1)·per of the whole input; in a tile, those of its
        // lines whose position in the whole input falls there.
        let total = scope?.lineIndex.map { $0.total } ?? nl
        let chunks = min(64, total)
        let per = (total + chunks - 1) / chunks
        let ranges: [Range<Int>]
        if let global = scope?.lineIndex?.global {
            var l = 0
            var r: [Range<Int>] = []
            for ch in 0..<chunks {
                let lo = l
                while l < nl && Int(global[l]) < (ch + 1) * per { l += 1 }
                r.append(lo..<l)
            }
            ranges = r
        } else {
            ranges = (0..<chunks).map { ch in min(nl, ch * per)..<min(nl, (ch + 1) * per) }
        }
        var partial = [Double](repeating: 0, count: chunks * 2 * np)
        try withPolygons(input.parcels) { parcelRef in
            try input.network.xy.withUnsafeBufferPointer { lxy in
              try partial.withUnsafeMutableBufferPointer { partialBuffer in
                let out = Shared(partialBuffer)
                let ctx = Shared((input, grid, lxy, clipped))
                try parallelChunks(chunks, threads: threads) { ch, _ in
                    let (input, grid, lxy, clipped) = ctx.value
                    let net = input.network
                    var seen = [Int32](repeating: -1, count: np)
                    // This chunk's parcel polygons, made on this thread when first needed.
                    var parcelGeometries = [Geometry?](repeating: nil, count: np)
                    let base = ch * 2 * np
                    let lo = ranges[ch].lowerBound, hi = ranges[ch].upperBound
                    if lo >= hi { return }
                    for l in lo..<hi {
                        let s = Int(net.lineStart[l]), e = Int(net.lineStart[l + 1])
                        if e - s < 2 { continue }
                        var box = (Double.infinity, Double.infinity, -Double.infinity, -Double.infinity)
                        var length = 0.0
                        for v in s..<e {
                            let x = lxy[2 * v], y = lxy[2 * v + 1]
                            box.0 = min(box.0, x); box.1 = min(box.1, y); box.2 = max(box.2, x); box.3 = max(box.3, y)
                            if v > s {
                                let dx = x - lxy[2 * v - 2], dy = y - lxy[2 * v - 1]
                                length += (dx * dx + dy * dy).squareRoot()
                            }
                        }
                        let usable = WorksStatus.isBuilt(code: input.status[l])
                        var lineGeometry: Geometry? = nil
                        var failure: (any Error)? = nil
                        grid.forEachCandidate(box: box, seen: &seen, stamp: Int32(truncatingIfNeeded: l)) { p in
                            if failure != nil { return }
                            guard clipped[p] else { return }
                            let poly = parcelRef(p)
                            var touches = false
                            for v in (s + 1)..<e where segmentMayTouchBoundary(poly, lxy[2 * v - 2], lxy[2 * v - 1], lxy[2 * v], lxy[2 * v + 1]) {
                                touches = true; break
                            }
                            var inside = 0.0
                            if touches {
                                let parcelGeometry: Geometry
                                do {
                                    if let made = parcelGeometries[p] { parcelGeometry = made } else {
                                        parcelGeometry = try parcelPolygon(input.parcels, p)
                                        parcelGeometries[p] = parcelGeometry
                                    }
                                } catch { failure = error; return }
                                do {
                                    if lineGeometry == nil {
                                        lineGeometry = try Geometry.lineString((s..<e).map { XY(lxy[2 * $0], lxy[2 * $0 + 1]) })
                                    }
                                    inside = try lineGeometry!.intersection(parcelGeometry).length
                                } catch let error as GEOSError {
                                    // GEOS refuses an invalid parcel (a self-intersection): bad input, named.
                                    let id = input.parcelIDs.string(p)
                                    let validity = (try? parcelGeometry.validity())?.reason ?? error.message
                                    failure = InputError(feature: FeatureRef(index: p, id: id),
                                                         "the parcel is not a valid polygon (\(validity)); network \(input.networkIDs.string(l)) cannot be clipped to it")
                                    return
                                } catch { failure = error; return }
                            } else if locate(poly, lxy[2 * s], lxy[2 * s + 1]) == .interior {
                                inside = length
                            }
                            out.value[base + p] += inside
                            if usable { out.value[base + np + p] += inside }
                        }
                        if let failure { throw failure }
                    }
                    progress?.advance(hi - lo)
                }
              }
            }
        }
        var network = [Double](repeating: 0, count: np), built = [Double](repeating: 0, count: np)
        for ch in 0..<chunks {
            for p in 0..<np { network[p] += partial[ch * 2 * np + p]; built[p] += partial[ch * 2 * np + np + p] }
        }
        return (network, built)
    }

    /// Parcel `p` of `pc` as a GEOS polygon, made with the calling thread's context.
    static func parcelPolygon(_ pc: PolygonColumns, _ p: Int) throws -> Geometry {
        var rings: [[XY]] = []
        for r in Int(pc.polygonRingStart[p])..<Int(pc.polygonRingStart[p + 1]) {
            rings.append((Int(pc.ringStart[r])..<Int(pc.ringStart[r + 1])).map { XY(pc.xy[2 * $0], pc.xy[2 * $0 + 1]) })
        }
        return try Geometry.polygon(exterior: rings[0], holes: Array(rings.dropFirst()))
    }
}
