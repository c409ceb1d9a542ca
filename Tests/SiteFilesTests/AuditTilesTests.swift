import XCTest
import SiteAudit
import SiteVocabulary
import SiteFiles

/// The tiled audit files to files (cut, run each tile, merge) against `AuditFiles.run`, byte for
/// byte, on Tests/Fixtures/audit/tiled (gen_dataset.py --buildings 600 --seed 3: one settlement,
/// three parcels, lines all planned in some neighbourhoods) and on the hand-made fixtures.
final class AuditTilesTests: XCTestCase {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/audit")
    static func fixture(_ name: String) -> String { fixtures.appendingPathComponent(name).path }

    var work = ""

    override func setUpWithError() throws {
        work = FileManager.default.temporaryDirectory.appendingPathComponent("siteplan-audit-tiles-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: work, withIntermediateDirectories: true)
    }

    override func tearDown() { try? FileManager.default.removeItem(atPath: work) }

    func read(_ path: String) throws -> Data { try Data(contentsOf: URL(fileURLWithPath: path)) }

    /// Cuts, runs every tile and merges into `work/name`; returns the cut's summary.
    @discardableResult
    func tiled(_ name: String, parcels: String, buildings: String, network: String, maxBuildings: Int, haloMetres: Double) throws -> AuditTiles.CutSummary {
        let tiles = work + "/\(name)-tiles", parts = work + "/\(name)-parts"
        let cut = try AuditTiles.cut(parcels: parcels, buildings: buildings, network: network, tilesDirectory: tiles,
                                     maxBuildings: maxBuildings, haloMetres: haloMetres, threads: 2)
        for file in cut.tileFiles { try AuditTiles.runTile(tiles + "/" + file, partsDirectory: parts, threads: 2) }
        try AuditTiles.merge(tilesDirectory: tiles, partsDirectory: parts, outputDirectory: work + "/" + name, threads: 2)
        return cut
    }

    func assertSameAsSingle(_ name: String, file: StaticString = #filePath, line: UInt = #line) throws {
        for csv in ["buildings.csv", "parcels.csv"] {
            let a = try read(work + "/single/" + csv), b = try read(work + "/\(name)/" + csv)
            XCTAssertTrue(a == b, "\(name)/\(csv) differs from the single run's", file: file, line: line)
        }
    }

    func single(parcels: String, buildings: String, network: String) throws {
        try AuditFiles.run(parcels: parcels, buildings: buildings, network: network, outputDirectory: work + "/single", threads: 2)
    }

    let generated = (parcels: fixture("tiled/parcels.geojson"), buildings: fixture("tiled/buildings.geojson"), network: fixture("tiled/network.geojson"))

    func testEightTilesWithHalosThroughTheSettlementGiveTheSingleRunsBytes() throws {
        let g = generated
        try single(parcels: g.parcels, buildings: g.buildings, network: g.network)
        let cut = try tiled("t8", parcels: g.parcels, buildings: g.buildings, network: g.network, maxBuildings: 75, haloMetres: 150)
        XCTAssertGreaterThanOrEqual(cut.tileFiles.count, 8)
        XCTAssertEqual(cut.buildingsPerTile.reduce(0, +), 600)
        try assertSameAsSingle("t8")
    }

    func testATinyHaloLeavesMostToTheSecondPassAndStillGivesTheSameBytes() throws {
        let g = generated
        try single(parcels: g.parcels, buildings: g.buildings, network: g.network)
        let tiles = work + "/tiny-tiles", parts = work + "/tiny-parts"
        let cut = try AuditTiles.cut(parcels: g.parcels, buildings: g.buildings, network: g.network, tilesDirectory: tiles,
                                     maxBuildings: 75, haloMetres: 5, threads: 2)
        var open = 0
        for file in cut.tileFiles { open += try AuditTiles.runTile(tiles + "/" + file, partsDirectory: parts, threads: 1).secondPass }
        XCTAssertGreaterThan(open, 60, "a 5 m halo leaves the buildings near region edges to the second pass")
        let merged = try AuditTiles.merge(tilesDirectory: tiles, partsDirectory: parts, outputDirectory: work + "/tiny", threads: 2)
        XCTAssertEqual(merged.secondPass, open)
        try assertSameAsSingle("tiny")
    }

    func testARetriedTileWritesTheSameBytes() throws {
        let g = generated
        try single(parcels: g.parcels, buildings: g.buildings, network: g.network)
        try tiled("r", parcels: g.parcels, buildings: g.buildings, network: g.network, maxBuildings: 75, haloMetres: 150)
        let part = work + "/r-parts/" + AuditTiles.partName(3)
        let before = (try read(part + "/rows.csv"), try read(part + "/part.bin"))
        try AuditTiles.runTile(work + "/r-tiles/" + AuditTiles.tileName(3), partsDirectory: work + "/r-parts", threads: 1)
        XCTAssertEqual(try read(part + "/rows.csv"), before.0)
        XCTAssertEqual(try read(part + "/part.bin"), before.1)
        try AuditTiles.merge(tilesDirectory: work + "/r-tiles", partsDirectory: work + "/r-parts", outputDirectory: work + "/r", threads: 2)
        try assertSameAsSingle("r")
    }

    func testQuotedIDsAndAHoleInOneTilePerBuilding() throws {
        let (p, b, n) = (Self.fixture("parcels.geojson"), Self.fixture("buildings-ids-to-quote.geojson"), Self.fixture("network.geojson"))
        try single(parcels: p, buildings: b, network: n)
        let cut = try tiled("q", parcels: p, buildings: b, network: n, maxBuildings: 1, haloMetres: 20)
        XCTAssertEqual(cut.tileFiles.count, cut.buildingsPerTile.count)
        XCTAssertTrue(try String(contentsOfFile: work + "/q/buildings.csv", encoding: .utf8).contains("\"B1 \"\"the mill\"\"\""))
        try assertSameAsSingle("q")
    }

    func testAMissingPartIsNamedAndNothingIsWritten() throws {
        let g = generated
        let tiles = work + "/m-tiles", parts = work + "/m-parts"
        let cut = try AuditTiles.cut(parcels: g.parcels, buildings: g.buildings, network: g.network, tilesDirectory: tiles,
                                     maxBuildings: 150, haloMetres: 150, threads: 2)
        for file in cut.tileFiles where file != AuditTiles.tileName(2) { try AuditTiles.runTile(tiles + "/" + file, partsDirectory: parts) }
        XCTAssertThrowsError(try AuditTiles.merge(tilesDirectory: tiles, partsDirectory: parts, outputDirectory: work + "/m")) { error in
            let e = error as? InputError
            XCTAssertEqual(e?.source, parts + "/part-00002/part.bin")
            XCTAssertTrue(e?.problem.hasPrefix("missing: tile 2 has no results") == true, "\(error)")
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: work + "/m/buildings.csv"))
    }

