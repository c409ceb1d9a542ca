import SiteGeometry
import SiteVocabulary

/// An axis-aligned box in the audit's planar CRS, metres.
public struct PlanarBox: Sendable, Equatable {
    public var minX, minY, maxX, maxY: Double

    public init(minX: Double, minY: Double, maxX: Double, maxY: Double) {
        self.minX = minX; self.minY = minY; self.maxX = maxX; self.maxY = maxY
    }

    /// The box holding nothing: the identity of `union`.
    public static let empty = PlanarBox(minX: .infinity, minY: .infinity, maxX: -.infinity, maxY: -.infinity)

    public var isEmpty: Bool { !(minX <= maxX && minY <= maxY) }

    /// Closed boxes meet when they share a point (the same test as the audit's parcel grid).
    @inline(__always)
    public func meets(_ o: PlanarBox) -> Bool { minX <= o.maxX && maxX >= o.minX && minY <= o.maxY && maxY >= o.minY }

    @inline(__always)
    public func contains(x: Double, y: Double) -> Bool { x >= minX && x <= maxX && y >= minY && y <= maxY }

    public func union(_ o: PlanarBox) -> PlanarBox {
        PlanarBox(minX: min(minX, o.minX), minY: min(minY, o.minY), maxX: max(maxX, o.maxX), maxY: max(maxY, o.maxY))
    }

    public func expanded(byMetres d: Double) -> PlanarBox {
        isEmpty ? self : PlanarBox(minX: minX - d, minY: minY - d, maxX: maxX + d, maxY: maxY + d)
    }

    /// How far `inner` lies inside this box on its nearest side, metres (negative when it
    /// sticks out): anything within this distance of `inner` has its envelope meeting this box.
    @inline(__always)
    public func clearance(of inner: PlanarBox) -> Double {
        min(min(inner.minX - minX, maxX - inner.maxX), min(inner.minY - minY, maxY - inner.maxY))
    }
}

/// One tile of a tiled audit: the buildings of its region, and everything within its halo that
/// their answers and the sums of the parcels it owns depend on. Indices are positions in the
/// whole input, ascending (input order, the order the single run sums in).
public struct AuditTile: Sendable, Equatable {
    /// The buildings whose footprint centroid lies in the tile's region: the tile writes their rows.
    public var regionBuildings: [Int32]
    /// Buildings of other regions whose centroid lies in the envelope of a parcel this tile owns:
    /// counted into that parcel's sums, no rows written.
    public var contextBuildings: [Int32]
    /// Every parcel whose envelope meets `cover`.
    public var parcels: [Int32]
    /// The parcels whose envelope centre lies in the tile's region: this tile, and no other,
    /// writes their sums.
    public var ownedParcels: [Int32]
    /// Every network line whose envelope meets `cover` (any utility, any status).
    public var lines: [Int32]
    /// The region's footprint envelopes grown by the halo, and the envelopes of the owned
    /// parcels. Every line meeting it is in the tile, so a nearest line found within a
    /// building's clearance in `cover` is the nearest of the whole input.
    public var cover: PlanarBox

    public init(regionBuildings: [Int32], contextBuildings: [Int32], parcels: [Int32], ownedParcels: [Int32], lines: [Int32], cover: PlanarBox) {
        self.regionBuildings = regionBuildings; self.contextBuildings = contextBuildings
        self.parcels = parcels; self.ownedParcels = ownedParcels; self.lines = lines; self.cover = cover
    }
}

/// Cuts an audit into region tiles with a halo: regions split at the median of the footprint
/// centroids along their longer side until each holds at most `maxBuildings`, so tiles are
/// balanced by work, not by area.
///
///     let tiles = AuditTiling.tiles(input, maxBuildings: 250_000, haloMetres: 5_000)
public enum AuditTiling {
    /// The default halo, metres: a nearest line farther than this is found in the second pass.
    public static let defaultHaloMetres = 5_000.0

