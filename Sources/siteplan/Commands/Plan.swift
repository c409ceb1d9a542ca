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
            """
        )

        @OptionGroup var scenario: ScenarioOptions
        @OptionGroup var output: FormatOptions

        @Option(name: .long, help: "Seed for the layout's variations (lot frontages).")
        var seed: UInt64 = 1

        @Option(name: .long, help: ArgumentHelp("Folder for the GeoJSON layers (default: out/<scenario folder name>).", valueName: "dir"))
        var out: String?

        @Flag(name: .long, help: "Report per block instead of per parcel (table and CSV; JSON always has both).")
        var blocks = false

        func run() throws {
            try reportingErrors {
                let loaded = try scenario.load()
                let plan = try LayoutEngine(scenario: loaded, seed: seed).plan()
                let folder = out ?? "out/" + URL(fileURLWithPath: scenario.folder).lastPathComponent
                try LayerFolderWriter.write(PlanLayers.layoutLayers(loaded, plan), to: folder)
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
                }
            }
        }
    }
}
