import SiteGeometry

/// The attribute types the binding reads and writes (OGR's field types, with the Boolean
/// subtype of Integer as its own case).
public enum FieldType: Sendable, Equatable, CustomStringConvertible {
    case integer, integer64, real, string, date, dateTime, boolean

    public var description: String {
        switch self {
        case .integer: "Integer"
        case .integer64: "Integer64"
        case .real: "Real"
        case .string: "String"
        case .date: "Date"
        case .dateTime: "DateTime"
        case .boolean: "Boolean"
        }
    }
}

/// One attribute column of a layer.
public struct FieldDefinition: Sendable, Equatable {
    public var name: String
    public var type: FieldType
    /// 0 lets the driver choose.
    public var width: Int
    public var precision: Int

    public init(name: String, type: FieldType, width: Int = 0, precision: Int = 0) {
        self.name = name
        self.type = type
        self.width = width
        self.precision = precision
    }
}

/// One attribute value. Dates are ISO 8601 text (`2026-11-27`, `2026-11-27T10:00:00Z`).
public enum FieldValue: Sendable, Equatable {
    case null
    case integer(Int64)
    case real(Double)
    case string(String)
    case date(String)
    case dateTime(String)
    case boolean(Bool)
}

/// The geometry type a layer is created with.
public enum LayerGeometryType: Sendable, Equatable {
    case none, unknown, point, lineString, polygon, multiPoint, multiLineString, multiPolygon, geometryCollection
}

/// One feature as read: its OGR feature id, its values in the layer's field order, its 2D
/// geometry (curves approximated by line segments) handed to GEOS as WKB, and its OGR style
/// string (DXF text and colours), if any.
public struct VectorFeature: @unchecked Sendable {
    public let fid: Int64
    public let values: [FieldValue]
    public let geometry: Geometry?
    public let style: String?
}

/// A whole layer as read.
public struct VectorLayerData: @unchecked Sendable {
    public let name: String
    public let fields: [FieldDefinition]
    /// Nil when the file has no CRS (a DXF, a Shapefile without `.prj`).
    public let spatialReference: SpatialReferenceInfo?
    public let features: [VectorFeature]
    /// GDAL's warnings while reading (e.g. a `.prj` it could not parse).
    public let warnings: [String]
}
