import ArgumentParser
import Foundation
import SiteplanCore
import SiteplanIO

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
    @Option(name: .long, help: "Layout seed (default: the scenario's). A scenario with a status file takes only its own seed: the file's segment ids belong to that layout.")
    var seed: UInt64?

    @Option(name: .customLong("as-of"), help: ArgumentHelp("Count works as they stood on this date (YYYY-MM-DD; default: the scenario's as_of).", valueName: "date"))
    var asOf: String?

    func validate() throws {
        if let asOf, ISODate(asOf) == nil { throw ValidationError("--as-of \"\(asOf)\" is not a date (YYYY-MM-DD)") }
    }

    func run(_ scenario: ScenarioOptions, topN: Int = 10) throws -> SiteRun {
        try SitePipeline.run(scenario.loadPackage(), seed: seed, asOf: asOf.flatMap(ISODate.init), topN: topN)
    }
}

/// Prints a titled table (text) — used where a command prints several tables.
func printSection(_ title: String, _ table: ReportTable) {
    print("\n\(title)")
    print(table.text(), terminator: "")
}

/// The formats an output file can be written in, by file name extension.
struct OutputFormats {
    /// (extension without the dot, format name), e.g. ("gpkg", "GeoPackage").
    let formats: [(ext: String, name: String)]

    static let geoJSONOrGeoPackage = OutputFormats(formats: [("geojson", "GeoJSON"), ("json", "GeoJSON"), ("gpkg", "GeoPackage")])
    static let geoPackage = OutputFormats(formats: [("gpkg", "GeoPackage")])
    static let svgOrPNG = OutputFormats(formats: [("svg", "SVG"), ("png", "PNG")])

    /// Refuses `path` when its extension names a format siteplan does not write (`x.shp`,
    /// `x.kml`, `x.pdf`), naming the formats it can write; a name without an extension is
    /// taken as it is. Called before any work, so nothing is computed or written.
    func check(_ path: String, option: String) throws {
        let ext = (path as NSString).pathExtension.lowercased()
        guard !ext.isEmpty, !formats.contains(where: { $0.ext == ext }) else { return }
        var groups: [(name: String, extensions: [String])] = []
        for (e, name) in formats {
            if let i = groups.firstIndex(where: { $0.name == name }) { groups[i].extensions.append("." + e) } else { groups.append((name, ["." + e])) }
        }
        let names = groups.map { "\($0.name) (\($0.extensions.joined(separator: ", ")))" }
        let list = names.count > 1 ? names.dropLast().joined(separator: ", ") + " or " + names.last! : names[0]
        throw InputError("\(option) \(path): siteplan does not write .\(ext) files; it writes \(list)")
    }
}
