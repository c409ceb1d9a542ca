import SiteGeometry
import XCTest
@testable import SitePlanning
import SiteVocabulary

/// The report's fast paths against the exhaustive ones on real layouts: the layout metrics'
/// fronted length (lots within the corridor's reach, streets on threads) against testing every
/// lot of each corridor's envelope on one thread, and the network crossings (obstacles
/// certainly apart passed over) against testing every obstacle of each segment's envelope
/// with GEOS. Both must give the same doubles, not merely close ones.
final class ReportMetricsTests: XCTestCase {
    typealias S = SyntheticScenario

    /// A laid-out scenario: grid at `degrees` (diagonal streets catch many lots by envelope),
    /// houses and apartments, utility sources round it, and its network (when `network`).
    func planned(rotatedBy degrees: Double, network withNetwork: Bool = true) throws -> (Scenario, SitePlan, UtilityNetwork?) {
        var scenario = try S.scenario(parcel: S.polygon(S.rect(0, 0, 500, 360), rotatedBy: degrees),
                                      program: [ProgramItem(type: S.house, count: 90), ProgramItem(type: S.apartment, count: 4)])
        scenario.accessPoints["T"] = try S.frame.toLonLat(XY(S.origin.x, S.origin.y))
        let corners = [XY(-150, -100), XY(650, -80), XY(700, 520), XY(-120, 480), XY(250, -160)]
        scenario.utilitySources = zip(Utility.allCases, corners).map { u, p in
            UtilitySource(utility: u, name: "\(u.rawValue) source", positionPlanar: XY(S.origin.x + p.x, S.origin.y + p.y))
        }
        let plan = try LayoutEngine(scenario: scenario, seed: 1).plan()
        guard withNetwork else { return (scenario, plan, nil) }
        let network = try NetworkBuilder(scenario: scenario, plan: plan, sources: scenario.utilitySources).build()
        return (scenario, plan, network)
    }

    func testFrontedLengthIsTheExhaustiveOneOnEveryThreadCount() throws {
        for degrees in [0.0, 33, -58] {
            let (_, plan, _) = try planned(rotatedBy: degrees, network: false)
            let lines = try plan.streets.map { try $0.centrelinePlanar.coordinates() }
            XCTAssertGreaterThan(plan.streets.count, 5, "\(degrees)°: streets to front")
            XCTAssertGreaterThan(plan.lots.count, 60, "\(degrees)°: lots to front them")
            let reference = try LayoutMetricsAnalysis.frontedLength(streets: plan.streets, lines: lines, lots: plan.lots, exhaustive: true)
            let total = lines.reduce(0.0) { $0 + LayoutStreetGraph.length($1) }
            XCTAssertGreaterThan(reference, 0.3 * total, "\(degrees)°: a real share of the streets is fronted")
            for threads in [1, 2, 3] {
                let fast = try LayoutMetricsAnalysis.frontedLength(streets: plan.streets, lines: lines, lots: plan.lots, threads: threads)
                XCTAssertEqual(fast.bitPattern, reference.bitPattern, "\(degrees)°, \(threads) threads: \(fast) m against \(reference) m")
            }
            // And street by street (one street at a time: the sum cannot hide a difference).
            for (k, street) in plan.streets.enumerated() {
                let one = try LayoutMetricsAnalysis.frontedLength(streets: [street], lines: [lines[k]], lots: plan.lots)
                let exact = try LayoutMetricsAnalysis.frontedLength(streets: [street], lines: [lines[k]], lots: plan.lots, exhaustive: true)
                XCTAssertEqual(one.bitPattern, exact.bitPattern, "\(degrees)°, street \(street.id)")
            }
            let metrics = try LayoutMetricsAnalysis.metrics(of: "T", plan, threads: 2)
            XCTAssertEqual(metrics, try LayoutMetricsAnalysis.metrics(of: "T", plan, threads: 1))
        }
    }

    func testNetworkCrossingsAreTheExhaustiveOnesWithAndWithoutCrossings() throws {
        let (scenario, plan, built) = try planned(rotatedBy: 33)
        let laid = try XCTUnwrap(built)
        var network = laid
        // Mains drawn straight through the layout, so there are crossings of lots and
        // buildings to count (the laid-out networks have none), and one far from everything.
        let box = try plan.lots.reduce(into: Envelope(minX: .infinity, minY: .infinity, maxX: -.infinity, maxY: -.infinity)) {
            $0.expand(toInclude: try $1.polygonPlanar.envelope())
        }
        let across = [(XY(box.minX, box.minY), XY(box.maxX, box.maxY)), (XY(box.minX, box.maxY), XY(box.maxX, box.minY)),
                      (XY(box.minX - 500, box.minY - 500), XY(box.minX - 400, box.minY - 450))]
        for (k, (a, b)) in across.enumerated() {
            let from = network.addNode(a), to = network.addNode(b)
            try network.addSegment(id: "test-main-\(k)", utility: .water, kind: .main, parcelID: "T", buildingID: nil, from: from, to: to)
        }
        let fast = try NetworkMetrics.compute(scenario: scenario, plan: plan, network: network)
        let reference = try NetworkMetrics.compute(scenario: scenario, plan: plan, network: network, exhaustive: true)
        XCTAssertGreaterThan(reference.town.crossings.lots, 10, "the diagonals cross lots")
        XCTAssertGreaterThan(reference.town.crossings.buildings, 3, "and buildings")
        XCTAssertEqual(reference.town.crossings.segmentIDs, ["test-main-0", "test-main-1"])
        for (f, r) in zip([fast.town] + fast.parcels, [reference.town] + reference.parcels) {
            XCTAssertEqual(f.crossings, r.crossings)
            XCTAssertEqual(f.crossings.metres.bitPattern, r.crossings.metres.bitPattern)
            XCTAssertEqual(f.lengthMetres, r.lengthMetres)
            XCTAssertEqual(f.waterLoops, r.waterLoops)
        }
        // The laid-out network alone: none either way.
        let clean = try NetworkMetrics.compute(scenario: scenario, plan: plan, network: laid)
        XCTAssertEqual(clean.town.crossings, try NetworkMetrics.compute(scenario: scenario, plan: plan, network: laid, exhaustive: true).town.crossings)
    }
}
