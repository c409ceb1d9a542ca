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
            abstract: "Draw the plan as a map (SVG, PNG through rsvg-convert, or a print-ready PDF sheet) in the planning CRS.",
            discussion: """
            Draws parcels, blocks, lots, exclusion zones, streets at their width, buildings coloured \
            by type (outlined by connection state when the buildings carry it), and network \
            segments coloured by status when the plan has them; with a legend, a scale bar in \
            metres, a north arrow (grid north) and a title with the scenario's name and as-of date.

            --parcel frames one parcel. An --out name ends in .svg, .png or .pdf (or has no \
            extension: SVG); a PNG, or --png beside the SVG, needs rsvg-convert (Debian package \
            librsvg2-bin). Other formats (JPEG, ...) are refused with the list of formats.

            A .pdf is a print-ready vector sheet drawn in process by Cairo: the map frame at a true \
            scale (1:N: 1 mm on paper is N mm on the ground in the planning CRS) with a labelled \
            coordinate grid, street and lot labels, an inset locator map, the legend, a scale bar, \
            the north arrow with the grid convergence and a title block (scenario, revision or seed, \
            as-of date, CRS, author and data sources from scenario.json). --paper A1|A2|A3|A4 \
            (default A3, portrait unless --landscape); --scale 1:N (default: the largest standard \
            scale, 1:500, 1:1000, 1:2000, 1:2500, 1:5000, 1:10000, ..., at which the plan fits; a \
            --scale at which it does not fit is refused, naming the largest that fits, unless --tile \
            prints it on several sheets, one PDF page each, numbered on the locator); \
            --dpi is the resolution of anything Cairo must draw as pixels (300). The PDF's dates \
            are the scenario's as-of date, so the same plan gives the same bytes.

            Examples:
              siteplan map --out out/khojaly.svg
              siteplan map --parcel P1-B --out out/p1-b.png
              siteplan map --out plan.pdf --paper A1 --landscape
              siteplan map --out plan.pdf --paper A3 --landscape --scale 1:5000 --tile
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

        @Option(name: .long, help: ArgumentHelp("Paper of a PDF sheet: A1, A2, A3 or A4 (default A3).", valueName: "size"))
        var paper: String?

        @Flag(name: .long, help: "Print a PDF sheet in landscape (default portrait).")
        var landscape = false

        @Option(name: .long, help: ArgumentHelp("Scale of a PDF sheet, 1:N (default: the largest standard scale at which the plan fits).", valueName: "1:N"))
        var scale: String?

        @Flag(name: .long, help: "Print a plan that does not fit one sheet at --scale on several (one PDF page each).")
        var tile = false

        @Option(name: .long, help: ArgumentHelp("Resolution of anything a PDF sheet must draw as pixels, 72 to 2400 (default 300).", valueName: "dpi"))
        var dpi: Int?

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
            let sheetOptions = [paper.map { _ in "--paper" }, landscape ? "--landscape" : nil, scale.map { _ in "--scale" }, tile ? "--tile" : nil, dpi.map { _ in "--dpi" }].compactMap { $0 }
            if !sheetOptions.isEmpty && !isSheet {
                throw ValidationError("\(sheetOptions.joined(separator: ", ")) \(sheetOptions.count == 1 ? "applies" : "apply") to a PDF sheet: give --out FILE.pdf")
            }
            if isSheet && png { throw ValidationError("--png writes a PNG beside an SVG; a PDF sheet has none (render it with pdftoppm)") }
        }

        var isSheet: Bool { out.map { ($0 as NSString).pathExtension.lowercased() == "pdf" } ?? false }

        /// The sheet's options, each checked with a clear message.
        func printOptions() throws -> PrintOptions {
            var options = PrintOptions(creator: "siteplan \(SiteplanVersion.string)")
            if let paper { options.paper = try PrintOptions.paper(paper) }
            options.landscape = landscape
            options.tile = tile
            if let scale { options.scaleDenominator = try PrintOptions.scale(scale) }
            if let dpi {
                try PrintOptions.checkDPI(dpi)
                options.dpi = dpi
            }
            return options
        }

        func mapOptions(_ run: PlanRun) -> SVGMap.Options {
            var options = SVGMap.Options(layers: layerNames, parcelID: parcel, mapWidthPixels: Double(width), seed: run.plan.seed)
            if let record = run.record, let r = record.revision { options.revision = "on revision \(r.number) of \(record.location)" }
            return options
        }

        func run() throws {
            try reportingErrors {
                if let out { try OutputFormats.map.check(out, option: "--out") }
                let sheet = isSheet ? try printOptions() : nil
                let run = try pipeline.run(scenario)
                if let parcel { _ = try run.scenario.parcel(id: parcel) }
                let all = try PlanLayers.runLayers(run)
                let map = SVGMap(scenario: run.scenario, layers: all, options: mapOptions(run))
                if let out, let sheet {
                    try PlanOutputs.writeSheet(PrintSheet(map: map, print: sheet), to: out)
                    return
                }
                let svg = try map.render()
                guard let out else { print(svg, terminator: ""); return }
                try PlanOutputs.writeMap(svg: svg, to: out, alsoPNG: png)
            }
        }
    }
}
