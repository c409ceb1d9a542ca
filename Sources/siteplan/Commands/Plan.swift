import ArgumentParser
import Foundation
import SiteplanCore
import SiteplanIO

extension Siteplan {
    struct Plan: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Lay out streets, blocks, lots and buildings for the housing program, and report coverage.",
            discussion: """
            Writes one RFC 7946 GeoJSON file per layer into --out (parcels, exclusions, streets,
            blocks, lots, buildings) and prints the report. The same scenario and --seed give
            byte-identical files.

            Examples:
              siteplan plan
              siteplan plan --seed 7 --out /tmp/khojaly --format json
              siteplan plan --blocks --format csv
              siteplan plan --gpkg out/khojaly.gpkg --crs planning
            """
        )

        @OptionGroup var scenario: ScenarioOptions
        @OptionGroup var output: FormatOptions

        @Option(name: .long, help: "Seed for the layout's variations (lot frontages).")
        var seed: UInt64 = 1

        @Option(name: .long, help: ArgumentHelp("Folder for the GeoJSON layers (default: out/<scenario folder name>).", valueName: "dir"))
        var out: String?

        @Option(name: .long, help: ArgumentHelp("Also write every layer into this GeoPackage file.", valueName: "file.gpkg"))
        var gpkg: String?

        @Option(name: .long, help: "CRS of the --gpkg file: wgs84 (default) or planning (the scenario's planning CRS).")
        var crs: GeoPackageWriter.TargetCRS = .wgs84

        @Flag(name: .long, help: "Report per block instead of per parcel (table and CSV; JSON always has both).")
        var blocks = false

        func run() throws {
            try reportingErrors {
                let loaded = try scenario.load()
                let plan = try LayoutEngine(scenario: loaded, seed: seed).plan()
                let folder = out ?? "out/" + URL(fileURLWithPath: scenario.folder).lastPathComponent
                let layers = try PlanLayers.layoutLayers(loaded, plan)
                try LayerFolderWriter.write(layers, to: folder)
                if let gpkg {
                    try GeoPackageWriter(frame: loaded.frame, crs: crs, lastChange: GeoPackageWriter.timestamp(asOf: loaded.asOf)).write(layers, to: gpkg)
                }
                let parcels = try CoverageAnalysis.parcels(plan, scenario: loaded)
                let blockFigures = try CoverageAnalysis.blocks(plan)
                let document = PlanReport.json(scenario: loaded, plan: plan, parcels: parcels, blocks: blockFigures)
                try FileIO.writeAtomically(JSONWriter.write(document, indent: 2) + "\n", to: folder + "/report.json")
                let table = blocks ? PlanReport.blockTable(blockFigures) : PlanReport.parcelTable(parcels)
                emit(table, format: output.format, json: document)
                if output.format == .table {
                    print("")
                    print(PlanReport.unplacedLines(parcels), terminator: "")
                    print("layers written to \(folder)/ (WGS84 GeoJSON, one file per layer)")
                    if let gpkg { print("GeoPackage written to \(gpkg) (\(crs == .wgs84 ? "EPSG:4326" : loaded.frame.crs.description))") }
                }
            }
        }
    }
}
