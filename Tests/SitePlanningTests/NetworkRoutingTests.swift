import SiteGeometry
import SiteProjection
import XCTest
@testable import SitePlanning
import SiteVocabulary

/// Trunks routed over the corridor graph, water loops and the network metrics, on scenarios
/// drawn in code: every check is made again here on the GEOS geometry of the result.
final class NetworkRoutingTests: XCTestCase {
    typealias S = SyntheticScenario

    static let program = [ProgramItem(type: S.house, count: 100)]

    /// A 400 × 300 m parcel fed at its corner (0, 0), a zone of `kind` outside it, and a water
    /// source at (700, 450): the straight line from the source to the access point runs through
    /// the zone and diagonally across the parcel's lots.
    func scenario(zoneKind: String = "green_space", crossable: Set<String> = [], zone: [XY] = S.rect(420, 100, 520, 700),
                  source: XY = XY(700, 450)) throws -> Scenario {
        var rules = LayoutRules()
        rules.crossingKinds = crossable.sorted()
        var scenario = try S.scenario(parcel: S.polygon(S.rect(0, 0, 400, 300)), program: Self.program, rules: rules)
        scenario.accessPoints["T"] = try S.frame.toLonLat(XY(S.origin.x, S.origin.y))
        scenario.exclusions = [try ExclusionZone(id: "Z", name: "zone", kind: zoneKind, parcelID: nil, boundaryWGS84: S.polygon(zone),
                                                 frame: S.frame, feature: FeatureRef(index: 0, id: "Z"))]
        scenario.utilitySources = [UtilitySource(utility: .water, name: "Test intake", positionPlanar: XY(S.origin.x + source.x, S.origin.y + source.y))]
        return scenario
    }

    func build(_ scenario: Scenario) throws -> (SitePlan, UtilityNetwork) {
        let plan = try LayoutEngine(scenario: scenario, seed: 1).plan()
        XCTAssertFalse(plan.buildings.isEmpty)
        return (plan, try NetworkBuilder(scenario: scenario, plan: plan, sources: scenario.utilitySources).build())
    }

    /// Metres of `line` inside `area`, by GEOS.
    func inside(_ line: Geometry, _ area: Geometry) throws -> Double { try area.intersection(line).length }

    func trunk(_ network: UtilityNetwork, _ utility: Utility = .water, parcel: String = "T") throws -> NetworkSegment {
        try XCTUnwrap(network.segments.first { $0.kind == .trunk && $0.utility == utility && $0.parcelID == parcel })
    }

    func testTrunkGoesAroundLotsAndAnUncrossableZone() throws {
        let scenario = try scenario()
        let (plan, network) = try build(scenario)
        let trunk = try trunk(network)
        let coordinates = try trunk.geometryPlanar.coordinates()
        let straight = try Geometry.lineString([coordinates.first!, try XCTUnwrap(plan.accessPointsPlanar["T"])])
        // The straight line to the access point would cross the zone and the parcel: the
        // scenario tests what it means to.
        XCTAssertGreaterThan(try inside(straight, scenario.exclusions[0].boundaryPlanar), 1)
        XCTAssertGreaterThan(try inside(straight, scenario.parcels[0].boundaryPlanar), 100)
        // The routed trunk crosses none of them, and is longer than the straight line.
        XCTAssertLessThanOrEqual(try inside(trunk.geometryPlanar, scenario.exclusions[0].boundaryPlanar), 0.01)
        for lot in plan.lots { XCTAssertLessThanOrEqual(try inside(trunk.geometryPlanar, lot.polygonPlanar), 0.01, lot.id) }
        for b in plan.buildings { XCTAssertLessThanOrEqual(try inside(trunk.geometryPlanar, b.footprintPlanar), 0.01, b.id) }
        XCTAssertGreaterThan(trunk.lengthMetres, coordinates.first!.distance(to: coordinates.last!) + 1, "the trunk bends round the zone")
        XCTAssertGreaterThan(coordinates.count, 2)
        let metrics = try NetworkMetrics.compute(scenario: scenario, plan: plan, network: network)
        XCTAssertEqual(metrics.town.crossings, NetworkMetrics.Crossings())
        // Every building is reached from the source.
        XCTAssertEqual(network.unreachableBuildings, [])
        XCTAssertEqual(Set(network.serviceLines.keys), Set(plan.buildings.map(\.id)))
    }

    func testCrossableZoneIsCrossedAndCostsMoreThanStreets() throws {
        let around = try trunk(build(scenario()).1).lengthMetres
        let scenario = try scenario(zoneKind: "river_buffer", crossable: ["river_buffer"])
        let (plan, network) = try build(scenario)
        let trunk = try trunk(network)
        let over = try inside(trunk.geometryPlanar, scenario.exclusions[0].boundaryPlanar)
        XCTAssertGreaterThan(over, 50, "the trunk crosses the river buffer")
        XCTAssertLessThan(trunk.lengthMetres, around)
        let metrics = try NetworkMetrics.compute(scenario: scenario, plan: plan, network: network)
        XCTAssertEqual(metrics.town.crossings.zones, 0, "a crossing of a crossable kind is allowed")
        XCTAssertEqual(metrics.town.crossings.lots, 0)
    }

