import SiteDrivers
import SiteVocabulary
import SiteGeometry
import SiteProjection

/// Writes RFC 7946 GeoJSON: [longitude, latitude] positions with at most `decimals` decimals
/// (7 by default, about 1 cm), counter-clockwise exterior rings and clockwise holes, no `crs`
/// member, the feature `id` kept both as the feature id and as `properties.id` (so GDAL and
/// QGIS show it as a field). Output is deterministic: same features, same bytes.
///
/// The text is built as UTF-8 bytes. A layer is read from GEOS once (`GeoJSONLayer`, on the
/// thread that owns its geometries), then its features can be projected and rendered in
/// pieces on any threads (`features(_:in:)`) and the pieces written one after another
/// (`header`, the pieces, `footer`): the same bytes as `featureCollection(_:)`.
public struct GeoJSONWriter: Sendable {
    public var decimals: Int

    public init(decimals: Int = 7) {
        precondition((0...15).contains(decimals), "decimals must be 0...15")
        self.decimals = decimals
    }

    /// One layer as a FeatureCollection, projected once from the layer's CRS to WGS84 lon/lat;
    /// the layer's name becomes a foreign member that GDAL uses as layer name.
    public func featureCollection(_ layer: Layer) throws -> String {
        String(decoding: try featureCollectionBytes(layer), as: UTF8.self)
    }

    /// `featureCollection(_:)` as UTF-8 bytes.
    public func featureCollectionBytes(_ layer: Layer) throws -> [UInt8] {
        let prepared = try GeoJSONLayer(layer)
        return header(name: layer.name) + (try features(prepared, in: 0..<prepared.count)) + footer
    }

    /// One FeatureCollection of features already in WGS84 lon/lat; `name` becomes a foreign
    /// member that GDAL uses as layer name.
    public func featureCollection(lonLat features: [Feature], name: String? = nil) throws -> String {
        let prepared = try GeoJSONLayer(Layer(name: name ?? "", crs: .wgs84, features: features))
        return String(decoding: header(name: name) + (try self.features(prepared, in: 0..<prepared.count)) + footer, as: UTF8.self)
    }

    /// `layer` as a FeatureCollection in pieces to be written one after another: the header,
    /// the features in ranges of `featuresPerPiece`, each projected and rendered on one of up
    /// to `threads` threads, and the footer. The same bytes as `featureCollectionBytes`
    /// whatever `threads` is. When several ranges fail, the first range's error is thrown.
    public func featureCollectionPieces(_ layer: GeoJSONLayer, threads: Int, featuresPerPiece: Int = 1024) throws -> [[UInt8]] {
        precondition(featuresPerPiece > 0, "featuresPerPiece must be positive")
        let ranges = stride(from: 0, to: layer.count, by: featuresPerPiece).map { $0..<min($0 + featuresPerPiece, layer.count) }
        let pieces = try parallelMap(ranges.count, threads: threads) { try self.features(layer, in: ranges[$0]) }
        return [header(name: layer.name)] + pieces + [footer]
    }

    /// The start of a FeatureCollection, up to its first feature.
    public func header(name: String?) -> [UInt8] {
        var out = Array("{\"type\":\"FeatureCollection\"".utf8)
        if let name { out += Array(",\"name\":".utf8); JSONBytes.appendString(name, to: &out) }
        out += Array(",\"features\":[".utf8)
        return out
    }

    /// The end of a FeatureCollection, after its last feature.
    public var footer: [UInt8] { Array("\n]}\n".utf8) }

    /// The features `range` of `layer` in WGS84 lon/lat, each on a line of its own: the piece of
    /// the FeatureCollection between `header` and `footer` (the first feature of the layer
    /// starts a line, every other one ends the line before with a comma). Projects the range's
    /// vertices with this thread's PROJ transformer, so each thread may render a range of its own.
    public func features(_ layer: GeoJSONLayer, in range: Range<Int>) throws -> [UInt8] {
        if range.isEmpty { return [] }
        let vertices = layer.vertexRange(range)
        var xy = Array(layer.xy[vertices])
        if layer.crs != .wgs84 {
            // To WGS84, the planning transformation run backwards, as `Layer.projected(to:)` does.
            let toPlanning = try Transformer.shared(from: .wgs84, to: layer.crs)
            do {
                try toPlanning.transform(&xy, inverse: true)
            } catch {
                // The error `Layer.projected(to:)` throws: the first line or ring that fails.
                for shape in layer.shapes[range] { if let shape { try Self.projectEachLine(shape, layer.xy, toPlanning) } }
                throw error
            }
        }
        var out: [UInt8] = []
        out.reserveCapacity(xy.count * 2 * (decimals + 8) + range.count * 256)
        var measurements = MeasurementKeys()
        try xy.withUnsafeBufferPointer { buffer in
            // Positions of this range, indexed as in the layer's buffer.
            let positions = Positions(base: buffer, offset: vertices.lowerBound)
            for k in range {
                if k > 0 { out.append(UInt8(ascii: ",")) }
                out.append(UInt8(ascii: "\n"))
                try write(id: layer.ids[k], properties: layer.properties[k], shape: layer.shapes[k], positions, measurements: &measurements, into: &out)
            }
        }
        return out
    }

