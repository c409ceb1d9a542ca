import SiteAudit
import SiteGeometry
import SiteVocabulary

/// The features of one audit input file, as flat columns in lon/lat degrees.
public struct ColumnarFeatures: Sendable {
    public var ids = ByteStrings()
    /// The features sorted by id in byte order (indices into the input order).
    public var idOrder: [Int32] = []
    public var polygons = PolygonColumns()
    public var lines = LineColumns()
    /// `Utility.code` per feature (network files only).
    public var utility: [UInt8] = []
    /// `WorksStatus.code` per feature (network files only).
    public var status: [UInt8] = []

    public init() {}

    public var count: Int { ids.count }
}

/// Reads an RFC 7946 FeatureCollection of the audit (any whitespace layout) straight from a
/// memory-mapped file into flat columns, checking every feature as it goes: the first bad
/// feature stops the read with an `InputError`, however large the file.
public enum FeatureCollectionReader {
    /// What a file must hold.
    public enum Kind: Sendable {
        /// `Polygon` features with `properties.id` (parcels, buildings).
        case polygons
        /// `LineString` features with `properties.id`, `utility` and `status` (network).
        case network

        var geometryName: String { self == .polygons ? "Polygon" : "LineString" }
        var depth: Int { self == .polygons ? 3 : 2 }
    }

    /// Reads `path`. `progress`, if given, is advanced by bytes read; when `cancel` is set (a
    /// sibling read failed) the read stops early with `CancelledError`.
    public static func read(_ path: String, kind: Kind, progress: AuditProgress? = nil, cancel: CancellationFlag? = nil) throws -> ColumnarFeatures {
        let file = try MappedFile(path: path)
        var parser = Parser(file: file, kind: kind, progress: progress)
        parser.cancel = cancel
        try parser.run()
        if parser.cancelled { throw CancelledError() }
        var layer = parser.layer
        layer.idOrder = layer.ids.sortedOrder()
        if let dup = layer.ids.firstDuplicate(inSortedOrder: layer.idOrder) {
            throw InputError(source: path, featureIndex: dup.second, featureID: layer.ids.string(dup.second),
                                  "duplicate id: feature \(dup.first) has the same id")
        }
        return layer
    }
}

private struct Parser {
    let file: MappedFile
    let kind: FeatureCollectionReader.Kind
    let progress: AuditProgress?
    var s: JSONScanner
    var layer = ColumnarFeatures()
    var scratch: [UInt8] = []
    var idBytes: [UInt8] = []
    var reported = 0
    var cancel: CancellationFlag?
    var cancelled = false
    /// The names of the members the reader does not interpret, per object it walks (root,
    /// feature, properties, geometry), to refuse a duplicate of any of them.
    var rootKeys = JSONKeySet(), featureKeys = JSONKeySet(), propertyKeys = JSONKeySet(), geometryKeys = JSONKeySet()
    /// The member-name sets of the values the reader skips, one per depth.
    var skippedKeys: [JSONKeySet] = []

    // Per feature
    var index = 0
    var haveID = false
    var idStart = 0, idEnd = 0, idEscaped = false

    // Containers around each value (the depth limit is the tree parser's).
    static let rootDepth = 1, featureDepth = 3, memberDepth = 4

    /// The id's bytes: raw from the file, or decoded when it had escapes.
    func withID<R>(_ body: (UnsafeBufferPointer<UInt8>) -> R) -> R {
        if idEscaped { return idBytes.withUnsafeBufferPointer(body) }
        return body(UnsafeBufferPointer(start: s.p + idStart, count: idEnd - idStart))
    }

    /// The first control character (U+0000...U+001F) of an escaped id, if any (the lexer
    /// refuses one written raw, so a plain id has none).
    func idControlCharacter() -> UInt8? {
        idEscaped ? idBytes.first { $0 < 0x20 } : nil
    }

    init(file: MappedFile, kind: FeatureCollectionReader.Kind, progress: AuditProgress?) {
        self.file = file
        self.kind = kind
        self.progress = progress
        self.s = JSONScanner(file.bytes, count: file.count)
        // Virtual reservations: untouched pages cost no memory.
        let estimate = file.count / 40
        if kind == .polygons {
            layer.polygons.xy.reserveCapacity(2 * estimate)
            layer.polygons.ringStart.reserveCapacity(estimate / 4)
            layer.polygons.polygonRingStart.reserveCapacity(estimate / 4)
        } else {
            layer.lines.xy.reserveCapacity(2 * estimate)
            layer.lines.lineStart.reserveCapacity(estimate / 2)
            layer.utility.reserveCapacity(estimate / 2)
            layer.status.reserveCapacity(estimate / 2)
        }
        layer.ids.bytes.reserveCapacity(estimate)
        layer.ids.offsets.reserveCapacity(estimate / 2)
    }

