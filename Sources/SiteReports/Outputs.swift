import Foundation
import DriverCSV
import DriverGeoJSON
import DriverGeoPackage
import DriverOGR
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

/// The file formats `export` writes.
public enum ExportFormat: String, Sendable, CaseIterable {
    case geojson, gpkg, csv, shp, fgb, kml, dxf, xlsx

    /// The format an output name's extension names (`.json` is GeoJSON), nil for none of these.
    public static func named(by path: String) -> ExportFormat? {
        let ext = (path as NSString).pathExtension.lowercased()
        return ext == "json" ? .geojson : ExportFormat(rawValue: ext)
    }

    /// Whether the format is written by GDAL/OGR (DriverOGR) rather than siteplan's own writers.
    public var ogrFormat: OGRFormat? { OGRFormat(rawValue: rawValue) }
}

/// The formats an output file can be written in, by file name extension.
public struct OutputFormats: Sendable {
    /// (extension without the dot, format name), e.g. ("gpkg", "GeoPackage").
    public let formats: [(ext: String, name: String)]

    public init(formats: [(ext: String, name: String)]) { self.formats = formats }

    public static let geoJSONOrGeoPackage = OutputFormats(formats: [("geojson", "GeoJSON"), ("json", "GeoJSON"), ("gpkg", "GeoPackage"), ("csv", "CSV with WKT")])
    /// Everything `export` writes: siteplan's own GeoJSON, GeoPackage and CSV, and the GDAL/OGR formats.
    public static let exportFormats = OutputFormats(formats: geoJSONOrGeoPackage.formats + OGRFormat.allCases.map { ($0.rawValue, $0.displayName) })
    public static let geoPackage = OutputFormats(formats: [("gpkg", "GeoPackage")])
    public static let svgOrPNG = OutputFormats(formats: [("svg", "SVG"), ("png", "PNG")])
    /// What `siteplan map` writes: the SVG map, its PNG, or a PDF sheet.
    public static let map = OutputFormats(formats: [("svg", "SVG"), ("png", "PNG"), ("pdf", "PDF sheet")])

    /// Refuses `path` when its extension names a format siteplan does not write (`x.shp`,
    /// `x.kml`, `x.pdf`), naming the formats it can write; a name without an extension is
    /// taken as it is. Called before any work, so nothing is computed or written.
    public func check(_ path: String, option: String) throws {
        let ext = (path as NSString).pathExtension.lowercased()
        guard !ext.isEmpty, !formats.contains(where: { $0.ext == ext }) else { return }
        var groups: [(name: String, extensions: [String])] = []
        for (e, name) in formats {
            if let i = groups.firstIndex(where: { $0.name == name }) { groups[i].extensions.append("." + e) } else { groups.append((name, ["." + e])) }
        }
        let names = groups.map { "\($0.name) (\($0.extensions.joined(separator: ", ")))" }
        let list = names.count > 1 ? names.dropLast().joined(separator: ", ") + " or " + names.last! : names[0]
        throw InputError("\(option) \(path): siteplan does not write .\(ext) files; it writes \(list)")
    }
}

/// What the plan, export and map commands write, each as one file set (all new or all old).
public enum PlanOutputs {
    /// `siteplan plan`: one GeoJSON file per layer and `report.json` in `folder`, and every
    /// layer in the GeoPackage `gpkg` when given, committed together: `startPlan`, then
    /// `PlanFiles.finish(report:)`.
    public static func writePlan(_ run: PlanRun, layers: [Layer], report: JSONValue, folder: String,
                                 gpkg: String?, gpkgCRS: OutputCRS, format: ExportFormat = .geojson, name: String = "plan",
                                 threads: Int = 1) throws {
        try startPlan(run, layers: layers, folder: folder, gpkg: gpkg, gpkgCRS: gpkgCRS, format: format, name: name, threads: threads)
            .finish(report: report)
    }

