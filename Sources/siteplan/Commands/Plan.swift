import ArgumentParser
import Foundation
import SitePlanning
import SiteVocabulary
import SiteFiles
import SiteReports
import DriverGeoJSON
import DriverGeoPackage
import SiteDrivers
import SiteAudit

extension Siteplan {
    struct Plan: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Lay out streets, blocks, lots and buildings for the housing program, and report coverage.",
            discussion: """
            Writes one RFC 7946 GeoJSON file per layer into --out (parcels, exclusions, streets, \
            blocks, lots, buildings, network, service_lines, households) and report.json, and prints \
            the report: coverage per parcel, then works progress and connections. The same scenario \
            and seed give byte-identical files.

            --seed varies the lot frontages. The scenario's status file records works on the \
            network of the scenario's own seed, so a scenario with a status file plans only with \
            that seed; another seed needs a scenario without one.

            Examples:
              siteplan plan
              siteplan plan --out /tmp/khojaly --format json
              siteplan plan --blocks --format csv
              siteplan plan --gpkg out/khojaly.gpkg --crs planning
              siteplan plan --out-format shp --crs planning
              siteplan plan --options 4 --out /tmp/khojaly-options

            --options N lays out N variants of the scenario (the grid along or across each \
            parcel's axis, the longer or shorter street through the access point as primary, \
            the block depth, each of access_point_alternatives), prints them side by side and \
            picks the best: the most of the program placed, then the lowest infrastructure cost \
            per dwelling at the scenario's unit costs ("costs"; documented defaults otherwise). \
            Each option's layers and report go to --out/option-K/, the table to \
            --out/options.csv and options.json. Options are a design study: nothing built is \
            assumed and the works status is not read.
            """
        )

        @OptionGroup var scenario: ScenarioOptions
        @OptionGroup var output: FormatOptions

        @OptionGroup var pipeline: RunOptions

        @Option(name: .long, help: ArgumentHelp("Folder for the GeoJSON layers (default: out/<scenario folder name>).", valueName: "dir"))
        var out: String?

        @Option(name: .long, help: ArgumentHelp("Also write every layer into this GeoPackage file.", valueName: "file.gpkg"))
        var gpkg: String?

        @Option(name: .long, help: "CRS of the --gpkg file (and of GeoPackage, Shapefile or FlatGeobuf --out-format layers): wgs84 is EPSG:4326, planning is the scenario's planning CRS.")
        var crs: OutputCRS?

        @Option(name: .long, help: ArgumentHelp("Format of the layers in --out: geojson, gpkg, csv, shp, fgb, kml, dxf or xlsx.", valueName: "format"))
        var outFormat: LayerFileFormat = .geojson

        @Flag(name: .long, help: "Report per block instead of per parcel (table and CSV; JSON always has both).")
        var blocks = false

        @Flag(name: .long, help: "Print the wall time of each step on stderr ('ranking': the wait for the work packages ranked on another thread; the GeoJSON layers are written on other threads during 'report', and 'write' is the wait for the rest).")
        var timings = false

        @Option(name: .long, help: ArgumentHelp("Lay out N layout options side by side and pick the best (see below).", valueName: "N"))
        var options: Int?

        func validate() throws {
            if let options {
                if options < 1 { throw ValidationError("--options \(options): ask for 1 option or more") }
                if gpkg != nil || outFormat != .geojson || blocks { throw ValidationError("--options writes each option as GeoJSON into --out/option-K/; it takes no --gpkg, --out-format or --blocks") }
                if pipeline.record.location != nil { throw ValidationError("--options is a design study of the scenario alone; it does not re-plan a plan of record (drop --store, or unset SITEPLAN_STORE)") }
            }
            if crs != nil && gpkg == nil && ![.gpkg, .shp, .fgb].contains(outFormat) { throw ValidationError("--crs is the CRS of the --gpkg file; give --gpkg FILE.gpkg too (the GeoJSON layers are WGS84, RFC 7946)") }
        }

        func run() throws {
            try reportingErrors {
                if let options { return try runOptions(options) }
                if let gpkg { try OutputFormats.geoPackage.check(gpkg, option: "--gpkg") }
                let result = try pipeline.run(scenario)
                KeptUntilExit.keep(result)
                let folder = out ?? "out/" + scenario.files.name
                var clock = StepClock()
                let layers = try PlanLayers.runLayers(result)
                KeptUntilExit.keep(layers)
                // The GeoJSON layers are rendered and written on other threads while the report is computed.
                let files = try PlanOutputs.startPlan(result, layers: layers, folder: folder, gpkg: gpkg, gpkgCRS: crs ?? .wgs84,
                                                      format: ExportFormat(rawValue: outFormat.rawValue)!, name: scenario.files.name,
                                                      threads: availableCores)
                clock.lap("layers")
                let report = try PlanReport.document(result)
                clock.lap("report")
                try files.finish(report: report.json)
                clock.lap("write")
                if timings {
                    let steps = (result.timings + clock.laps).map { "\($0.step) \(fixedNotation($0.seconds, decimals: 3)) s" }
                    FileHandle.standardError.write(Data("timings: \(steps.joined(separator: ", "))\n".utf8))
                }
                let table = blocks ? PlanReport.blockTable(report.blocks) : PlanReport.parcelTable(report.parcels)
                emit(table, format: output.format, json: report.json)
                if output.format == .table {
                    print("")
                    print(PlanReport.unplacedLines(report.parcels), terminator: "")
                    print(PlanReport.layoutLines(report.parcels), terminator: "")
                    printSection("networks (metres per dwelling; trunk and main crossings, which must be 0):", NetworkReports.table(report.networks))
                    let access = report.facilities
                    if !access.figures.isEmpty {
                        printSection(FacilityReport.title, FacilityReport.table(access))
                        for note in FacilityReport.notes(access) { print("  \(note)") }
                    }
                    printSection("works and connections (as of \(result.progress.asOf?.description ?? "today")):", ProgressReports.scopeTable(result.progress))
                    printProgressDetails(result)
                    print("")
                    print("layers written to \(folder)/ (\(outFormat.summary))")
                    if let gpkg { print("GeoPackage written to \(gpkg) (\((crs ?? .wgs84) == .wgs84 ? "EPSG:4326" : result.scenario.frame.crs.description))") }
                }
            }
        }
    }
}

