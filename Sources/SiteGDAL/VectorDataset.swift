import CGDAL
import SiteGeometry

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An open GDAL vector dataset: a file (or folder) of layers that GDAL reads or writes.
///
/// Single ownership: this object is the only owner of its `GDALDatasetH` and closes it in
/// `close()` or `deinit`. Layers, features, geometries and spatial references never leave the
/// binding: reads copy a layer into Swift values (`VectorLayerData`, geometries passed to GEOS
/// as WKB), writes go through a `VectorLayerWriter` that keeps this dataset alive. Not shared
/// between threads; each call collects GDAL's messages on the calling thread (`ErrorScope`).
///
///     let dataset = try VectorDataset.open("cadastre.shp")
///     let layer = try dataset.readLayer(at: 0)
public final class VectorDataset {
    private var handle: UnsafeMutableRawPointer?
    /// The path as given, for messages.
    public let path: String

    private init(handle: UnsafeMutableRawPointer, path: String) {
        self.handle = handle
        self.path = path
    }

    deinit { if let handle { GDALClose(handle) } }

    /// Opens `path` read-only as a vector dataset; `drivers` limits which GDAL drivers may open
    /// it (nil: any). Wraps `GDALOpenEx`.
    public static func open(_ path: String, drivers: [String]? = nil, options: [String] = []) throws(GDALError) -> VectorDataset {
        try ErrorScope.run { scope throws(GDALError) in
            let allowed = drivers.map { CStringList($0) }
            let openOptions = CStringList(options)
            let flags = UInt32(GDAL_OF_VECTOR | GDAL_OF_READONLY | GDAL_OF_VERBOSE_ERROR)
            let opened: GDALDatasetH? = openOptions.withConstList { o in
                if let allowed { return allowed.withConstList { d in GDALOpenEx(path, flags, d, o, nil) } }
                return GDALOpenEx(path, flags, nil, o, nil)
            }
            guard let opened else { throw scope.error("GDALOpenEx", fallback: "GDAL has no vector driver that opens it") }
            return VectorDataset(handle: opened, path: path)
        }
    }

    /// Creates a new vector dataset at `path` with the driver `driver` ("ESRI Shapefile",
    /// "FlatGeobuf", "KML", "DXF", "XLSX") and its creation options. Wraps `GDALCreate`.
    public static func create(_ path: String, driver: String, options: [String] = []) throws(GDALError) -> VectorDataset {
        try ErrorScope.run { scope throws(GDALError) in
            guard let d = GDALGetDriverByName(driver) else { throw scope.error("GDALGetDriverByName(\"\(driver)\")", fallback: "this GDAL has no \(driver) driver") }
            let list = CStringList(options)
            let created = list.withList { GDALCreate(d, path, 0, 0, 0, GDT_Unknown, $0) }
            guard let created else { throw scope.error("GDALCreate(\(driver))") }
            return VectorDataset(handle: created, path: path)
        }
    }

    func live() -> UnsafeMutableRawPointer {
        guard let handle else { preconditionFailure("the dataset \(path) is closed") }
        return handle
    }

    /// The short name of the driver that opened it, e.g. "ESRI Shapefile".
    public var driverName: String {
        guard let d = GDALGetDatasetDriver(live()), let name = GDALGetDriverShortName(d) else { return "" }
        return String(cString: name)
    }

    /// The names of the dataset's layers, in its order.
    public func layerNames() throws(GDALError) -> [String] {
        try ErrorScope.run { scope throws(GDALError) in
            let count = GDALDatasetGetLayerCount(live())
            var names: [String] = []
            for i in 0..<count {
                guard let layer = GDALDatasetGetLayer(live(), i) else { throw scope.error("GDALDatasetGetLayer(\(i))") }
                names.append(OGR_L_GetName(layer).map { String(cString: $0) } ?? "layer \(i)")
            }
            return names
        }
    }

