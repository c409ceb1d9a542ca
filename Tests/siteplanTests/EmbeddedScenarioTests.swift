import Foundation
import XCTest

/// The Khojaly scenario is built into the executable (issue 9, item 8): a copied binary plans it
/// from a folder with no geodata around, with the same bytes as a run in the repository.
final class EmbeddedScenarioTests: XCTestCase {
    func testCopiedBinaryPlansKhojalyFromAnyFolder() throws {
        let elsewhere = try CLIRunner.temporaryFolder(self)
        let copy = elsewhere.appendingPathComponent("siteplan")
        try FileManager.default.copyItem(at: CLIRunner.executable, to: copy)
        XCTAssertFalse(FileManager.default.fileExists(atPath: elsewhere.appendingPathComponent("geodata").path))

        let embeddedOut = elsewhere.appendingPathComponent("out")
        let embedded = try CLIRunner.run(["plan", "--out", embeddedOut.path], in: elsewhere, executable: copy)
        XCTAssertEqual(embedded.status, 0, embedded.stderr)
        XCTAssertTrue(embedded.stdout.contains("44 of 44 families housed"), embedded.stdout)

        let repoOut = try CLIRunner.temporaryFolder(self)
        let inRepo = try CLIRunner.run(["plan", "--out", repoOut.path])
        XCTAssertEqual(inRepo.status, 0, inRepo.stderr)
        XCTAssertEqual(embedded.stdout.replacingOccurrences(of: embeddedOut.path, with: "OUT"),
                       inRepo.stdout.replacingOccurrences(of: repoOut.path, with: "OUT"))

        let files = try FileManager.default.contentsOfDirectory(atPath: repoOut.path).sorted()
        XCTAssertTrue(files.contains("report.json"))
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: embeddedOut.path).sorted(), files)
        for name in files {
            XCTAssertEqual(try Data(contentsOf: embeddedOut.appendingPathComponent(name)),
                           try Data(contentsOf: repoOut.appendingPathComponent(name)), "\(name): same bytes")
        }

        // Messages name the embedded files as such; the default output folder is out/khojaly.
        let seed = try CLIRunner.run(["progress", "--seed", "7"], in: elsewhere, executable: copy)
        XCTAssertEqual(seed.status, 1)
        XCTAssertTrue(seed.stderr.hasPrefix("siteplan: error: khojaly (embedded)/status.csv: "), seed.stderr)
        let plain = try CLIRunner.run(["plan", "--format", "csv"], in: elsewhere, executable: copy)
        XCTAssertEqual(plain.status, 0, plain.stderr)
        XCTAssertTrue(FileManager.default.fileExists(atPath: elsewhere.appendingPathComponent("out/khojaly/report.json").path))

        // $SITEPLAN_SCENARIO and --scenario still come first.
        let bad = CLIRunner.repositoryRoot.appendingPathComponent("Tests/Fixtures/scenarios/bad").path
        let env = try CLIRunner.run(["parcels"], in: elsewhere, environment: ["SITEPLAN_SCENARIO": bad], executable: copy)
        XCTAssertEqual(env.status, 1)
        XCTAssertTrue(env.stderr.hasPrefix("siteplan: error: \(bad)/parcels.geojson: feature 1 (id \"B\")"), env.stderr)
        let named = try CLIRunner.run(["parcels", "--scenario", bad], in: elsewhere, executable: copy)
        XCTAssertEqual(named.stderr, env.stderr)
    }
}
