import SiteVocabulary
import SiteGeometry

/// Cutting lots from block rows and placing each building in its lot.
extension ParcelLayout {
    enum Row { case full, lower, upper }

    struct PlacedLot {
        let lot: Geometry
        let building: Geometry
        let blockID: String
        let frontage: Double
        let streetID: String
        /// The fixed lot this slot came out as (its index), when it did.
        var fixedIndex: Int? = nil
    }

    /// Cuts the next lot of `frontage` metres from a cell's row, sliding past places where a
    /// lot would not qualify. Returns nil when the row is used up.
    ///
    /// With `counting` (the reserve's capacity count, which keeps no lot, only asks whether one
    /// fits) a slot lying wholly inside its cell part is taken as the lot itself, a slot cut
    /// by the part's edge is overlaid only when its clipped area may qualify, and the street
    /// frontage is measured once per row: the same decisions (an area within a millionth of a
    /// bound is recomputed the exact way), far fewer overlays.
    func nextLot(in cell: inout Cell, row: Row, frontage: Double, lotDepth: Double, type: BuildingType,
                 placed: FootprintIndex, streets: StreetIndex, takeFixed: (Int) -> Bool = { _ in false },
                 counting: CountingAids? = nil, aids: CountingAids? = nil) throws -> PlacedLot? {
        let setbacks = rules.setbacks(of: type)
        let spacing = rules.spacing(of: type)
        let corridors = cell.nearbyCorridors
        let step = 2.0
        let cellDepth = cell.v1 - cell.v0
        var cursor: Double
        switch row {
        case .full: cursor = max(cell.fullCursor, cell.lowerCursor, cell.upperCursor)
        case .lower: cursor = max(cell.lowerCursor, cell.fullCursor)
        case .upper: cursor = max(cell.upperCursor, cell.fullCursor)
        }
        defer {
            switch row {
            case .full: cell.fullCursor = cursor; cell.lowerCursor = max(cell.lowerCursor, cursor); cell.upperCursor = max(cell.upperCursor, cursor)
            case .lower: cell.lowerCursor = cursor
            case .upper: cell.upperCursor = cursor
            }
        }
        // The row's band and the side its street is on (+1: street below, -1: street above).
        let (vLow, vHigh, facing): (Double, Double, Double) = switch row {
        case .full: (cell.v0, cell.v1, 1)
        case .lower: (cell.v0, cell.v0 + min(lotDepth, cellDepth / 2), 1)
        case .upper: (cell.v1 - min(lotDepth, cellDepth / 2), cell.v1, -1)
        }
        let vFront = facing > 0 ? vLow : vHigh
        let probeV = vFront - facing * 0.05
        // Counting: the street frontage along the row, as intervals of u (once per cell and side).
        let frontIntervals = try counting?.frontage(probeV: probeV, cell: cell, corridors: corridors)
        // Placing (with `aids`): a slot that cannot qualify by frontage or area is passed over
        // before the exact overlay, unless a fixed lot is near (which may be taken whatever
        // its area); every other slot is decided exactly as before.
        let preFront = counting == nil ? try aids?.frontage(probeV: probeV, cell: cell, corridors: corridors) : nil
        /// The slot as the layout keeps it: its intersection with the part (the biggest piece,
        /// when that is nearly all of it); nil when the slot falls apart.
        func exactLot(_ slot: Geometry, _ part: Geometry) throws -> Geometry? {
            var lot = try slot.intersection(part)
            if lot.type != .polygon {
                let polygons = try lot.parts().filter { $0.type == .polygon }
                guard let biggest = try polygons.max(by: { try $0.area < $1.area }), try biggest.area >= 0.99 * lot.area else { return nil }
                lot = biggest
            }
            return lot
        }
        /// Whether an area is within a millionth of a bound of the type's lot area range.
        func nearAreaBound(_ area: Double) -> Bool {
            let lower = type.lotAreaSquareMetres.lowerBound, upper = type.lotAreaSquareMetres.upperBound * 1.0001
            return abs(area - lower) <= 1e-6 * max(lower, 1) || abs(area - upper) <= 1e-6 * max(upper, 1)
        }
        while cursor + frontage <= cell.u1 + 1e-9 {
            let u = cursor
            cursor += step
            // A corner lot is widened by what its building must keep from the side street
            // (front less side setback), so it still reaches the corner instead of leaving a strip.
            let corner = max(setbacks.frontMetres - setbacks.sideMetres, 0) + 0.01
            let atEnds = u <= cell.u0 + 1e-6 || u + frontage + corner >= cell.u1 - 1e-6
            let widths = atEnds && frontage + corner <= type.lotFrontageMetres.upperBound + 1e-9 && u + frontage + corner <= cell.u1 + 1e-9
                ? [frontage, frontage + corner] : [frontage]
            widths: for width in widths {
                let box = Envelope(minX: u, minY: vLow, maxX: u + width, maxY: vHigh)
                let slot = try Geometry.rectangle(box)
                // The cell part holding most of the slot.
                var lot: Geometry
                var lotArea: Double
                /// Counting: the lot's box when the lot is the whole slot.
                var lotBox: Envelope?
                let part: (geometry: Geometry, blockID: String)
                if let counting, let frontIntervals {
                    // Every test only rejects here, so the cheap ones go first: the frontage.
                    let front = frontIntervals.reduce(0.0) { $0 + max(0, min($1.1, u + width) - max($1.0, u)) }
                    guard front >= type.footprintWidthMetres + 2 * setbacks.sideMetres - 1e-6 else { continue widths }
                    guard let (index, cut) = try counting.partIndex(intersecting: slot, box) else { continue widths }
                    part = cell.parts[index]
                    if try counting.part(index, covers: slot, box, cut: cut) {
                        lot = slot
                        lotBox = box
                        lotArea = try lot.area
                        if nearAreaBound(lotArea) {
                            guard let exact = try exactLot(slot, part.geometry) else { continue widths }
                            lot = exact
                            lotBox = nil
                            lotArea = try lot.area
                        }
                    } else {
                        // Cut by the part's edge: its area by clipping the part's rings to the
                        // slot, and the exact overlay only for a slot that may still qualify.
                        let cut = cut ?? counting.area(of: index, in: box)
                        let lower = type.lotAreaSquareMetres.lowerBound, upper = type.lotAreaSquareMetres.upperBound * 1.0001
                        if cut < lower - 1e-6 * max(lower, 1) || cut > upper + 1e-6 * max(upper, 1) { continue widths }
                        guard let exact = try exactLot(slot, part.geometry) else { continue widths }
                        lot = exact
                        lotArea = try lot.area
                    }
                } else if let aids, let preFront, !fixedLotsLocal.contains(where: { $0.1.intersects(box) }) {
                    let front = preFront.reduce(0.0) { $0 + max(0, min($1.1, u + width) - max($1.0, u)) }
                    guard front >= type.footprintWidthMetres + 2 * setbacks.sideMetres - 1e-6 - 1e-6 else { continue widths }
                    guard let (index, cut) = try aids.partIndex(intersecting: slot, box) else { continue widths }
                    let shared = cut ?? aids.area(of: index, in: box)
                    let lower = type.lotAreaSquareMetres.lowerBound, upper = type.lotAreaSquareMetres.upperBound * 1.0001
                    if shared < lower - 1e-6 * max(lower, 1) || shared > upper + 1e-6 * max(upper, 1) { continue widths }
                    part = cell.parts[index]
                    guard let exact = try exactLot(slot, part.geometry) else { continue widths }
                    lot = exact
                    lotArea = try lot.area
                } else {
                    guard let found = try cell.parts.first(where: { try $0.geometry.intersects(slot) }) else { continue widths }
                    part = found
                    guard let exact = try exactLot(slot, part.geometry) else { continue widths }
                    lot = exact
                    lotArea = try lot.area
                }
                if !fixedLotsLocal.isEmpty {
                    let env = try lot.envelope()
                    var overlapping: Int?
                    for (k, (built, builtEnv)) in fixedLotsLocal.enumerated() where builtEnv.intersects(env) {
                        if try lot.intersection(built).area > 0.5 { overlapping = k; break }
                    }
                    if let k = overlapping {
                        // The slot is a fixed lot of this type: take it as it is.
                        if takeFixed(k), try lot.hausdorffDistance(to: fixedLotsLocal[k].0) <= 1.0 {
                            cursor = u + width
                            return PlacedLot(lot: fixedLotsLocal[k].0, building: fixedLotsLocal[k].0, blockID: part.blockID, frontage: 0, streetID: "", fixedIndex: k)
                        }
                        continue widths
                    }
                }
                guard lotArea >= type.lotAreaSquareMetres.lowerBound, lotArea <= type.lotAreaSquareMetres.upperBound * 1.0001 else { continue widths }
                // Frontage: the length of street edge along the lot's front.
                let probe = try Geometry.lineString([XY(u, probeV), XY(u + width, probeV)])
                let frontLength = try frontIntervals.map { intervals in
                    intervals.reduce(0.0) { $0 + max(0, min($1.1, u + width) - max($1.0, u)) }
                } ?? probe.intersection(corridors).length
                guard frontLength >= type.footprintWidthMetres + 2 * setbacks.sideMetres - 1e-6 else { continue widths }
                // The building, centred on the frontage, set back from the street; shifted along
                // the street when a cross street or an odd lot edge is too close.
                let w = type.footprintWidthMetres, d = type.footprintDepthMetres
                let shift = max(setbacks.frontMetres - setbacks.sideMetres, 0) + 0.01
                let frontEdge = vFront + facing * setbacks.frontMetres
                let backEdge = frontEdge + facing * d
                let uMid = u + width / 2
                for offset in [0, shift, -shift, shift / 2, -shift / 2] {
                    let b0 = uMid - w / 2 + offset
                    let building = try Geometry.rectangle(Envelope(minX: b0, minY: min(frontEdge, backEdge), maxX: b0 + w, maxY: max(frontEdge, backEdge)))
                    let keep = min(setbacks.sideMetres, setbacks.rearMetres) - 1e-9
                    if let lotBox, let counting {
                        // A rectangular lot: covering and the distance to its edge by coordinates.
                        let b = Envelope(minX: b0, minY: min(frontEdge, backEdge), maxX: b0 + w, maxY: max(frontEdge, backEdge))
                        guard b.minX >= lotBox.minX, b.maxX <= lotBox.maxX, b.minY >= lotBox.minY, b.maxY <= lotBox.maxY else { continue }
                        guard min(b.minX - lotBox.minX, lotBox.maxX - b.maxX, b.minY - lotBox.minY, lotBox.maxY - b.maxY) >= keep else { continue }
                        guard try !counting.corridors(corridors).isWithinDistance(setbacks.frontMetres - 1e-9, of: building) else { continue }
                    } else {
                        guard try lot.covers(building) else { continue }
                        guard try building.distance(to: lot.boundary()) >= keep else { continue }
                        guard try !corridors.isWithinDistance(setbacks.frontMetres - 1e-9, of: building) else { continue }
                    }
                    if try placed.tooClose(building, spacing: spacing) { continue }
                    cursor = u + width
                    let streetID = counting == nil ? try streets.nearest(to: probe) : ""
                    return PlacedLot(lot: lot, building: building, blockID: part.blockID, frontage: frontLength, streetID: streetID)
                }
            }
        }
        return nil
    }
}

