import XCTest
import SiteAudit
import SiteGeometry
import SiteVocabulary

/// The tiles of `AuditTiling` put together by `TiledAudit` give the single run's numbers, bit for
/// bit, on a planar village: three parcel blocks (one overlapping another), buildings on a grid,
/// and lines of every utility, some only planned, so nearest lines lie beyond small halos.
final class TiledAuditTests: XCTestCase {
    /// A village in EPSG:32638-like metres around (500 000, 4 400 000); lon/lat parcels made by a
    /// plain scale (the geodesic area only needs some lon/lat ring).
    static func village() -> AuditInput {
        let x0 = 500_000.0, y0 = 4_400_000.0
        var parcelIDs = ByteStrings(), parcels = PolygonColumns(), lonLat = PolygonColumns()
        func square(_ a: Double, _ b: Double, _ c: Double, _ d: Double) -> [(Double, Double)] {
            [(a, b), (c, b), (c, d), (a, d), (a, b)]
        }
        for (id, box) in [("P-A", (0.0, 0.0, 400.0, 300.0)), ("P-B", (400.0, 0.0, 900.0, 300.0)), ("P-B-0", (350.0, 50.0, 600.0, 250.0)),
                          ("P-C", (0.0, 300.0, 900.0, 700.0))] {
            parcelIDs.append(id)
            parcels.append(rings: [square(x0 + box.0, y0 + box.1, x0 + box.2, y0 + box.3)])
            lonLat.append(rings: [square(45 + box.0 / 1e5, 40 + box.1 / 1e5, 45 + box.2 / 1e5, 40 + box.3 / 1e5)])
        }
        var buildingIDs = ByteStrings(), buildings = PolygonColumns()
        var k = 0
        for j in 0..<14 {
            for i in 0..<19 {
                // Ids out of order, so the row sort matters.
                buildingIDs.append("B\(String((k * 7919) % 1000).leftPadded(4))-\(k)")
                let x = x0 + 10 + Double(i) * 50 + Double(j % 3), y = y0 + 10 + Double(j) * 50
                buildings.append(rings: [[(x, y), (x + 12, y), (x + 12, y + 9), (x + 6, y + 14), (x, y + 9), (x, y)]])
                k += 1
            }
        }
        // A far farmstead, outside every parcel.
        buildingIDs.append("FARM-1")
        buildings.append(rings: [square(x0 + 3_000, y0 + 2_000, x0 + 3_015, y0 + 2_012)])
        var networkIDs = ByteStrings(), network = LineColumns(), utility: [UInt8] = [], status: [UInt8] = []
        var l = 0
        for (u, utilityCase) in Utility.allCases.enumerated() {
            for row in 0..<8 {
                let y = y0 + 35 + Double(row) * 90 + Double(u) * 3
                for piece in 0..<4 {
                    networkIDs.append("N\(l)")
                    network.append(points: [(x0 - 20 + Double(piece) * 240, y), (x0 + 220 + Double(piece) * 240, y + 4)])
                    utility.append(utilityCase.code)
                    // The upper rows of power are planned only: their nearest built line is far.
                    let planned = (utilityCase == .power && row >= 5) || (row + piece + u) % 7 == 0
                    status.append(planned ? WorksStatus.planned.code : WorksStatus.laid.code)
                    l += 1
                }
            }
        }
        return AuditInput(parcelIDs: parcelIDs, parcels: parcels, parcelsLonLat: lonLat, buildingIDs: buildingIDs, buildings: buildings,
                          networkIDs: networkIDs, network: network, utility: utility, status: status)
    }

