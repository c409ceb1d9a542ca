import ArgumentParser
import Foundation
import SitePlanning
import SiteVocabulary
import SiteFiles
import SiteReports
import DriverGeoJSON
import DriverGeoPackage
import SiteDrivers

extension Siteplan {
    struct Export: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write the scenario's layers as GeoJSON, GeoPackage, CSV, Shapefile, FlatGeobuf, KML, DXF or XLSX.",
            discussion: """
            GeoJSON (RFC 7946, the default): one FeatureCollection; every feature has an id and a \
            "layer" property naming its layer; coordinates are WGS84 longitude, latitude. Without \
            --out it goes to stdout. By default the scenario's own layers (parcels, exclusions).

            GeoPackage (--format gpkg, or an --out name ending in .gpkg): one table per layer with \
            typed columns and an R-tree index, in WGS84 or, with --crs planning, in the scenario's \
            planning CRS (EPSG:32638 for Khojaly). By default every layer of the plan.

            CSV (--format csv, or an --out name ending in .csv): id, every attribute, then a WKT \
            column in WGS84 lon/lat, as GDAL and QGIS read delimited text.

            Through GDAL/OGR: Shapefile (.shp; one file set per layer and geometry type, field \
            names cut to 10 characters by a fixed mapping listed in a .fields.csv beside it, .prj, \
            .cpg UTF-8), FlatGeobuf (.fgb, one file per layer), KML (.kml, WGS84, each placemark \
            named by its id with a table of its attributes), DXF (.dxf, in the planning CRS, one DXF \
            layer per layer, polygons as closed polylines labelled with their id) and XLSX (.xlsx, \
            one sheet of attributes per layer). Shapefile and FlatGeobuf follow --crs.

            An --out name ends in .geojson, .json, .gpkg, .csv, .shp, .fgb, .kml, .dxf or .xlsx (or \
            has no extension: GeoJSON); any other extension is refused with the list of formats.

            --layers picks any of: \(PlanLayers.allLayerNames.joined(separator: ", ")). Plan layers \
            are computed with --seed, as siteplan plan does.

            Examples:
              siteplan export --out khojaly.geojson
              siteplan export --layers parcels,buildings | jq '.features | length'
              siteplan export --crs planning --out khojaly.gpkg
              siteplan export --layers buildings --out buildings.csv
              siteplan export --layers parcels,lots --crs planning --out plan.shp
              siteplan export --layers parcels,buildings --out plan.dxf
              ogrinfo -so khojaly.gpkg
            """
        )

        enum FileFormat: String, ExpressibleByArgument, CaseIterable { case geojson, gpkg, csv, shp, fgb, kml, dxf, xlsx }

        @Option(name: .long, help: ArgumentHelp("Write to this file (atomically) instead of stdout.", valueName: "file"))
        var out: String?

        @Option(name: .long, help: "File format (default: from the --out name's extension, else geojson); all but geojson need --out.")
        var format: FileFormat?

        @Option(name: .long, help: "GeoPackage CRS: wgs84 is EPSG:4326, planning is the scenario's planning CRS.")
        var crs: OutputCRS = .wgs84

        @Option(name: .long, help: "Decimals per coordinate in GeoJSON and CSV, 5 to 15 (7 is about 1 cm).")
        var decimals: Int = 7

        @Option(name: .long, help: ArgumentHelp("Comma-separated layers to export (default: parcels,exclusions for GeoJSON, all for gpkg).", valueName: "names"))
        var layers: String?

        @Option(name: .long, help: "Seed of the layout, for plan layers (default: the scenario's).")
        var seed: UInt64?

        @Flag(name: .long, help: "Print the wall time of computing the layers and of writing them on stderr.")
        var timings = false

        @OptionGroup var scenario: ScenarioOptions
        @OptionGroup var record: StoreOptions

        var fileFormat: FileFormat {
            if let format { return format }
            return out.flatMap { ExportFormat.named(by: $0) }.flatMap { FileFormat(rawValue: $0.rawValue) } ?? .geojson
        }

        var layerNames: [String] {
            guard let layers else { return [.geojson, .csv].contains(fileFormat) ? ["parcels", "exclusions"] : PlanLayers.allLayerNames }
            return layers.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
        }

        func validate() throws {
            guard (5...15).contains(decimals) else {
                throw ValidationError("--decimals must be between 5 (about 1 m) and 15; fewer would collapse lots and buildings to lines and points")
            }
            for name in layerNames where !PlanLayers.allLayerNames.contains(name) {
                throw ValidationError("--layers: unknown layer \"\(name)\" (layers: \(PlanLayers.allLayerNames.joined(separator: ", ")))")
            }
            if fileFormat == .gpkg && out == nil { throw ValidationError("--format gpkg needs --out FILE.gpkg (a GeoPackage is not written to stdout)") }
            if let format, let out, let named = FileFormat.allCases.first(where: { out.lowercased().hasSuffix("." + $0.rawValue) }), named != format {
                throw ValidationError("--format \(format.rawValue) and --out \(out) disagree; name the file .\(format.rawValue), or leave --format out")
            }
            if ![.gpkg, .shp, .fgb].contains(fileFormat) && crs != .wgs84 {
                throw ValidationError("--crs planning is for GeoPackage, Shapefile and FlatGeobuf: GeoJSON, the CSV's WKT and KML are WGS84, and a DXF is always in the planning CRS")
            }
            if fileFormat != .geojson && out == nil { throw ValidationError("--format \(fileFormat.rawValue) needs --out FILE.\(fileFormat.rawValue)") }
        }

        func run() throws {
            try reportingErrors {
                if let out { try OutputFormats.exportFormats.check(out, option: "--out") }
                let package = try scenario.loadPackage()
                let loaded = package.scenario
                let wanted = layerNames
                var clock = StepClock()
                let all = try package.layers(wanted, seed: seed, record: record.load())
                clock.lap("layers")
                defer {
                    if timings {
                        clock.lap("write")
                        let steps = clock.laps.map { "\($0.step) \(fixedNotation($0.seconds, decimals: 3)) s" }
                        FileHandle.standardError.write(Data("timings: \(steps.joined(separator: ", "))\n".utf8))
                    }
                }
                guard let out else {
                    print(try PlanOutputs.exportGeoJSON(all, name: loaded.name, decimals: decimals), terminator: "")
                    return
                }
                try PlanOutputs.export(all, name: loaded.name, scenario: loaded, to: out, format: ExportFormat(rawValue: fileFormat.rawValue)!,
                                       crs: crs, decimals: decimals)
            }
        }
    }
}

extension OutputCRS: ExpressibleByArgument {}
