import SiteGeometry

/// Polygons as plain coordinates (planning CRS, metres) for exact "certainly apart" tests
/// before a GEOS call: a pair whose distance, computed here, exceeds a margin far above the
/// rounding error cannot intersect, so the GEOS call it would have made is skipped; every
/// other pair is decided by GEOS as before. Geometries that are not single polygons get no
/// coordinates and are never skipped.
struct PlanarShapes {
    private(set) var columns = PolygonColumns()
    /// Per geometry: its polygon index in `columns`, or nil (not a polygon: always tested).
    private(set) var polygon: [Int?] = []
    private(set) var boxes: [Envelope?] = []

    init(_ geometries: [Geometry]) throws {
        for g in geometries {
            guard g.type == .polygon else { polygon.append(nil); boxes.append(nil); continue }
            let rings = try g.polygonRings()
            guard let exterior = rings.first, exterior.count >= 4, let box = Envelope(of: exterior) else {
                polygon.append(nil); boxes.append(nil); continue
            }
            polygon.append(columns.count)
            boxes.append(box)
            columns.append(rings: rings.map { $0.map { ($0.x, $0.y) } })
        }
    }

    /// The least distance between geometry `i` (as an area) and the polyline `line`, metres;
    /// nil when geometry `i` has no coordinates here or the line none.
    func distance(_ i: Int, to line: [XY]) -> Double? {
        guard let k = polygon[i], let b = boxes[i], !line.isEmpty else { return nil }
        let box = (b.minX, b.minY, b.maxX, b.maxY)
        return columns.xy.withUnsafeBufferPointer { xy in
            columns.ringStart.withUnsafeBufferPointer { rings in
                let ref = PolygonRef(xy: xy.baseAddress!, ringStart: rings.baseAddress!,
                                     firstRing: Int(columns.polygonRingStart[k]), endRing: Int(columns.polygonRingStart[k + 1]))
                var best = Double.infinity
                if line.count == 1 { return polygonSegmentDistance2(ref, box, line[0].x, line[0].y, line[0].x, line[0].y).squareRoot() }
                for j in 1..<line.count {
                    best = min(best, polygonSegmentDistance2(ref, box, line[j - 1].x, line[j - 1].y, line[j].x, line[j].y))
                    if best == 0 { break }
                }
                return best.squareRoot()
            }
        }
    }
}
