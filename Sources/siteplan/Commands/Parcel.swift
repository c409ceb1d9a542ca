import ArgumentParser
import SitePlanning
import SiteVocabulary
import SiteFiles
import SiteReports
import DriverGeoJSON
import DriverGeoPackage
import SiteDrivers

extension Siteplan {
    struct Parcel: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Commands about one parcel.",
            discussion: """
            Examples:
              siteplan parcel show P1-B --format json
            """,
            subcommands: [Show.self]
        )

        struct Show: ParsableCommand {
            static let configuration = CommandConfiguration(
                abstract: "Show one parcel: areas, perimeter, centroid, vertices, holes, validity and bounding box.",
                discussion: """
                Examples:
                  siteplan parcel show P1-A
                  siteplan parcel show P1-B --format json
                """
            )

            @Argument(help: "The parcel id, e.g. P1-A.")
            var id: String

            @OptionGroup var scenario: ScenarioOptions
            @OptionGroup var output: FormatOptions

            func run() throws {
                try reportingErrors {
                    let loaded = try scenario.load()
                    let parcel = try loaded.parcel(id: id)
                    let table = ParcelReports.parcelDetail(try ParcelMetrics(parcel, frame: loaded.frame))
                    emit(table.transposedForText(format: output.format), format: output.format, json: table.jsonObjects()[0])
                }
            }
        }
    }
}

extension ReportTable {
    /// A one-row table shown as `field  value` lines in text form; unchanged otherwise.
    func transposedForText(format: OutputFormat) -> ReportTable {
        guard format == .table, rows.count == 1 else { return self }
        var t = ReportTable(columns: ["field", "value"])
        for (key, cell) in zip(columns, rows[0]) {
            let text: ReportTable.Cell
            switch cell {
            case .number, .integer, .bool, .null: text = .text(ReportTable(columns: [key], rows: [[cell]]).csv().split(separator: "\n").dropFirst().first.map(String.init) ?? "")
            case .text: text = cell
            }
            t.append([.text(key), text])
        }
        return t
    }
}