/// What the lot placement and the reserve's capacity count reuse across the slots of one
/// cell: its parts, prepared, and their rings; the street frontage along each row.
final class CountingAids {
    let parts: [PreparedGeometry]
    /// Each part's exterior ring (index 0 of `allRings`), for the area of a slot cut by it.
    let rings: [[[XY]]]
    private let holes: [[[XY]]]
    /// Each part's envelope when the part is that very rectangle (a whole cell), else nil.
    private let boxes: [Envelope?]
    private let envelopes: [Envelope?]
    private var fronts: [Double: [(Double, Double)]] = [:]
    private var preparedCorridors: PreparedGeometry?

    init(_ cell: ParcelLayout.Cell) throws {
        parts = try cell.parts.map { try $0.geometry.prepared() }
        let all = try cell.parts.map { try $0.geometry.polygonRings() }
        rings = all.map { [$0[0]] }
        holes = all.map { Array($0.dropFirst()) }
        envelopes = all.map { Envelope(of: $0[0]) }
        boxes = all.map { rings in
            guard rings.count == 1, rings[0].count == 5, let e = Envelope(of: rings[0]) else { return nil }
            let corners = rings[0].allSatisfy { ($0.x == e.minX || $0.x == e.maxX) && ($0.y == e.minY || $0.y == e.maxY) }
            let distinct = Set(rings[0].dropLast().map { [$0.x, $0.y] }).count == 4
            return corners && distinct ? e : nil
        }
    }

