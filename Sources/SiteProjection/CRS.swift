import CPROJ

/// A coordinate reference system, by its definition: `EPSG:32638`, a WKT string or a PROJ
/// string. A value only: PROJ resolves it (per thread) when a `Transformer` is built or
/// `validate()` is called.
///
///     let utm = CRS.epsg(32638)      // WGS 84 / UTM zone 38N, metres
///     try utm.validate()
public struct CRS: Hashable, Sendable, CustomStringConvertible {
    /// What PROJ is given: "EPSG:4326", a WKT text, or "+proj=utm +zone=38 ...".
    public let definition: String
    /// The EPSG code when the CRS was made from one.
    public let epsgCode: Int?

    public static func epsg(_ code: Int) -> CRS { CRS(definition: "EPSG:\(code)", epsgCode: code) }
    public static func wkt(_ text: String) -> CRS { CRS(definition: text, epsgCode: nil) }
    public static func projString(_ text: String) -> CRS { CRS(definition: text, epsgCode: nil) }

    /// WGS 84 geographic, as GeoJSON uses it (RFC 7946): longitude, latitude in degrees.
    public static let wgs84 = CRS.epsg(4326)

    /// Parses "EPSG:32638" (any case) or a bare number as an EPSG CRS; other text is taken as
    /// WKT when it starts with a WKT keyword, else as a PROJ string.
    public static func parse(_ text: String) -> CRS {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        let upper = trimmed.uppercased()
        if upper.hasPrefix("EPSG:"), let code = Int(upper.dropFirst(5)) { return .epsg(code) }
        if let code = Int(trimmed) { return .epsg(code) }
        if trimmed.hasPrefix("+") || trimmed.hasPrefix("proj=") { return .projString(trimmed) }
        return .wkt(trimmed)
    }

    public var description: String { epsgCode.map { "EPSG:\($0)" } ?? definition }

    /// Checks that PROJ knows this CRS. Throws PROJ's own message otherwise.
    /// Wraps `proj_create`.
    public func validate() throws(ProjectionError) {
        let ctx = ProjContext.current
        ctx.resetErrors()
        guard let pj = proj_create(ctx.handle, definition) else { throw ctx.error("proj_create(\"\(self)\")") }
        defer { proj_destroy(pj) }
        if proj_is_crs(pj) == 0 {
            throw ProjectionError(operation: "proj_create(\"\(self)\")", message: "the definition is not a coordinate reference system")
        }
    }

    /// Whether the CRS is projected with metres on both axes, as every planar area, length and
    /// distance siteplan computes needs. Wraps `proj_get_type`, `proj_crs_get_coordinate_system`
    /// and `proj_cs_get_axis_info`.
    ///
    ///     try CRS.epsg(32638).isProjectedInMetres()   // true
    ///     try CRS.epsg(4326).isProjectedInMetres()    // false: degrees
    public func isProjectedInMetres() throws(ProjectionError) -> Bool {
        let ctx = ProjContext.current
        ctx.resetErrors()
        guard let pj = proj_create(ctx.handle, definition) else { throw ctx.error("proj_create(\"\(self)\")") }
        defer { proj_destroy(pj) }
        guard proj_get_type(pj) == PJ_TYPE_PROJECTED_CRS else { return false }
        guard let cs = proj_crs_get_coordinate_system(ctx.handle, pj) else { throw ctx.error("proj_crs_get_coordinate_system(\"\(self)\")") }
        defer { proj_destroy(cs) }
        let axes = proj_cs_get_axis_count(ctx.handle, cs)
        guard axes >= 2 else { return false }
        for axis in 0..<axes {
            var factor = 0.0
            guard proj_cs_get_axis_info(ctx.handle, cs, axis, nil, nil, nil, &factor, nil, nil, nil) != 0 else {
                throw ctx.error("proj_cs_get_axis_info(\"\(self)\", \(axis))")
            }
            if factor != 1 { return false }
        }
        return true
    }

    /// PROJ's name for the CRS, e.g. "WGS 84 / UTM zone 38N". Wraps `proj_get_name`.
    public func name() throws(ProjectionError) -> String {
        let ctx = ProjContext.current
        ctx.resetErrors()
        guard let pj = proj_create(ctx.handle, definition) else { throw ctx.error("proj_create(\"\(self)\")") }
        defer { proj_destroy(pj) }
        return proj_get_name(pj).map { String(cString: $0) } ?? description
    }
}

import Foundation

extension CRS {
    /// The WKT flavours `wkt(_:)` can write.
    public enum WKTVersion: Sendable {
        /// OGC 01-009 as GDAL writes it: what GeoPackage's `gpkg_spatial_ref_sys.definition` expects.
        case wkt1GDAL
        /// ISO 19162:2019.
        case wkt2019
    }

    /// The CRS as Well-Known Text, one line. Wraps `proj_as_wkt`.
    ///
    ///     try CRS.epsg(32638).wkt()   // PROJCS["WGS 84 / UTM zone 38N",GEOGCS["WGS 84",...
    public func wkt(_ version: WKTVersion = .wkt1GDAL) throws(ProjectionError) -> String {
        let ctx = ProjContext.current
        ctx.resetErrors()
        guard let pj = proj_create(ctx.handle, definition) else { throw ctx.error("proj_create(\"\(self)\")") }
        defer { proj_destroy(pj) }
        let type: PJ_WKT_TYPE = version == .wkt1GDAL ? PJ_WKT1_GDAL : PJ_WKT2_2019
        let options: [String] = ["MULTILINE=NO"]
        var cStrings = options.map { strdup($0) }
        cStrings.append(nil)
        defer { for p in cStrings { free(p) } }
        let text = cStrings.withUnsafeBufferPointer { buffer in
            buffer.baseAddress!.withMemoryRebound(to: UnsafePointer<CChar>?.self, capacity: buffer.count) {
                proj_as_wkt(ctx.handle, pj, type, $0)
            }
        }
        guard let text else { throw ctx.error("proj_as_wkt(\"\(self)\")") }
        return String(cString: text)
    }
}