    /// Runs every tile, the second pass, and puts the single run's result shape together.
    static func tiled(_ input: AuditInput, maxBuildings: Int, haloMetres: Double) throws -> (BuildingResults, ParcelResults, secondPass: Int) {
        let tiles = AuditTiling.tiles(input, maxBuildings: maxBuildings, haloMetres: haloMetres)
        let usable = AuditTiling.usableUtilities(input)
        let nb = input.buildings.count, np = input.parcels.count, nu = Utility.allCases.count
        var parcel = [Int32](repeating: -2, count: nb), area = [Double](repeating: 0, count: nb)
        var distance = [[Double]](repeating: [Double](repeating: 0, count: nb), count: nu)
        var resolved = [UInt8](repeating: 0, count: nb)
        var pArea = [Double](repeating: -1, count: np), geodesic = pArea, footprint = pArea, networkM = pArea, builtM = pArea
        var count = [Int](repeating: -1, count: np)
        for tile in tiles {
            let r = try TiledAudit.run(AuditTileInput(whole: input, tile: tile, usableUtilities: usable), threads: 2)
            for b in r.buildings {
                let i = Int(b.index)
                XCTAssertEqual(parcel[i], -2, "building \(i) in two regions")
                parcel[i] = b.parcel; area[i] = b.areaM2; resolved[i] = b.resolved
                for u in 0..<nu { distance[u][i] = b.distanceMetres[u] }
            }
            for p in r.parcels {
                let i = Int(p.index)
                XCTAssertEqual(count[i], -1, "parcel \(i) owned twice")
                pArea[i] = p.areaM2; geodesic[i] = p.geodesicAreaM2; count[i] = p.buildings; footprint[i] = p.footprintM2
                networkM[i] = p.networkMetres; builtM[i] = p.builtMetres
            }
        }
        XCTAssertFalse(parcel.contains(-2), "a building in no region")
        XCTAssertFalse(count.contains(-1), "a parcel owned by no tile")
        let open = (0..<nb).filter { resolved[$0] != TileResult.Building.allResolved }.map { Int32($0) }
        let found = try TiledAudit.secondPass(input.buildings.subset(open), resolved: open.map { resolved[Int($0)] },
                                              segments: AuditTiling.usableSegments(input), threads: 2)
        for (k, b) in open.enumerated() {
            for u in 0..<nu where resolved[Int(b)] & (1 << u) == 0 { distance[u][Int(b)] = found[u][k] }
        }
        let connected = (0..<nb).map { b in distance.allSatisfy { $0[b] <= ConnectionAudit.defaultThresholdMetres } }
        var connectedCount = [Int](repeating: 0, count: np)
        for b in 0..<nb where parcel[b] >= 0 && connected[b] { connectedCount[Int(parcel[b])] += 1 }
        var coverage = [Double](repeating: 0, count: np), share = coverage, works = coverage
        for p in 0..<np {
            (coverage[p], share[p], works[p]) = ParcelResults.ratios(areaM2: pArea[p], buildings: count[p], footprintM2: footprint[p],
                                                                     connected: connectedCount[p], networkMetres: networkM[p], builtMetres: builtM[p])
        }
        return (BuildingResults(parcel: parcel, areaM2: area, distanceMetres: distance, connected: connected),
                ParcelResults(areaM2: pArea, geodesicAreaM2: geodesic, buildings: count, footprintM2: footprint, coverage: coverage,
                              connectedShare: share, networkMetres: networkM, builtMetres: builtM, worksComplete: works),
                open.count)
    }

    func assertSameBits(_ a: [Double], _ b: [Double], _ what: String, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(a.count, b.count, what, file: file, line: line)
        for i in a.indices where !(a[i].bitPattern == b[i].bitPattern || (a[i].isNaN && b[i].isNaN)) {
            XCTFail("\(what)[\(i)]: \(a[i]) tiled, \(b[i]) single", file: file, line: line)
            return
        }
    }

