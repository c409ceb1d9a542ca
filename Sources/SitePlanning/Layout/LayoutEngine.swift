import SiteVocabulary
import SiteGeometry
import SiteProjection

/// Lays out streets, blocks, lots and buildings on each parcel of a scenario.
///
/// The method, per parcel, in a frame aligned with the parcel's principal axis (the long side
/// of its minimum rotated rectangle):
/// 1. Candidate streets: long streets every block depth plus street width, and cross streets
///    every maximum block length, anchored on the parcel's access point (which must lie on the
///    outline); the street through it is the primary one. Lines are clipped to the parcel less
///    the zones streets may not cross, bridged over those they may (`rules.crossingKinds`),
///    cut into block sides where the lines cross, and joined where a concave edge or a zone
///    cuts them off; only pieces connected to the access point are candidates.
/// 2. Blocks: the cells between streets, less street corridors and exclusion zones.
/// 3. Lots: each block is split into a front row on each long street (or one full-depth row
///    for deep lots), cells nearest the access point along the streets first (a detour is
///    counted twice), largest building types first. A lot is kept only if it has street
///    frontage, the right area, and its building fits with its type's setbacks.
/// 4. Buildings: centred on the lot frontage, facing the street, set back from it.
/// 5. Streets kept: compact (default) keeps the block sides lots front, the shortest way from
///    each to the access point and the sides closing used blocks; the rest is reserve land,
///    whose capacity the same placement counts. Spread keeps the whole grid and takes cells
///    in an order that spreads the program evenly.
///
/// What does not fit is reported in `SitePlan.unplaced` with the reason; nothing is dropped.
/// The seed only varies lot frontages inside each type's allowed range.
///
/// A re-plan keeps `fixed` (what is built, from the plan of record) exactly: its streets join
/// the grid in place of the grid lines they coincide with, its lots and buildings are placed
/// first and count towards the program, and new lots may not overlap them nor new streets
/// cross them.
public struct LayoutEngine: Sendable {
    public let scenario: Scenario
    public let seed: UInt64
    public let fixed: FixedAssets
    /// Which way the grid runs and which street is primary (`LayoutVariant`; the default is
    /// the scenario's own layout). Block depth and access points come with the scenario.
    public let variant: LayoutVariant

    public init(scenario: Scenario, seed: UInt64 = 1, fixed: FixedAssets = FixedAssets(), variant: LayoutVariant = LayoutVariant()) {
        self.scenario = scenario
        self.seed = seed
        self.fixed = fixed
        self.variant = variant
    }

    public func plan() throws -> SitePlan {
        var plan = SitePlan(seed: seed)
        plan.development = scenario.rules.development
        for parcel in scenario.parcels {
            var rng = SplitMix64(seed: seed ^ FNV1a.of(parcel.id))
            var layout = ParcelLayout(parcel: parcel, scenario: scenario, rng: &rng, fixed: fixed, variant: variant)
            try layout.run(into: &plan)
        }
        return FacilitySites.settle(plan)
    }
}


/// The layout of one parcel; works in the parcel's local frame, stores planar results.
struct ParcelLayout {
    let parcel: Parcel
    let scenario: Scenario
    let rules: LayoutRules
    let program: HousingProgram
    var rng: SplitMix64
    let fixedStreets: [Street]
    let fixedLots: [Lot]
    let fixedBuildings: [Building]
    let variant: LayoutVariant
    /// The fixed lots in the local frame, for the overlap test of new lots.
    var fixedLotsLocal: [(Geometry, Envelope)] = []
    /// Threads cutting the grid cells and counting the reserve's capacity; nil: two when the
    /// cells are many (`parallelCellCount`, `parallelCapacityCells`).
    var cellThreads: Int? = nil

    /// A fixed lot with its building, and the new block it lies in.
    struct FixedPair {
        let lot: Lot
        let building: Building
        let lotLocal: Geometry
        let envelope: Envelope
        let blockID: String
    }

    init(parcel: Parcel, scenario: Scenario, rng: inout SplitMix64, fixed: FixedAssets = FixedAssets(), variant: LayoutVariant = LayoutVariant()) {
        self.variant = variant
        self.parcel = parcel
        self.scenario = scenario
        self.rules = scenario.rules
        self.program = scenario.program(for: parcel.id)
        self.rng = rng
        self.fixedStreets = fixed.streets(of: parcel.id)
        self.fixedLots = fixed.lots(of: parcel.id)
        self.fixedBuildings = fixed.buildings(of: parcel.id)
    }