    func testMetricsCountAStraightTrunkAcrossLots() throws {
        // The check itself must see a crossing: a network with the trunk drawn straight.
        let scenario = try scenario()
        let (plan, routed) = try build(scenario)
        var straight = UtilityNetwork()
        let trunk = try trunk(routed)
        let middle = plan.buildings[plan.buildings.count / 2]
        let a = straight.addNode(routed.nodes[trunk.from]), b = straight.addNode(try middle.footprintPlanar.centroidXY())
        try straight.addSegment(id: trunk.id, utility: .water, kind: .trunk, parcelID: "T", buildingID: nil, from: a, to: b)
        let metrics = try NetworkMetrics.compute(scenario: scenario, plan: plan, network: straight)
        XCTAssertGreaterThan(metrics.town.crossings.lots, 0)
        XCTAssertGreaterThan(metrics.town.crossings.buildings, 0)
        XCTAssertEqual(metrics.town.crossings.zones, 1)
        XCTAssertEqual(metrics.town.crossings.segmentIDs, [trunk.id])
    }

    func testSourceWalledInByAnUncrossableZoneIsAnError() throws {
        // A ring of green space around the source.
        let ring = try S.polygon(S.rect(600, 350, 800, 550), holes: [S.rect(650, 400, 750, 500)])
        var scenario = try scenario()
        scenario.exclusions = [try ExclusionZone(id: "Z", name: "moat", kind: "green_space", parcelID: nil, boundaryWGS84: ring,
                                                 frame: S.frame, feature: FeatureRef(index: 0, id: "Z"))]
        let plan = try LayoutEngine(scenario: scenario, seed: 1).plan()
        XCTAssertThrowsError(try NetworkBuilder(scenario: scenario, plan: plan, sources: scenario.utilitySources).build()) { error in
            let text = "\(error)"
            XCTAssertTrue(text.contains("water"), text)
            XCTAssertTrue(text.contains("Test intake"), text)
            XCTAssertTrue(text.contains("parcel T"), text)
        }
    }

    func testWaterMainsLoopWhileTheOtherUtilitiesStayTrees() throws {
        var scenario = try scenario()
        scenario.utilitySources += [UtilitySource(utility: .sewer, name: "Plant", positionPlanar: XY(S.origin.x - 200, S.origin.y - 100))]
        let (plan, network) = try build(scenario)
        /// Independent cycles of a utility's mains: edges − nodes + components.
        func cycles(_ utility: Utility) -> Int {
            let mains = network.segments.filter { $0.utility == utility && $0.kind == .main }
            var parent: [Int: Int] = [:]
            func find(_ x: Int) -> Int { var r = x; while let p = parent[r], p != r { r = p }; return r }
            var count = 0
            for m in mains {
                parent[m.from] = parent[m.from] ?? m.from
                parent[m.to] = parent[m.to] ?? m.to
                let a = find(m.from), b = find(m.to)
                if a == b { count += 1 } else { parent[a] = b }
            }
            return count
        }
        XCTAssertGreaterThan(cycles(.water), 0)
        XCTAssertEqual(cycles(.sewer), 0)
        let metrics = try NetworkMetrics.compute(scenario: scenario, plan: plan, network: network)
        XCTAssertEqual(metrics.parcels[0].waterLoops, cycles(.water))
        XCTAssertTrue(metrics.parcels[0].waterLooped)
        // Loop closures have their own ids; the tree's mains keep theirs.
        XCTAssertTrue(network.segments.contains { $0.id.hasPrefix("water-T-L") })
        XCTAssertFalse(network.segments.contains { $0.id.hasPrefix("sewer-T-L") })
        // Length per dwelling is the network's length over the dwellings.
        let water = network.segments.filter { $0.utility == .water }.reduce(0) { $0 + $1.lengthMetres }
        XCTAssertEqual(metrics.parcels[0].lengthPerDwellingMetres(.water), water / Double(plan.buildings.count), accuracy: 1e-9)
    }

    func testEachParcelFedFromItsOwnSourceWhenThatIsShorter() throws {
        // Two parcels 1.5 km apart, the sewer source just beyond the second: the first is fed
        // from the source (1.1 km), not through the second's streets.
        let a = try Parcel(id: "A", name: "A", phase: 1, boundaryWGS84: S.polygon(S.rect(0, 0, 400, 300)), frame: S.frame,
                           feature: FeatureRef(index: 0, id: "A"))
        let b = try Parcel(id: "B", name: "B", phase: 1, boundaryWGS84: S.polygon(S.rect(1500, 0, 1900, 300)), frame: S.frame,
                           feature: FeatureRef(index: 1, id: "B"))
        var scenario = try Scenario(name: "two", settlement: "test", frame: S.frame, asOf: nil, parcels: [a, b],
                                    programs: [HousingProgram(parcelID: "A", items: Self.program), HousingProgram(parcelID: "B", items: Self.program)],
                                    accessPoints: ["A": try S.frame.toLonLat(XY(S.origin.x + 400, S.origin.y + 150)),
                                                   "B": try S.frame.toLonLat(XY(S.origin.x + 1900, S.origin.y + 150))])
        let source = XY(S.origin.x + 1150, S.origin.y + 150)
        scenario.utilitySources = [UtilitySource(utility: .sewer, name: "Plant", positionPlanar: source)]
        let plan = try LayoutEngine(scenario: scenario, seed: 1).plan()
        let network = try NetworkBuilder(scenario: scenario, plan: plan, sources: scenario.utilitySources).build()
        for pid in ["A", "B"] {
            let t = try trunk(network, .sewer, parcel: pid)
            XCTAssertEqual(t.from, network.sourceNodes[.sewer], "\(pid) is fed from the source")
        }
    }
}