extension Siteplan.Plan {
    func runOptions(_ count: Int) throws {
        let package = try scenario.loadPackage()
        let folder = out ?? "out/" + scenario.files.name + "-options"
        let study = try PlanOutputs.studyOptions(scenario: package.scenario, count: count, seed: pipeline.seed, threads: availableCores, folder: folder)
        emit(output.format == .table ? OptionsReport.sideBySide(study) : OptionsReport.table(study), format: output.format, json: OptionsReport.json(study))
        if output.format == .table {
            print("")
            print(OptionsReport.summary(study), terminator: "")
            print("options written to \(folder)/option-1 … option-\(count), the table to \(folder)/options.csv")
        }
    }
}

/// The formats `plan --out-format` writes the layers in.
enum LayerFileFormat: String, ExpressibleByArgument, CaseIterable {
    case geojson, gpkg, csv, shp, fgb, kml, dxf, xlsx

    var summary: String {
        switch self {
        case .geojson: "WGS84 GeoJSON, one file per layer"
        case .gpkg: "one GeoPackage of every layer"
        case .csv: "CSV with WKT, one file per layer"
        case .shp: "Shapefile, one file set per layer"
        case .fgb: "FlatGeobuf, one file per layer"
        case .kml: "one KML of every layer, WGS84"
        case .dxf: "one DXF of every layer, in the planning CRS"
        case .xlsx: "one XLSX of every layer's attributes"
        }
    }
}
