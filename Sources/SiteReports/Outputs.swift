import DriverGeoJSON
import DriverGeoPackage
import SiteDrivers
import SitePlanning
import SiteProjection
import SiteVocabulary

/// The CRS of a GeoPackage a person asks for: WGS84 or the scenario's planning CRS.
public enum OutputCRS: String, Sendable, CaseIterable {
    /// WGS84 longitude, latitude (EPSG:4326).
    case wgs84
    /// The scenario's projected planning CRS (metres), e.g. EPSG:32638.
    case planning

    public func crs(_ frame: PlanningFrame) -> CRS { self == .wgs84 ? .wgs84 : frame.crs }
}

/// The file formats siteplan writes, chosen from a file name's extension; a name whose
/// extension names another format is refused with the list, before any work.
public enum OutputFileKind: String, Sendable, CaseIterable {
    case geojson, gpkg, svg, png, json, csv

    /// The kind `path`'s extension names among `allowed`, or an `InputError` listing them.
    public static func of(_ path: String, allowed: [OutputFileKind], option: String) throws -> OutputFileKind {
        let base = path.split(separator: "/").last.map(String.init) ?? path
        let ext = base.lastIndex(of: ".").map { String(base[base.index(after: $0)...]).lowercased() } ?? ""
        if let kind = allowed.first(where: { $0.rawValue == ext }) { return kind }
        let list = allowed.map { "." + $0.rawValue }.joined(separator: ", ")
        throw InputError(source: path, ext.isEmpty
            ? "\(option) needs a file name ending in \(list)"
            : "siteplan does not write .\(ext) files here; \(option) takes \(list)")
    }
}

/// What the plan, export and map commands write, each as one file set (all new or all old).
public enum PlanOutputs {
    /// `siteplan plan`: one GeoJSON file per layer and `report.json` in `folder`, and every
    /// layer in the GeoPackage `gpkg` when given, committed together.
    public static func writePlan(_ run: PlanRun, layers: [Layer], report: JSONValue, folder: String,
                                 gpkg: String?, gpkgCRS: OutputCRS) throws {
        let files = FileSet()
        try GeoJSONSink().write(layers, to: folder, in: files)
        if let gpkg {
            try GeoPackageWriter(crs: gpkgCRS.crs(run.scenario.frame), lastChange: GeoPackageWriter.timestamp(asOf: run.scenario.asOf))
                .write(layers, to: gpkg, in: files)
        }
        try files.add(folder + "/report.json", text: JSONWriter.write(report, indent: 2) + "\n")
        try files.commit()
    }

    /// `siteplan export`: the layers as one GeoJSON FeatureCollection (`name` is its name) or
    /// one GeoPackage.
    public static func export(_ layers: [Layer], name: String, scenario: Scenario, to path: String, kind: OutputFileKind,
                              crs: OutputCRS, decimals: Int) throws {
        let files = FileSet()
        switch kind {
        case .gpkg:
            try GeoPackageWriter(crs: crs.crs(scenario.frame), lastChange: GeoPackageWriter.timestamp(asOf: scenario.asOf))
                .write(layers, to: path, in: files)
        default:
            try files.add(path, text: try exportGeoJSON(layers, name: name, decimals: decimals))
        }
        try files.commit()
    }

    /// The layers as one RFC 7946 FeatureCollection text.
    public static func exportGeoJSON(_ layers: [Layer], name: String, decimals: Int) throws -> String {
        let features = try layers.flatMap { try $0.projected(to: .wgs84).features }
        return try GeoJSONWriter(decimals: decimals).featureCollection(lonLat: features, name: name)
    }

    /// `siteplan map`: the SVG at `path` (`.svg`), or the PNG (`.png`), and with `alsoPNG` the
    /// PNG beside the SVG, committed together.
    public static func writeMap(svg: String, to path: String, alsoPNG: Bool) throws {
        let files = FileSet()
        if path.lowercased().hasSuffix(".png") {
            try PNGConverter.write(svg: svg, to: path, in: files)
        } else {
            try files.add(path, text: svg)
            if alsoPNG {
                let stem = path.lowercased().hasSuffix(".svg") ? String(path.dropLast(4)) : path
                try PNGConverter.write(svg: svg, to: stem + ".png", in: files)
            }
        }
        try files.commit()
    }
}