    /// Each line and ring of `shape` projected on its own (the way `Layer.projected(to:)`
    /// projects), throwing at the first that fails.
    private static func projectEachLine(_ shape: VertexShape, _ xy: [XY], _ toPlanning: Transformer) throws {
        switch shape {
        case .point(let r), .line(_, let r):
            var points = Array(xy[r])
            try toPlanning.transform(&points, inverse: true)
        case .polygon(let rings):
            for r in rings { var points = Array(xy[r]); try toPlanning.transform(&points, inverse: true) }
        case .collection(_, let parts):
            for part in parts { try projectEachLine(part, xy, toPlanning) }
        }
    }

    /// One feature whose geometry is in WGS84 lon/lat.
    public func write(_ feature: Feature, into out: inout String) throws {
        let prepared = try GeoJSONLayer(Layer(name: "", crs: .wgs84, features: [feature]))
        var bytes: [UInt8] = []
        try prepared.xy.withUnsafeBufferPointer { buffer in
            var measurements = MeasurementKeys()
            try write(id: feature.id, properties: feature.properties, shape: prepared.shapes[0], Positions(base: buffer, offset: 0),
                      measurements: &measurements, into: &bytes)
        }
        out += String(decoding: bytes, as: UTF8.self)
    }

    public func geometryJSON(_ geometry: Geometry) throws -> String {
        var columns = VertexColumns()
        let shape = try columns.append(geometry)
        var out: [UInt8] = []
        columns.xy.withUnsafeBufferPointer { writeGeometry(shape, Positions(base: $0, offset: 0), into: &out) }
        return String(decoding: out, as: UTF8.self)
    }

    private func write(id: String?, properties: JSONObject, shape: VertexShape?, _ positions: Positions,
                       measurements: inout MeasurementKeys, into out: inout [UInt8]) throws {
        out.append(contentsOf: "{\"type\":\"Feature\"".utf8)
        if let id {
            out.append(contentsOf: ",\"id\":".utf8)
            JSONBytes.appendString(id, to: &out)
        }
        out.append(contentsOf: ",\"properties\":{".utf8)
        // The id first, then every other attribute in order (an attribute "id" gives way to
        // the feature's id).
        var first = true
        if let id {
            out.append(contentsOf: "\"id\":".utf8)
            JSONBytes.appendString(id, to: &out)
            first = false
        }
        for (position, member) in properties.members.enumerated() where id == nil || member.key != "id" {
            if !first { out.append(UInt8(ascii: ",")) }
            first = false
            JSONBytes.appendString(member.key, to: &out)
            out.append(UInt8(ascii: ":"))
            // A measurement is written as a real number even when it is whole ("160.0"), so
            // GDAL types the field Real, as in the GeoPackage (AttributeSchema).
            if case .number(let x) = member.value, x.isFinite, measurements.isMeasurement(member.key, at: position) {
                let start = out.count
                JSONBytes.appendNumber(x, to: &out)
                if !out[start...].contains(where: { $0 == UInt8(ascii: ".") || $0 == UInt8(ascii: "e") || $0 == UInt8(ascii: "E") }) {
                    out.append(contentsOf: ".0".utf8)
                }
            } else {
                JSONBytes.append(member.value, to: &out)
            }
        }
        out.append(UInt8(ascii: "}"))
        out.append(contentsOf: ",\"geometry\":".utf8)
        if let shape { writeGeometry(shape, positions, into: &out) } else { out.append(contentsOf: "null".utf8) }
        out.append(UInt8(ascii: "}"))
    }

    private func writeGeometry(_ shape: VertexShape, _ positions: Positions, into out: inout [UInt8]) {
        out.append(contentsOf: "{\"type\":\"".utf8)
        out.append(contentsOf: (shape.type == .linearRing ? "LineString" : shape.type.description).utf8)
        out.append(contentsOf: "\",".utf8)
        switch shape {
        case .point(let r):
            out.append(contentsOf: "\"coordinates\":".utf8)
            if r.isEmpty { out.append(contentsOf: "[]".utf8) } else { writePosition(positions[r.lowerBound], into: &out) }
        case .line(_, let r):
            out.append(contentsOf: "\"coordinates\":".utf8)
            writePositions(positions, r, reversed: false, into: &out)
        case .polygon(let rings):
            out.append(contentsOf: "\"coordinates\":".utf8)
            writePolygon(rings, positions, into: &out)
        case .collection(.geometryCollection, let parts):
            out.append(contentsOf: "\"geometries\":[".utf8)
            for (k, part) in parts.enumerated() {
                if k > 0 { out.append(UInt8(ascii: ",")) }
                writeGeometry(part, positions, into: &out)
            }
            out.append(UInt8(ascii: "]"))
        case .collection(_, let parts):
            out.append(contentsOf: "\"coordinates\":[".utf8)
            for (k, part) in parts.enumerated() {
                if k > 0 { out.append(UInt8(ascii: ",")) }
                switch part {
                case .point(let r):
                    if r.isEmpty { out.append(contentsOf: "[]".utf8) } else { writePosition(positions[r.lowerBound], into: &out) }
                case .polygon(let rings): writePolygon(rings, positions, into: &out)
                case .line(_, let r): writePositions(positions, r, reversed: false, into: &out)
                case .collection: writeGeometry(part, positions, into: &out)
                }
            }
            out.append(UInt8(ascii: "]"))
        }
        out.append(UInt8(ascii: "}"))
    }

