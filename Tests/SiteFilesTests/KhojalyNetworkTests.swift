import Foundation
import SiteGeometry
import XCTest
@testable import SitePlanning
@testable import SiteFiles
import SiteVocabulary

/// The Khojaly networks (seed 1) checked independently with GEOS, pair by pair, without the
/// network metrics' index: no trunk or main runs through a lot, a building or an uncrossable
/// exclusion zone; every building is reached from every utility's source; the water mains
/// close loops while the other utilities stay trees. (Here rather than in SitePlanningTests
/// because it reads the scenario folder.)
final class KhojalyNetworkTests: XCTestCase {
    static let run: Result<PlanRun, Error> = Result {
        try PlanRun(scenario: ScenarioReader.load(folder: KhojalyLayoutTests.folder))
    }

    func testNoTrunkOrMainCrossesALotABuildingOrAZone() throws {
        let run = try Self.run.get()
        let crossable = run.scenario.rules.crossingKinds
        let obstacles: [(String, Geometry)] = run.plan.lots.map { ($0.id, $0.polygonPlanar) }
            + run.plan.buildings.map { ($0.id, $0.footprintPlanar) }
            + run.scenario.exclusions.filter { !crossable.contains($0.kind) }.map { ($0.id, $0.boundaryPlanar) }
        let boxes = try obstacles.map { try $0.1.envelope() }
        let lines = run.network.segments.filter { $0.kind != .service }
        XCTAssertEqual(lines.filter { $0.kind == .trunk }.count, 10, "a trunk per utility and parcel")
        var crossings: [String] = []
        for s in lines {
            let e = try s.geometryPlanar.envelope()
            for (i, (id, area)) in obstacles.enumerated() {
                let b = boxes[i]
                guard e.maxX >= b.minX, e.minX <= b.maxX, e.maxY >= b.minY, e.minY <= b.maxY else { continue }
                let metres = try area.intersection(s.geometryPlanar).length
                if metres > 0.01 { crossings.append("\(s.id) crosses \(id) for \(metres) m") }
            }
        }
        XCTAssertEqual(crossings, [])
        let metrics = try NetworkMetrics.compute(scenario: run.scenario, plan: run.plan, network: run.network)
        XCTAssertEqual(metrics.town.crossings.total, 0)
    }

    func testEveryBuildingIsReachedFromEverySource() throws {
        let run = try Self.run.get()
        let network = run.network
        XCTAssertEqual(network.unreachableBuildings, [])
        for utility in Utility.allCases {
            let source = try XCTUnwrap(network.sourceNodes[utility])
            var adjacent = [[Int]](repeating: [], count: network.nodes.count)
            for s in network.segments where s.utility == utility { adjacent[s.from].append(s.to); adjacent[s.to].append(s.from) }
            var reached = Set([source]), queue = [source]
            while let n = queue.popLast() { for m in adjacent[n] where reached.insert(m).inserted { queue.append(m) } }
            for b in run.plan.buildings {
                let line = try XCTUnwrap(network.serviceLines[b.id]?[utility], "\(b.id) has a \(utility) service line")
                XCTAssertTrue(reached.contains(network.segments[line].to), "\(b.id) is reached from the \(utility) source")
            }
        }
    }

    func testWaterMainsLoopAndTheOthersAreTrees() throws {
        let run = try Self.run.get()
        for parcel in ["P1-A", "P1-B"] {
            func cycles(_ utility: Utility) -> Int {
                var parent: [Int: Int] = [:]
                func find(_ x: Int) -> Int { var r = x; while let p = parent[r], p != r { r = p }; return r }
                var count = 0
                for m in run.network.segments where m.utility == utility && m.kind == .main && m.parcelID == parcel {
                    parent[m.from] = parent[m.from] ?? m.from
                    parent[m.to] = parent[m.to] ?? m.to
                    let a = find(m.from), b = find(m.to)
                    if a == b { count += 1 } else { parent[a] = b }
                }
                return count
            }
            XCTAssertGreaterThan(cycles(.water), 0, "\(parcel): water mains contain a cycle")
            for u in Utility.allCases where u != .water { XCTAssertEqual(cycles(u), 0, "\(parcel): \(u) mains are a tree") }
        }
    }

    func testTrunksAreRoutedNotStraight() throws {
        // The figures: the straight water trunk crossed the retained block and lots; a
        // routed trunk bends, and each utility's trunks differ.
        let run = try Self.run.get()
        let trunks = run.network.segments.filter { $0.kind == .trunk }
        XCTAssertTrue(try trunks.contains { try $0.geometryPlanar.coordinates().count > 2 })
        let shapes = Set(try trunks.map { try $0.geometryPlanar.coordinates().count })
        XCTAssertGreaterThan(shapes.count, 1)
    }
}
