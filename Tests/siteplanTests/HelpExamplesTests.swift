import ArgumentParser
import Foundation
@testable import siteplan
import XCTest

/// Every example in every `--help` and in the README runs as written (issue 9, item 7), and the
/// help text is laid out so that argument-parser's wrapping never breaks an example line.
///
/// Examples run with `siteplan` on PATH, in a scratch folder that has `geodata/khojaly` (a link
/// to the repository's) and the plan's layers as the audit's inputs, so relative output paths
/// land there; absolute `--out` paths are moved into it. `serve` would serve forever: its
/// examples are parsed and validated in-process, not run.
final class HelpExamplesTests: XCTestCase {
    /// Every command path: [], ["plan"], …, ["parcel", "show"].
    func commandPaths() throws -> [[String]] {
        var paths: [[String]] = [[]]
        var k = 0
        while k < paths.count {
            let help = try CLIRunner.run(paths[k] + ["--help"], environment: ["COLUMNS": "80"])
            XCTAssertEqual(help.status, 0, help.stderr)
            let lines = help.stdout.split(separator: "\n", omittingEmptySubsequences: false)
            if let start = lines.firstIndex(of: "SUBCOMMANDS:") {
                for line in lines[(start + 1)...] {
                    guard line.hasPrefix("  "), !line.hasPrefix("   ") else { if line.isEmpty { break } else { continue } }
                    let name = line.split(separator: " ")[0]
                    if name != "See" && name != "help" { paths.append(paths[k] + [String(name)]) }
                }
            }
            k += 1
        }
        return paths
    }

    /// The example lines under "Example:" / "Examples:", `\`-continued lines joined.
    static func examples(inHelp text: String) -> [String] {
        var out: [String] = []
        var inExamples = false, pending = ""
        for raw in text.split(separator: "\n", omittingEmptySubsequences: false) {
            let line = String(raw)
            if line == "Example:" || line == "Examples:" { inExamples = true; continue }
            guard inExamples else { continue }
            guard line.hasPrefix("  ") else { inExamples = false; continue }
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed.hasSuffix("\\") { pending += trimmed.dropLast(); continue }
            let full = pending + trimmed
            pending = ""
            if full.hasPrefix("siteplan ") || full == "siteplan" { out.append(full) }
        }
        return out
    }

    /// `siteplan …` lines of the README's sh and console blocks (`$ swift run siteplan …` too),
    /// without their trailing `# comment`; in a console block, a command followed by a
    /// `siteplan: error:` line is an example of that error.
    static func readmeExamples() throws -> [(command: String, error: String?)] {
        let text = try String(contentsOf: CLIRunner.repositoryRoot.appendingPathComponent("README.md"), encoding: .utf8)
        var out: [(command: String, error: String?)] = [], inBlock = false
        for raw in text.split(separator: "\n", omittingEmptySubsequences: false) {
            let line = raw.trimmingCharacters(in: .whitespaces)
            if line.hasPrefix("```") { inBlock = (line == "```sh" || line == "```console") && !inBlock; continue }
            guard inBlock else { continue }
            if line.hasPrefix("siteplan: error: "), let last = out.indices.last { out[last].error = line; continue }
            var command = line
            for prefix in ["$ swift run ", "$ "] where command.hasPrefix(prefix) { command = String(command.dropFirst(prefix.count)) }
            guard command.hasPrefix("siteplan ") || command == "siteplan" else { continue }
            if let hash = command.range(of: " #") { command = String(command[..<hash.lowerBound]) }
            out.append((command.trimmingCharacters(in: .whitespaces), nil))
        }
        return out
    }

