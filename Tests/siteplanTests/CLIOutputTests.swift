import Foundation
import XCTest

/// What a person sees: examples in every help, the same --format on every reporting command,
/// and colour only on a terminal without NO_COLOR.
final class CLIOutputTests: XCTestCase {
    func testEveryCommandsHelpHasAnExample() throws {
        for command in [[], ["plan"], ["parcels"], ["parcel"], ["parcel", "show"], ["query"], ["export"], ["map"], ["serve"]] {
            let help = try CLIRunner.run(command + ["--help"])
            XCTAssertEqual(help.status, 0, command.joined(separator: " "))
            XCTAssertTrue(help.stdout.contains("Example"), "siteplan \(command.joined(separator: " ")) --help has no example")
        }
    }

    func testFormatIsTheSameOnEveryReportingCommand() throws {
        let folder = try CLIRunner.temporaryFolder(self)
        let commands = [["parcels"], ["parcel", "show", "P1-A"], ["query", "--at", "46.7953,39.9167"], ["plan", "--out", folder.path]]
        for command in commands {
            let name = command.prefix(2).joined(separator: " ")
            let json = try CLIRunner.run(command + ["--format", "json"])
            XCTAssertEqual(json.status, 0, name)
            XCTAssertNoThrow(try CLIRunner.json(json.stdout), name)
            let csv = try CLIRunner.run(command + ["--format", "csv"])
            XCTAssertEqual(csv.status, 0, name)
            let header = try XCTUnwrap(csv.stdout.split(separator: "\n").first, name)
            XCTAssertTrue(header.contains(",") && !header.contains(" "), "\(name): CSV header \(header)")
            let table = try CLIRunner.run(command + ["--format", "table"])
            XCTAssertEqual(table.status, 0, name)
            XCTAssertTrue(table.stdout.split(separator: "\n").dropFirst().first?.hasPrefix("---") == true, "\(name): a rule under the header")
            XCTAssertEqual(table.stdout, try CLIRunner.run(command).stdout, "\(name): table is the default")
        }
    }

    func testNoColourWhenPipedOrNO_COLOR() throws {
        let piped = try CLIRunner.run(["parcels"], environment: ["NO_COLOR": ""])
        XCTAssertFalse(piped.stdout.contains("\u{1B}"), "no escape codes into a pipe")

        // On a terminal (script(1) gives the command a pseudo-terminal): bold header, unless NO_COLOR.
        let script = "/usr/bin/script"
        try XCTSkipIf(!FileManager.default.isExecutableFile(atPath: script), "script (bsdutils) is not installed")
        for (noColor, expectBold) in [("", true), ("1", false)] {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: script)
            process.arguments = ["-qec", "\(CLIRunner.executable.path) parcels", "/dev/null"]
            process.currentDirectoryURL = CLIRunner.repositoryRoot
            var env = ProcessInfo.processInfo.environment
            env["NO_COLOR"] = noColor
            env["TERM"] = "xterm"
            env["SITEPLAN_SCENARIO"] = nil
            process.environment = env
            let out = Pipe()
            process.standardOutput = out
            process.standardInput = FileHandle.nullDevice
            try process.run()
            let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            process.waitUntilExit()
            XCTAssertTrue(text.contains("area_ha"), text)
            XCTAssertEqual(text.contains("\u{1B}[1m"), expectBold, "NO_COLOR=\(noColor): \(text.prefix(80))")
        }
    }
}
