import SiteGeometry

/// A uniform bucket grid over planar items (points or segments), for "what lies within d of
/// this point" in the network builder: each query looks at a few cells instead of every item,
/// so attaching tees to street pieces and snapping nodes stay near-linear at town scale.
/// Results come back in ascending item order, so searches that break ties by index stay
/// deterministic.
struct PlanarGrid {
    struct Cell: Hashable { let x: Int64, y: Int64 }
    let cellMetres: Double
    private var cells: [Cell: [Int]] = [:]

    init(cellMetres: Double) { self.cellMetres = cellMetres }

    private func cell(_ x: Double, _ y: Double) -> Cell {
        Cell(x: Int64((x / cellMetres).rounded(.down)), y: Int64((y / cellMetres).rounded(.down)))
    }

    /// Files item `index` under every cell its box (a..b, grown by `margin`) touches.
    mutating func insert(_ index: Int, _ a: XY, _ b: XY, margin: Double = 0) {
        let lo = cell(min(a.x, b.x) - margin, min(a.y, b.y) - margin)
        let hi = cell(max(a.x, b.x) + margin, max(a.y, b.y) + margin)
        for x in lo.x...hi.x { for y in lo.y...hi.y { cells[Cell(x: x, y: y), default: []].append(index) } }
    }

    mutating func insert(_ index: Int, _ p: XY) { insert(index, p, p) }

    /// Items filed in cells within `radius` of `p`, ascending, without repeats.
    func candidates(near p: XY, radius: Double) -> [Int] {
        let lo = cell(p.x - radius, p.y - radius), hi = cell(p.x + radius, p.y + radius)
        var found: [Int] = []
        for x in lo.x...hi.x { for y in lo.y...hi.y { found += cells[Cell(x: x, y: y)] ?? [] } }
        if found.count > 1 {
            found.sort()
            var unique: [Int] = []
            unique.reserveCapacity(found.count)
            for i in found where unique.last != i { unique.append(i) }
            return unique
        }
        return found
    }
}