    /// Reads every feature of layer `index` into Swift values. Wraps `OGR_L_GetNextFeature`,
    /// `OGR_G_ExportToIsoWkb` (geometries go to GEOS as 2D ISO WKB; curves are first
    /// approximated by `OGR_G_GetLinearGeometry`) and the `OGR_F_GetFieldAs…` readers.
    public func readLayer(at index: Int) throws(GDALError) -> VectorLayerData {
        try ErrorScope.run { scope throws(GDALError) in
            guard let layer = GDALDatasetGetLayer(live(), Int32(index)) else { throw scope.error("GDALDatasetGetLayer(\(index))") }
            let name = OGR_L_GetName(layer).map { String(cString: $0) } ?? "layer \(index)"
            guard let defn = OGR_L_GetLayerDefn(layer) else { throw scope.error("OGR_L_GetLayerDefn(\(name))") }
            var fields: [FieldDefinition] = []
            for i in 0..<OGR_FD_GetFieldCount(defn) {
                guard let f = OGR_FD_GetFieldDefn(defn, i) else { throw scope.error("OGR_FD_GetFieldDefn(\(i))") }
                let fieldName = OGR_Fld_GetNameRef(f).map { String(cString: $0) } ?? "field\(i)"
                let type: FieldType = switch OGR_Fld_GetType(f) {
                case OFTInteger: OGR_Fld_GetSubType(f) == OFSTBoolean ? .boolean : .integer
                case OFTInteger64: OGR_Fld_GetSubType(f) == OFSTBoolean ? .boolean : .integer64
                case OFTReal: .real
                case OFTDate: .date
                case OFTDateTime: .dateTime
                default: .string
                }
                fields.append(FieldDefinition(name: fieldName, type: type, width: Int(OGR_Fld_GetWidth(f)), precision: Int(OGR_Fld_GetPrecision(f))))
            }
            var reference: SpatialReferenceInfo?
            if let borrowed = OGR_L_GetSpatialRef(layer) {
                reference = try SpatialReference.cloning(borrowed, scope: scope).info(scope: scope)
            } else {
                // No CRS is an answer; a CRS GDAL failed to build (a broken .prj) is an error.
                try scope.check("OGR_L_GetSpatialRef(\(name))")
            }
            OGR_L_ResetReading(layer)
            var features: [VectorFeature] = []
            while let feature = OGR_L_GetNextFeature(layer) {
                defer { OGR_F_Destroy(feature) }
                let values = fields.indices.map { Self.value(feature, Int32($0), fields[$0].type) }
                var geometry: Geometry?
                if let g = OGR_F_GetGeometryRef(feature) {
                    geometry = try Self.geometry(g, scope: scope, what: "feature \(OGR_F_GetFID(feature)) of layer \(name)")
                }
                let style = OGR_F_GetStyleString(feature).map { String(cString: $0) }
                features.append(VectorFeature(fid: Int64(OGR_F_GetFID(feature)), values: values, geometry: geometry, style: style))
            }
            // A read that stopped on an error (a truncated file) ends the loop like the last feature.
            try scope.check("OGR_L_GetNextFeature(\(name))")
            return VectorLayerData(name: name, fields: fields, spatialReference: reference, features: features, warnings: scope.takeWarnings())
        }
    }

    private static func value(_ feature: UnsafeMutableRawPointer, _ i: Int32, _ type: FieldType) -> FieldValue {
        guard OGR_F_IsFieldSetAndNotNull(feature, i) != 0 else { return .null }
        switch type {
        case .integer, .integer64: return .integer(Int64(OGR_F_GetFieldAsInteger64(feature, i)))
        case .boolean: return .boolean(OGR_F_GetFieldAsInteger64(feature, i) != 0)
        case .real: return .real(OGR_F_GetFieldAsDouble(feature, i))
        case .string: return .string(OGR_F_GetFieldAsString(feature, i).map { String(cString: $0) } ?? "")
        case .date, .dateTime:
            var y: Int32 = 0, m: Int32 = 0, d: Int32 = 0, h: Int32 = 0, mi: Int32 = 0, tz: Int32 = 0
            var s: Float = 0
            guard OGR_F_GetFieldAsDateTimeEx(feature, i, &y, &m, &d, &h, &mi, &s, &tz) != 0 else {
                return .string(OGR_F_GetFieldAsString(feature, i).map { String(cString: $0) } ?? "")
            }
            func two(_ n: Int32) -> String { n < 10 ? "0\(n)" : "\(n)" }
            var yyyy = String(y)
            while yyyy.count < 4 { yyyy = "0" + yyyy }
            let date = "\(yyyy)-\(two(m))-\(two(d))"
            if type == .date { return .date(date) }
            let zone = tz == 100 ? "Z" : ""
            return .dateTime("\(date)T\(two(h)):\(two(mi)):\(two(Int32(s)))\(zone)")
        }
    }

