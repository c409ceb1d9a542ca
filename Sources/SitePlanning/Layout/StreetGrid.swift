import SiteVocabulary
import SiteGeometry

/// The street grid's connectivity: which clipped street pieces reach the access point, and
/// the links that join cut-off pieces.
extension ParcelLayout {
    /// Joins street pieces cut off from the access point (by a concave edge or an exclusion
    /// zone) with the shortest straight link that stays inside the street region, the way a
    /// planner would add a connecting street. Components that cannot be linked stay out.
    func linkComponents(_ pieces: inout [StreetPiece], from start: Int, region: Geometry, width: Double) throws {
        let regionPrepared = try region.prepared()
        while true {
            let reached = Set(try connected(pieces, from: start))
            // Candidate links: between each unreached and each reached piece (nearest points),
            // and from each unreached piece's two ends to their nearest reached piece. The
            // shortest link inside the street region wins; ties go to the lower indices.
            var best: (link: Geometry, length: Double)?
            for i in pieces.indices where !reached.contains(i) {
                let ends = try pieces[i].line.coordinates()
                let endPoints = try [Geometry.point(ends[0]), Geometry.point(ends[ends.count - 1])]
                for j in reached.sorted() {
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

    /// Indices of the pieces connected (by touching) to `start`, in their original order.
    func connected(_ pieces: [StreetPiece], from start: Int) throws -> [Int] {
        var reached = Set([start])
        var queue = [start]
        let envelopes = try pieces.map { try $0.line.envelope().expanded(by: 0.01) }
        while let i = queue.popLast() {
            for j in pieces.indices where !reached.contains(j) && envelopes[i].intersects(envelopes[j]) {
                if try pieces[i].line.distance(to: pieces[j].line) < 0.01 {
                    reached.insert(j)
                    queue.append(j)
                }
            }
        }
        return reached.sorted()
    }
}

/// Grid line positions `anchor + k * spacing` covering [from, to].
func gridPositions(anchor: Double, spacing: Double, from: Double, to: Double) -> [Double] {
    let kMin = Int(((from - anchor) / spacing).rounded(.down)) - 1
    let kMax = Int(((to - anchor) / spacing).rounded(.up)) + 1
    return (kMin...kMax).map { anchor + Double($0) * spacing }
}
