import XCTest
@testable import SitePlanning
@testable import SiteFiles
import SiteVocabulary

/// The Khojaly figures, computed from the scenario's geometry and status data.
final class KhojalyProgressTests: XCTestCase {
    func testKhojalyFigures() throws {
        let package = try ScenarioReader.loadPackage(folder: KhojalyLayoutTests.folder)
        let run = try package.run()
        let p = run.progress
        // 90 % of the communication works complete, by length, across the town.
        XCTAssertEqual(p.town.worksCompletePercent, 90.0, accuracy: 0.5)
        // Every main (and trunk) in the 167-ha section laid or commissioned.
        let a = try XCTUnwrap(p.parcels.first { $0.scope == "P1-A" })
        XCTAssertEqual(a.mainsCompletePercent, 100, accuracy: 1e-9)
        for u in a.utilities { XCTAssertEqual(u.mainsBuiltMetres, u.mainsLengthMetres, accuracy: 1e-9, "\(u.utility)") }
        // The first 50 houses connected for every utility; nothing else fully connected.
        XCTAssertEqual(p.town.buildingsFullyConnected, 50)
        XCTAssertEqual(a.buildingsFullyConnected, 50)
        let full = run.plan.buildings.filter { p.connections[$0.id]?.count == Utility.allCases.count }
        XCTAssertTrue(full.allSatisfy { $0.type.key == "individual_house" && $0.parcelID == "P1-A" })
        // 44 families, 169 people resettled: 20 (81) then 24 (88).
        XCTAssertEqual(run.households.familiesHoused, 44)
        XCTAssertEqual(run.households.peopleHoused, 169)
        XCTAssertEqual(run.households.unhoused, [])
        XCTAssertEqual(run.households.freeConnectedDwellings, 6)
        XCTAssertEqual(run.households.families.filter { $0.group == "1" }.reduce(0) { $0 + $1.size }, 81)
        XCTAssertEqual(run.households.families.filter { $0.group == "2" }.count, 24)
        XCTAssertEqual(p.warnings, [])
        // Every housed family is in a fully connected building, one family per dwelling.
        let fullIDs = Set(full.map(\.id))
        XCTAssertTrue(run.households.assignments.allSatisfy { fullIDs.contains($0.buildingID) })
        XCTAssertEqual(Set(run.households.assignments.map { "\($0.buildingID)#\($0.unit)" }).count, 44)
    }

    func testWorksShareIsLengthWeighted() throws {
        let run = try ScenarioReader.loadPackage(folder: KhojalyLayoutTests.folder).run()
        var total = 0.0, built = 0.0
        for s in run.network.segments {
            total += s.lengthMetres
            if run.status.status(of: s.id, asOf: run.progress.asOf).isBuilt { built += s.lengthMetres }
        }
        XCTAssertEqual(run.progress.town.worksCompletePercent, 100 * built / total, accuracy: 1e-9)
        // Before any record's date nothing counts.
        let early = try ScenarioReader.loadPackage(folder: KhojalyLayoutTests.folder).run(asOf: ISODate("2025-01-01"))
        XCTAssertEqual(early.progress.town.worksCompletePercent, 0)
        XCTAssertEqual(early.progress.town.buildingsFullyConnected, 0)
        XCTAssertEqual(early.households.familiesHoused, 0)
    }

    func testNetworkTopology() throws {
        let run = try ScenarioReader.loadPackage(folder: KhojalyLayoutTests.folder).run()
        let n = run.network
        // Every building has one service line per utility; every segment joins two distinct nodes.
        for b in run.plan.buildings { XCTAssertEqual(n.serviceLines[b.id]?.count, Utility.allCases.count, b.id) }
        for s in n.segments {
            XCTAssertNotEqual(s.from, s.to)
            XCTAssertGreaterThan(s.lengthMetres, 0.4, s.id)
        }
        // With everything built, every building would be connected: the graph reaches every tee.
        var all: [String: StatusRecord] = [:]
        for s in n.segments { all[s.id] = StatusRecord(status: .laid, date: nil) }
        let tracer = ConnectionTracer(network: n, status: StatusBook(records: all))
        for u in Utility.allCases { XCTAssertEqual(tracer.connectedBuildings(u).count, run.plan.buildings.count, "\(u)") }
        // Mains stay inside their street corridors (shifted at most 2.5 m each way).
        for s in n.segments where s.kind == .main {
            let street = run.plan.streets.filter { $0.parcelID == s.parcelID }
            let d = try street.map { try $0.centrelinePlanar.distance(to: s.geometryPlanar.centroid()) }.min()!
            XCTAssertLessThanOrEqual(d, 2.5 * 2.0.squareRoot() + 1e-6, s.id)
        }
    }

    func testFamilyLargerThanAnyDwelling() throws {
        let run = try ScenarioReader.loadPackage(folder: KhojalyLayoutTests.folder).run()
        let families = [Family(id: "big", group: "3", size: 12), Family(id: "small", group: "3", size: 3)]
        let h = HouseholdAllocator.allocate(families, plan: run.plan, connections: run.progress.connections)
        XCTAssertEqual(h.familiesHoused, 1)
        XCTAssertEqual(h.unhoused.map(\.familyID), ["big"])
        XCTAssertTrue(h.unhoused[0].reason.contains("larger than any dwelling"), h.unhoused[0].reason)
    }
}
