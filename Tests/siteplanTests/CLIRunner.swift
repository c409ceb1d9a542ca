import Foundation
import XCTest

/// Runs the real `siteplan` executable built next to the test bundle.
struct CLIRunner {
    struct Result {
        let status: Int32
        let stdout: String
        let stderr: String
    }

    static let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static var executable: URL {
        // The test bundle lives in the build products folder, beside the executable.
        for bundle in Bundle.allBundles where bundle.bundlePath.hasSuffix(".xctest") {
            let candidate = bundle.bundleURL.deletingLastPathComponent().appendingPathComponent("siteplan")
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
        }
        let argv0 = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("siteplan")
        if FileManager.default.isExecutableFile(atPath: argv0.path) { return argv0 }
        return repositoryRoot.appendingPathComponent(".build/debug/siteplan")
    }

    /// Runs `siteplan args…` in `directory` (the repository root by default).
    static func run(_ args: [String], in directory: URL = repositoryRoot, environment: [String: String] = [:],
                    executable: URL = CLIRunner.executable) throws -> Result {
        var env = ProcessInfo.processInfo.environment
        env["SITEPLAN_SCENARIO"] = nil
        env["NO_COLOR"] = "1"
        // tools/asan_test.sh checks leaks in each siteplan run, not in the test process itself.
        if let child = env["SITEPLAN_CHILD_ASAN_OPTIONS"] { env["ASAN_OPTIONS"] = child }
        for (k, v) in environment { env[k] = v }
        return try launch(executable, args, in: directory, environment: env)
    }

    /// Runs `executable arguments…` to its end, in `directory` and with `environment` when
    /// given (this process's otherwise), its standard output and error read whole.
    static func launch(_ executable: URL, _ arguments: [String], in directory: URL? = nil,
                       environment: [String: String]? = nil) throws -> Result {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        if let directory { process.currentDirectoryURL = directory }
        if let environment { process.environment = environment }
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        // Read both pipes to their end before waiting, so a large standard output cannot block
        // the child (its error output, read second, must fit the pipe's 64 KiB meanwhile).
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        let errData = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Result(status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
                      stderr: String(decoding: errData, as: UTF8.self))
    }

    /// Runs the tool at `path` (psql, pdfinfo, sqlite3…), which must exit 0 (a test failure
    /// naming it and its error output otherwise); its standard output.
    static func tool(_ path: String, _ arguments: [String], file: StaticString = #filePath, line: UInt = #line) throws -> String {
        let result = try launch(URL(fileURLWithPath: path), arguments)
        XCTAssertEqual(result.status, 0, "\(path) \(arguments): \(result.stderr)", file: file, line: line)
        return result.stdout
    }

    /// Runs `siteplan args…` and checks it failed (non-zero exit) with every one of `texts` in
    /// its error output.
    static func assertFails(_ args: [String], _ texts: String..., file: StaticString = #filePath, line: UInt = #line) throws {
        let result = try run(args)
        XCTAssertNotEqual(result.status, 0, "siteplan \(args.joined(separator: " ")) should fail", file: file, line: line)
        for text in texts { XCTAssertTrue(result.stderr.contains(text), result.stderr, file: file, line: line) }
    }

    /// A fresh temporary folder, removed at the end of the test.
    static func temporaryFolder(_ test: XCTestCase) throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("siteplan-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        test.addTeardownBlock { try? FileManager.default.removeItem(at: url) }
        return url
    }

    /// A temporary folder (removed at the end of the test) holding `geodata/khojaly`, linked to
    /// the repository's: commands run there find the Khojaly scenario and write beside it.
    static func khojalyFolder(_ test: XCTestCase) throws -> URL {
        let folder = try temporaryFolder(test)
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("geodata"), withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(at: folder.appendingPathComponent("geodata/khojaly"),
                                                   withDestinationURL: repositoryRoot.appendingPathComponent("geodata/khojaly"))
        return folder
    }

    /// The URL of a new, empty database on the test PostGIS server (`SITEPLAN_TEST_POSTGIS_URL`),
    /// dropped at the end of the test; nil, with a test failure, when the server is not given.
    static func postGISDatabase(_ test: XCTestCase, prefix: String, file: StaticString = #filePath, line: UInt = #line) throws -> String? {
        guard let base = ProcessInfo.processInfo.environment["SITEPLAN_TEST_POSTGIS_URL"], !base.isEmpty else {
            XCTFail("SITEPLAN_TEST_POSTGIS_URL is not set: run the tests with tools/test.sh, which starts a throwaway PostGIS cluster", file: file, line: line)
            return nil
        }
        let name = prefix + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "").prefix(12)
        try psql(base, "CREATE DATABASE \(name)")
        test.addTeardownBlock { try? psql(base, "DROP DATABASE IF EXISTS \(name) WITH (FORCE)") }
        return String(base[..<base.lastIndex(of: "/")!]) + "/" + name
    }

    /// Runs one SQL statement with the psql client, which must succeed.
    static func psql(_ url: String, _ sql: String) throws {
        _ = try tool("/usr/bin/psql", [url, "-q", "-v", "ON_ERROR_STOP=1", "-c", sql])
    }

    static func json(_ text: String) throws -> Any {
        try JSONSerialization.jsonObject(with: Data(text.utf8), options: [.fragmentsAllowed])
    }
}