    /// The next string, as a word of `W` (utility, works status), or the error listing them.
    mutating func word<W: VocabularyWord>(_: W.Type, _ what: String) throws -> W {
        let v = try s.rawString()
        guard let w = W.allCases.first(where: { s.equals(v, $0.rawValue) }) else {
            throw fail("unknown \(what) \"\(s.string(v))\" (expected \(W.wordList))")
        }
        return w
    }

    func fail(_ message: String, inFeature: Bool = true) -> InputError {
        InputError(source: file.path, featureIndex: inFeature ? index : nil,
                        featureID: inFeature && haveID ? withID { String(decoding: $0, as: UTF8.self) } : nil, message)
    }

    /// Refuses a second member of the same name: `seen` holds the interpreted names already
    /// read (bit `bit`), `others` the rest.
    @inline(__always)
    func once(_ bit: UInt8, _ seen: inout UInt8, _ k: JSONScanner.RawString) throws(JSONSyntaxError) {
        if seen & bit != 0 { throw s.duplicateKey(k) }
        seen |= bit
    }

    mutating func run() throws(InputError) {
        do {
            var seen: UInt8 = 0
            s.skipBOM()
            rootKeys.removeAll()
            if try s.open(UInt8(ascii: "{"), close: UInt8(ascii: "}"), "'{' (a GeoJSON FeatureCollection object)") {
                repeat {
                    let k = try s.key()
                    if s.equals(k, "type") {
                        try once(1, &seen, k)
                        try s.string(into: &scratch)
                        if scratch != Array("FeatureCollection".utf8) {
                            throw fail("type is \"\(String(decoding: scratch, as: UTF8.self))\", expected \"FeatureCollection\"", inFeature: false)
                        }
                    } else if s.equals(k, "features") {
                        try once(2, &seen, k)
                        try features()
                        if cancelled { return }
                    } else {
                        if !rootKeys.insert(s.p, k) { throw s.duplicateKey(k) }
                        try s.skipValue(depth: Self.rootDepth, keys: &skippedKeys)
                    }
                } while try s.nextOrClose(UInt8(ascii: "}"))
            }
            try s.expectEnd()
            if seen & 1 == 0 { throw fail("no \"type\": \"FeatureCollection\" member", inFeature: false) }
            if seen & 2 == 0 { throw fail(GeoJSONRules.noFeatures, inFeature: false) }
        } catch let error as JSONSyntaxError {
            throw fail(error.description, inFeature: inFeatures)
        } catch let error as InputError {
            throw error
        } catch {
            throw fail("\(error)", inFeature: false)
        }
    }

    var inFeatures = false

    mutating func features() throws {
        inFeatures = true
        index = 0
        if try s.open(UInt8(ascii: "["), close: UInt8(ascii: "]"), "'[' (the features array)") {
            repeat {
                try feature()
                index += 1
                if s.i - reported > 1 << 24 {
                    progress?.advance(s.i - reported)
                    reported = s.i
                    file.release(upTo: s.i)
                    if cancel?.isCancelled == true { cancelled = true; return }
                }
            } while try s.nextOrClose(UInt8(ascii: "]"))
        }
        inFeatures = false
    }

