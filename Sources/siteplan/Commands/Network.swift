import ArgumentParser
import SitePlanning
import SiteVocabulary
import SiteFiles
import SiteReports
import DriverGeoJSON
import DriverGeoPackage
import SiteDrivers

extension Siteplan {
    struct Network: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Length of each utility network, per works status; --segments lists every segment.",
            discussion: """
            The networks are generated on the layout: mains along the streets that serve buildings \
            (each utility shifted inside the street corridor), a trunk from each utility's source, \
            and a service line per building. Lengths are planar metres.

            Examples:
              siteplan network
              siteplan network --segments --format csv > segments.csv
            """
        )

        @OptionGroup var scenario: ScenarioOptions
        @OptionGroup var pipeline: RunOptions
        @OptionGroup var output: FormatOptions

        @Flag(name: .long, help: "List every segment (id, utility, kind, parcel, building, length, status, date).")
        var segments = false

        func run() throws {
            try reportingErrors {
                let result = try pipeline.run(scenario)
                let table = segments ? ProgressReports.segmentTable(result) : ProgressReports.networkTable(result)
                emit(table, format: output.format, json: .array(table.jsonObjects()))
            }
        }
    }
}