    /// Starts writing `siteplan plan`'s files: one GeoJSON file per layer in `folder`, and every
    /// layer in the GeoPackage `gpkg` when given (written by `PlanFiles.finish`). With another
    /// `format`, the layers are written in it instead of GeoJSON: one file (set) per layer for
    /// Shapefile, FlatGeobuf and CSV (`<layer>.<ext>`), one file of every layer for GeoPackage,
    /// KML, DXF and XLSX (`<scenario folder name>.<ext>`); GeoPackage, Shapefile and FlatGeobuf
    /// in `gpkgCRS`.
    ///
    /// GeoJSON layers are read from GEOS here, then projected, rendered and written on other
    /// threads (up to `threads` for rendering) while the caller goes on, for instance to
    /// compute the report; every other format is written here. `PlanFiles.finish(report:)` adds
    /// `report.json` and commits the set once every file is written; a `PlanFiles` let go
    /// without it commits nothing. The files do not depend on `threads`.
    public static func startPlan(_ run: PlanRun, layers: [Layer], folder: String, gpkg: String?, gpkgCRS: OutputCRS,
                                 format: ExportFormat = .geojson, name: String = "plan", threads: Int = 1) throws -> PlanFiles {
        let files = FileSet()
        let scenario = run.scenario
        // Projected to WGS84 once, for the GeoJSON layers and a WGS84 GeoPackage alike (a layer
        // already in the target CRS is not projected again). The GeoJSON writer projects a
        // layer's plain coordinates itself, with no GEOS copy of it; CSV is written a layer at a
        // time (projected, rendered, staged, let go), so only one layer's copy is in memory at once.
        let wgs84Package = (gpkg != nil || format == .gpkg) && gpkgCRS.crs(scenario.frame) == .wgs84
        let lonLat = wgs84Package ? try layers.map { try $0.projected(to: .wgs84) } : []
        func eachLonLat(_ body: (Layer) throws -> Void) throws {
            if wgs84Package { for layer in lonLat { try body(layer) } } else { for layer in layers { try body(layer.projected(to: .wgs84)) } }
        }
        var background: LayerWrites?
        switch format {
        case .geojson:
            background = try GeoJSONSink().startWritingLayers(wgs84Package ? lonLat : layers, toFolder: folder, in: files, threads: threads)
        case .csv:
            try eachLonLat { try CSVSink(decimals: 7).write([$0], to: folder + "/" + $0.name + ".csv", in: files) }
        case .shp, .fgb:
            let sink = ogrSink(format.ogrFormat!, scenario: scenario, crs: gpkgCRS)
            for layer in layers { try sink.write([layer], to: folder + "/" + layer.name + "." + format.rawValue, in: files) }
        case .kml, .dxf, .xlsx:
            try ogrSink(format.ogrFormat!, scenario: scenario, crs: gpkgCRS).write(layers, to: folder + "/" + name + "." + format.rawValue, in: files)
        case .gpkg:
            let crs = gpkgCRS.crs(scenario.frame)
            try GeoPackageWriter(crs: crs, lastChange: GeoPackageWriter.timestamp(asOf: scenario.asOf))
                .write(crs == .wgs84 ? lonLat : layers, to: folder + "/" + name + ".gpkg", in: files)
        }
        // The GeoPackage comes after the layers' files, as it always has (so which file a full
        // disk fails first does not depend on the threads): in `finish`, on the calling thread.
        let package: (() throws -> Void)? = gpkg.map { gpkg in {
            let crs = gpkgCRS.crs(scenario.frame)
            try GeoPackageWriter(crs: crs, lastChange: GeoPackageWriter.timestamp(asOf: scenario.asOf))
                .write(crs == .wgs84 ? lonLat : layers, to: gpkg, in: files)
        } }
        return PlanFiles(files: files, background: background, package: package, folder: folder)
    }

    /// `siteplan plan`'s files under way (`startPlan`).
    public final class PlanFiles {
        private let files: FileSet
        private let background: LayerWrites?
        private let package: (() throws -> Void)?
        private let folder: String

        init(files: FileSet, background: LayerWrites?, package: (() throws -> Void)?, folder: String) {
            self.files = files
            self.background = background
            self.package = package
            self.folder = folder
        }

        /// Waits for the layers written on other threads, writes the GeoPackage (`--gpkg`),
        /// adds `report` as `folder/report.json` and commits every file together; throws the
        /// first failure, committing nothing. Call it on the thread that called `startPlan`.
        public func finish(report: JSONValue) throws {
            try background?.finish()
            try package?()
            try files.add(folder + "/report.json", text: JSONWriter.write(report, indent: 2) + "\n")
            try files.commit()
        }
    }

