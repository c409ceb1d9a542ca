import SiteGeometry
import SiteAudit
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
/// feature stops the read with an `AuditInputError`, however large the file.
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
            throw AuditInputError(file: path, featureIndex: dup.second, featureID: layer.ids.string(dup.second),
                                  message: "duplicate id: features[\(dup.first)] has the same id")
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

    // Per feature
    var index = 0
    var haveID = false
    var idStart = 0, idEnd = 0, idEscaped = false

    /// The id's bytes: raw from the file, or decoded when it had escapes.
    func withID<R>(_ body: (UnsafeBufferPointer<UInt8>) -> R) -> R {
        if idEscaped { return idBytes.withUnsafeBufferPointer(body) }
        return body(UnsafeBufferPointer(start: s.p + idStart, count: idEnd - idStart))
    }

    func idHasForbiddenByte() -> Bool {
        withID { b in b.contains { $0 == UInt8(ascii: ",") || $0 == UInt8(ascii: "\"") } }
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

    func fail(_ message: String, inFeature: Bool = true) -> AuditInputError {
        AuditInputError(file: file.path, featureIndex: inFeature ? index : nil,
                        featureID: inFeature && haveID ? withID { String(decoding: $0, as: UTF8.self) } : nil, message: message)
    }

    mutating func run() throws(AuditInputError) {
        do {
            var sawType = false, sawFeatures = false
            if try s.open(UInt8(ascii: "{"), close: UInt8(ascii: "}"), "'{' (a GeoJSON FeatureCollection object)") {
                repeat {
                    let k = try s.key()
                    if s.rawEquals(k, "type") {
                        try s.string(into: &scratch)
                        if scratch != Array("FeatureCollection".utf8) {
                            throw fail("type is \"\(String(decoding: scratch, as: UTF8.self))\", expected \"FeatureCollection\"", inFeature: false)
                        }
                        sawType = true
                    } else if s.rawEquals(k, "features") {
                        try features()
                        if cancelled { return }
                        sawFeatures = true
                    } else {
                        try s.skipValue()
                    }
                } while try s.nextOrClose(UInt8(ascii: "}"))
            }
            s.skipWhitespace()
            if !s.atEnd { throw s.unexpected("the end of the file after the FeatureCollection") }
            if !sawType { throw fail("no \"type\": \"FeatureCollection\" member", inFeature: false) }
            if !sawFeatures { throw fail("no \"features\" member", inFeature: false) }
        } catch let error as ScanError {
            throw fail(error.message, inFeature: inFeatures)
        } catch let error as AuditInputError {
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
        var typeOK = false, sawGeometry = false
        var utility: UInt8 = 255, status: UInt8 = 255
        if !(try s.open(UInt8(ascii: "{"), close: UInt8(ascii: "}"), "'{' (a Feature object)")) {
            throw fail("the feature is an empty object")
        }
        repeat {
            let k = try s.key()
            if s.rawEquals(k, "type") {
                let v = try s.rawString()
                if !s.rawEquals(v, "Feature") { throw fail("type is not \"Feature\"") }
                typeOK = true
            } else if s.rawEquals(k, "properties") {
                if s.null() { continue }
                try properties(&utility, &status)
            } else if s.rawEquals(k, "geometry") {
                if s.null() { throw fail("geometry is null") }
                try geometry()
                sawGeometry = true
            } else {
                try s.skipValue()
            }
        } while try s.nextOrClose(UInt8(ascii: "}"))
        if !typeOK { throw fail("no \"type\": \"Feature\" member") }
        if !sawGeometry { throw fail("no geometry") }
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
        repeat {
            let k = try s.key()
            if s.rawEquals(k, "id") {
                s.skipWhitespace()
                if s.peek() != UInt8(ascii: "\"") { throw s.atEnd ? s.unexpected("a string") : fail("properties.id is not a string") }
                let v = try s.rawString()
                idStart = v.start; idEnd = v.end; idEscaped = v.escaped
                haveID = true
                if v.escaped { var decoded: [UInt8] = []; s.i = v.start - 1; try s.string(into: &decoded); idBytes = decoded }
                if v.end == v.start { throw fail("properties.id is empty") }
                if idHasForbiddenByte() {
                    throw fail("properties.id contains a comma or quote, which the CSV output cannot hold")
                }
            } else if kind == .network && s.rawEquals(k, "utility") {
                let v = try s.rawString()
                guard let u = Utility.allCases.first(where: { s.rawEquals(v, $0.rawValue) }) else {
                    throw fail("unknown utility \"\(s.text(v))\" (expected \(Utility.wordList))")
                }
                utility = u.code
            } else if kind == .network && s.rawEquals(k, "status") {
                let v = try s.rawString()
                guard let w = WorksStatus.allCases.first(where: { s.rawEquals(v, $0.rawValue) }) else {
                    throw fail("unknown status \"\(s.text(v))\" (expected \(WorksStatus.wordList))")
                }
                status = w.code
            } else {
                try s.skipValue()
            }
        } while try s.nextOrClose(UInt8(ascii: "}"))
    }

    mutating func geometry() throws {
        var typeName: String? = nil
        var depth = -1
        var sawCoordinates = false
        if !(try s.open(UInt8(ascii: "{"), close: UInt8(ascii: "}"), "'{' (a geometry object)")) { throw fail("the geometry is an empty object") }
        repeat {
            let k = try s.key()
            if s.rawEquals(k, "type") {
                let v = try s.rawString()
                if s.rawEquals(v, kind == .polygons ? "Polygon" : "LineString") { typeName = kind.geometryName } else {
                    typeName = String(decoding: UnsafeBufferPointer(start: s.p + v.start, count: v.end - v.start), as: UTF8.self)
                    throw fail("geometry type is \(typeName!), expected \(kind.geometryName)")
                }
            } else if s.rawEquals(k, "coordinates") {
                sawCoordinates = true
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
                    try s.skipValue()
                }
            } else {
                try s.skipValue()
            }
        } while try s.nextOrClose(UInt8(ascii: "}"))
        if typeName == nil { throw fail("the geometry has no type") }
        if !sawCoordinates { throw fail("the geometry has no coordinates") }
        if depth != kind.depth {
            throw fail("the coordinates of a \(kind.geometryName) must be nested \(kind.depth) arrays deep, found \(depth)")
        }
    }

    /// One position `[lon, lat(, ...)]`, range-checked.
    @inline(__always)
    mutating func position(_ what: @autoclosure () -> String) throws -> (Double, Double) {
        try s.expect(UInt8(ascii: "["), "'[' (a position)")
        guard let lon = s.number() else { throw fail("\(what()): longitude is not a number" + s.truncationNote()) }
        try s.expect(UInt8(ascii: ","), "',' between longitude and latitude")
        guard let lat = s.number() else { throw fail("\(what()): latitude is not a number" + s.truncationNote()) }
        while try s.nextOrClose(UInt8(ascii: "]")) {
            if s.number() == nil { throw fail("\(what()): a coordinate is not a number" + s.truncationNote()) }
        }
        if !(lon >= -180 && lon <= 180) { throw fail("\(what()): longitude \(lon) is out of range [-180, 180]") }
        if !(lat >= -90 && lat <= 90) { throw fail("\(what()): latitude \(lat) is out of range [-90, 90]") }
        return (lon, lat)
    }

    mutating func polygonCoordinates() throws {
        var ring = 0
        if !(try s.open(UInt8(ascii: "["), close: UInt8(ascii: "]"), "'['")) { throw fail("the Polygon has no rings") }
        repeat {
            let start = layer.polygons.xy.count / 2
            var k = 0
            if try s.open(UInt8(ascii: "["), close: UInt8(ascii: "]"), "'[' (a ring)") {
                repeat {
                    let (lon, lat) = try position("ring \(ring) position \(k)")
                    layer.polygons.xy.append(lon); layer.polygons.xy.append(lat)
                    k += 1
                } while try s.nextOrClose(UInt8(ascii: "]"))
            }
            if k < 4 { throw fail("ring \(ring) has \(k) positions; a Polygon ring needs at least 4") }
            let xy = layer.polygons.xy
            let end = xy.count / 2 - 1
            if xy[2 * start] != xy[2 * end] || xy[2 * start + 1] != xy[2 * end + 1] {
                throw fail("ring \(ring) is not closed (its first and last positions differ)")
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
                let (lon, lat) = try position("position \(k)")
                layer.lines.xy.append(lon); layer.lines.xy.append(lat)
                k += 1
            } while try s.nextOrClose(UInt8(ascii: "]"))
        }
        if k < 2 { throw fail("the LineString has \(k) positions; it needs at least 2") }
        layer.lines.lineStart.append(Int32(layer.lines.xy.count / 2))
    }
}
