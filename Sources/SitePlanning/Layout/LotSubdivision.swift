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
    func nextLot(in cell: inout Cell, row: Row, frontage: Double, lotDepth: Double, type: BuildingType,
                 placed: FootprintIndex, streets: StreetIndex, takeFixed: (Int) -> Bool = { _ in false }) throws -> PlacedLot? {
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
                let slot = try Geometry.rectangle(Envelope(minX: u, minY: vLow, maxX: u + width, maxY: vHigh))
                // The cell part holding most of the slot.
                guard let part = try cell.parts.first(where: { try $0.geometry.intersects(slot) }) else { continue widths }
                var lot = try slot.intersection(part.geometry)
                if lot.type != .polygon {
                    let polygons = try lot.parts().filter { $0.type == .polygon }
                    guard let biggest = try polygons.max(by: { try $0.area < $1.area }), try biggest.area >= 0.99 * lot.area else { continue widths }
                    lot = biggest
                }
                let lotArea = try lot.area
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
                let probeV = vFront - facing * 0.05
                let probe = try Geometry.lineString([XY(u, probeV), XY(u + width, probeV)])
                let frontLength = try probe.intersection(corridors).length
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
                    guard try lot.covers(building) else { continue }
                    guard try building.distance(to: lot.boundary()) >= min(setbacks.sideMetres, setbacks.rearMetres) - 1e-9 else { continue }
                    guard try !corridors.isWithinDistance(setbacks.frontMetres - 1e-9, of: building) else { continue }
                    if try placed.tooClose(building, spacing: spacing) { continue }
                    cursor = u + width
                    let streetID = try streets.nearest(to: probe)
                    return PlacedLot(lot: lot, building: building, blockID: part.blockID, frontage: frontLength, streetID: streetID)
                }
            }
        }
        return nil
    }
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
