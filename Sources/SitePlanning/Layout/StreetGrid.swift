import SiteVocabulary
import SiteGeometry

/// The grid lines clipped to where streets may run: the parcel less the zones no street may
/// cross (and half a street's width around them). A zone streets may cross (a stream buffer,
/// `rules.crossings.kinds`) is bridged where a line crosses it in at most the longest
/// crossing allowed; a line running along it, or ending in it, stops at its edge.
struct GridPieces {
    let region: Geometry
    /// The crossable zones, widened by half a street's width (local frame); nil without any.
    let crossZone: Geometry?
    let maxCrossingMetres: Double
    let envelope: Envelope

    func line(long: Bool, at position: Double) throws -> Geometry {
        long ? try .lineString([XY(envelope.minX, position), XY(envelope.maxX, position)])
            : try .lineString([XY(position, envelope.minY), XY(position, envelope.maxY)])
    }

    /// The pieces of a grid line where a street may run, in order along it.
    func pieces(long: Bool, at position: Double) throws -> [Geometry] {
        let full = try line(long: long, at: position)
        var inside = try full.intersection(region)
        if let crossZone, try inside.intersects(crossZone) {
            // Drop the parts inside a crossable zone that are no crossing: too long, or
            // reaching a piece's end (nothing on the far side).
            var drop: [Geometry] = []
            for piece in try inside.lineMerged().parts() where piece.type == .lineString {
                let ends = try piece.coordinates()
                guard let first = ends.first, let last = ends.last else { continue }
                for part in try piece.intersection(crossZone).parts() where part.type == .lineString {
                    let c = try part.coordinates()
                    let atEnd = c.contains { $0.distance(to: first) < 0.01 || $0.distance(to: last) < 0.01 }
                    if try atEnd || part.length > maxCrossingMetres + wideningAllowance { drop.append(part) }
                }
            }
            if !drop.isEmpty { inside = try inside.difference(Geometry.union(of: drop)) }
        }
        var result: [Geometry] = []
        for part in try inside.lineMerged().parts() where part.type == .lineString {
            guard try part.length > 1 else { continue }
            // One straight piece from end to end, ordered along the line.
            let c = try part.coordinates()
            let a = c[0], b = c[c.count - 1]
            let ordered = long ? (a.x <= b.x ? [a, b] : [b, a]) : (a.y <= b.y ? [a, b] : [b, a])
            result.append(try Geometry.lineString(long ? [XY(ordered[0].x, position), XY(ordered[1].x, position)]
                                                       : [XY(position, ordered[0].y), XY(position, ordered[1].y)]))
        }
        return try result.sorted { try ($0.envelope().minX, $0.envelope().minY) < ($1.envelope().minX, $1.envelope().minY) }
    }

    /// The zone is widened by half a street each side; the crossing length is the zone's own.
    private var wideningAllowance: Double { 0 }

    /// The piece of the grid line through `point` that holds it.
    func pieceAt(_ point: XY, long: Bool) throws -> Geometry? {
        let p = try Geometry.point(point)
        return try pieces(long: long, at: long ? point.y : point.x).first { try $0.distance(to: p) < 0.01 }
    }
}

extension ParcelLayout {
    /// A grid piece cut where the lines of the other family cross it: the segments between
    /// two crossings, each with the index of the interval it lies in.
    func splitGridPiece(_ piece: Geometry, long: Bool, at position: Double, crossings: [Double]) throws -> [(Geometry, Int)] {
        let c = try piece.coordinates()
        let a = long ? c[0].x : c[0].y, b = long ? c[c.count - 1].x : c[c.count - 1].y
        let lo = min(a, b), hi = max(a, b)
        var cuts = [lo]
        for x in crossings where x > lo + 0.01 && x < hi - 0.01 { cuts.append(x) }
        cuts.append(hi)
        var result: [(Geometry, Int)] = []
        for i in 0..<(cuts.count - 1) where cuts[i + 1] - cuts[i] > 0.01 {
            let mid = (cuts[i] + cuts[i + 1]) / 2
            let interval = (crossings.lastIndex { $0 <= mid }) ?? 0
            let line = long ? try Geometry.lineString([XY(cuts[i], position), XY(cuts[i + 1], position)])
                : try Geometry.lineString([XY(position, cuts[i]), XY(position, cuts[i + 1])])
            result.append((line, interval))
        }
        return result
    }

