import SiteGeometry
import DriverCSV
import SiteProjection
import DriverGeoJSON
import DriverGeoPackage
import DriverOGR
import SiteDrivers
import SiteVocabulary

/// Where a scenario layer comes from: `name.geojson`, `name.gpkg` (the table named after the
/// layer, or the only feature table) or `name.gpkg#table`, read by siteplan's own drivers; or
/// any other vector file GDAL/OGR reads (`cadastre.shp`, `survey.dxf#parcels`, `site.kml`,
/// `site.fgb`, `site.gml`, a CSV with a WKT column, and a GeoJSON with a legacy `crs` member),
/// read by `OGRSource` in the CRS the file gives and projected to WGS84.
public enum LayerSource {
    /// The extensions siteplan's own readers take; every other goes to GDAL/OGR.
    static let ownExtensions = ["geojson", "json", "gpkg"]

    /// The feature source `path` names, and the layer in it (`file#layer`).
    public static func source(_ path: String, sourceCRS: CRS? = nil, idField: String? = nil) -> (source: any FeatureSource, table: String?) {
        var file = path, layer: String?
        if let hash = path.lastIndex(of: "#"), !ownExtensions.contains(ext(String(path[..<hash]))) || ext(String(path[..<hash])) == "gpkg",
           !ext(String(path[..<hash])).isEmpty {
            file = String(path[..<hash])
            layer = String(path[path.index(after: hash)...])
        }
        let e = ext(file)
        if !ownExtensions.contains(e) || sourceCRS != nil || idField != nil || (e != "gpkg" && hasLegacyCRSMember(file)) {
            return (OGRSource(path: file, sourceCRS: sourceCRS, idField: idField), layer)
        }
        return ownSource(path)
    }

    /// The lower-case extension of a file name, "" for none.
    static func ext(_ path: String) -> String {
        let base = path.split(separator: "/").last.map(String.init) ?? path
        guard let dot = base.lastIndex(of: "."), dot != base.startIndex else { return "" }
        return base[base.index(after: dot)...].lowercased()
    }

    /// Whether a GeoJSON file has a top-level `crs` member (GeoJSON 2008, before RFC 7946):
    /// such a file may be in any CRS (a UTM `urn:ogc:def:crs:EPSG::32638`), which GDAL reads.
    static func hasLegacyCRSMember(_ path: String) -> Bool {
        guard let bytes = try? FileIO.readPrefix(path, count: 1 << 16) else { return false }
        let text = String(decoding: bytes, as: UTF8.self)
        guard let crs = text.range(of: "\"crs\"") else { return false }
        guard let features = text.range(of: "\"features\"") else { return true }
        return crs.lowerBound < features.lowerBound
    }

    static func ownSource(_ path: String) -> (source: any FeatureSource, table: String?) {
        // "#table" only after a .gpkg name, so a GeoJSON file may have "#" in its name.
        if let hash = path.lastIndex(of: "#"), path[..<hash].lowercased().hasSuffix(".gpkg") {
            return (GeoPackageSource(path: String(path[..<hash])), String(path[path.index(after: hash)...]))
        }
        if path.lowercased().hasSuffix(".gpkg") { return (GeoPackageSource(path: path), nil) }
        return (GeoJSONSource(path: path), nil)
    }

    /// Reads the layer that `path` names, in WGS84 lon/lat; `layer` is the scenario layer
    /// ("parcels", "exclusions"), the default table name in a GeoPackage. Returns the source to
    /// name in errors (`file.gpkg#table` for a GeoPackage) and the layer.
    public static func read(_ path: String, layer: String) throws -> (source: String, layer: Layer) {
        try read(path, layer: layer, sourceCRS: nil, idField: nil)
    }

    /// As `read(_:layer:)`, with a CRS for a file that names none (a DXF) and the field that
    /// holds each feature's id.
    public static func read(_ path: String, layer: String, sourceCRS: CRS?, idField: String?, fallbackCRS: CRS? = nil) throws -> (source: String, layer: Layer) {
        let (source, native) = try readNative(path, layer: layer, sourceCRS: sourceCRS, idField: idField, fallbackCRS: fallbackCRS)
        do {
            return (source, try native.projected(to: .wgs84))
        } catch let error as ProjectionError {
            throw InputError(source: source, "cannot project the layer from \(native.crs) to WGS84: \(error.message)")
        }
    }

    /// As `read(_:layer:sourceCRS:idField:fallbackCRS:)`, in the CRS the file gives.
    public static func readNative(_ path: String, layer: String, sourceCRS: CRS?, idField: String?, fallbackCRS: CRS? = nil) throws -> (source: String, layer: Layer) {
        let (source, table) = source(path, sourceCRS: sourceCRS, idField: idField)
        if var ogr = source as? OGRSource {
            ogr.fallbackCRS = fallbackCRS
            return (table.map { "\(ogr.path)#\($0)" } ?? ogr.path, try ogr.readLayer(table))
        }
        guard let gpkg = source as? GeoPackageSource else {
            return (path, try source.readLayer(nil))
        }
        var name = table
        if name == nil {
            let names = try gpkg.layerNames()
            name = names.contains(layer) ? layer : (names.count == 1 ? names[0] : nil)
            if name == nil {
                let base = gpkg.path.split(separator: "/").last.map(String.init) ?? gpkg.path
                throw InputError(source: gpkg.path, "no feature table \"\(layer)\"; name one as \"\(base)#table\" (feature tables: \(names.joined(separator: ", ")))")
            }
        }
        return ("\(gpkg.path)#\(name!)", try gpkg.readLayer(name!))
    }
}
