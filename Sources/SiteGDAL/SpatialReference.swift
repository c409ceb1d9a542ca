import CGDAL

/// A layer's coordinate reference system as GDAL read it from the file (a `.prj`, a GeoPackage
/// row, a GML `srsName`), reduced to what PROJ needs: the EPSG code when GDAL can identify one,
/// and the definition as WKT2.
public struct SpatialReferenceInfo: Sendable, Equatable {
    /// The EPSG code, when the file names one or GDAL identifies the definition as one.
    public let epsgCode: Int?
    /// The definition as ISO 19162:2019 WKT.
    public let wkt: String
    /// The CRS's name, e.g. "WGS 84 / UTM zone 38N".
    public let name: String

    public init(epsgCode: Int?, wkt: String, name: String) {
        self.epsgCode = epsgCode
        self.wkt = wkt
        self.name = name
    }
}

/// An owned OGR spatial reference, internal to the binding.
final class SpatialReference {
    let handle: UnsafeMutableRawPointer

    private init(owning handle: UnsafeMutableRawPointer) { self.handle = handle }

    deinit { OSRDestroySpatialReference(handle) }

    /// A spatial reference from "EPSG:n", WKT or a PROJ string, with longitude, latitude
    /// (x, y) axis order whatever the authority says (OAMS_TRADITIONAL_GIS_ORDER).
    static func from(userInput text: String, scope: ErrorScope) throws(GDALError) -> SpatialReference {
        guard let handle = OSRNewSpatialReference(nil) else { throw scope.error("OSRNewSpatialReference") }
        let srs = SpatialReference(owning: handle)
        try scope.check(OSRSetFromUserInput(handle, text), "OSRSetFromUserInput(\"\(text.prefix(60))\")")
        OSRSetAxisMappingStrategy(handle, OAMS_TRADITIONAL_GIS_ORDER)
        return srs
    }

    /// A copy of a spatial reference GDAL owns (a layer's), that this value then owns.
    static func cloning(_ borrowed: UnsafeMutableRawPointer, scope: ErrorScope) throws(GDALError) -> SpatialReference {
        guard let handle = OSRClone(borrowed) else { throw scope.error("OSRClone") }
        return SpatialReference(owning: handle)
    }

    /// The EPSG code, WKT2 and name. Wraps `OSRAutoIdentifyEPSG`, `OSRGetAuthorityCode`,
    /// `OSRExportToWktEx`.
    func info(scope: ErrorScope) throws(GDALError) -> SpatialReferenceInfo {
        var code: Int?
        // Identifying may fail (a custom CRS): that is an answer, not an error; the authority
        // code below is then absent and the WKT stands for the CRS.
        try scope.check("OSRClone")
        _ = OSRAutoIdentifyEPSG(handle)
        scope.clear()
        let authority = OSRGetAuthorityName(handle, nil).map { String(cString: $0) }
        if authority?.uppercased() == "EPSG", let text = OSRGetAuthorityCode(handle, nil) { code = Int(String(cString: text)) }
        var raw: UnsafeMutablePointer<CChar>?
        let options = CStringList(["FORMAT=WKT2_2019", "MULTILINE=NO"])
        let status = options.withConstList { OSRExportToWktEx(handle, &raw, $0) }
        defer { VSIFree(raw) }
        try scope.check(status, "OSRExportToWktEx")
        guard let raw else { throw scope.error("OSRExportToWktEx") }
        let name = OSRGetName(handle).map { String(cString: $0) } ?? ""
        return SpatialReferenceInfo(epsgCode: code, wkt: String(cString: raw), name: name)
    }
}