    /// `siteplan plan --options N`: each option's layers (WGS84 GeoJSON) and report in
    /// `folder/option-K/`, and the comparison in `folder/options.csv` and `options.json`, all
    /// committed together.
    public static func writeOptions(_ study: OptionsStudy, folder: String) throws {
        try writeOptions(study, rendered: study.options.map { try optionFiles($0, folder: folder) }, folder: folder)
    }

    /// `siteplan plan --options N`: lays the options out on up to `threads` threads, renders
    /// each option's files on the thread that laid it out (`OptionsStudy.run`), and writes them
    /// as `writeOptions` does. The files do not depend on `threads`.
    public static func studyOptions(scenario: Scenario, count: Int, seed: UInt64?, threads: Int, folder: String) throws -> OptionsStudy {
        let (study, rendered) = try OptionsStudy.run(scenario: scenario, count: count, seed: seed, threads: threads) {
            try optionFiles($0, folder: folder)
        }
        try writeOptions(study, rendered: rendered, folder: folder)
        return study
    }

    /// One option's files: its layers (WGS84 GeoJSON) and report.json in `folder/option-K/`.
    static func optionFiles(_ option: LayoutOption, folder: String) throws -> [(path: String, text: String)] {
        let sub = folder + "/option-\(option.number)"
        // The writer projects the layers to WGS84 itself, on this thread.
        let layers = try PlanLayers.runLayers(option.run)
        let report = try PlanReport.document(option.run, layout: option.figures.layout).json
        return try GeoJSONSink().rendered(layers, folder: sub) + [(sub + "/report.json", JSONWriter.write(report, indent: 2) + "\n")]
    }

    static func writeOptions(_ study: OptionsStudy, rendered: [[(path: String, text: String)]], folder: String) throws {
        let files = FileSet()
        for (path, text) in rendered.joined() { try files.add(path, text: text) }
        try files.add(folder + "/options.csv", text: OptionsReport.table(study).csv())
        try files.add(folder + "/options.json", text: JSONWriter.write(OptionsReport.json(study), indent: 2) + "\n")
        try files.commit()
    }

    /// `siteplan export`: the layers as one GeoJSON FeatureCollection (`name` is its name), one
    /// GeoPackage, one CSV, or through GDAL/OGR (Shapefile, FlatGeobuf, KML, DXF, XLSX; see
    /// `OGRSink` for how each is laid out).
    public static func export(_ layers: [Layer], name: String, scenario: Scenario, to path: String, format: ExportFormat,
                              crs: OutputCRS, decimals: Int) throws {
        let files = FileSet()
        switch format {
        case .gpkg:
            try GeoPackageWriter(crs: crs.crs(scenario.frame), lastChange: GeoPackageWriter.timestamp(asOf: scenario.asOf))
                .write(layers, to: path, in: files)
        case .geojson:
            // One file whatever the name's extension (an --out without one is GeoJSON too).
            try files.add(path, text: try exportGeoJSON(layers, name: name, decimals: decimals))
        case .csv:
            try CSVSink(decimals: decimals).write(layers, to: path, in: files)
        case .shp, .fgb, .kml, .dxf, .xlsx:
            try ogrSink(format.ogrFormat!, scenario: scenario, crs: crs).write(layers, to: path, in: files)
        }
        try files.commit()
    }

    /// The GDAL/OGR writer of `format` for a scenario: its planning CRS for DXF, `crs` for
    /// Shapefile and FlatGeobuf, its as-of date wherever a format records a date.
    public static func ogrSink(_ format: OGRFormat, scenario: Scenario, crs: OutputCRS) -> OGRSink {
        OGRSink(format: format, crs: crs.crs(scenario.frame), planningCRS: scenario.frame.crs,
                currentDate: scenario.asOf ?? "1970-01-01")
    }

    /// The layers as one RFC 7946 FeatureCollection text.
    public static func exportGeoJSON(_ layers: [Layer], name: String, decimals: Int) throws -> String {
        try GeoJSONSink(writer: GeoJSONWriter(decimals: decimals), collectionName: name).collection(layers)
    }

    /// `siteplan map --out x.pdf`: the sheet as a vector PDF, drawn in process by Cairo,
    /// written whole (a temporary file renamed into place) or not at all.
    public static func writeSheet(_ sheet: PrintSheet, to path: String) throws {
        let files = FileSet()
        let bytes: [UInt8]
        do { bytes = try sheet.pdf() } catch let error as OutputError { throw OutputError(path, error.problem) }
        try files.add(path, bytes: bytes)
        try files.commit()
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
