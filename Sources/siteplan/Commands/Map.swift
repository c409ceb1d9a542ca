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
    struct Map: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Draw the plan as a map (SVG, or PNG through rsvg-convert) in the planning CRS.",
            discussion: """
            Draws parcels, blocks, lots, exclusion zones, streets at their width, buildings coloured \
            by type (outlined by connection state when the buildings carry it), and network \
            segments coloured by status when the plan has them; with a legend, a scale bar in \
            metres, a north arrow (grid north) and a title with the scenario's name and as-of date.

            --parcel frames one parcel. An --out name ends in .svg or .png (or has no extension: \
            SVG); a PNG, or --png beside the SVG, needs rsvg-convert (Debian package \
            librsvg2-bin). Other formats (PDF, JPEG, ...) are not written.

            Examples:
              siteplan map --out out/khojaly.svg
              siteplan map --parcel P1-B --out out/p1-b.png
              siteplan map --layers parcels,streets,buildings > plan.svg
            """
        )

        @Option(name: .long, help: ArgumentHelp("Write the SVG (or, ending in .png, a PNG) to this file instead of stdout.", valueName: "file"))
        var out: String?

        @Flag(name: .long, help: "Also write a PNG beside the SVG (same name, .png).")
        var png = false

        @Option(name: .long, help: ArgumentHelp("Comma-separated layers to draw (default: all).", valueName: "names"))
        var layers: String?

        @Option(name: .long, help: ArgumentHelp("Frame one parcel and draw only its features.", valueName: "id"))
        var parcel: String?

        @Option(name: .long, help: "Width of the map area in pixels (the legend is added beside it).")
        var width: Int = 1600

        @OptionGroup var pipeline: RunOptions

        @OptionGroup var scenario: ScenarioOptions

        var layerNames: [String]? {
            layers.map { $0.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) } }
        }

        func validate() throws {
            for name in layerNames ?? [] where !PlanLayers.allLayerNames.contains(name) {
                throw ValidationError("--layers: unknown layer \"\(name)\" (layers: \(PlanLayers.allLayerNames.joined(separator: ", ")))")
            }
            guard (200...20_000).contains(width) else { throw ValidationError("--width must be between 200 and 20000 pixels") }
            if png && out == nil { throw ValidationError("--png needs --out FILE.svg") }
        }

        func mapOptions(_ run: PlanRun) -> SVGMap.Options {
            var options = SVGMap.Options(layers: layerNames, parcelID: parcel, mapWidthPixels: Double(width), seed: run.plan.seed)
            if let record = run.record, let r = record.revision { options.revision = "on revision \(r.number) of \(record.location)" }
            return options
        }

        func run() throws {
            try reportingErrors {
                if let out { try OutputFormats.svgOrPNG.check(out, option: "--out") }
                let run = try pipeline.run(scenario)
                if let parcel { _ = try run.scenario.parcel(id: parcel) }
                let all = try PlanLayers.runLayers(run)
                let svg = try SVGMap(scenario: run.scenario, layers: all,
                                     options: mapOptions(run)).render()
                guard let out else { print(svg, terminator: ""); return }
                try PlanOutputs.writeMap(svg: svg, to: out, alsoPNG: png)
            }
        }
    }
}
