import SiteVocabulary
import SiteGeometry

/// A parcel's land use after layout, and what its reserve could hold.
extension ParcelLayout {
    /// Developed land (blocks with lots and the kept street corridors), unreachable land (the
    /// parts of the land no candidate street touches: beyond a zone streets may not cross),
    /// and the reserve (the rest), with its capacity: lots of each program type the unused
    /// cells hold when each type alone is placed in them by the same lot placement, at the
    /// type's narrowest frontage.
    func landUse(land: Geometry, keptCorridors: Geometry, candidateCorridors: Geometry, developable: Geometry,
                 cells: [Cell], usedBlocks: Set<String>) throws -> LandUse {
        let landArea = try land.area
        var usedArea = 0.0
        var unused: [Cell] = []
        for cell in cells {
            if cell.parts.contains(where: { usedBlocks.contains($0.blockID) }) {
                for part in cell.parts where usedBlocks.contains(part.blockID) { usedArea += try part.geometry.area }
            } else {
                unused.append(cell)
            }
        }
        let developed = usedArea + (try keptCorridors.intersection(land).area)
        // Unreachable: land pieces the candidate streets do not come within a centimetre of.
        var unreachable = 0.0
        let streetsPrepared = try candidateCorridors.prepared()
        for part in try developable.parts() where part.type == .polygon {
            if try !streetsPrepared.isWithinDistance(0.01, of: part) { unreachable += try part.area }
        }
        // Capacity, type by type, on fresh copies of the unused cells. With many unused cells
        // (and no fixed lot, whose geometry every count would read) the types are counted on
        // two threads, the second on its own copies of the cells' geometries (made here, before
        // the threads start); each type's count is the same either way.
        var types: [BuildingType] = []
        var seen = Set<String>()
        for item in program.items where seen.insert(item.type.key).inserted { types.append(item.type) }
        let wanted = cellThreads ?? (unused.count >= Self.parallelCapacityCells ? 2 : 1)
        let threads = fixedLotsLocal.isEmpty ? max(1, min(wanted, types.count)) : 1
        var cellSets = [unused]
        for _ in 1..<threads {
            cellSets.append(try unused.map { c in
                Cell(u0: c.u0, u1: c.u1, v0: c.v0, v1: c.v1, parts: try c.parts.map { (geometry: try $0.geometry.copy(), blockID: $0.blockID) },
                     nearbyCorridors: try c.nearbyCorridors.copy(), distance: c.distance, order: c.order, k: c.k, j: c.j,
                     fullCursor: c.fullCursor, lowerCursor: c.lowerCursor, upperCursor: c.upperCursor)
            })
        }
        let layout = self, sets = cellSets, typeList = types
        let run = (types.count + threads - 1) / threads
        let capacity: [(String, Int)] = try parallelMap(threads, threads: threads) { t in
            let cells = sets[t]
            // Each cell's prepared parts and row frontage, shared by the types counted here.
            let countingAids = try cells.map { try CountingAids($0) }
            return try typeList[min(typeList.count, t * run)..<min(typeList.count, (t + 1) * run)].map { type in
                (type.key, try layout.capacity(of: type, cells: cells, aids: countingAids))
            }
        }.flatMap { $0 }
        return LandUse(landSquareMetres: landArea, developedSquareMetres: developed,
                       reserveSquareMetres: max(0, landArea - developed - unreachable), unreachableSquareMetres: unreachable,
                       reserveCapacity: capacity)
    }

    /// Unused cells from which the reserve's capacity is counted on two threads.
    static let parallelCapacityCells = 256

    /// Lots of `type` the unused cells hold when it alone is placed in them, at its narrowest
    /// frontage. Cells of the same shape with the same streets around hold the same lots:
    /// counted once.
    func capacity(of type: BuildingType, cells unused: [Cell], aids countingAids: [CountingAids]) throws -> Int {
        let lotDepth = rules.lotDepth(of: type)
        let frontage = minimumFrontage(of: type)
        var memo: [CellShape: Int] = [:]
        var total = 0
        for (cell, aids) in zip(unused, countingAids) where !cell.nearbyCorridors.isEmpty {
            let shape = try CellShape(cell)
            if let n = shape.map({ memo[$0] }) ?? nil { total += n; continue }
            var fresh = cell
            fresh.fullCursor = cell.u0; fresh.lowerCursor = cell.u0; fresh.upperCursor = cell.u0
            let fullDepth = lotDepth >= (cell.v1 - cell.v0) * 0.9
            var placed = FootprintIndex()
            var n = 0
            for row in fullDepth ? [Row.full] : [Row.lower, Row.upper] {
                while let lot = try nextLot(in: &fresh, row: row, frontage: frontage, lotDepth: lotDepth, type: type,
                                            placed: placed, streets: StreetIndex([]), counting: aids) {
                    placed.insert(lot.building, envelope: try lot.building.envelope(), spacing: rules.spacing(of: type))
                    n += 1
                }
            }
            if let shape { memo[shape] = n }
            total += n
        }
        return total
    }

    /// A whole rectangular cell with its street corridors, up to translation (millimetres):
    /// two such cells hold the same lots. Nil for a cell cut by the outline or a zone.
    struct CellShape: Hashable {
        let width: Int64, depth: Int64, corridors: [Int64]

        init?(_ cell: Cell) throws {
            guard cell.parts.count == 1 else { return nil }
            let w = cell.u1 - cell.u0, d = cell.v1 - cell.v0
            guard try abs(cell.parts[0].geometry.area - w * d) < 1e-3 else { return nil }
            width = Int64((w * 1000).rounded())
            depth = Int64((d * 1000).rounded())
            // The corridors near the cell, relative to its corner.
            let e = try cell.nearbyCorridors.envelope()
            let area = try cell.nearbyCorridors.area
            corridors = [e.minX - cell.u0, e.minY - cell.v0, e.maxX - cell.u0, e.maxY - cell.v0, area].map { Int64(($0 * 1000).rounded()) }
        }
    }
}