    /// The area of part `i` inside `box`.
    func area(of i: Int, in box: Envelope) -> Double {
        clippedRingArea(rings[i][0], to: box) - holeArea(i, box)
    }

    /// The first part the slot (`box` its envelope) intersects, with the area they share
    /// when it was measured (a part that is no rectangle). A part sharing area with the slot
    /// intersects it; one sharing none is asked exactly (it may touch it).
    func partIndex(intersecting slot: Geometry, _ box: Envelope) throws -> (Int, Double?)? {
        for i in parts.indices {
            if let e = boxes[i] {
                if e.intersects(box) { return (i, nil) }
                continue
            }
            guard let envelope = envelopes[i] else {
                if try parts[i].intersects(slot) { return (i, nil) }
                continue
            }
            guard envelope.intersects(box) else { continue }
            let shared = area(of: i, in: box)
            if shared > 1e-6 { return (i, shared) }
            if try parts[i].intersects(slot) { return (i, shared) }
        }
        return nil
    }

    /// Whether part `i` covers the slot (`box` its envelope; `cut` the area they share, when
    /// measured). A part sharing less than the slot's area does not; otherwise it is asked.
    func part(_ i: Int, covers slot: Geometry, _ box: Envelope, cut: Double?) throws -> Bool {
        if let e = boxes[i] { return box.minX >= e.minX && box.maxX <= e.maxX && box.minY >= e.minY && box.maxY <= e.maxY }
        if let cut, cut < box.width * box.height * (1 - 1e-9) - 1e-6 { return false }
        return try parts[i].covers(slot)
    }

