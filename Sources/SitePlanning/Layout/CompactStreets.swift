import SiteVocabulary
import SiteGeometry

/// Compact development: of the whole grid's candidate streets, only those the program needs.
extension ParcelLayout {
    /// The candidate streets to keep, in candidate order: every street a lot fronts, every
    /// built (fixed) street, the shortest way from the access point to each of them, and the
    /// grid sides of each used cell whose two ends the kept streets already reach (so blocks
    /// are closed and the network has loops instead of dead ends). The rest of the grid is
    /// left for a later phase.
    func compactStreets(_ candidates: [StreetPiece], access: XY, frontedIDs: Set<String>, usedCells: [Cell]) -> [Int] {
        let lines = candidates.map { (try? $0.line.coordinates()) ?? [] }
        let graph = LayoutStreetGraph(lines: lines)
        var keep = Set(candidates.indices.filter { frontedIDs.contains(candidates[$0].id) || candidates[$0].world != nil })
        guard !keep.isEmpty, let paths = graph.shortestPaths(fromPoint: access), let start = graph.locate(access) else { return keep.sorted() }
        keep.insert(graph.edges[start.edge].line)
        var edgesOfLine = [[Int]](repeating: [], count: candidates.count)
        for (e, edge) in graph.edges.enumerated() { edgesOfLine[edge.line].append(e) }
        // The way back from each end of each kept street to the access point.
        var reachedNodes = Set<Int>()
        for line in keep.sorted() {
            for e in edgesOfLine[line] {
                for var n in [graph.edges[e].a, graph.edges[e].b] {
                    reachedNodes.insert(n)
                    while let via = paths.via[n] {
                        let edge = graph.edges[via]
                        keep.insert(edge.line)
                        n = edge.a == n ? edge.b : edge.a
                        if !reachedNodes.insert(n).inserted { break }
                    }
                }
            }
        }
        for line in keep { for e in edgesOfLine[line] { reachedNodes.insert(graph.edges[e].a); reachedNodes.insert(graph.edges[e].b) } }
        // Close the used cells: their four grid sides, where both ends are already reached.
        var tagged: [GridTag: [Int]] = [:]
        for (i, c) in candidates.enumerated() { if let tag = c.tag { tagged[tag, default: []].append(i) } }
        for cell in usedCells {
            let sides = [GridTag(long: true, line: cell.k, interval: cell.j), GridTag(long: true, line: cell.k + 1, interval: cell.j),
                         GridTag(long: false, line: cell.j, interval: cell.k), GridTag(long: false, line: cell.j + 1, interval: cell.k)]
            for side in sides {
                for line in tagged[side] ?? [] where !keep.contains(line) {
                    let ends = edgesOfLine[line].flatMap { [graph.edges[$0].a, graph.edges[$0].b] }
                    guard let first = lines[line].first, let last = lines[line].last else { continue }
                    // The line's own two ends must both be reached.
                    let endNodes = ends.filter { graph.nodes[$0].distance(to: first) < 0.02 || graph.nodes[$0].distance(to: last) < 0.02 }
                    if endNodes.count >= 2, endNodes.allSatisfy({ reachedNodes.contains($0) }) { keep.insert(line) }
                }
            }
        }
        return keep.sorted()
    }

    /// The parts of kept streets inside a crossable zone: bridges and culverts.
    func crossings(of streets: [StreetPiece], zones: [ExclusionZone], frame: LocalFrame, parcelID: String) throws -> [Crossing] {
        guard !zones.isEmpty else { return [] }
        var result: [Crossing] = []
        for street in streets {
            let world = try street.world ?? frame.toWorld(street.line)
            for zone in zones where try zone.boundaryPlanar.intersects(world) {
                for part in try world.intersection(zone.boundaryPlanar).parts() where part.type == .lineString {
                    let length = try part.length
                    guard length > 0.01 else { continue }
                    result.append(Crossing(id: "\(parcelID)-X\(pad(result.count + 1, 2))", parcelID: parcelID, streetID: street.id,
                                           zoneID: zone.id, zoneKind: zone.kind, centrelinePlanar: part, lengthMetres: length))
                }
            }
        }
        return result
    }
}