    /// A node of the region tree: a leaf is a region (`tile >= 0`); an inner node splits the
    /// plane at `value` along `axis` (0: x, 1: y): below goes left, at or above goes right.
    struct Node { var axis: Int; var value: Double; var left: Int; var right: Int; var tile: Int }

    /// Footprint envelopes (exterior ring) and area centroids of polygons, in input order.
    public static func envelopesAndCentroids(_ polygons: PolygonColumns) -> (boxes: [PlanarBox], centroids: [Double]) {
        let n = polygons.count
        var boxes = [PlanarBox](repeating: .empty, count: n)
        var centroids = [Double](repeating: 0, count: 2 * n)
        ConnectionAudit.withPolygons(polygons) { ref in
            for b in 0..<n {
                let p = ref(b)
                var e = PlanarBox.empty
                for v in p.ring(p.firstRing) {
                    e.minX = min(e.minX, p.x(v)); e.minY = min(e.minY, p.y(v)); e.maxX = max(e.maxX, p.x(v)); e.maxY = max(e.maxY, p.y(v))
                }
                boxes[b] = e
                let c = polygonCentroid(p)
                centroids[2 * b] = c.x; centroids[2 * b + 1] = c.y
            }
        }
        return (boxes, centroids)
    }

    /// The tiles of `input` (planar coordinates). Every building is in exactly one tile's
    /// region, every parcel is owned by exactly one tile.
    public static func tiles(_ input: AuditInput, maxBuildings: Int, haloMetres: Double = defaultHaloMetres) -> [AuditTile] {
        precondition(maxBuildings >= 1 && haloMetres >= 0)
        let (buildingBoxes, centroid) = envelopesAndCentroids(input.buildings)
        let nb = input.buildings.count, np = input.parcels.count, nl = input.network.count

        // ---- regions: a median split of the centroids
        var nodes: [Node] = []
        var regions: [[Int32]] = []
        func split(_ members: [Int32]) -> Int {
            let me = nodes.count
            nodes.append(Node(axis: 0, value: 0, left: -1, right: -1, tile: -1))
            if members.count > maxBuildings {
                var lo = (Double.infinity, Double.infinity), hi = (-Double.infinity, -Double.infinity)
                for b in members {
                    let x = centroid[2 * Int(b)], y = centroid[2 * Int(b) + 1]
                    lo = (min(lo.0, x), min(lo.1, y)); hi = (max(hi.0, x), max(hi.1, y))
                }
                let first = hi.0 - lo.0 >= hi.1 - lo.1 ? 0 : 1
                for axis in [first, 1 - first] {
                    let coordinate = members.map { centroid[2 * Int($0) + axis] }.sorted()
                    var value = coordinate[coordinate.count / 2]
                    // All of the upper half equal to the lowest value: split above it instead.
                    if value == coordinate[0] {
                        guard let above = coordinate.first(where: { $0 > value }) else { continue }
                        value = above
                    }
                    let left = members.filter { centroid[2 * Int($0) + axis] < value }
                    let right = members.filter { centroid[2 * Int($0) + axis] >= value }
                    let l = split(left), r = split(right)
                    nodes[me] = Node(axis: axis, value: value, left: l, right: r, tile: -1)
                    return me
                }
            }
            nodes[me].tile = regions.count
            regions.append(members)
            return me
        }
        _ = split((0..<nb).map { Int32($0) })
        func region(x: Double, y: Double) -> Int {
            var n = 0
            while nodes[n].tile < 0 { n = (nodes[n].axis == 0 ? x : y) < nodes[n].value ? nodes[n].left : nodes[n].right }
            return nodes[n].tile
        }

        // ---- parcels: owned by the region of their envelope's centre
        let parcelBoxes = (0..<np).map { p -> PlanarBox in
            var e = PlanarBox.empty
            let pc = input.parcels
            for v in Int(pc.ringStart[Int(pc.polygonRingStart[p])])..<Int(pc.ringStart[Int(pc.polygonRingStart[p]) + 1]) {
                e.minX = min(e.minX, pc.xy[2 * v]); e.minY = min(e.minY, pc.xy[2 * v + 1])
                e.maxX = max(e.maxX, pc.xy[2 * v]); e.maxY = max(e.maxY, pc.xy[2 * v + 1])
            }
            return e
        }
        var owned = [[Int32]](repeating: [], count: regions.count)
        var owner = [Int](repeating: 0, count: np)
        for p in 0..<np {
            let b = parcelBoxes[p]
            owner[p] = b.isEmpty ? 0 : region(x: (b.minX + b.maxX) / 2, y: (b.minY + b.maxY) / 2)
            owned[owner[p]].append(Int32(p))
        }

        // ---- covers: the region's footprints plus the halo, and its parcels
        var covers = regions.map { members -> PlanarBox in
            var c = PlanarBox.empty
            for b in members { c = c.union(buildingBoxes[Int(b)]) }
            return c.expanded(byMetres: haloMetres)
        }
        for t in covers.indices { for p in owned[t] where !parcelBoxes[Int(p)].isEmpty { covers[t] = covers[t].union(parcelBoxes[Int(p)]) } }

        // ---- context: buildings of other regions whose centroid lies in an owned parcel's envelope
        var context = [[Int32]](repeating: [], count: regions.count)
        let grid = ParcelGrid(input.parcels)
        var regionOf = [Int32](repeating: 0, count: nb)
        for (t, members) in regions.enumerated() { for b in members { regionOf[Int(b)] = Int32(t) } }
        var marked: [Int] = []
        for b in 0..<nb {
            let x = centroid[2 * b], y = centroid[2 * b + 1]
            marked.removeAll(keepingCapacity: true)
            grid.forEachCandidate(x: x, y: y) { p in
                let t = owner[p]
                if t != Int(regionOf[b]) && !marked.contains(t) { marked.append(t) }
            }
            for t in marked { context[t].append(Int32(b)) }
        }

        // ---- parcels and lines meeting each cover
        var lineBoxes = [PlanarBox](repeating: .empty, count: nl)
        for l in 0..<nl {
            var e = PlanarBox.empty
            for v in Int(input.network.lineStart[l])..<Int(input.network.lineStart[l + 1]) {
                let x = input.network.xy[2 * v], y = input.network.xy[2 * v + 1]
                e.minX = min(e.minX, x); e.minY = min(e.minY, y); e.maxX = max(e.maxX, x); e.maxY = max(e.maxY, y)
            }
            lineBoxes[l] = e
        }
        return regions.indices.map { t in
            let cover = covers[t]
            return AuditTile(regionBuildings: regions[t], contextBuildings: context[t],
                             parcels: (0..<np).filter { parcelBoxes[$0].meets(cover) }.map { Int32($0) },
                             ownedParcels: owned[t],
                             lines: (0..<nl).filter { lineBoxes[$0].meets(cover) }.map { Int32($0) },
                             cover: cover)
        }
    }

    /// The first parcel whose planar area is not positive (the single run refuses it), or nil.
    public static func firstParcelWithoutArea(_ input: AuditInput) -> Int? {
        ConnectionAudit.withPolygons(input.parcels) { ref in (0..<input.parcels.count).first { !(polygonArea(ref($0)) > 0) } }
    }

    /// Whether any usable (laid or commissioned) line of each utility exists in `input`, by
    /// `Utility.code`: a utility with none has an empty distance everywhere, in every tile.
    public static func usableUtilities(_ input: AuditInput) -> [Bool] {
        var has = [Bool](repeating: false, count: Utility.allCases.count)
        for l in 0..<input.network.count where WorksStatus.isBuilt(code: input.status[l]) && Int(input.utility[l]) < has.count {
            has[Int(input.utility[l])] = true
        }
        return has
    }

    /// The usable segments of each utility, (ax, ay, bx, by) quadruples in line order: all the
    /// second pass needs of the network.
    public static func usableSegments(_ input: AuditInput) -> [[Double]] {
        (0..<Utility.allCases.count).map { u in ConnectionAudit.usableSegmentIndexQuads(input, utility: UInt8(u)) }
    }
}