    func testHelpIsWrappedByParagraphAndStatesNoDefaultTwice() throws {
        for path in try commandPaths() {
            for columns in ["80", "120"] {
                let help = try CLIRunner.run(path + ["--help"], environment: ["COLUMNS": columns]).stdout
                let name = (["siteplan"] + path).joined(separator: " ")
                var previous = "", inExamples = false
                for line in help.split(separator: "\n", omittingEmptySubsequences: false) {
                    if line == "Example:" || line == "Examples:" { inExamples = true } else if !line.hasPrefix(" ") { inExamples = false }
                    if inExamples { XCTAssertLessThan(line.count, 80, "\(name): example too long to stay unwrapped: \(line)") }
                    // (argument-parser's own marker of a default subcommand, "  run (default)  …", aside)
                    let subcommandMarker = line.hasPrefix("  ") && line.dropFirst(2).split(separator: " ").dropFirst().first == "(default)"
                    XCTAssertFalse(line.lowercased().contains("(default)") && !subcommandMarker, "\(name): \(line)")
                    // A hand-broken paragraph shows as a short line followed by a line starting in lower case.
                    if !line.hasPrefix(" "), let first = line.first, first.isLowercase, !previous.isEmpty, !previous.hasPrefix(" "),
                       previous.count < Int(columns)! - 25, !previous.hasSuffix(":") {
                        XCTFail("\(name) at \(columns) columns: a paragraph broken by hand before \"\(line)\"")
                    }
                    previous = String(line)
                }
                // argument-parser appends "(default: X)" itself; the help text must not say it too.
                let options = help.components(separatedBy: "OPTIONS:").last ?? ""
                for entry in options.components(separatedBy: "\n  --") {
                    let flat = entry.split(whereSeparator: \.isWhitespace).joined(separator: " ")
                    XCTAssertLessThanOrEqual(flat.components(separatedBy: "default").count - 1, 1, "\(name): default stated twice: --\(flat)")
                }
            }
        }
    }

    func testEveryExampleRunsAsWritten() throws {
        var examples: [(command: String, error: String?)] = []
        for path in try commandPaths() {
            let help = try CLIRunner.run(path + ["--help"], environment: ["COLUMNS": "80"]).stdout
            let found = Self.examples(inHelp: help)
            XCTAssertFalse(found.isEmpty, "siteplan \(path.joined(separator: " ")) --help has no example")
            examples += found.map { ($0, nil) }
        }
        examples += try Self.readmeExamples()
        XCTAssertGreaterThan(examples.count, 40)

        let scratch = try CLIRunner.temporaryFolder(self)
        try FileManager.default.createDirectory(at: scratch.appendingPathComponent("geodata"), withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(at: scratch.appendingPathComponent("geodata/khojaly"),
                                                   withDestinationURL: CLIRunner.repositoryRoot.appendingPathComponent("geodata/khojaly"))
        // The README's bad scenario (an unclosed ring).
        try FileManager.default.createSymbolicLink(at: scratch.appendingPathComponent("bad"),
                                                   withDestinationURL: CLIRunner.repositoryRoot.appendingPathComponent("Tests/Fixtures/scenarios/bad"))
        // The audit's inputs: the plan's own layers.
        let setup = try CLIRunner.run(["plan", "--out", scratch.path], in: scratch)
        XCTAssertEqual(setup.status, 0, setup.stderr)

        var seen = Set<String>()
        for (example, error) in examples where seen.insert(example).inserted {
            if example.hasPrefix("siteplan serve") {
                try parseOnly(example)
            } else {
                try run(example, in: scratch, error: error)
            }
        }
    }

    /// Parses and validates a command line in-process, as `siteplan` does before running it.
    func parseOnly(_ example: String) throws {
        let args = example.split(separator: " ").dropFirst().map(String.init)
        XCTAssertFalse(example.contains("|") || example.contains("&"), "a serve example is one command: \(example)")
        XCTAssertNoThrow(try Siteplan.parseAsRoot(args), example)
    }

    /// Runs an example line in bash with `siteplan` on PATH: exit 0, or exit 1 with exactly
    /// `error` on stderr. A pipe into a tool this machine lacks (jq is not installed by CI)
    /// runs the siteplan part alone.
    func run(_ example: String, in folder: URL, error: String? = nil) throws {
        var line = example.replacingOccurrences(of: " /tmp/", with: " \(folder.path)/tmp/")
        for stage in line.components(separatedBy: " | ").dropFirst() {
            let tool = String(stage.split(separator: " ")[0])
            guard tool.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" }) else { continue }
            let which = try CLIRunner.launch(URL(fileURLWithPath: "/bin/sh"), ["-c", "command -v \(tool)"])
            if which.status != 0 { line = line.components(separatedBy: " | ")[0]; break }
        }
        var env = ProcessInfo.processInfo.environment
        env["SITEPLAN_SCENARIO"] = nil
        env["PATH"] = CLIRunner.executable.deletingLastPathComponent().path + ":" + (env["PATH"] ?? "/usr/bin:/bin")
        let result = try CLIRunner.launch(URL(fileURLWithPath: "/bin/bash"), ["-o", "pipefail", "-c", line], in: folder, environment: env)
        if let error {
            XCTAssertEqual(result.status, 1, example)
            XCTAssertEqual(result.stderr, error + "\n", example)
        } else {
            XCTAssertEqual(result.status, 0, "\(example): \(result.stderr)")
        }
    }
}