    func testAPartOfAnotherCutIsRefused() throws {
        let g = generated
        try tiled("a", parcels: g.parcels, buildings: g.buildings, network: g.network, maxBuildings: 150, haloMetres: 150)
        try tiled("b", parcels: g.parcels, buildings: g.buildings, network: g.network, maxBuildings: 75, haloMetres: 150)
        // Tile 0 of the 8-tile cut holds half the buildings of tile 0 of the 4-tile cut.
        try FileManager.default.removeItem(atPath: work + "/a-parts/part-00000")
        try FileManager.default.copyItem(atPath: work + "/b-parts/part-00000", toPath: work + "/a-parts/part-00000")
        XCTAssertThrowsError(try AuditTiles.merge(tilesDirectory: work + "/a-tiles", partsDirectory: work + "/a-parts", outputDirectory: work + "/mixed")) { error in
            XCTAssertTrue((error as? InputError)?.problem.contains("the parts come from different cuts") == true, "\(error)")
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: work + "/mixed/buildings.csv"))
    }

    func testBadInputStopsTheCutWithTheSingleRunsMessage() throws {
        let (p, b, n) = (Self.fixture("parcels-unclosed-ring.geojson"), Self.fixture("buildings.geojson"), Self.fixture("network.geojson"))
        var expected: InputError?
        do { try single(parcels: p, buildings: b, network: n) } catch let e as InputError { expected = e }
        XCTAssertNotNil(expected)
        XCTAssertThrowsError(try AuditTiles.cut(parcels: p, buildings: b, network: n, tilesDirectory: work + "/bad", maxBuildings: 1)) { error in
            XCTAssertEqual(error as? InputError, expected)
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: work + "/bad/tiles.txt"))
    }

    func testAnInvalidParcelIsNamedByTheTileThatClipsIt() throws {
        let (p, b, n) = (Self.fixture("parcels-self-intersecting.geojson"), Self.fixture("buildings.geojson"), Self.fixture("network.geojson"))
        var expected: InputError?
        do { try single(parcels: p, buildings: b, network: n) } catch let e as InputError { expected = e }
        let e = try XCTUnwrap(expected, "the single run accepts the self-intersecting parcel")
        let tiles = work + "/inv-tiles"
        let cut = try AuditTiles.cut(parcels: p, buildings: b, network: n, tilesDirectory: tiles, maxBuildings: 1, haloMetres: 50)
        var found: InputError?
        for file in cut.tileFiles {
            do { try AuditTiles.runTile(tiles + "/" + file, partsDirectory: work + "/inv-parts") } catch let error as InputError { found = error; break }
        }
        let f = try XCTUnwrap(found, "no tile refused the invalid parcel")
        XCTAssertEqual(f.source, e.source)
        XCTAssertEqual(f.feature, e.feature)
        XCTAssertTrue(f.problem.hasPrefix("the parcel is not a valid polygon"), f.problem)
    }
}
