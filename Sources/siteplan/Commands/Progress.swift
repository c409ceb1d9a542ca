import ArgumentParser
import SitePlanning
import SiteVocabulary
import SiteFiles
import SiteReports
import DriverGeoJSON
import DriverGeoPackage
import SiteDrivers

extension Siteplan {
    struct Progress: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Works progress and connection completion, computed by tracing the networks.",
            discussion: """
            A building is connected for a utility when its service line and every segment on some \
            path to the utility's source are laid or commissioned. Works complete is the built share \
            of the network length (trunks, mains and service lines). Also: service coverage within \
            the scenario's service distance, what to build next, and the households allocation.

            What to build next is a list of work packages: for a building not yet fully connected, \
            the unbuilt segments of every utility on its paths to the sources (trunk, mains, service \
            lines). Greedily, the package that fully connects the most dwellings per metre is taken, \
            counted as built, and the rest are valued again; a package counts every building it \
            completes, not only its own. The text lists a few segment ids per package, the JSON \
            (next_work_packages) all of them.

            Examples:
              siteplan progress
              siteplan progress --as-of 2026-06-30 --format json
            """
        )

        @OptionGroup var scenario: ScenarioOptions
        @OptionGroup var pipeline: RunOptions
        @OptionGroup var output: FormatOptions

        @Option(name: .long, help: "How many work packages to list.")
        var top: Int = 10

        func run() throws {
            try reportingErrors {
                let result = try pipeline.run(scenario, topN: top)
                let table = ProgressReports.scopeTable(result.progress)
                emit(table, format: output.format, json: ProgressReports.json(result))
                if output.format == .table {
                    printProgressDetails(result)
                    printWorksNotes(result)
                }
            }
        }
    }
}

/// The text report's further sections: per utility, next work packages, households, warnings.
func printProgressDetails(_ run: PlanRun) {
    let p = run.progress
    printSection("per utility, whole town (service distance \(Int(p.serviceDistanceMetres)) m):", ProgressReports.utilityTable(p.town))
    if !p.nextWorkPackages.isEmpty {
        printSection("what to build next: work packages (greedy, most dwellings fully connected per metre first):",
                     ProgressReports.nextTable(p.nextWorkPackages))
    }
    let h = run.households
    print("\nhouseholds: \(h.familiesHoused) of \(h.families.count) families housed (\(h.peopleHoused) people) in fully connected dwellings; \(h.freeConnectedDwellings) connected dwellings free")
    for u in h.unhoused { print("  not housed: family \(u.familyID) (\(u.size) people): \(u.reason)") }
    for w in p.warnings { print("warning: \(w)") }
}
