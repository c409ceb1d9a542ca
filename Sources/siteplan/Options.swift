import ArgumentParser
import Foundation
import SiteplanCore
import SiteplanIO

/// `--scenario PATH`, shared by every command that reads a scenario.
struct ScenarioOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("The scenario folder (holding scenario.json).", valueName: "path"))
    var scenario: String?

    var folder: String { scenario ?? ScenarioLocator.defaultFolder() }

    func load() throws -> Scenario { try ScenarioReader.load(folder: folder) }
}

enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
    case table, json, csv
}

/// `--format table|json|csv`, shared by every reporting command.
struct FormatOptions: ParsableArguments {
    @Option(name: .long, help: "Output format: table (default), json or csv.")
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

/// Runs a command body, turning errors into one clear line on stderr and a non-zero exit.
func reportingErrors(_ body: () throws -> Void) throws {
    do {
        try body()
    } catch let error as ExitCode {
        throw error
    } catch let error as ValidationError {
        throw error
    } catch let error as InputError {
        FileHandle.standardError.write(Data("siteplan: error: \(error)\n".utf8))
        throw ExitCode.failure
    } catch {
        FileHandle.standardError.write(Data("siteplan: error: \(error)\n".utf8))
        throw ExitCode(2)
    }
}

/// `--seed` and `--as-of`, for commands that run the whole pipeline.
struct RunOptions: ParsableArguments {
    @Option(name: .long, help: "Layout seed (default: the scenario's seed, which its status file belongs to).")
    var seed: UInt64?

    @Option(name: .customLong("as-of"), help: ArgumentHelp("Count works as they stood on this date (YYYY-MM-DD; default: the scenario's as_of).", valueName: "date"))
    var asOf: String?

    func validate() throws {
        if let asOf, ISODate(asOf) == nil { throw ValidationError("--as-of \"\(asOf)\" is not a date (YYYY-MM-DD)") }
    }

    func run(_ scenario: ScenarioOptions, topN: Int = 10) throws -> SiteRun {
        try SitePipeline.run(ScenarioReader.loadPackage(folder: scenario.folder), seed: seed, asOf: asOf.flatMap(ISODate.init), topN: topN)
    }
}

/// Prints a titled table (text) — used where a command prints several tables.
func printSection(_ title: String, _ table: ReportTable) {
    print("\n\(title)")
    print(table.text(), terminator: "")
}
