import ArgumentParser
import SitePlanning
import SiteVocabulary
import SiteFiles
import SiteReports
import DriverGeoJSON
import DriverGeoPackage
import SiteDrivers

extension Siteplan {
    struct Trace: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Trace a building's connection to a utility's source, and show what blocks it.",
            discussion: """
            Follows the path from the building to the source with the fewest unbuilt segments (then \
            the shortest), segment by segment; blocking segments are those not yet laid or \
            commissioned.

            Examples:
              siteplan trace --building P1-A-H0001
              siteplan trace --building P1-B-H0042 --utility gas --format json
            """
        )

        @Option(name: .long, help: "The building id, e.g. P1-A-H0001.")
        var building: String

        @Option(name: .long, help: "One utility (water, sewer, power, gas, telecom); all by default.")
        var utility: String?

        @OptionGroup var scenario: ScenarioOptions
        @OptionGroup var pipeline: RunOptions
        @OptionGroup var output: FormatOptions

        func validate() throws {
            if let utility, Utility(word: utility) == nil {
                throw ValidationError("--utility: unknown utility \"\(utility)\" (utilities: \(Utility.allCases.map(\.rawValue).joined(separator: ", ")))")
            }
        }

        func run() throws {
            try reportingErrors {
                let result = try pipeline.run(scenario)
                guard result.plan.buildings.contains(where: { $0.id == building }) else {
                    throw InputError("no building with id \"\(building)\" in the plan (ids look like \(result.plan.buildings.first?.id ?? "P1-A-H0001"))")
                }
                let utilities = utility.flatMap(Utility.init(word:)).map { [$0] } ?? Utility.allCases
                let traces = ProgressReports.traces(building: building, utilities: utilities, run: result)
                for t in traces {
                    switch output.format {
                    case .table: print("\(t.utility.rawValue): \(t.verdict)"); print(t.table.text())
                    case .csv: print("# \(t.utility.rawValue): \(t.verdict)"); print(t.table.csv(), terminator: "")
                    case .json: break
                    }
                }
                if output.format == .json { print(JSONWriter.write(.array(traces.map(\.json)), indent: 2)) }
            }
        }
    }
}
