import CGEOS

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension Geometry {
    /// Parses Well-Known Text. Wraps `GEOSWKTReader_read_r`.
    ///
    ///     let p = try Geometry(wkt: "POINT (46.79 39.91)")
    public convenience init(wkt: String) throws(GEOSError) {
        let ctx = GEOSContext.current
        guard let reader = GEOSWKTReader_create_r(ctx.handle) else { throw ctx.takeError("GEOSWKTReader_create_r") }
        defer { GEOSWKTReader_destroy_r(ctx.handle, reader) }
        self.init(owning: try ctx.checkGeometry(GEOSWKTReader_read_r(ctx.handle, reader, wkt), "GEOSWKTReader_read_r"))
    }

    /// Well-Known Text, trimmed of trailing zeros, with at most `precision` decimals.
    /// Wraps `GEOSWKTWriter_write_r`.
    public func wkt(precision: Int = 16) throws(GEOSError) -> String {
        let ctx = GEOSContext.current
        guard let writer = GEOSWKTWriter_create_r(ctx.handle) else { throw ctx.takeError("GEOSWKTWriter_create_r") }
        defer { GEOSWKTWriter_destroy_r(ctx.handle, writer) }
        GEOSWKTWriter_setTrim_r(ctx.handle, writer, 1)
        GEOSWKTWriter_setRoundingPrecision_r(ctx.handle, writer, Int32(precision))
        guard let text = GEOSWKTWriter_write_r(ctx.handle, writer, handle) else { throw ctx.takeError("GEOSWKTWriter_write_r") }
        defer { GEOSFree_r(ctx.handle, text) }
        return String(cString: text)
    }

    /// Parses Well-Known Binary (ISO or extended, either byte order). Wraps `GEOSWKBReader_read_r`.
    public convenience init(wkb: [UInt8]) throws(GEOSError) {
        let ctx = GEOSContext.current
        guard let reader = GEOSWKBReader_create_r(ctx.handle) else { throw ctx.takeError("GEOSWKBReader_create_r") }
        defer { GEOSWKBReader_destroy_r(ctx.handle, reader) }
        let result = wkb.withUnsafeBufferPointer { GEOSWKBReader_read_r(ctx.handle, reader, $0.baseAddress, $0.count) }
        self.init(owning: try ctx.checkGeometry(result, "GEOSWKBReader_read_r"))
    }

    /// ISO Well-Known Binary, little-endian, 2D. Wraps `GEOSWKBWriter_write_r`.
    public func wkb() throws(GEOSError) -> [UInt8] {
        let ctx = GEOSContext.current
        guard let writer = GEOSWKBWriter_create_r(ctx.handle) else { throw ctx.takeError("GEOSWKBWriter_create_r") }
        defer { GEOSWKBWriter_destroy_r(ctx.handle, writer) }
        GEOSWKBWriter_setByteOrder_r(ctx.handle, writer, Int32(GEOS_WKB_NDR.rawValue))
        GEOSWKBWriter_setFlavor_r(ctx.handle, writer, Int32(GEOS_WKB_ISO.rawValue))
        GEOSWKBWriter_setOutputDimension_r(ctx.handle, writer, 2)
        var size = 0
        guard let bytes = GEOSWKBWriter_write_r(ctx.handle, writer, handle, &size) else { throw ctx.takeError("GEOSWKBWriter_write_r") }
        defer { GEOSFree_r(ctx.handle, bytes) }
        return Array(UnsafeBufferPointer(start: bytes, count: size))
    }

    /// Parses a GeoJSON *geometry* object (not a Feature). Wraps `GEOSGeoJSONReader_readGeometry_r`.
    /// Feature and FeatureCollection reading, with properties and RFC 7946 checks, is the IO
    /// layer's job.
    public convenience init(geoJSON: String) throws(GEOSError) {
        let ctx = GEOSContext.current
        guard let reader = GEOSGeoJSONReader_create_r(ctx.handle) else { throw ctx.takeError("GEOSGeoJSONReader_create_r") }
        defer { GEOSGeoJSONReader_destroy_r(ctx.handle, reader) }
        self.init(owning: try ctx.checkGeometry(GEOSGeoJSONReader_readGeometry_r(ctx.handle, reader, geoJSON), "GEOSGeoJSONReader_readGeometry_r"))
    }

    /// The geometry as a GeoJSON geometry object, as GEOS writes it (full precision, ring
    /// orientation as stored). Wraps `GEOSGeoJSONWriter_writeGeometry_r`.
    public func geoJSON() throws(GEOSError) -> String {
        let ctx = GEOSContext.current
        guard let writer = GEOSGeoJSONWriter_create_r(ctx.handle) else { throw ctx.takeError("GEOSGeoJSONWriter_create_r") }
        defer { GEOSGeoJSONWriter_destroy_r(ctx.handle, writer) }
        guard let text = GEOSGeoJSONWriter_writeGeometry_r(ctx.handle, writer, handle, -1) else {
            throw ctx.takeError("GEOSGeoJSONWriter_writeGeometry_r")
        }
        defer { GEOSFree_r(ctx.handle, text) }
        return String(cString: text)
    }
}