    /// A borrowed OGR geometry as an owned GEOS geometry, through 2D ISO WKB.
    private static func geometry(_ borrowed: UnsafeMutableRawPointer, scope: ErrorScope, what: String) throws(GDALError) -> Geometry {
        var owned: UnsafeMutableRawPointer?
        defer { if let owned { OGR_G_DestroyGeometry(owned) } }
        if OGR_G_HasCurveGeometry(borrowed, 1) != 0 {
            owned = OGR_G_GetLinearGeometry(borrowed, 0, nil)
            if owned == nil { throw scope.error("OGR_G_GetLinearGeometry(\(what))") }
        } else {
            owned = OGR_G_Clone(borrowed)
            if owned == nil { throw scope.error("OGR_G_Clone(\(what))") }
        }
        OGR_G_FlattenTo2D(owned)
        let size = Int(OGR_G_WkbSize(owned))
        var bytes = [UInt8](repeating: 0, count: size)
        let status = bytes.withUnsafeMutableBufferPointer { OGR_G_ExportToIsoWkb(owned, wkbNDR, $0.baseAddress) }
        try scope.check(status, "OGR_G_ExportToIsoWkb(\(what))")
        do { return try Geometry(wkb: bytes) } catch { throw GDALError(function: "GEOSWKBReader_read_r(\(what))", message: error.message) }
    }

    /// Creates a layer with `fields`, in the CRS `crs` ("EPSG:32638" or WKT; nil for none),
    /// written with longitude, latitude (x, y) order. Wraps `GDALDatasetCreateLayer` and
    /// `OGR_L_CreateField`.
    public func createLayer(_ name: String, crs: String?, geometryType: LayerGeometryType, fields: [FieldDefinition],
                            options: [String] = []) throws(GDALError) -> VectorLayerWriter {
        try ErrorScope.run { scope throws(GDALError) in
            let srs = try crs.map { text throws(GDALError) in try SpatialReference.from(userInput: text, scope: scope) }
            let list = CStringList(options)
            let layer = list.withList { GDALDatasetCreateLayer(live(), name, srs?.handle, Self.ogrType(geometryType), $0) }
            guard let layer else { throw scope.error("GDALDatasetCreateLayer(\(name))") }
            for field in fields {
                // A field the driver made itself (DXF's `Layer`) is used as it is.
                if let existing = OGR_L_GetLayerDefn(layer), OGR_FD_GetFieldIndex(existing, field.name) >= 0 { continue }
                guard let defn = OGR_Fld_Create(field.name, Self.ogrType(field.type)) else { throw scope.error("OGR_Fld_Create(\(field.name))") }
                defer { OGR_Fld_Destroy(defn) }
                if field.type == .boolean { OGR_Fld_SetSubType(defn, OFSTBoolean) }
                if field.width > 0 { OGR_Fld_SetWidth(defn, Int32(field.width)) }
                if field.precision > 0 { OGR_Fld_SetPrecision(defn, Int32(field.precision)) }
                try scope.check(OGR_L_CreateField(layer, defn, 0), "OGR_L_CreateField(\(name).\(field.name))")
            }
            // Each value goes to its field by name; a driver that renamed one is refused.
            guard let defn = OGR_L_GetLayerDefn(layer) else { throw scope.error("OGR_L_GetLayerDefn(\(name))") }
            var indices: [Int32] = []
            for field in fields {
                let i = OGR_FD_GetFieldIndex(defn, field.name)
                guard i >= 0 else { throw scope.error("OGR_L_CreateField(\(name).\(field.name))", fallback: "the driver did not create the field \(field.name)") }
                indices.append(i)
            }
            return VectorLayerWriter(dataset: self, layer: layer, name: name, fields: fields, indices: indices)
        }
    }

