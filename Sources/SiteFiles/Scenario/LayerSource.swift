import SiteGeometry
import DriverCSV
import SiteProjection
import DriverGeoJSON
import DriverGeoPackage
import SiteDrivers
import SiteVocabulary

/// Where a scenario layer comes from: `name.geojson`, `name.gpkg` (the table named after the
/// layer, or the only feature table) or `name.gpkg#table`.
public enum LayerSource {
    /// The feature source `path` names, and the table in it (for a GeoPackage).
    public static func source(_ path: String) -> (source: any FeatureSource, table: String?) {
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
        let (source, table) = source(path)
        guard let gpkg = source as? GeoPackageSource else {
            return (path, try source.readLayer(nil).projected(to: .wgs84))
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
        let read = try gpkg.readLayer(name!)
        do {
            return ("\(gpkg.path)#\(name!)", try read.projected(to: .wgs84))
        } catch let error as ProjectionError {
            throw InputError(source: "\(gpkg.path)#\(name!)", "cannot project the table from \(read.crs) to WGS84: \(error.message)")
        }
    }
}
