import Foundation
import SiteDrivers
import XCTest

/// Every file under `dir` (recursively), by its path relative to `dir`.
func snapshot(_ dir: URL) throws -> [String: Data] {
    var files: [String: Data] = [:]
    for name in try FileManager.default.contentsOfDirectory(atPath: dir.path) {
        var isDir: ObjCBool = false
        let url = dir.appendingPathComponent(name)
        _ = FileManager.default.fileExists(atPath: url.path, isDirectory: &isDir)
        if isDir.boolValue {
            for (k, v) in try snapshot(url) { files[name + "/" + k] = v }
        } else {
            files[name] = try Data(contentsOf: url)
        }
    }
    return files
}

/// `plan` writes its layers, the GeoPackage and report.json as one set: on a full disk the run
/// fails naming the file it could not write, exits 1 like any bad output, and leaves the
/// previous set whole, with no temporary file behind.
final class OutputSetTests: XCTestCase {
    func run(_ tool: String, _ args: [String]) throws -> Int32 {
        try CLIRunner.launch(URL(fileURLWithPath: tool), args).status
    }

    func testAFullDiskLeavesThePreviousSetWhole() throws {
        // A small file system of our own (tmpfs): needs root, as CI and the developers' machines have.
        let mountPoint = try CLIRunner.temporaryFolder(self)
        guard getuid() == 0, try run("/bin/mount", ["-t", "tmpfs", "-o", "size=8m", "tmpfs", mountPoint.path]) == 0 else {
            throw XCTSkip("cannot mount a tmpfs here (not root)")
        }
        defer { _ = try? run("/bin/umount", [mountPoint.path]) }
        let out = mountPoint.appendingPathComponent("plan").path, gpkg = mountPoint.appendingPathComponent("plan.gpkg").path
        let first = try CLIRunner.run(["plan", "--out", out, "--gpkg", gpkg, "--as-of", "2026-11-27"])
        XCTAssertEqual(first.status, 0, first.stderr)
        let before = try snapshot(mountPoint)
        XCTAssertEqual(before.keys.filter { $0.hasPrefix("plan/") }.count, 10, "nine layers and report.json")

        // Leave about 400 KB free: less than the new set needs.
        var fs = statvfs()
        XCTAssertEqual(statvfs(mountPoint.path, &fs), 0)
        let free = Int(fs.f_bavail) * Int(fs.f_frsize)
        try Data(count: max(0, free - 400_000)).write(to: mountPoint.appendingPathComponent("filler"))
        var expected = before
        expected["filler"] = try Data(contentsOf: mountPoint.appendingPathComponent("filler"))

        let second = try CLIRunner.run(["plan", "--out", out, "--gpkg", gpkg, "--as-of", "2026-06-30"])
        XCTAssertEqual(second.status, 1, "an output failure exits 1, as bad input does")
        XCTAssertTrue(second.stderr.hasPrefix("siteplan: error: \(mountPoint.path)/plan"), second.stderr)
        XCTAssertTrue(second.stderr.contains("No space left on device"), second.stderr)
        XCTAssertFalse(second.stderr.contains("NSCocoaErrorDomain"), second.stderr)
        let after = try snapshot(mountPoint)
        XCTAssertEqual(Set(after.keys), Set(expected.keys), "no temporary file or journal left")
        XCTAssertTrue(after == expected, "the previous set is whole")
    }
}

/// Killed at any moment, `plan` leaves the old set or the new one, never a mix: before its
/// commit journal is complete nothing has moved; after it, the journal finishes the set.
final class KilledPlanTests: XCTestCase {
    func testAPlanKilledAtAnyMomentLeavesOneWholeSet() throws {
        let dir = try CLIRunner.temporaryFolder(self)
        let out = dir.appendingPathComponent("plan").path, gpkg = dir.appendingPathComponent("plan.gpkg").path
        // The two sets the runs alternate between, written whole.
        // How long a whole run takes here sets when the kills fall.
        var sets: [[String: Data]] = []
        let days = ["2026-11-27", "2026-06-30"]
        var runSeconds = 0.0
        for day in days {
            let start = Date()
            XCTAssertEqual(try CLIRunner.run(["plan", "--out", out, "--gpkg", gpkg, "--as-of", day]).status, 0)
            runSeconds = max(runSeconds, Date().timeIntervalSince(start))
            sets.append(try snapshot(dir))
        }
        XCTAssertNotEqual(sets[0]["plan/report.json"], sets[1]["plan/report.json"])
        XCTAssertNotEqual(sets[0]["plan.gpkg"], sets[1]["plan.gpkg"])

        var killedMidway = 0
        for k in 0..<12 {
            let process = Process()
            process.executableURL = CLIRunner.executable
            process.arguments = ["plan", "--out", out, "--gpkg", gpkg, "--as-of", days[k % 2]]
            process.currentDirectoryURL = CLIRunner.repositoryRoot
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
            // Spread the kills over the run, from parsing to the last rename: 5 % to 95 % of it.
            usleep(UInt32(runSeconds * (0.05 + 0.9 * Double(k) / 11) * 1_000_000))
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            if process.terminationReason == .uncaughtSignal { killedMidway += 1 }
            // What a later run does first: finish a journal that is complete, drop the rest.
            try FileSet.recover(folder: out)
            try FileSet.recover(folder: dir.path)
            let now = try snapshot(dir)
            XCTAssertTrue(now == sets[0] || now == sets[1], "run \(k): a mixed set: \(now.keys.sorted())")
        }
        XCTAssertGreaterThanOrEqual(killedMidway, 6, "most runs were killed before they finished")
    }
}
