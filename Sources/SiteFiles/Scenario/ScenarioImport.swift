import DriverGeoJSON
import SiteDrivers
import SiteProjection
import SiteVocabulary

/// `siteplan import`: a layer of parcels or exclusion zones from any vector file GDAL/OGR
/// reads, checked as the scenario would read it, written into a scenario folder as
/// `<kind>.geojson` (RFC 7946, every input attribute kept) and named in its `scenario.json`,
/// both in one file set. Parcels imported into a folder without `scenario.json` start a new
/// scenario: its `scenario.json` names the parcels and the planning CRS (the file's own when it
/// is projected in metres, else `auto`, the UTM zone of the parcels).
public enum ScenarioImport {
    public enum Kind: String, Sendable, CaseIterable { case parcels, exclusions }

    /// What was imported, for the summary line.
    public struct Summary: Sendable {
        public let source: String
        public let target: String
        public let features: Int
        public let crs: String
    }

    public static func importLayer(_ path: String, layer: String?, idField: String?, sourceCRS: CRS?, as kind: Kind,
                                   scenario folder: String) throws -> Summary {
        let files = ScenarioFiles(folder: folder)
        let named = layer.map { path + "#" + $0 } ?? path
        // Read once, in the file's own CRS (for the summary and a new scenario), then projected.
        let native = try LayerSource.readNative(named, layer: kind.rawValue, sourceCRS: sourceCRS, idField: idField)
        let nativeCRS = native.layer.crs
        let isNew = !FileIO.exists(files.path(ScenarioReader.manifestName))
        let manifest: Manifest
        if isNew {
            guard kind == .parcels else {
                throw InputError(source: files.path(ScenarioReader.manifestName), "no such file: import the parcels first, which starts a scenario, then its exclusion zones")
            }
            let planning = (try? nativeCRS.isProjectedInMetres()) == true ? nativeCRS.description : "auto"
            manifest = Manifest(path: files.path(ScenarioReader.manifestName), root: JSONObject([
                ("name", .string(files.name)), ("planning_crs", .string(planning)), ("layers", .object(JSONObject([(kind.rawValue, .string(kind.rawValue + ".geojson"))]))),
            ]))
        } else {
            try files.checkPresent()
            manifest = try Manifest(file: try files.file(ScenarioReader.manifestName))
        }
        let read: (source: String, layer: Layer)
        do {
            read = (native.source, try native.layer.projected(to: .wgs84))
        } catch let error as ProjectionError {
            throw InputError(source: native.source, "cannot project the layer from \(nativeCRS) to WGS84: \(error.message)")
        }
        // Checked exactly as a plan reads it: polygons, valid, with ids, in the planning frame.
        switch kind {
        case .parcels:
            let frame = try manifest.planningFrame(parcels: read.layer)
            _ = try ScenarioReader.readParcels(read, frame: frame)
        case .exclusions:
            let frame = try ScenarioReader.loadPackage(files).scenario.frame
            _ = try ScenarioReader.readExclusions(read, frame: frame)
        }
        let name = kind.rawValue + ".geojson"
        var layer = read.layer
        layer.name = kind.rawValue
        let set = FileSet()
        try set.add(files.path(name), text: try GeoJSONWriter().featureCollection(layer))
        if isNew || (try? manifest.layerName(kind.rawValue)) != name {
            var root = manifest.root
            var layers = root["layers"]?.object ?? JSONObject()
            layers[kind.rawValue] = .string(name)
            root["layers"] = .object(layers)
            try set.add(files.path(ScenarioReader.manifestName), text: JSONWriter.write(.object(root), indent: 2) + "\n")
        }
        try set.commit()
        return Summary(source: read.source, target: files.path(name), features: layer.features.count, crs: nativeCRS == .wgs84 ? "EPSG:4326" : nativeCRS.description)
    }
}
