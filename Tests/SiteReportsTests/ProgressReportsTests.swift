import SiteFiles
@testable import SitePlanning
import SiteReports
import SiteVocabulary
import XCTest

/// What to build next on Khojaly: the work packages of `siteplan progress`, checked against the
/// connections they really make.
final class ProgressReportsTests: XCTestCase {
    func khojaly() throws -> PlanRun { try ScenarioReader.loadPackage(folder: MapTests.khojaly).run() }

    /// The buildings connected for every utility when `status` and `extra` segments are built.
    func fullyConnected(_ run: PlanRun, _ status: StatusBook, plus extra: Set<String> = []) -> Set<String> {
        var records = status.records
        for id in extra { records[id] = StatusRecord(status: .laid, date: nil) }
        let tracer = ConnectionTracer(network: run.network, status: StatusBook(records: records), asOf: run.progress.asOf)
        let connected = Utility.allCases.map { tracer.connectedBuildings($0) }
        return Set(run.plan.buildings.map(\.id).filter { b in connected.allSatisfy { $0.contains(b) } })
    }

    func testApartmentBuildingsRankByTheirDwellings() throws {
        let run = try khojaly()
        let next = run.progress.nextWorkPackages
        XCTAssertEqual(next.count, 10)
        let apartments = run.plan.buildings.filter { $0.type.unitsPerBuilding > 1 }
        XCTAssertEqual(apartments.count, 9)
        let units = Dictionary(uniqueKeysWithValues: run.plan.buildings.map { ($0.id, $0.units) })
        // All nine lack only their gas service line: 12 or 13 dwellings for one short line each,
        // ahead of every house, the 13-dwelling ones first.
        XCTAssertEqual(Set(next.prefix(9).map(\.buildingID)), Set(apartments.map(\.id)))
        for w in next {
            XCTAssertEqual(w.buildingsUnlocked, [w.buildingID])
            XCTAssertEqual(w.dwellingsUnlocked, units[w.buildingID])
            XCTAssertEqual(w.segmentIDs, ["gas-\(w.buildingID)"])
            XCTAssertEqual(w.lengthMetres, run.network.segments[try XCTUnwrap(run.network.segmentIndex(id: w.segmentIDs[0]))].lengthMetres)
        }
        XCTAssertEqual(next.prefix(2).map(\.dwellingsUnlocked), [13, 13])
        XCTAssertEqual(next[9].dwellingsUnlocked, 1, "then the houses")
        for (a, b) in zip(next, next.dropFirst()) { XCTAssertGreaterThanOrEqual(a.dwellingsPerHundredMetres, b.dwellingsPerHundredMetres) }

        // Laying the packages in turn connects exactly what each says it unlocks.
        var laid = Set<String>()
        var before = fullyConnected(run, run.status)
        XCTAssertEqual(before.count, run.progress.town.buildingsFullyConnected)
        for w in next {
            laid.formUnion(w.segmentIDs)
            let after = fullyConnected(run, run.status, plus: laid)
            XCTAssertEqual(after.subtracting(before), Set(w.buildingsUnlocked), w.buildingID)
            before = after
        }
    }

    func testWithNothingBuiltTheFirstPackageRunsFromTheSources() throws {
        let run = try khojaly()
        let empty = StatusBook()
        let p = try ProgressAnalysis.compute(scenario: run.scenario, plan: run.plan, network: run.network, status: empty, topN: 3)
        XCTAssertEqual(p.town.buildingsFullyConnected, 0)
        XCTAssertEqual(p.nextWorkPackages.count, 3)
        let first = try XCTUnwrap(p.nextWorkPackages.first)
        let network = run.network
        let segments = try first.segmentIDs.map { network.segments[try XCTUnwrap(network.segmentIndex(id: $0))] }
        XCTAssertEqual(first.utilities, Utility.allCases)
        // Each utility's part starts with the trunk from its source and ends with the service line.
        for u in Utility.allCases {
            let part = segments.filter { $0.utility == u }
            let source = try XCTUnwrap(network.sourceNodes[u])
            XCTAssertEqual(part.first?.kind, .trunk, "\(u)")
            XCTAssertTrue(part.first?.from == source || part.first?.to == source, "\(u): the package starts at the source")
            XCTAssertEqual(part.last?.id, "\(u.rawValue)-\(first.buildingID)")
        }
        XCTAssertEqual(first.segmentIDs.first, "water-\(segments[0].parcelID)-T")
        XCTAssertEqual(first.lengthMetres, segments.reduce(0) { $0 + $1.lengthMetres }, accuracy: 1e-6)
        // Building it connects its building and no other.
        XCTAssertEqual(fullyConnected(run, empty, plus: Set(first.segmentIDs)), [first.buildingID])
        XCTAssertEqual(first.buildingsUnlocked, [first.buildingID])

        // No building's own traces give more dwellings per metre (with nothing built, every
        // segment of a trace is in its package).
        let tracer = ConnectionTracer(network: network, status: empty)
        var bestPerHundredMetres = 0.0
        for b in run.plan.buildings {
            let metres = Utility.allCases.reduce(0.0) { total, u in
                total + (tracer.trace(building: b.id, utility: u)?.path.reduce(0) { $0 + network.segments[$1].lengthMetres } ?? .infinity)
            }
            bestPerHundredMetres = max(bestPerHundredMetres, 100 * Double(b.units) / metres)
        }
        XCTAssertEqual(first.dwellingsPerHundredMetres, bestPerHundredMetres, accuracy: 1e-9)
        XCTAssertEqual(first.dwellingsUnlocked, run.plan.buildings.first { $0.id == first.buildingID }?.units)
        XCTAssertGreaterThan(first.dwellingsUnlocked, 1, "an apartment building near the sources")
    }

    func testNextTableAndJSON() throws {
        let run = try khojaly()
        let next = run.progress.nextWorkPackages
        let table = ProgressReports.nextTable(next)
        XCTAssertEqual(table.columns, ["rank", "building_id", "utilities", "segments", "length_m", "dwellings_unlocked", "buildings_unlocked",
                                       "dwellings_per_100m", "segment_ids"])
        XCTAssertEqual(table.rows.count, next.count)
        XCTAssertEqual(table.rows[0][0], .integer(1))
        XCTAssertEqual(table.rows[0][1], .text(next[0].buildingID))
        XCTAssertEqual(table.rows[0][5], .integer(next[0].dwellingsUnlocked))

        // A long package is shortened in the text and listed whole in the JSON.
        let long = WorkPackage(buildingID: "B", segmentIDs: ["a", "b", "c", "d", "e"], utilities: [.water], lengthMetres: 50,
                               buildingsUnlocked: ["B"], dwellingsUnlocked: 12)
        XCTAssertEqual(ProgressReports.nextTable([long]).rows[0][8], .text("a b c +2 more"))
        XCTAssertEqual(ProgressReports.nextTable([long]).rows[0][7], .number(24, decimals: 2))

        guard case .object(let o) = ProgressReports.json(run), case .array(let packages)? = o["next_work_packages"],
              case .object(let top)? = packages.first else { return XCTFail("no next_work_packages") }
        XCTAssertEqual(packages.count, next.count)
        XCTAssertEqual(top["building_id"], .string(next[0].buildingID))
        XCTAssertEqual(top["segment_ids"], .array(next[0].segmentIDs.map { .string($0) }))
        XCTAssertEqual(top["building_ids"], .array(next[0].buildingsUnlocked.map { .string($0) }))
        XCTAssertEqual(top["dwellings_unlocked"], .number(Double(next[0].dwellingsUnlocked)))
    }
}