    func check(maxBuildings: Int, haloMetres: Double, expectSecondPass: ClosedRange<Int>) throws {
        let input = Self.village()
        let single = try ConnectionAudit.run(input, threads: 2)
        let (b, p, second) = try Self.tiled(input, maxBuildings: maxBuildings, haloMetres: haloMetres)
        XCTAssertTrue(expectSecondPass.contains(second), "\(second) buildings in the second pass")
        XCTAssertEqual(b.parcel, single.buildings.parcel)
        XCTAssertEqual(b.connected, single.buildings.connected)
        assertSameBits(b.areaM2, single.buildings.areaM2, "area")
        for u in Utility.allCases.indices { assertSameBits(b.distanceMetres[u], single.buildings.distanceMetres[u], "distance \(u)") }
        XCTAssertEqual(p.buildings, single.parcels.buildings)
        for (name, t, s) in [("area", p.areaM2, single.parcels.areaM2), ("geodesic", p.geodesicAreaM2, single.parcels.geodesicAreaM2),
                             ("footprint", p.footprintM2, single.parcels.footprintM2), ("network", p.networkMetres, single.parcels.networkMetres),
                             ("built", p.builtMetres, single.parcels.builtMetres), ("coverage", p.coverage, single.parcels.coverage),
                             ("share", p.connectedShare, single.parcels.connectedShare), ("works", p.worksComplete, single.parcels.worksComplete)] {
            assertSameBits(t, s, name)
        }
        // The village has connected and unconnected buildings, lines in every parcel.
        XCTAssertTrue(single.buildings.connected.contains(true) && single.buildings.connected.contains(false))
        XCTAssertTrue(single.parcels.networkMetres.allSatisfy { $0 > 0 })
    }

    func testEightTilesWithAHaloThroughTheVillageMatchTheSingleRun() throws {
        try check(maxBuildings: 34, haloMetres: 150, expectSecondPass: 1...267)
    }

    func testATinyHaloSendsMostBuildingsToTheSecondPassAndStillMatches() throws {
        try check(maxBuildings: 20, haloMetres: 1, expectSecondPass: 100...267)
    }

    func testOneTileWithAWideHaloNeedsNoSecondPassButTheFarFarmstead() throws {
        // The farmstead is ~2.3 km from the village's lines: beyond a 1 km halo, within 5 km.
        try check(maxBuildings: 10_000, haloMetres: 1_000, expectSecondPass: 1...40)
        try check(maxBuildings: 10_000, haloMetres: 5_000, expectSecondPass: 0...0)
    }

    func testTilesPartitionBuildingsAndParcelsAndHoldTheirHalo() {
        let input = Self.village()
        let tiles = AuditTiling.tiles(input, maxBuildings: 34, haloMetres: 150)
        XCTAssertGreaterThanOrEqual(tiles.count, 8)
        XCTAssertTrue(tiles.allSatisfy { $0.regionBuildings.count <= 34 })
        XCTAssertEqual(tiles.flatMap(\.regionBuildings).sorted(), (0..<Int32(input.buildings.count)).map { $0 })
        XCTAssertEqual(tiles.flatMap(\.ownedParcels).sorted(), (0..<Int32(input.parcels.count)).map { $0 })
        // Every owned parcel is in its own tile, and the lines of a tile include all that meet its cover.
        for t in tiles {
            XCTAssertTrue(Set(t.ownedParcels).isSubset(of: Set(t.parcels)))
            XCTAssertEqual(t.lines, t.lines.sorted())
            XCTAssertTrue(t.contextBuildings.allSatisfy { !t.regionBuildings.contains($0) })
        }
    }

    func testPlanarBoxClearance() {
        let cover = PlanarBox(minX: 0, minY: 0, maxX: 100, maxY: 50)
        XCTAssertEqual(cover.clearance(of: PlanarBox(minX: 10, minY: 20, maxX: 30, maxY: 40)), 10)
        XCTAssertEqual(cover.clearance(of: PlanarBox(minX: -5, minY: 20, maxX: 30, maxY: 40)), -5)
        XCTAssertTrue(cover.meets(PlanarBox(minX: 100, minY: 50, maxX: 120, maxY: 60)))
        XCTAssertFalse(cover.meets(PlanarBox(minX: 100.001, minY: 0, maxX: 120, maxY: 60)))
    }
}

private extension String {
    func leftPadded(_ n: Int) -> String { count >= n ? self : String(repeating: "0", count: n - count) + self }
}