    mutating func feature() throws {
        haveID = false
        var seen: UInt8 = 0
        var utility: UInt8 = 255, status: UInt8 = 255
        if !(try s.open(UInt8(ascii: "{"), close: UInt8(ascii: "}"), "'{' (a Feature object)")) {
            throw fail(GeoJSONRules.featureType(nil))
        }
        featureKeys.removeAll()
        repeat {
            let k = try s.key()
            if s.equals(k, "type") {
                try once(1, &seen, k)
                s.skipWhitespace()
                let start = s.i
                var isFeature = false
                if s.peek() == UInt8(ascii: "\"") { let v = try s.rawString(); isFeature = s.equals(v, "Feature") }
                if !isFeature {
                    s.i = start
                    throw fail(GeoJSONRules.featureType(JSONWriter.write(try JSONParser.value(&s, depth: Self.featureDepth))))
                }
            } else if s.equals(k, "properties") {
                try once(2, &seen, k)
                if s.null() { continue }
                try properties(&utility, &status)
            } else if s.equals(k, "geometry") {
                try once(4, &seen, k)
                if s.null() { throw fail("geometry is null") }
                try geometry()
            } else {
                if !featureKeys.insert(s.p, k) { throw s.duplicateKey(k) }
                try s.skipValue(depth: Self.featureDepth, keys: &skippedKeys)
            }
        } while try s.nextOrClose(UInt8(ascii: "}"))
        if seen & 1 == 0 { throw fail(GeoJSONRules.featureType(nil)) }
        if seen & 4 == 0 { throw fail(GeoJSONRules.noGeometry) }
        if !haveID { throw fail("missing properties.id") }
        if kind == .network {
            if utility == 255 { throw fail("missing properties.utility") }
            if status == 255 { throw fail("missing properties.status") }
            layer.utility.append(utility)
            layer.status.append(status)
        }
        withID { layer.ids.bytes.append(contentsOf: $0) }
        layer.ids.offsets.append(layer.ids.bytes.count)
    }

    mutating func properties(_ utility: inout UInt8, _ status: inout UInt8) throws {
        if !(try s.open(UInt8(ascii: "{"), close: UInt8(ascii: "}"), "'{' (the properties object)")) { return }
        var seen: UInt8 = 0
        propertyKeys.removeAll()
        repeat {
            let k = try s.key()
            if s.equals(k, "id") {
                try once(1, &seen, k)
                s.skipWhitespace()
                if s.peek() != UInt8(ascii: "\"") {
                    let start = s.i
                    try s.skipValue(depth: Self.memberDepth, keys: &skippedKeys)
                    s.i = start
                    throw fail("properties.id is not a string")
                }
                let v = try s.rawString()
                idStart = v.start; idEnd = v.end; idEscaped = v.escaped
                haveID = true
                if v.escaped { idBytes.removeAll(keepingCapacity: true); JSONScanner.decode(s.p, v, appendingTo: &idBytes) }
                if v.end == v.start { throw fail("properties.id is empty") }
                if let c = idControlCharacter() {
                    let name = c == 0x0A ? "a line break (\\n)" : c == 0x0D ? "a carriage return (\\r)" : c == 0x09 ? "a tab (\\t)"
                        : "a control character (U+00\(c < 0x10 ? "0" : "")\(String(c, radix: 16, uppercase: true)))"
                    throw fail("properties.id contains \(name); an id must be one line of printable text")
                }
            } else if kind == .network && s.equals(k, "utility") {
                try once(2, &seen, k)
                utility = try word(Utility.self, "utility").code
            } else if kind == .network && s.equals(k, "status") {
                try once(4, &seen, k)
                status = try word(WorksStatus.self, "status").code
            } else {
                if !propertyKeys.insert(s.p, k) { throw s.duplicateKey(k) }
                try s.skipValue(depth: Self.memberDepth, keys: &skippedKeys)
            }
        } while try s.nextOrClose(UInt8(ascii: "}"))
    }

    mutating func geometry() throws {
        var typeName: String? = nil
        var depth = -1
        var seen: UInt8 = 0
        if !(try s.open(UInt8(ascii: "{"), close: UInt8(ascii: "}"), "'{' (a geometry object)")) { throw fail(GeoJSONRules.geometryWithoutType) }
        geometryKeys.removeAll()
        repeat {
            let k = try s.key()
            if s.equals(k, "type") {
                try once(1, &seen, k)
                let v = try s.rawString()
                if s.equals(v, kind == .polygons ? "Polygon" : "LineString") { typeName = kind.geometryName } else {
                    typeName = s.string(v)
                    throw fail("geometry type is \(typeName!), expected \(kind.geometryName)")
                }
            } else if s.equals(k, "coordinates") {
                try once(2, &seen, k)
                // Nesting depth: the number of '[' before the first number.
                s.skipWhitespace()
                var j = s.i
                depth = 0
                while j < s.n {
                    let c = s.p[j]
                    if c == UInt8(ascii: "[") { depth += 1 } else if !(c == 0x20 || c == 0x0A || c == 0x0D || c == 0x09) { break }
                    j += 1
                }
                if depth == kind.depth {
                    if kind == .polygons { try polygonCoordinates() } else { try lineCoordinates() }
                } else {
                    try s.skipValue(depth: Self.memberDepth, keys: &skippedKeys)
                }
            } else {
                if !geometryKeys.insert(s.p, k) { throw s.duplicateKey(k) }
                try s.skipValue(depth: Self.memberDepth, keys: &skippedKeys)
            }
        } while try s.nextOrClose(UInt8(ascii: "}"))
        guard let typeName else { throw fail(GeoJSONRules.geometryWithoutType) }
        if seen & 2 == 0 { throw fail(GeoJSONRules.noCoordinates(typeName)) }
        if depth != kind.depth {
            throw fail("the coordinates of a \(kind.geometryName) must be nested \(kind.depth) arrays deep, found \(depth)")
        }
    }

