import SiteVocabulary
import SiteGeometry
import SiteProjection

/// Lays out streets, blocks, lots and buildings on each parcel of a scenario.
///
/// The method, per parcel, in a frame aligned with the parcel's principal axis (the long side
/// of its minimum rotated rectangle):
/// 1. Streets: long streets every block depth plus street width, and cross streets every
///    maximum block length, anchored on the parcel's access point; the street through the
///    access point is the primary one. Street lines are clipped to the parcel less the
///    exclusion zones (so they avoid them), and only the pieces connected to the access point
///    are kept.
/// 2. Blocks: the cells between streets, less street corridors and exclusion zones; concave
///    edges and holes simply cut them.
/// 3. Lots: each block is split into a front row on each long street (or one full-depth row
///    for deep lots), and each row into lots along the street, nearest blocks to the access
///    point first, largest building types first. A lot is kept only if it has street
///    frontage, the right area, and its building fits with every setback.
/// 4. Buildings: centred on the lot frontage, facing the street, set back from it.
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

    public init(scenario: Scenario, seed: UInt64 = 1, fixed: FixedAssets = FixedAssets()) {
        self.scenario = scenario
        self.seed = seed
        self.fixed = fixed
    }

    public func plan() throws -> SitePlan {
        var plan = SitePlan(seed: seed)
        for parcel in scenario.parcels {
            var rng = SplitMix64(seed: seed ^ FNV1a.of(parcel.id))
            var layout = ParcelLayout(parcel: parcel, scenario: scenario, rng: &rng, fixed: fixed)
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
    /// The fixed lots in the local frame, for the overlap test of new lots.
    var fixedLotsLocal: [(Geometry, Envelope)] = []

    /// A fixed lot with its building, and the new block it lies in.
    struct FixedPair {
        let lot: Lot
        let building: Building
        let lotLocal: Geometry
        let envelope: Envelope
        let blockID: String
    }

    init(parcel: Parcel, scenario: Scenario, rng: inout SplitMix64, fixed: FixedAssets = FixedAssets()) {
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
    }

    struct Cell {
        let u0: Double, u1: Double, v0: Double, v1: Double
        let parts: [(geometry: Geometry, blockID: String)]
        /// The street corridors near the cell: all a lot or building in it can touch or see.
        let nearbyCorridors: Geometry
        let distance: Double
        let order: Int
        var fullCursor: Double
        var lowerCursor: Double
        var upperCursor: Double
    }

    mutating func run(into plan: inout SitePlan) throws {
        let frame = try LocalFrame.principalAxes(of: parcel.boundaryPlanar)
        let boundary = try frame.toLocalSnapped(parcel.boundaryPlanar)
        let zones = try scenario.exclusions.filter { try $0.parcelID == parcel.id || $0.boundaryPlanar.intersects(parcel.boundaryPlanar) }
        let exclusion = zones.isEmpty ? nil : try frame.toLocalSnapped(Geometry.union(of: zones.map(\.boundaryPlanar)))
        let land = try exclusion.map { try boundary.difference($0) } ?? boundary
        let pid = parcel.id

        // The access point: given, else the boundary vertex nearest the parcel's centroid.
        let accessPlanar: XY
        if let given = scenario.accessPoints[pid] {
            accessPlanar = try scenario.frame.toPlanar(given)
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

        // 1. Streets.
        let wLocal = rules.localStreetWidthMetres, wPrimary = rules.primaryStreetWidthMetres
        let region = try exclusion.map { try boundary.difference($0.buffer(wLocal / 2)) } ?? boundary
        let env = try boundary.envelope().expanded(by: 10)
        let spacingV = rules.blockDepthMetres + wLocal     // between long streets (lines of constant v)
        let spacingU = rules.maxBlockLengthMetres + wLocal // between cross streets (lines of constant u)

        func longLine(_ v: Double) throws -> Geometry { try .lineString([XY(env.minX, v), XY(env.maxX, v)]) }
        func crossLine(_ u: Double) throws -> Geometry { try .lineString([XY(u, env.minY), XY(u, env.maxY)]) }
        func piecesOf(_ line: Geometry) throws -> [Geometry] {
            try line.intersection(region).parts().filter { try $0.type == .lineString && $0.length > 1 }
        }
        func pieceAtAccess(_ line: Geometry) throws -> Geometry? {
            let point = try Geometry.point(access)
            return try piecesOf(line).first { try $0.distance(to: point) < 0.01 }
        }
        let longAtAccess = try pieceAtAccess(longLine(access.y))
        let crossAtAccess = try pieceAtAccess(crossLine(access.x))
        let primaryIsLong = (try longAtAccess?.length ?? 0) >= (try crossAtAccess?.length ?? 0)
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
        for v in vLines {
            for piece in try piecesOf(longLine(v)) {
                let primary = try isPrimaryLong(v) && piece.distance(to: accessPoint) < 0.01
                if primary { primaryIndex = pieces.count }
                pieces.append(StreetPiece(line: piece, kind: primary ? .primary : .local, width: primary ? wPrimary : wLocal))
            }
        }
        for u in uLines {
            for piece in try piecesOf(crossLine(u)) {
                let primary = try isPrimaryCross(u) && piece.distance(to: accessPoint) < 0.01
                if primary { primaryIndex = pieces.count }
                pieces.append(StreetPiece(line: piece, kind: primary ? .primary : .local, width: primary ? wPrimary : wLocal))
            }
        }
        if primaryIndex == nil, !pieces.isEmpty {
            // The access point is on a corner no grid line enters: a primary spur joins it to
            // the nearest street.
            let nearest = try pieces.indices.min { try pieces[$0].line.distance(to: accessPoint) < pieces[$1].line.distance(to: accessPoint) }!
            let (onStreet, _) = try pieces[nearest].line.nearestPoints(to: accessPoint)
            let spur = try Geometry.lineString([access, onStreet])
            primaryIndex = pieces.count
            pieces.append(StreetPiece(line: spur, kind: .primary, width: wPrimary))
        }
        // Fixed streets replace the grid pieces they coincide with (within 1 m); other grid
        // pieces stop at fixed lots. A fixed street through the access point is the primary.
        if !fixedStreets.isEmpty || !fixedLots.isEmpty {
            let fixedPieces = try fixedStreets.map { s in
                StreetPiece(line: try frame.toLocal(s.centrelinePlanar), kind: s.kind, width: s.widthMetres, id: s.id, world: s.centrelinePlanar)
            }
            // The lots' interiors: a street along a lot's edge is not cut by it.
            let builtLots = fixedLots.isEmpty ? nil : try Geometry.union(of: fixedLots.map { try frame.toLocalSnapped($0.polygonPlanar) }).buffer(-0.5)
            // In grid order, each grid piece replaced by its fixed twin in place, so a re-plan
            // of the same scenario and seed lays out the same streets.
            var kept: [StreetPiece] = []
            var newPrimary: Int?
            var used = Set<Int>()
            for (i, piece) in pieces.enumerated() {
                if let twin = try fixedPieces.indices.first(where: { try !used.contains($0) && fixedPieces[$0].line.hausdorffDistance(to: piece.line) <= 1.0 }) {
                    used.insert(twin)
                    if i == primaryIndex { newPrimary = kept.count }
                    var fixedPiece = fixedPieces[twin]
                    // The same line as before (to a millimetre): lay out against the grid's own
                    // numbers, so an unchanged scenario re-plans to the same lots.
                    if try fixedPiece.line.hausdorffDistance(to: piece.line) <= 0.001 {
                        fixedPiece = StreetPiece(line: piece.line, kind: fixedPiece.kind, width: fixedPiece.width, id: fixedPiece.id, world: fixedPiece.world)
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
            report(&plan, reason: "no street fits: the parcel is narrower than one street grid cell")
            return
        }
        try linkComponents(&pieces, from: primary, region: region, width: wLocal)
        let kept = try connected(pieces, from: primary)
        var streets: [StreetPiece] = []
        var usedStreetIDs = Set(pieces.map(\.id).filter { !$0.isEmpty })
        var streetNumber = 0
        for index in kept {
            var piece = pieces[index]
            if piece.id.isEmpty {
                repeat { streetNumber += 1; piece.id = "\(pid)-S\(pad(streetNumber, 2))" } while usedStreetIDs.contains(piece.id)
                usedStreetIDs.insert(piece.id)
            }
            streets.append(piece)
        }
        // A fixed street the grid no longer reaches is kept all the same: it is built.
        for piece in pieces where piece.world != nil && !streets.contains(where: { $0.id == piece.id }) { streets.append(piece) }
        let corridors = try Geometry.union(of: streets.map { try $0.line.buffer($0.width / 2, style: .corridor) }).intersection(boundary)
        let developable = try land.difference(corridors)
        for s in streets {
            plan.streets.append(Street(id: s.id, parcelID: pid, kind: s.kind, widthMetres: s.width, centrelinePlanar: try s.world ?? frame.toWorld(s.line)))
        }
        plan.streetAreaSquareMetres[pid] = try corridors.area

        // 2. Blocks: grid cells less streets and exclusions.
        let widthAtV = { (v: Double) -> Double in isPrimaryLong(v) ? wPrimary : wLocal }
        let widthAtU = { (u: Double) -> Double in isPrimaryCross(u) ? wPrimary : wLocal }
        var cells: [Cell] = []
        var blockCount = 0
        let developablePrepared = try developable.prepared()
        for k in 0..<(vLines.count - 1) {
            for j in 0..<(uLines.count - 1) {
                let u0 = uLines[j] + widthAtU(uLines[j]) / 2, u1 = uLines[j + 1] - widthAtU(uLines[j + 1]) / 2
                let v0 = vLines[k] + widthAtV(vLines[k]) / 2, v1 = vLines[k + 1] - widthAtV(vLines[k + 1]) / 2
                let rect = try Geometry.rectangle(Envelope(minX: u0, minY: v0, maxX: u1, maxY: v1))
                guard try developablePrepared.intersects(rect) else { continue }
                var parts: [(Geometry, String)] = []
                for part in try rect.intersection(developable).parts() where part.type == .polygon {
                    guard try part.area >= 100 else { continue }
                    blockCount += 1
                    let id = "\(pid)-B\(pad(blockCount, 3))"
                    parts.append((part, id))
                    plan.blocks.append(Block(id: id, parcelID: pid, polygonPlanar: try frame.toWorld(part)))
                }
                guard !parts.isEmpty else { continue }
                let centre = XY((u0 + u1) / 2, (v0 + v1) / 2)
                let reach = max(rules.frontSetbackMetres, wPrimary) + 1
                let nearby = try corridors.intersection(Geometry.rectangle(Envelope(minX: u0, minY: v0, maxX: u1, maxY: v1).expanded(by: reach)))
                cells.append(Cell(u0: u0, u1: u1, v0: v0, v1: v1, parts: parts, nearbyCorridors: nearby,
                                  distance: centre.distance(to: access), order: cells.count,
                                  fullCursor: u0, lowerCursor: u0, upperCursor: u0))
            }
        }
        cells.sort { ($0.distance, $0.order) < ($1.distance, $1.order) }

        // 3-4. Lots and buildings, largest types first (they need the deepest lots).
        let order = program.items.indices.sorted {
            let a = program.items[$0].type, b = program.items[$1].type
            let da = rules.lotDepth(of: a), db = rules.lotDepth(of: b)
            if da != db { return da > db }
            if a.footprintSquareMetres != b.footprintSquareMetres { return a.footprintSquareMetres > b.footprintSquareMetres }
            return $0 < $1
        }
        var placedFootprints: [(Geometry, Envelope)] = []
        var lotNumber = 0
        var shortfalls: [Int: Int] = [:]
        // Fixed lots and buildings, as stored. Placement runs as it would without them; a
        // slot that comes out as a fixed lot (within 1 m, same type) takes the fixed one, and
        // any other slot overlapping a fixed lot is passed over. So an unchanged scenario
        // re-plans to the same lots, and a changed one lays the rest out around what is built.
        // Fixed buildings count towards the program; new numbers start after every fixed one.
        let lotsByID = Dictionary(fixedLots.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        /// A fixed lot's block is the new block it lies in (block ids are the proposal's).
        func blockID(of local: Geometry) throws -> String {
            var best = ("", 0.0)
            for cell in cells {
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
            placedFootprints.append((footprint, try footprint.envelope()))
            for id in [b.id, lot.id] { lotNumber = max(lotNumber, AssetIdentity.split(id).number) }
        }
        fixedLotsLocal = fixedPairs.map { ($0.lotLocal, $0.envelope) }
        var consumed = Set<Int>()
        func append(_ k: Int) {
            let f = fixedPairs[k]
            plan.lots.append(Lot(id: f.lot.id, parcelID: f.lot.parcelID, blockID: f.blockID, polygonPlanar: f.lot.polygonPlanar,
                                 frontageMetres: f.lot.frontageMetres, streetID: f.lot.streetID))
            plan.buildings.append(Building(id: f.building.id, type: f.building.type, parcelID: f.building.parcelID, blockID: f.blockID,
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
                let minimum = max(type.lotFrontageMetres.lowerBound, type.footprintWidthMetres + 2 * rules.sideSetbackMetres,
                                  type.lotAreaSquareMetres.lowerBound / lotDepth)
                let span = max(0, type.lotFrontageMetres.upperBound - minimum)
                let frontage = min(type.lotFrontageMetres.upperBound, minimum + rng.unit() * span * 0.25)
                while cellIndex < cells.count {
                    let cellDepth = cells[cellIndex].v1 - cells[cellIndex].v0
                    let fullDepth = lotDepth >= cellDepth * 0.9
                    let rows = fullDepth ? [Row.full] : [Row.lower, Row.upper]
                    while rowIndex < rows.count {
                        let row = rows[rowIndex]
                        if let result = try nextLot(in: &cells[cellIndex], row: row, frontage: frontage, lotDepth: lotDepth, type: type,
                                                    placed: placedFootprints, streets: streets,
                                                    takeFixed: { k in fixedOfType.contains(k) && !consumed.contains(k) }) {
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
                            plan.lots.append(Lot(id: lotID, parcelID: pid, blockID: result.blockID, polygonPlanar: lotWorld,
                                                 frontageMetres: result.frontage, streetID: result.streetID))
                            plan.buildings.append(Building(id: "\(pid)-H\(pad(lotNumber, 4))", type: type, parcelID: pid,
                                                           blockID: result.blockID, lotID: lotID, footprintPlanar: footprintWorld))
                            placedFootprints.append((result.building, try result.building.envelope()))
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
        for index in program.items.indices {
            guard let missing = shortfalls[index] else { continue }
            let item = program.items[index]
            let depth = rules.lotDepth(of: item.type)
            plan.unplaced.append(Unplaced(
                parcelID: pid, typeKey: item.type.key, count: missing,
                reason: "only \(item.count - missing) of \(item.count) fit: no street-fronting lot of at least \(fmt(max(item.type.lotFrontageMetres.lowerBound, item.type.footprintWidthMetres + 2 * rules.sideSetbackMetres))) m frontage × \(fmt(depth)) m depth is left in parcel \(pid) (developable land \(fmt(((try? developable.area) ?? 0) / 10_000)) ha after streets and exclusion zones)"))
        }
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
