import ArgumentParser
import SitePlanning
import SiteVocabulary
import SiteFiles
import SiteReports
import DriverGeoJSON
import DriverGeoPackage
import SiteDrivers

extension Siteplan {
    struct Households: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Allocate the returning families to fully connected dwellings.",
            discussion: """
            Capacity rule: a dwelling unit holds one family of at most its building type's \
            persons_per_unit people. Families are housed in file order, each in the free connected \
            dwelling with the smallest capacity that fits it.

            Examples:
              siteplan households
              siteplan households --format csv
            """
        )

        @OptionGroup var scenario: ScenarioOptions
        @OptionGroup var pipeline: RunOptions
        @OptionGroup var output: FormatOptions

        func run() throws {
            try reportingErrors {
                let result = try pipeline.run(scenario)
                let h = result.households
                emit(ProgressReports.householdTable(h), format: output.format, json: ProgressReports.householdsJSON(h))
                if output.format == .table {
                    print("\n\(h.familiesHoused) of \(h.families.count) families housed, \(h.peopleHoused) people; \(h.freeConnectedDwellings) fully connected dwellings still free")
                    if !h.awaiting.isEmpty { print("\(h.awaiting.count) families not back yet (return date after \(result.progress.asOf?.description ?? "today"))") }
                    printSection("dwelling occupancy:", ProgressReports.occupancyTable(h))
                }
            }
        }
    }
}
