import Foundation
import XCTest

/// `siteplan audit tile`, `run-tile` and `merge` as a user (or a distributed engine's task) runs
/// them, against `siteplan audit` on Tests/Fixtures/audit/tiled; and `siteplan audit --parcels …`
/// still runs the whole audit (the default subcommand).
final class AuditTilesCLITests: XCTestCase {
    static let data = CLIRunner.repositoryRoot.appendingPathComponent("Tests/Fixtures/audit/tiled").path
    let inputs = ["--parcels", data + "/parcels.geojson", "--buildings", data + "/buildings.geojson", "--network", data + "/network.geojson"]

    func testTileRunTileMergeWriteTheSingleRunsBytes() throws {
        let dir = try CLIRunner.temporaryFolder(self).path
        let single = try CLIRunner.run(["audit"] + inputs + ["--out", dir + "/single", "--quiet"])
        XCTAssertEqual(single.status, 0, single.stderr)
        let cut = try CLIRunner.run(["audit", "tile"] + inputs + ["--tiles", "8", "--halo-km", "0.2", "--out", dir + "/tiles"])
        XCTAssertEqual(cut.status, 0, cut.stderr)
        XCTAssertTrue(cut.stdout.hasPrefix("8 tiles in \(dir)/tiles (buildings per tile: 75 to 75; features with halo: up to "), cut.stdout)
        let tiles = try String(contentsOfFile: dir + "/tiles/tiles.txt", encoding: .utf8).split(separator: "\n")
        XCTAssertEqual(tiles.count, 8)
        for tile in tiles {
            let r = try CLIRunner.run(["audit", "run-tile", dir + "/tiles/" + tile, "--parts", dir + "/parts", "--threads", "1"])
            XCTAssertEqual(r.status, 0, r.stderr)
        }
        let merge = try CLIRunner.run(["audit", "merge", "--tiles", dir + "/tiles", "--parts", dir + "/parts", "--out", dir + "/merged", "--verbose"])
        XCTAssertEqual(merge.status, 0, merge.stderr)
        XCTAssertTrue(merge.stderr.hasPrefix("siteplan audit merge: 8 tiles, 600 buildings, "), merge.stderr)
        for csv in ["buildings.csv", "parcels.csv"] {
            XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: dir + "/merged/" + csv)),
                           try Data(contentsOf: URL(fileURLWithPath: dir + "/single/" + csv)), csv)
        }
    }

    func testMergeWithATileNotRunNamesIt() throws {
        let dir = try CLIRunner.temporaryFolder(self).path
        XCTAssertEqual(try CLIRunner.run(["audit", "tile"] + inputs + ["--tiles", "2", "--out", dir + "/tiles"]).status, 0)
        XCTAssertEqual(try CLIRunner.run(["audit", "run-tile", dir + "/tiles/tile-00000.bin", "--parts", dir + "/parts"]).status, 0)
        let merge = try CLIRunner.run(["audit", "merge", "--tiles", dir + "/tiles", "--parts", dir + "/parts", "--out", dir + "/out"])
        XCTAssertEqual(merge.status, 1)
        XCTAssertEqual(merge.stderr, "siteplan: error: \(dir)/parts/part-00001/part.bin: missing: tile 1 has no results; run siteplan audit run-tile \(dir)/tiles/tile-00001.bin --parts \(dir)/parts\n")
        XCTAssertFalse(FileManager.default.fileExists(atPath: dir + "/out/buildings.csv"))
    }

    func testRunTileOnAFileThatIsNotATile() throws {
        let dir = try CLIRunner.temporaryFolder(self).path
        let r = try CLIRunner.run(["audit", "run-tile", Self.data + "/parcels.geojson", "--parts", dir])
        XCTAssertEqual(r.status, 1)
        XCTAssertEqual(r.stderr, "siteplan: error: \(Self.data)/parcels.geojson: not a siteplan audit work file of this version (expected siteplan-audit-tile 1); cut the tiles again with siteplan audit tile\n")
    }

    func testTileOptionsAreChecked() throws {
        try CLIRunner.assertFails(["audit", "tile"] + inputs + ["--tiles", "0", "--out", "/tmp/x"], "--tiles must be at least 1")
        try CLIRunner.assertFails(["audit", "tile"] + inputs + ["--halo-km", "nan", "--out", "/tmp/x"], "--halo-km must be a distance")
        try CLIRunner.assertFails(["audit", "tile", "--out", "/tmp/x"], "give --parcels, --buildings and --network, or --plan DIR")
    }
}