    /// One position `[lon, lat(, ...)]` checked by the shared GeoJSON rules. The fast path
    /// reads plain in-range positions; anything else is read again as a tree and judged by
    /// `GeoJSONRules.position`, the function the tree reader uses, for the same message.
    @inline(__always)
    mutating func position(_ place: @autoclosure () -> String) throws -> (Double, Double) {
        s.skipWhitespace()
        let start = s.i
        if s.peek() == UInt8(ascii: "[") {
            s.i += 1
            if let lon = try s.number() {
                s.skipWhitespace()
                if s.peek() == UInt8(ascii: ",") {
                    s.i += 1
                    if let lat = try s.number() {
                        while true {
                            s.skipWhitespace()
                            let c = s.peek()
                            if c == UInt8(ascii: "]") {
                                s.i += 1
                                if GeoJSONRules.inRange(lon, lat) { return (lon, lat) }
                                break
                            }
                            if c != UInt8(ascii: ",") { break }
                            s.i += 1
                            if try s.number() == nil { break }
                        }
                    }
                }
            }
        }
        return try slowPosition(from: start, place())
    }

    mutating func slowPosition(from start: Int, _ place: String) throws -> (Double, Double) {
        s.i = start
        let value = try JSONParser.value(&s, depth: Self.memberDepth + kind.depth - 1)
        do {
            return try GeoJSONRules.position(value, place)
        } catch {
            throw fail(error.problem)
        }
    }

    mutating func polygonCoordinates() throws {
        var ring = 0
        if !(try s.open(UInt8(ascii: "["), close: UInt8(ascii: "]"), "'['")) { throw fail("the Polygon has no rings") }
        repeat {
            let start = layer.polygons.xy.count / 2
            var k = 0
            if try s.open(UInt8(ascii: "["), close: UInt8(ascii: "]"), "'[' (a ring)") {
                repeat {
                    let (lon, lat) = try position(GeoJSONRules.ringPlace("Polygon", ring: ring) + " position \(k)")
                    layer.polygons.xy.append(lon); layer.polygons.xy.append(lat)
                    k += 1
                } while try s.nextOrClose(UInt8(ascii: "]"))
            }
            let xy = layer.polygons.xy
            let end = xy.count / 2 - 1
            do {
                try GeoJSONRules.checkRing(count: k, first: k > 0 ? (xy[2 * start], xy[2 * start + 1]) : (0, 0),
                                           last: k > 0 ? (xy[2 * end], xy[2 * end + 1]) : (0, 0), GeoJSONRules.ringPlace("Polygon", ring: ring))
            } catch {
                throw fail(error.problem)
            }
            layer.polygons.ringStart.append(Int32(xy.count / 2))
            ring += 1
        } while try s.nextOrClose(UInt8(ascii: "]"))
        layer.polygons.polygonRingStart.append(Int32(layer.polygons.ringStart.count - 1))
    }

    mutating func lineCoordinates() throws {
        var k = 0
        if try s.open(UInt8(ascii: "["), close: UInt8(ascii: "]"), "'['") {
            repeat {
                let (lon, lat) = try position("LineString position \(k)")
                layer.lines.xy.append(lon); layer.lines.xy.append(lat)
                k += 1
            } while try s.nextOrClose(UInt8(ascii: "]"))
        }
        do { try GeoJSONRules.checkLine(count: k, "LineString") } catch { throw fail(error.problem) }
        layer.lines.lineStart.append(Int32(layer.lines.xy.count / 2))
    }
}
