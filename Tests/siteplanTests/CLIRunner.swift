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
        let process = Process()
        process.executableURL = executable
        process.arguments = args
        process.currentDirectoryURL = directory
        var env = ProcessInfo.processInfo.environment
        env["SITEPLAN_SCENARIO"] = nil
        env["NO_COLOR"] = "1"
        // tools/asan_test.sh checks leaks in each siteplan run, not in the test process itself.
        if let child = env["SITEPLAN_CHILD_ASAN_OPTIONS"] { env["ASAN_OPTIONS"] = child }
        for (k, v) in environment { env[k] = v }
        process.environment = env
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        // Read both pipes fully before waiting, so a large output cannot block the child.
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        let errData = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Result(status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
                      stderr: String(decoding: errData, as: UTF8.self))
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
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/psql")
        p.arguments = [url, "-q", "-v", "ON_ERROR_STOP=1", "-c", sql]
        let err = Pipe()
        p.standardError = err
        p.standardOutput = FileHandle.nullDevice
        try p.run()
        let e = err.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        XCTAssertEqual(p.terminationStatus, 0, String(decoding: e, as: UTF8.self))
    }

    static func json(_ text: String) throws -> Any {
        try JSONSerialization.jsonObject(with: Data(text.utf8), options: [.fragmentsAllowed])
    }
}