    static func ogrType(_ t: FieldType) -> OGRFieldType {
        switch t {
        case .integer, .boolean: OFTInteger
        case .integer64: OFTInteger64
        case .real: OFTReal
        case .string: OFTString
        case .date: OFTDate
        case .dateTime: OFTDateTime
        }
    }

    static func ogrType(_ t: LayerGeometryType) -> OGRwkbGeometryType {
        switch t {
        case .none: wkbNone
        case .unknown: wkbUnknown
        case .point: wkbPoint
        case .lineString: wkbLineString
        case .polygon: wkbPolygon
        case .multiPoint: wkbMultiPoint
        case .multiLineString: wkbMultiLineString
        case .multiPolygon: wkbMultiPolygon
        case .geometryCollection: wkbGeometryCollection
        }
    }

    /// Closes the dataset, flushing what a writer buffered; GDAL's failure messages while
    /// flushing are thrown. Wraps `GDALClose`.
    public func close() throws(GDALError) {
        guard let h = handle else { return }
        handle = nil
        try ErrorScope.run { scope throws(GDALError) in
            GDALClose(h)
            try scope.check("GDALClose(\(path))")
        }
    }
}

/// Writes features into one layer of a `VectorDataset` it keeps open. The OGR layer handle is
/// the dataset's, and never leaves the binding.
public final class VectorLayerWriter {
    private let dataset: VectorDataset
    private let layer: UnsafeMutableRawPointer
    public let name: String
    public let fields: [FieldDefinition]
    /// The OGR field index of each of `fields`.
    private let indices: [Int32]

    init(dataset: VectorDataset, layer: UnsafeMutableRawPointer, name: String, fields: [FieldDefinition], indices: [Int32]) {
        self.dataset = dataset
        self.layer = layer
        self.name = name
        self.fields = fields
        self.indices = indices
    }

    /// Adds one feature: `values` in field order, the geometry passed from GEOS as WKB, and an
    /// OGR style string (a DXF label's text) when given. Wraps `OGR_F_Create`,
    /// `OGR_G_CreateFromWkb`, `OGR_F_SetGeometryDirectly` and `OGR_L_CreateFeature`.
    public func add(_ values: [FieldValue], geometry: Geometry?, style: String? = nil) throws(GDALError) {
        precondition(values.count == fields.count, "one value per field")
        _ = dataset.live()
        try ErrorScope.run { scope throws(GDALError) in
            guard let defn = OGR_L_GetLayerDefn(layer), let feature = OGR_F_Create(defn) else { throw scope.error("OGR_F_Create(\(name))") }
            defer { OGR_F_Destroy(feature) }
            for (i, value) in values.enumerated() {
                let k = indices[i]
                switch value {
                case .null: OGR_F_SetFieldNull(feature, k)
                case .integer(let n): OGR_F_SetFieldInteger64(feature, k, GIntBig(n))
                case .boolean(let b): OGR_F_SetFieldInteger(feature, k, b ? 1 : 0)
                case .real(let x): OGR_F_SetFieldDouble(feature, k, x)
                case .string(let s), .date(let s), .dateTime(let s): OGR_F_SetFieldString(feature, k, s)
                }
            }
            if let geometry {
                let wkb: [UInt8]
                do { wkb = try geometry.wkb() } catch let error as GEOSError { throw GDALError(function: "GEOSWKBWriter_write_r", message: error.message) } catch { throw GDALError(function: "GEOSWKBWriter_write_r", message: "\(error)") }
                var g: UnsafeMutableRawPointer?
                let status = wkb.withUnsafeBytes { OGR_G_CreateFromWkb($0.baseAddress, nil, &g, Int32($0.count)) }
                try scope.check(status, "OGR_G_CreateFromWkb(\(name))")
                guard let g else { throw scope.error("OGR_G_CreateFromWkb(\(name))") }
                try scope.check(OGR_F_SetGeometryDirectly(feature, g), "OGR_F_SetGeometryDirectly(\(name))")
            }
            if let style { OGR_F_SetStyleString(feature, style) }
            try scope.check(OGR_L_CreateFeature(layer, feature), "OGR_L_CreateFeature(\(name))")
            try scope.check("OGR_L_CreateFeature(\(name))")
        }
    }
}