    private func writePolygon(_ rings: [Range<Int>], _ positions: Positions, into out: inout [UInt8]) {
        if rings.isEmpty { out.append(contentsOf: "[]".utf8); return }
        out.append(UInt8(ascii: "["))
        for (k, r) in rings.enumerated() {
            // RFC 7946 section 3.1.6: exterior counter-clockwise, holes clockwise.
            let ccw = signedRingArea(positions.array(r)) > 0
            if k > 0 { out.append(UInt8(ascii: ",")) }
            writePositions(positions, r, reversed: (k == 0) != ccw, into: &out)
        }
        out.append(UInt8(ascii: "]"))
    }

    private func writePositions(_ positions: Positions, _ r: Range<Int>, reversed: Bool, into out: inout [UInt8]) {
        out.append(UInt8(ascii: "["))
        var first = true
        if reversed {
            for i in r.reversed() {
                if !first { out.append(UInt8(ascii: ",")) }
                first = false
                writePosition(positions[i], into: &out)
            }
        } else {
            for i in r {
                if !first { out.append(UInt8(ascii: ",")) }
                first = false
                writePosition(positions[i], into: &out)
            }
        }
        out.append(UInt8(ascii: "]"))
    }

    @inline(__always)
    private func writePosition(_ p: XY, into out: inout [UInt8]) {
        out.append(UInt8(ascii: "["))
        JSONBytes.appendFixed(p.x, decimals: decimals, to: &out)
        out.append(UInt8(ascii: ","))
        JSONBytes.appendFixed(p.y, decimals: decimals, to: &out)
        out.append(UInt8(ascii: "]"))
    }
}

/// `AttributeSchema.isMeasurement` of attribute keys, remembered by the key's position: the
/// features of a layer mostly have the same keys in the same order.
private struct MeasurementKeys {
    var keys: [String] = []
    var flags: [Bool] = []

    mutating func isMeasurement(_ key: String, at position: Int) -> Bool {
        while keys.count <= position { keys.append(""); flags.append(AttributeSchema.isMeasurement("")) }
        if keys[position] != key {
            keys[position] = key
            flags[position] = AttributeSchema.isMeasurement(key)
        }
        return flags[position]
    }
}

/// The projected positions of a range of features, indexed as in the layer's vertex buffer.
private struct Positions {
    let base: UnsafeBufferPointer<XY>
    let offset: Int

    subscript(i: Int) -> XY { base[i - offset] }

    func array(_ r: Range<Int>) -> [XY] { Array(base[(r.lowerBound - offset)..<(r.upperBound - offset)]) }
}

/// A layer read from GEOS for the GeoJSON writer: each feature's id, attributes and geometry
/// structure, and every vertex in one buffer in the layer's CRS. Plain Swift values: any
/// thread may render any range of its features (`GeoJSONWriter.features(_:in:)`).
public struct GeoJSONLayer: Sendable {
    public let name: String
    public let crs: CRS
    let ids: [String?]
    let properties: [JSONObject]
    let shapes: [VertexShape?]
    /// Every vertex, feature after feature, in `crs`.
    let xy: [XY]
    /// Feature k's vertices are `xy[vertexStart[k]..<vertexStart[k + 1]]`.
    let vertexStart: [Int]

    public var count: Int { ids.count }

    /// Reads every feature's geometry (on this thread, the one that owns the geometries).
    public init(_ layer: Layer) throws {
        name = layer.name
        crs = layer.crs
        var columns = VertexColumns()
        var ids: [String?] = [], properties: [JSONObject] = [], shapes: [VertexShape?] = [], starts = [0]
        ids.reserveCapacity(layer.features.count)
        properties.reserveCapacity(layer.features.count)
        shapes.reserveCapacity(layer.features.count)
        starts.reserveCapacity(layer.features.count + 1)
        for feature in layer.features {
            ids.append(feature.id)
            properties.append(feature.properties)
            if let g = feature.geometry { shapes.append(try columns.append(g)) } else { shapes.append(nil) }
            starts.append(columns.xy.count)
        }
        self.ids = ids
        self.properties = properties
        self.shapes = shapes
        self.xy = columns.xy
        self.vertexStart = starts
    }

    /// The vertices of the features `range`.
    func vertexRange(_ range: Range<Int>) -> Range<Int> { vertexStart[range.lowerBound]..<vertexStart[range.upperBound] }
}