    struct StreetPiece {
        let line: Geometry        // local frame
        let kind: Street.Kind
        let width: Double
        var id = ""
        /// A fixed street's centreline as stored (planar), kept bit for bit.
        var world: Geometry? = nil
        /// Where a grid segment lies: on long line `line` (or cross line) between cross (or
        /// long) lines `interval` and `interval + 1`. Nil for spurs, links and fixed streets.
        var tag: GridTag? = nil
    }

    struct GridTag: Hashable {
        let long: Bool
        let line: Int
        let interval: Int
    }

    struct Cell {
        let u0: Double, u1: Double, v0: Double, v1: Double
        let parts: [(geometry: Geometry, blockID: String)]
        /// The street corridors near the cell: all a lot or building in it can touch or see.
        let nearbyCorridors: Geometry
        let distance: Double
        let order: Int
        /// Grid position: between long lines k, k+1 and cross lines j, j+1.
        let k: Int, j: Int
        var fullCursor: Double
        var lowerCursor: Double
        var upperCursor: Double
    }

    mutating func run(into plan: inout SitePlan) throws {
        let axes = try LocalFrame.principalAxes(of: parcel.boundaryPlanar)
        let frame = variant.grid == .alongAxis ? axes : LocalFrame(origin: axes.origin, angle: axes.angle + variant.gridTurnRadians)
        let boundary = try frame.toLocalSnapped(parcel.boundaryPlanar)
        let zones = try scenario.exclusions.filter { try $0.parcelID == parcel.id || $0.boundaryPlanar.intersects(parcel.boundaryPlanar) }
        let exclusion = zones.isEmpty ? nil : try frame.toLocalSnapped(Geometry.union(of: zones.map(\.boundaryPlanar)))
        let crossable = zones.filter { rules.crossingKinds.contains($0.kind) }
        let barriers = zones.filter { !rules.crossingKinds.contains($0.kind) }
        let barrier = barriers.isEmpty ? nil : try frame.toLocalSnapped(Geometry.union(of: barriers.map(\.boundaryPlanar)))
        let land = try exclusion.map { try boundary.difference($0) } ?? boundary
        let pid = parcel.id

        // The access point: given (on the boundary), else the boundary vertex nearest the
        // parcel's centroid.
        let accessPlanar: XY
        if let given = scenario.accessPoints[pid] {
            accessPlanar = try scenario.frame.toPlanar(given)
            let off = try parcel.boundaryPlanar.exteriorRing().distance(to: Geometry.point(accessPlanar))
            guard off <= Self.accessToleranceMetres else {
                throw InputError("access_points.\(pid): the access point (lon \(formatDegrees(given.lon)), lat \(formatDegrees(given.lat))) is \(fmt((off * 10).rounded() / 10)) m off the boundary of parcel \(pid); it must lie on the parcel's outline (within \(fmt(Self.accessToleranceMetres)) m), where its streets join the outside road")
            }
        } else {
            let ring = try parcel.boundaryPlanar.exteriorRing().coordinates()
            let c = try parcel.boundaryPlanar.centroidXY()
            accessPlanar = ring.min { $0.distance(to: c) < $1.distance(to: c) }!
        }
        plan.accessPointsPlanar[pid] = accessPlanar
        plan.streetAxisRadians[pid] = frame.angle
        let access = frame.toLocalSnapped(accessPlanar)

        guard try land.area > 1 else {
            report(&plan, reason: "no developable land: exclusion zones cover the whole parcel")
            return
        }

        // 1. Streets: the whole grid, as candidates.
        let wLocal = rules.localStreetWidthMetres, wPrimary = rules.primaryStreetWidthMetres
        let region = try barrier.map { try boundary.difference($0.buffer(wLocal / 2)) } ?? boundary
        let crossZone = crossable.isEmpty ? nil : try frame.toLocalSnapped(Geometry.union(of: crossable.map(\.boundaryPlanar))).buffer(wLocal / 2)
        let env = try boundary.envelope().expanded(by: 10)
        let spacingV = rules.blockDepthMetres + wLocal     // between long streets (lines of constant v)
        let spacingU = rules.maxBlockLengthMetres + wLocal // between cross streets (lines of constant u)
        let grid = GridPieces(region: region, crossZone: crossZone, maxCrossingMetres: rules.maxCrossingLengthMetres, envelope: env)

        let longAtAccess = try grid.pieceAt(access, long: true)
        let crossAtAccess = try grid.pieceAt(access, long: false)
        let longIsLonger = (try longAtAccess?.length ?? 0) >= (try crossAtAccess?.length ?? 0)
        // The shorter street when the variant asks for it and one runs through the access point.
        let shorterExists = longIsLonger ? crossAtAccess != nil : longAtAccess != nil
        let primaryIsLong = variant.primary == .shorter && shorterExists ? !longIsLonger : longIsLonger
        // The primary family is anchored on the access point; the other at half a spacing.
        var vAnchor = primaryIsLong ? access.y : access.y + spacingV / 2
        var uAnchor = primaryIsLong ? access.x + spacingU / 2 : access.x
        // Built streets anchor the grid: when the access point (or anything else) has moved the
        // grid off them, it is laid on them again, so new streets continue the built ones
        // instead of running beside them.
        if !fixedStreets.isEmpty {
            func offGrid(_ x: Double, _ anchor: Double, _ spacing: Double) -> Double {
                let k = ((x - anchor) / spacing).rounded()
                return abs(x - anchor - k * spacing)
            }
            var longs: [Double] = [], crosses: [Double] = []
            for s in fixedStreets {
                let c = try frame.toLocal(s.centrelinePlanar).coordinates()
                guard let a = c.first, let b = c.last, a.distance(to: b) > 1 else { continue }
                if abs(a.y - b.y) < 0.01 { longs.append(a.y) } else if abs(a.x - b.x) < 0.01 { crosses.append(a.x) }
            }
            if !longs.isEmpty, !longs.contains(where: { offGrid($0, vAnchor, spacingV) < 0.01 }),
               let v = longs.min(by: { abs($0 - access.y) < abs($1 - access.y) }) {
                vAnchor = (v / LocalFrame.grid).rounded() * LocalFrame.grid
            }
            if !crosses.isEmpty, !crosses.contains(where: { offGrid($0, uAnchor, spacingU) < 0.01 }),
               let u = crosses.min(by: { abs($0 - access.x) < abs($1 - access.x) }) {
                uAnchor = (u / LocalFrame.grid).rounded() * LocalFrame.grid
            }
        }
        let vLines = gridPositions(anchor: vAnchor, spacing: spacingV, from: env.minY, to: env.maxY)
        let uLines = gridPositions(anchor: uAnchor, spacing: spacingU, from: env.minX, to: env.maxX)
        func isPrimaryLong(_ v: Double) -> Bool { primaryIsLong && abs(v - access.y) < 1e-6 }
        func isPrimaryCross(_ u: Double) -> Bool { !primaryIsLong && abs(u - access.x) < 1e-6 }

        var pieces: [StreetPiece] = []
        var primaryIndex: Int?
        let accessPoint = try Geometry.point(access)
        // Each grid line's pieces, split where the lines of the other family cross them, so a
        // street is kept or left out block side by block side.
        for (k, v) in vLines.enumerated() {
            for piece in try grid.pieces(long: true, at: v) {
                let primary = try isPrimaryLong(v) && piece.distance(to: accessPoint) < 0.01
                for (segment, interval) in try splitGridPiece(piece, long: true, at: v, crossings: uLines) {
                    if primary, try segment.distance(to: accessPoint) < 0.01 { primaryIndex = pieces.count }
                    pieces.append(StreetPiece(line: segment, kind: primary ? .primary : .local, width: primary ? wPrimary : wLocal,
                                              tag: GridTag(long: true, line: k, interval: interval)))
                }
            }
        }
        for (j, u) in uLines.enumerated() {
            for piece in try grid.pieces(long: false, at: u) {
                let primary = try isPrimaryCross(u) && piece.distance(to: accessPoint) < 0.01
                for (segment, interval) in try splitGridPiece(piece, long: false, at: u, crossings: vLines) {
                    if primary, try segment.distance(to: accessPoint) < 0.01 { primaryIndex = pieces.count }
                    pieces.append(StreetPiece(line: segment, kind: primary ? .primary : .local, width: primary ? wPrimary : wLocal,
                                              tag: GridTag(long: false, line: j, interval: interval)))
                }
            }
        }
        if primaryIndex == nil, !pieces.isEmpty {
            // The access point is on a corner no grid line enters: a primary spur joins it to
            // the nearest street it can reach without crossing a barrier.
            let regionPrepared = try region.prepared()
            var best: (Int, XY, Double)?
            for i in pieces.indices {
                let (onStreet, _) = try pieces[i].line.nearestPoints(to: accessPoint)
                let d = onStreet.distance(to: access)
                guard best == nil || d < best!.2 - 1e-9 else { continue }
                if try regionPrepared.covers(Geometry.lineString([access, onStreet])) { best = (i, onStreet, d) }
            }
            if let (_, onStreet, _) = best {
                primaryIndex = pieces.count
                pieces.append(StreetPiece(line: try Geometry.lineString([access, onStreet]), kind: .primary, width: wPrimary))
            }
        }
        // Fixed streets replace the grid pieces they coincide with (within 1 m); other grid
        // pieces stop at fixed lots. A fixed street through the access point is the primary.
        if !fixedStreets.isEmpty || !fixedLots.isEmpty {
            let fixedPieces = try fixedStreets.map { s in
                StreetPiece(line: try frame.toLocal(s.centrelinePlanar), kind: s.kind, width: s.widthMetres, id: s.id, world: s.centrelinePlanar)
            }
            let fixedEnvelopes = try fixedPieces.map { try $0.line.envelope().expanded(by: 1.0) }
            // The lots' interiors: a street along a lot's edge is not cut by it.
            let builtLots = fixedLots.isEmpty ? nil : try Geometry.union(of: fixedLots.map { try frame.toLocalSnapped($0.polygonPlanar) }).buffer(-0.5)
            // In grid order, each grid piece replaced by its fixed twin in place, so a re-plan
            // of the same scenario and seed lays out the same streets.
            var kept: [StreetPiece] = []
            var newPrimary: Int?
            var used = Set<Int>()
            for (i, piece) in pieces.enumerated() {
                let pieceEnvelope = try piece.line.envelope()
                if let twin = try fixedPieces.indices.first(where: { k in
                    try !used.contains(k) && fixedEnvelopes[k].intersects(pieceEnvelope) && fixedPieces[k].line.hausdorffDistance(to: piece.line) <= 1.0 }) {
                    used.insert(twin)
                    if i == primaryIndex { newPrimary = kept.count }
                    var fixedPiece = fixedPieces[twin]
                    // The same line as before (to a millimetre): lay out against the grid's own
                    // numbers, so an unchanged scenario re-plans to the same lots.
                    if try fixedPiece.line.hausdorffDistance(to: piece.line) <= 0.001 {
                        fixedPiece = StreetPiece(line: piece.line, kind: fixedPiece.kind, width: fixedPiece.width, id: fixedPiece.id, world: fixedPiece.world, tag: piece.tag)
                    }
                    kept.append(fixedPiece)
                    continue
                }
                // A new street's corridor may not cross a built lot.
                if let builtLots, try piece.line.buffer(piece.width / 2).intersection(builtLots).area > 1 { continue }
                if i == primaryIndex { newPrimary = kept.count }
                kept.append(piece)
            }
            for k in fixedPieces.indices where !used.contains(k) { kept.append(fixedPieces[k]) }
            pieces = kept
            primaryIndex = newPrimary ?? pieces.firstIndex { $0.kind == .primary && $0.world != nil } ?? (pieces.isEmpty ? nil : 0)
        }
        guard let primary = primaryIndex else {
            report(&plan, reason: try noStreetReason(access: access, region: region, boundary: boundary, barriers: barriers))
            return
        }
        try linkComponents(&pieces, from: primary, region: region, width: wLocal)
        let reached = connected(pieces, from: primary)
        // Candidate streets: the grid pieces the access point reaches. New ones get a
        // provisional id ("#n") until the kept ones are numbered.
        var candidates: [StreetPiece] = []
        for index in reached {
            var piece = pieces[index]
            if piece.id.isEmpty { piece.id = "#\(candidates.count)" }
            candidates.append(piece)
        }
        // A fixed street the grid no longer reaches is kept all the same: it is built.
        for piece in pieces where piece.world != nil && !candidates.contains(where: { $0.id == piece.id }) { candidates.append(piece) }
        let candidateIndex = StreetIndex(candidates)
        // Each candidate's corridor, buffered once: the union of all, and of those near each cell.
        let candidateCorridors = try candidates.map { try $0.line.buffer($0.width / 2, style: .corridor) }
        let corridors = try Geometry.union(of: candidateCorridors).intersection(boundary)
        let developable = try land.difference(corridors)

        // 2. Blocks: grid cells less streets and exclusions.
        let widthAtV = { (v: Double) -> Double in isPrimaryLong(v) ? wPrimary : wLocal }
        let widthAtU = { (u: Double) -> Double in isPrimaryCross(u) ? wPrimary : wLocal }
        var cells: [Cell] = []
        var blockCount = 0
        var blocksByID: [String: Geometry] = [:]
        var blockOrder: [String] = []
        // Cells are filled nearest the access point first, nearest along the streets (so the
        // developed area grows along the network, contiguous, without detours round a
        // concave edge or a zone); in spread too, so both fill the same first cells.
        let candidateGraph = LayoutStreetGraph(lines: candidates.map { (try? $0.line.coordinates()) ?? [] })
        let fromAccess = candidateGraph.shortestPaths(fromPoint: access)
        // The key is the network distance plus twice the detour (network less straight-line
        // distance): a cell close by but reached the long way round comes after cells
        // straight up the streets.
        func networkDistance(_ p: XY) -> Double {
            guard let fromAccess, let at = candidateGraph.locate(p) else { return p.distance(to: access) }
            let d = candidateGraph.distance(to: at, fromAccess.distance) + at.distance
            guard d.isFinite else { return .greatestFiniteMagnitude }
            return d + 2 * max(0, d - p.distance(to: access))
        }
        let reach = max(program.items.map { rules.setbacks(of: $0.type).frontMetres }.max() ?? 0, rules.frontSetbackMetres, wPrimary) + 1
        // The grid cells, with the candidate streets near each.
        var gridCells: [GridCell] = []
        for k in 0..<(vLines.count - 1) {
            for j in 0..<(uLines.count - 1) {
                let u0 = uLines[j] + widthAtU(uLines[j]) / 2, u1 = uLines[j + 1] - widthAtU(uLines[j + 1]) / 2
                let v0 = vLines[k] + widthAtV(vLines[k]) / 2, v1 = vLines[k + 1] - widthAtV(vLines[k + 1]) / 2
                let box = Envelope(minX: u0, minY: v0, maxX: u1, maxY: v1)
                gridCells.append(GridCell(k: k, j: j, box: box, near: candidateIndex.query(box.expanded(by: reach + wPrimary))))
            }
        }
        // Each cell's land and nearby corridors (GEOS work, cell by cell, independent): on two
        // threads when the cells are many, in two runs of consecutive cells, the second on its
        // own copies of the geometries it reads (made here, before the threads start: a
        // Geometry is not for two threads at once). Every cell gets the same overlays of the
        // same coordinates either way; blocks are numbered in grid order afterwards.
        let threads = max(1, cellThreads ?? (gridCells.count >= Self.parallelCellCount ? 2 : 1))
        var copies = [CellInputs(land: land, boundary: boundary, developable: developable, corridors: candidateCorridors)]
        for _ in 1..<threads {
            copies.append(CellInputs(land: try land.copy(), boundary: try boundary.copy(), developable: try developable.copy(),
                                     corridors: try candidateCorridors.map { try $0.copy() }))
        }
        let inputs = copies, cellGrid = gridCells, around = reach
        let run = (gridCells.count + threads - 1) / threads
        let cellLands = try parallelMap(threads, threads: threads) { t in
            let own = inputs[t]
            let developablePrepared = try own.developable.prepared()
            return try cellGrid[min(cellGrid.count, t * run)..<min(cellGrid.count, (t + 1) * run)].map {
                try ParcelLayout.cellLand($0, own, developablePrepared, reach: around)
            }
        }.flatMap { $0 }
        for (g, found) in zip(gridCells, cellLands) {
            guard let found else { continue }
            var parts: [(Geometry, String)] = []
            for part in found.parts {
                blockCount += 1
                let id = "\(pid)-B\(pad(blockCount, 3))"
                parts.append((part, id))
                blocksByID[id] = part
                blockOrder.append(id)
            }
            let u0 = g.box.minX, u1 = g.box.maxX, v0 = g.box.minY, v1 = g.box.maxY
            let centre = XY((u0 + u1) / 2, (v0 + v1) / 2)
            cells.append(Cell(u0: u0, u1: u1, v0: v0, v1: v1, parts: parts, nearbyCorridors: found.nearby,
                              distance: networkDistance(centre), order: cells.count, k: g.k, j: g.j,
                              fullCursor: u0, lowerCursor: u0, upperCursor: u0))
        }
        cells.sort { ($0.distance, $0.order) < ($1.distance, $1.order) }
        if rules.development == .spread { cells = evenlySpread(cells) }

        // 3-4. Lots and buildings, largest types first (they need the deepest lots).
        let order = program.items.indices.sorted {
            let a = program.items[$0].type, b = program.items[$1].type
            let da = rules.lotDepth(of: a), db = rules.lotDepth(of: b)
            if da != db { return da > db }
            if a.footprintSquareMetres != b.footprintSquareMetres { return a.footprintSquareMetres > b.footprintSquareMetres }
            return $0 < $1
        }
        var placedFootprints = FootprintIndex()
        var lotNumber = 0
        var shortfalls: [Int: Int] = [:]
        var newLots: [Lot] = []
        var newBuildings: [Building] = []
        // Fixed lots and buildings, as stored. Placement runs as it would without them; a
        // slot that comes out as a fixed lot (within 1 m, same type) takes the fixed one, and
        // any other slot overlapping a fixed lot is passed over. So an unchanged scenario
        // re-plans to the same lots, and a changed one lays the rest out around what is built.
        // Fixed buildings count towards the program; new numbers start after every fixed one.
        let lotsByID = Dictionary(fixedLots.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        /// A fixed lot's block is the new block it lies in (block ids are the proposal's).
        func blockID(of local: Geometry) throws -> String {
            var best = ("", 0.0)
            let e = try local.envelope()
            for cell in cells where Envelope(minX: cell.u0, minY: cell.v0, maxX: cell.u1, maxY: cell.v1).intersects(e) {
                for part in cell.parts where try part.geometry.intersects(local) {
                    let a = try part.geometry.intersection(local).area
                    if a > best.1 { best = (part.blockID, a) }
                }
            }
            return best.0
        }
        var fixedPairs: [FixedPair] = []
        for b in fixedBuildings {
            guard let lot = lotsByID[b.lotID] else { continue }
            let lotLocal = try frame.toLocalSnapped(lot.polygonPlanar)
            let footprint = try frame.toLocalSnapped(b.footprintPlanar)
            fixedPairs.append(FixedPair(lot: lot, building: b, lotLocal: lotLocal, envelope: try lotLocal.envelope(), blockID: try blockID(of: lotLocal)))
            placedFootprints.insert(footprint, envelope: try footprint.envelope(), spacing: rules.spacing(of: b.type))
            for id in [b.id, lot.id] { lotNumber = max(lotNumber, AssetIdentity.split(id).number) }
        }
        fixedLotsLocal = fixedPairs.map { ($0.lotLocal, $0.envelope) }
        var consumed = Set<Int>()
        /// Each cell's prepared parts and row frontage, made when placement first reaches it.
        var cellAids: [Int: CountingAids] = [:]
        func append(_ k: Int) {
            let f = fixedPairs[k]
            newLots.append(Lot(id: f.lot.id, parcelID: f.lot.parcelID, blockID: f.blockID, polygonPlanar: f.lot.polygonPlanar,
                               frontageMetres: f.lot.frontageMetres, streetID: f.lot.streetID))
            newBuildings.append(Building(id: f.building.id, type: f.building.type, parcelID: f.building.parcelID, blockID: f.blockID,
                                         lotID: f.lot.id, footprintPlanar: f.building.footprintPlanar))
        }
        for itemIndex in order {
            let item = program.items[itemIndex]
            let type = item.type
            let lotDepth = rules.lotDepth(of: type)
            let fixedOfType = fixedPairs.indices.filter { fixedPairs[$0].building.type.key == type.key }
            func waiting() -> Int { fixedOfType.filter { !consumed.contains($0) }.count }
            var placed = 0
            var cellIndex = 0
            var rowIndex = 0
            placing: while placed + waiting() < item.count {
                // Frontage: the narrowest that fits the footprint, the lot area and the range,
                // varied by the seed over the lower quarter of the allowed range.
                let minimum = minimumFrontage(of: type)
                let span = max(0, type.lotFrontageMetres.upperBound - minimum)
                let frontage = min(type.lotFrontageMetres.upperBound, minimum + rng.unit() * span * 0.25)
                while cellIndex < cells.count {
                    let cellDepth = cells[cellIndex].v1 - cells[cellIndex].v0
                    let fullDepth = lotDepth >= cellDepth * 0.9
                    let rows = fullDepth ? [Row.full] : [Row.lower, Row.upper]
                    while rowIndex < rows.count {
                        let row = rows[rowIndex]
                        let aids = try cellAids[cellIndex] ?? CountingAids(cells[cellIndex])
                        cellAids[cellIndex] = aids
                        if let result = try nextLot(in: &cells[cellIndex], row: row, frontage: frontage, lotDepth: lotDepth, type: type,
                                                    placed: placedFootprints, streets: candidateIndex,
                                                    takeFixed: { k in fixedOfType.contains(k) && !consumed.contains(k) }, aids: aids) {
                            if let k = result.fixedIndex {
                                consumed.insert(k)
                                append(k)
                                placed += 1
                                continue placing
                            }
                            lotNumber += 1
                            let lotID = "\(pid)-L\(pad(lotNumber, 4))"
                            let lotWorld = try frame.toWorld(result.lot)
                            let footprintWorld = try frame.toWorld(result.building)
                            newLots.append(Lot(id: lotID, parcelID: pid, blockID: result.blockID, polygonPlanar: lotWorld,
                                               frontageMetres: result.frontage, streetID: result.streetID))
                            newBuildings.append(Building(id: "\(pid)-H\(pad(lotNumber, 4))", type: type, parcelID: pid,
                                                         blockID: result.blockID, lotID: lotID, footprintPlanar: footprintWorld))
                            placedFootprints.insert(result.building, envelope: try result.building.envelope(), spacing: rules.spacing(of: type))
                            placed += 1
                            continue placing
                        }
                        rowIndex += 1
                    }
                    rowIndex = 0
                    cellIndex += 1
                }
                break
            }
            // Fixed buildings the placement did not come to are built all the same.
            for k in fixedOfType where !consumed.contains(k) {
                consumed.insert(k)
                append(k)
                placed += 1
            }
            if placed < item.count { shortfalls[itemIndex] = item.count - placed }
        }
        // Fixed buildings of a type the program no longer lists stay too.
        for k in fixedPairs.indices where !consumed.contains(k) { append(k) }

        // 5. The streets kept: compact keeps those lots front and those that join them to the
        // access point (and close the blocks around the lots); spread keeps the whole grid.
        let usedBlocks = Set(newLots.map(\.blockID))
        let keptIndices: [Int]
        switch rules.development {
        case .spread: keptIndices = Array(candidates.indices)
        case .compact:
            keptIndices = compactStreets(candidates, access: access, frontedIDs: Set(newLots.map(\.streetID)),
                                         usedCells: cells.filter { $0.parts.contains { usedBlocks.contains($0.blockID) } })
        }
        var streets: [StreetPiece] = []
        var usedStreetIDs = Set(candidates.map(\.id).filter { !$0.hasPrefix("#") })
        var streetNumber = 0
        var streetRenames: [String: String] = [:]
        for index in keptIndices {
            var piece = candidates[index]
            if piece.id.hasPrefix("#") {
                let provisional = piece.id
                repeat { streetNumber += 1; piece.id = "\(pid)-S\(pad(streetNumber, 2))" } while usedStreetIDs.contains(piece.id)
                usedStreetIDs.insert(piece.id)
                streetRenames[provisional] = piece.id
            }
            streets.append(piece)
        }
        let keptCorridors = streets.isEmpty ? try Geometry.empty(.polygon)
            : try Geometry.union(of: streets.map { try $0.line.buffer($0.width / 2, style: .corridor) }).intersection(boundary)
        for s in streets {
            plan.streets.append(Street(id: s.id, parcelID: pid, kind: s.kind, widthMetres: s.width, centrelinePlanar: try s.world ?? frame.toWorld(s.line)))
        }
        plan.streetAreaSquareMetres[pid] = try keptCorridors.area
        plan.crossings += try crossings(of: streets, zones: crossable, frame: frame, parcelID: pid)

        // Blocks: every cell's in spread; only those holding lots in compact (the rest is
        // reserve), numbered in grid order.
        var blockRenames: [String: String] = [:]
        var blockNumber = 0
        for id in blockOrder where rules.development == .spread || usedBlocks.contains(id) {
            blockNumber += 1
            let newID = "\(pid)-B\(pad(blockNumber, 3))"
            blockRenames[id] = newID
            plan.blocks.append(Block(id: newID, parcelID: pid, polygonPlanar: try frame.toWorld(blocksByID[id]!)))
        }
        for lot in newLots {
            plan.lots.append(Lot(id: lot.id, parcelID: lot.parcelID, blockID: blockRenames[lot.blockID] ?? lot.blockID, polygonPlanar: lot.polygonPlanar,
                                 frontageMetres: lot.frontageMetres, streetID: streetRenames[lot.streetID] ?? lot.streetID))
        }
        for b in newBuildings {
            plan.buildings.append(Building(id: b.id, type: b.type, parcelID: b.parcelID, blockID: blockRenames[b.blockID] ?? b.blockID,
                                           lotID: b.lotID, footprintPlanar: b.footprintPlanar))
        }

        // 6. Land use: developed, reserve with its capacity, unreachable.
        plan.landUse[pid] = try landUse(land: land, keptCorridors: keptCorridors, candidateCorridors: corridors, developable: developable,
                                        cells: cells, usedBlocks: usedBlocks)

        for index in program.items.indices {
            guard let missing = shortfalls[index] else { continue }
            let item = program.items[index]
            let depth = rules.lotDepth(of: item.type)
            plan.unplaced.append(Unplaced(
                parcelID: pid, typeKey: item.type.key, count: missing,
                reason: "only \(item.count - missing) of \(item.count) fit: no street-fronting lot of at least \(fmt(minimumFrontage(of: item.type))) m frontage × \(fmt(depth)) m depth is left in parcel \(pid) (developable land \(fmt(((try? developable.area) ?? 0) / 10_000)) ha after streets and exclusion zones)"))
        }
    }

    /// Grids with at least this many cells cut them on two threads.
    static let parallelCellCount = 1024

    /// A grid cell: between long lines k, k+1 and cross lines j, j+1; the candidate streets near it.
    struct GridCell: Sendable {
        let k: Int, j: Int
        let box: Envelope
        let near: [Int]
    }

    /// What cutting the cells reads: the land, the outline, the developable land and the
    /// candidate streets' corridors (one thread's own copies).
    struct CellInputs: Sendable {
        let land: Geometry, boundary: Geometry, developable: Geometry
        let corridors: [Geometry]
    }

    /// A cell's blocks (its land less the street corridors near it, in pieces of at least
    /// 100 m²) and the street corridors near it, cut to the cell's surroundings and the outline.
    struct CellLand: Sendable {
        let parts: [Geometry]
        let nearby: Geometry
    }

    /// The land of one grid cell; nil when it holds no block.
    static func cellLand(_ g: GridCell, _ own: CellInputs, _ developable: PreparedGeometry, reach: Double) throws -> CellLand? {
        let rect = try Geometry.rectangle(g.box)
        guard try developable.intersects(rect) else { return nil }
        // The corridors of the streets near the cell, not the whole union: a cell's land and
        // frontage depend only on its neighbours.
        let around = try Geometry.rectangle(g.box.expanded(by: reach))
        let nearCorridors = g.near.isEmpty ? nil : try Geometry.union(of: g.near.map { own.corridors[$0] })
        var cellLand = try rect.intersection(own.land)
        if let nearCorridors { cellLand = try cellLand.difference(nearCorridors) }
        var parts: [Geometry] = []
        for part in try cellLand.parts() where part.type == .polygon {
            guard try part.area >= 100 else { continue }
            parts.append(part)
        }
        guard !parts.isEmpty else { return nil }
        let nearby = try nearCorridors.map { try $0.intersection(around).intersection(own.boundary) } ?? Geometry.empty(.polygon)
        return CellLand(parts: parts, nearby: nearby)
    }

    /// Cells in bit-reversed order of their distance rank: each next cell halves the largest
    /// gap left, so a program smaller than the parcel lands at even density over all of it.
    func evenlySpread(_ cells: [Cell]) -> [Cell] {
        guard cells.count > 2 else { return cells }
        var bits = 0
        while (1 << bits) < cells.count { bits += 1 }
        var order: [Int] = []
        for i in 0..<(1 << bits) {
            var r = 0
            for b in 0..<bits where i & (1 << b) != 0 { r |= 1 << (bits - 1 - b) }
            if r < cells.count { order.append(r) }
        }
        return order.map { cells[$0] }
    }

    /// The access point may lie this far off the parcel's outline, metres.
    static let accessToleranceMetres = 1.0

    /// The narrowest lot a type can have: its footprint with side setbacks, its lot range, and
    /// its smallest lot area over its depth, metres.
    func minimumFrontage(of type: BuildingType) -> Double {
        max(type.lotFrontageMetres.lowerBound, type.footprintWidthMetres + 2 * rules.setbacks(of: type).sideMetres,
            type.lotAreaSquareMetres.lowerBound / rules.lotDepth(of: type))
    }

    func report(_ plan: inout SitePlan, reason: String) {
        for item in program.items where item.count > 0 {
            plan.unplaced.append(Unplaced(parcelID: parcel.id, typeKey: item.type.key, count: item.count, reason: reason))
        }
    }
}

func pad(_ n: Int, _ width: Int) -> String {
    let s = String(n)
    return s.count >= width ? s : String(repeating: "0", count: width - s.count) + s
}
