import ArgumentParser
import Foundation
import SitePlanning
import SiteVocabulary
import SiteFiles
import SiteReports
import DriverGeoJSON
import DriverGeoPackage
import SiteDrivers

/// `--scenario PATH`, shared by every command that reads a scenario.
struct ScenarioOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("The scenario folder, holding scenario.json (default: $SITEPLAN_SCENARIO, else geodata/khojaly here, else the built-in Khojaly scenario).", valueName: "path"))
    var scenario: String?

    /// --scenario, else $SITEPLAN_SCENARIO, else geodata/khojaly in the working folder, else the
    /// Khojaly scenario built into the executable.
    var files: ScenarioFiles {
        if let folder = scenario ?? ScenarioLocator.defaultFolder() { return ScenarioFiles(folder: folder) }
        return EmbeddedScenario.khojaly
    }

    func load() throws -> Scenario { try ScenarioReader.load(files) }

    func loadPackage() throws -> ScenarioPackage { try ScenarioReader.loadPackage(files) }
}

enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
    case table, json, csv
}

/// `--format table|json|csv`, shared by every reporting command.
struct FormatOptions: ParsableArguments {
    @Option(name: .long, help: "Output format: an aligned table, or the same figures as JSON or CSV.")
    var format: OutputFormat = .table
}

/// Prints `document` as JSON, or `table` as text or CSV, to stdout.
func emit(_ table: ReportTable, format: OutputFormat, json document: @autoclosure () -> JSONValue) {
    switch format {
    case .table: print(table.text(boldHeader: TerminalStyle.colour), terminator: "")
    case .csv: print(table.csv(), terminator: "")
    case .json: print(JSONWriter.write(document(), indent: 2))
    }
}

/// Whether to style text output: only when stdout is a terminal, `NO_COLOR` is unset or empty
/// (https://no-color.org) and `TERM` is not "dumb".
enum TerminalStyle {
    static let colour: Bool = {
        let env = ProcessInfo.processInfo.environment
        if let noColor = env["NO_COLOR"], !noColor.isEmpty { return false }
        if env["TERM"] == "dumb" { return false }
        return isatty(STDOUT_FILENO) == 1
    }()
}

/// Runs a command body, turning errors into one clear line on stderr and the exit code of
/// their kind: the one error path of every command (`siteplan: error: ...`; exit 1 for bad
/// input or an output that cannot be written, 2 for a library failure).
func reportingErrors(_ body: () throws -> Void) throws {
    do {
        try body()
        try flushStandardOutput()
    } catch {
        throw report(error)
    }
}

/// Flushes what the command printed; a report that could not be written (a full disk, a closed
/// pipe) is an output failure, not a success.
func flushStandardOutput() throws {
    errno = 0
    // fflush(NULL) flushes every C stream, standard output among them, and fails if one fails.
    if fflush(nil) != 0 {
        throw OutputError("standard output", "cannot write: \(String(cString: strerror(errno == 0 ? EIO : errno)))")
    }
}

/// The async form of `reportingErrors`, for `serve`.
func reportingErrors(_ body: () async throws -> Void) async throws {
    do {
        try await body()
    } catch {
        throw report(error)
    }
}

/// Prints `error` as one line on stderr and returns what to throw to end the command.
func report(_ error: any Error) -> any Error {
    switch error {
    case let exit as ExitCode: return exit
    case let validation as ValidationError: return validation
    case let cleanExit as CleanExit: return cleanExit
    case let known as any SiteplanError:
        writeStderr("siteplan: error: \(known)\n")
        return ExitCode(known.kind.exitCode)
    default:
        // Not one of ours: say what kind of failure it was, never a Foundation error-domain text.
        writeStderr("siteplan: error: an unexpected failure (\(type(of: error))); please report it with the command line\n")
        return ExitCode(2)
    }
}

/// `--seed` and `--as-of`, for commands that run the whole pipeline.
struct RunOptions: ParsableArguments {
    @Option(name: .long, help: "Layout seed (default: the scenario's). Without --store, a scenario with a status file takes only its own seed: the file's segment ids belong to that layout; with --store, any seed re-plans around what is built.")
    var seed: UInt64?

    @Option(name: .customLong("as-of"), help: ArgumentHelp("Count works as they stood on this date (YYYY-MM-DD; default: the scenario's as_of).", valueName: "date"))
    var asOf: String?

    func validate() throws {
        if let asOf, ISODate(asOf) == nil { throw ValidationError("--as-of \"\(asOf)\" is not a date (YYYY-MM-DD)") }
    }

    @Flag(name: .long, help: "Lay the street grid over the whole parcel and spread the program over it, for comparison with the default compact layout (streets only where the program lands, the rest reserve).")
    var spread = false

    @OptionGroup var record: StoreOptions

    var day: ISODate? { asOf.flatMap(ISODate.init) }

    /// With `liveDay`, a run on a store without --as-of counts works up to today (the day of
    /// each call), as a live view must; otherwise the scenario's as_of rules.
    func run(_ scenario: ScenarioOptions, topN: Int = 10, liveDay: Bool = false) throws -> PlanRun {
        var package = try scenario.loadPackage()
        if spread {
            let (spreadPackage, note) = package.developing(.spread)
            package = spreadPackage
            if let note { writeStderr("siteplan: note: \(note)\n") }
        }
        // A building type whose floor area per dwelling is implausible: said, not refused.
        for warning in FloorAreaCheck.warnings(package.scenario) { writeStderr("siteplan: warning: \(warning)\n") }
        let loaded = try record.load()
        if let loaded, let note = PlanStores.scenarioNote(loaded, package) { writeStderr("siteplan: warning: \(note)\n") }
        let asOf = day ?? (liveDay && loaded != nil ? UTCClock.today() : nil)
        return try package.run(seed: seed, asOf: asOf, topN: topN, record: loaded)
    }
}

/// `--store`, the plan of record: on every command that reads or writes the plan.
struct StoreOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("The plan of record: a GeoPackage file (PATH.gpkg) or a PostGIS database (postgresql://user@host:port/db). Re-plans keep what is built in it, ids are its asset ids, and works come from its history instead of the scenario's status file (default: $SITEPLAN_STORE).", valueName: "store"))
    var store: String?

    /// --store, else $SITEPLAN_STORE.
    var location: String? { store ?? ProcessInfo.processInfo.environment["SITEPLAN_STORE"].flatMap { $0.isEmpty ? nil : $0 } }

    /// The plan of record, when a store is named.
    func load() throws -> PlanRecord? { try location.map { try PlanStores.loadRecord(PlanStores.open($0)) } }

    /// The store a command needs (`adopt`, `works`, `log`, `diff`).
    func required(command: String) throws -> String {
        guard let location else { throw ValidationError("\(command) needs --store PATH.gpkg (or postgresql://…), or $SITEPLAN_STORE") }
        return location
    }
}

/// Prints a titled table (text) — used where a command prints several tables.
func printSection(_ title: String, _ table: ReportTable) {
    print("\n\(title)")
    print(table.text(), terminator: "")
}

/// What a command hands over to the process exit instead of freeing it piece by piece: a
/// plan's hundred thousand GEOS geometries take ~0.4 s to free at 100× Khojaly, and the exit
/// returns their memory at once. Only for values a command holds to its very end.
enum KeptUntilExit {
    nonisolated(unsafe) private static var values: [Any] = []
    static func keep(_ value: Any) { values.append(value) }
}