    /// Joins street pieces cut off from the access point (by a concave edge or an exclusion
    /// zone) with the shortest straight link that stays inside the street region, the way a
    /// planner would add a connecting street. Components that cannot be linked stay out.
    func linkComponents(_ pieces: inout [StreetPiece], from start: Int, region: Geometry, width: Double) throws {
        let regionPrepared = try region.prepared()
        while true {
            let reached = Set(connected(pieces, from: start))
            guard reached.count < pieces.count else { return }
            // Candidate links: between each unreached and each reached piece (nearest points),
            // and from each unreached piece's two ends to their nearest reached piece. The
            // shortest link inside the street region wins; ties go to the lower indices.
            // Reached pieces are looked up near each unreached one (widening until found).
            var reachedIndex = EnvelopeGrid(cellMetres: 200)
            let reachedList = reached.sorted()
            for j in reachedList { reachedIndex.insert(try pieces[j].line.envelope()) }
            var best: (link: Geometry, length: Double)?
            for i in pieces.indices where !reached.contains(i) {
                let ends = try pieces[i].line.coordinates()
                let endPoints = try [Geometry.point(ends[0]), Geometry.point(ends[ends.count - 1])]
                let own = try pieces[i].line.envelope()
                var radius = 100.0
                var near: [Int] = []
                while near.isEmpty && radius < 1e6 {
                    near = reachedIndex.query(own.expanded(by: radius))
                    radius *= 4
                }
                // Everything within the radius that found the first may be nearer than it.
                near = reachedIndex.query(own.expanded(by: radius))
                for j in near.map({ reachedList[$0] }) {
                    var candidates = [try pieces[i].line.nearestPoints(to: pieces[j].line)]
                    for end in endPoints {
                        let (_, onJ) = try end.nearestPoints(to: pieces[j].line)
                        candidates.append((try end.pointXY(), onJ))
                    }
                    for (a, b) in candidates {
                        let length = a.distance(to: b)
                        guard length > 0.01, best == nil || length < best!.length - 1e-9 else { continue }
                        let link = try Geometry.lineString([b, a])
                        if try regionPrepared.covers(link) { best = (link, length) }
                    }
                }
            }
            guard let chosen = best else { return }
            pieces.append(StreetPiece(line: chosen.link, kind: .local, width: width))
        }
    }

    /// Indices of the pieces connected (meeting end to end, or an end on another's
    /// interior) to `start`, in their original order.
    func connected(_ pieces: [StreetPiece], from start: Int) -> [Int] {
        let lines = pieces.map { (try? $0.line.coordinates()) ?? [] }
        let graph = LayoutStreetGraph(lines: lines)
        var lineNodes = [[Int]](repeating: [], count: pieces.count)
        for edge in graph.edges { lineNodes[edge.line] += [edge.a, edge.b] }
        var seen = Set<Int>()
        var queue = lineNodes[start]
        for n in queue { seen.insert(n) }
        while let n = queue.popLast() {
            for e in graph.adjacency[n] {
                for m in [graph.edges[e].a, graph.edges[e].b] where !seen.contains(m) {
                    seen.insert(m)
                    queue.append(m)
                }
            }
        }
        return pieces.indices.filter { $0 == start || lineNodes[$0].contains { seen.contains($0) } }
    }

    /// Why no street reaches the parcel from its access point, in a planner's words.
    func noStreetReason(access: XY, region: Geometry, boundary: Geometry, barriers: [ExclusionZone]) throws -> String {
        let point = try Geometry.point(access)
        if try !region.isWithinDistance(0.01, of: point), !barriers.isEmpty {
            let names = barriers.map { "\($0.id) (\($0.kind))" }.joined(separator: ", ")
            return "no street can leave the access point: it lies in or beside exclusion zone \(names), which the scenario does not let streets cross (rules.crossings.kinds)"
        }
        if !barriers.isEmpty {
            let names = barriers.map { "\($0.id) (\($0.kind))" }.joined(separator: ", ")
            return "no street from the access point reaches developable land: the way is blocked by exclusion zone \(names), which the scenario does not let streets cross (rules.crossings.kinds), or the land it reaches is narrower than one street grid cell"
        }
        return "no street fits: the parcel is narrower than one street grid cell"
    }
}

/// The streets of a layout, looked up by envelope.
struct StreetIndex {
    private var grid = EnvelopeGrid(cellMetres: 100)
    private let lines: [Geometry]
    let ids: [String]

    init(_ pieces: [ParcelLayout.StreetPiece]) {
        lines = pieces.map(\.line)
        ids = pieces.map(\.id)
        for line in lines { grid.insert((try? line.envelope()) ?? Envelope(minX: 0, minY: 0, maxX: 0, maxY: 0)) }
    }

    func query(_ envelope: Envelope) -> [Int] { grid.query(envelope) }

    /// The id of the street nearest `probe` (ties: the first).
    func nearest(to probe: Geometry) throws -> String {
        let e = try probe.envelope()
        var radius = 20.0
        while true {
            var best = ("", Double.infinity)
            for i in grid.query(e.expanded(by: radius)) {
                let d = try lines[i].distance(to: probe)
                if d < best.1 { best = (ids[i], d) }
            }
            if best.1 <= radius || radius > 1e7 { return best.0 }
            radius *= 4
        }
    }
}

/// Grid line positions `anchor + k * spacing` covering [from, to].
func gridPositions(anchor: Double, spacing: Double, from: Double, to: Double) -> [Double] {
    let kMin = Int(((from - anchor) / spacing).rounded(.down)) - 1
    let kMax = Int(((to - anchor) / spacing).rounded(.up)) + 1
    return (kMin...kMax).map { anchor + Double($0) * spacing }
}