    /// The cell's street corridors, prepared once.
    func corridors(_ corridors: Geometry) throws -> PreparedGeometry {
        if let known = preparedCorridors { return known }
        let prepared = try corridors.prepared()
        preparedCorridors = prepared
        return prepared
    }

    /// The area of a part's holes inside `box`.
    func holeArea(_ part: Int, _ box: Envelope) -> Double {
        holes[part].reduce(0.0) { $0 + clippedRingArea($1, to: box) }
    }

    /// The u intervals where a line along the row at `probeV` (across the whole cell) runs
    /// inside the street corridors.
    func frontage(probeV: Double, cell: ParcelLayout.Cell, corridors: Geometry) throws -> [(Double, Double)] {
        if let known = fronts[probeV] { return known }
        let probe = try Geometry.lineString([XY(cell.u0 - 1, probeV), XY(cell.u1 + 1, probeV)])
        let intervals: [(Double, Double)] = try probe.intersection(corridors).parts().compactMap { piece in
            guard piece.type == .lineString, !piece.isEmpty else { return nil }
            let e = try piece.envelope()
            return (e.minX, e.maxX)
        }
        fronts[probeV] = intervals
        return intervals
    }
}

/// The area of a closed ring's interior inside an axis-aligned box: the ring clipped to the
/// box one side at a time (Sutherland–Hodgman; for a ring that is not convex the clipped ring
/// may run along the box's edge and back, which adds no area), then the shoelace formula.
func clippedRingArea(_ ring: [XY], to box: Envelope) -> Double {
    guard ring.count >= 4, let e = Envelope(of: ring), e.intersects(box) else { return 0 }
    var points = Array(ring.dropLast())
    if e.minX >= box.minX && e.maxX <= box.maxX && e.minY >= box.minY && e.maxY <= box.maxY { return abs(signedRingArea(points)) }
    func clip(_ inside: (XY) -> Bool, _ cross: (XY, XY) -> XY) {
        guard let last = points.last else { return }
        var out: [XY] = []
        out.reserveCapacity(points.count + 4)
        var previous = last
        for p in points {
            let pIn = inside(p), qIn = inside(previous)
            if pIn {
                if !qIn { out.append(cross(previous, p)) }
                out.append(p)
            } else if qIn {
                out.append(cross(previous, p))
            }
            previous = p
        }
        points = out
    }
    func atX(_ x: Double) -> (XY, XY) -> XY { { a, b in XY(x, a.y + (x - a.x) / (b.x - a.x) * (b.y - a.y)) } }
    func atY(_ y: Double) -> (XY, XY) -> XY { { a, b in XY(a.x + (y - a.y) / (b.y - a.y) * (b.x - a.x), y) } }
    clip({ $0.x >= box.minX }, atX(box.minX))
    clip({ $0.x <= box.maxX }, atX(box.maxX))
    clip({ $0.y >= box.minY }, atY(box.minY))
    clip({ $0.y <= box.maxY }, atY(box.maxY))
    return points.count < 3 ? 0 : abs(signedRingArea(points))
}

/// The footprints placed so far, in a bucket grid: a new building is checked only against
/// those near it, so placing n buildings costs O(n), not O(n²).
struct FootprintIndex {
    private var grid = EnvelopeGrid(cellMetres: 64)
    private var footprints: [Geometry] = []
    private var spacings: [Double] = []
    private var widestSpacing = 0.0

    mutating func insert(_ footprint: Geometry, envelope: Envelope, spacing: Double) {
        grid.insert(envelope)
        footprints.append(footprint)
        spacings.append(spacing)
        widestSpacing = max(widestSpacing, spacing)
    }

    /// Whether `building` (whose type keeps `spacing`) is closer to a placed footprint than
    /// the larger of the two types' spacings.
    func tooClose(_ building: Geometry, spacing: Double) throws -> Bool {
        let env = try building.envelope()
        for i in grid.query(env.expanded(by: max(spacing, widestSpacing))) {
            let needed = max(spacing, spacings[i])
            guard grid.envelopes[i].expanded(by: needed).intersects(env) else { continue }
            let d = try footprints[i].distance(to: building)
            // Touching is allowed only where both types keep no spacing (terraced houses); never overlapping.
            if d < needed - 1e-9 { return true }
            if needed == 0, try footprints[i].intersection(building).area > 1e-6 { return true }
        }
        return false
    }

    var count: Int { footprints.count }
}
