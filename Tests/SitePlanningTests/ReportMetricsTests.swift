import SiteGeometry
import XCTest
@testable import SitePlanning
import SiteVocabulary

/// The report's plain-coordinate paths against GEOS on real layouts: the layout metrics'
/// fronted length against the same definition computed with GEOS overlays, and the network
/// crossings (obstacles certainly apart passed over) against testing every obstacle with GEOS
/// (`crossingsByGEOS`), which must give the same doubles, not merely close ones.
final class ReportMetricsTests: XCTestCase {
    typealias S = SyntheticScenario

    /// A laid-out scenario: a 500 × 360 m grid at `degrees` (diagonal streets catch many lots
    /// by envelope), 90 houses and 4 apartment buildings, utility sources round it.
    func planned(rotatedBy degrees: Double) throws -> (Scenario, SitePlan) {
        try S.planned(width: 500, height: 360, rotatedBy: degrees, houses: 90)
    }

    /// The crossings by their definition, with GEOS alone: every trunk and main against every
    /// lot, footprint and zone the rules do not mark crossable, in that order (the product's, so
    /// that the metres add up to the same bits), counted where it runs inside by more than the
    /// tolerance; per parcel in the scenario's order, and the town's as their sum.
    func crossingsByGEOS(_ scenario: Scenario, _ plan: SitePlan, _ network: UtilityNetwork) throws
        -> (town: NetworkMetrics.Crossings, parcels: [NetworkMetrics.Crossings]) {
        let crossable = scenario.rules.crossingKinds
        let lots = plan.lots.map(\.polygonPlanar), footprints = plan.buildings.map(\.footprintPlanar)
        let zones = scenario.exclusions.filter { !crossable.contains($0.kind) }.map(\.boundaryPlanar)
        var byParcel: [String: NetworkMetrics.Crossings] = [:]
        for s in network.segments where s.kind != .service {
            var hit = NetworkMetrics.Crossings()
            let kinds: [([Geometry], WritableKeyPath<NetworkMetrics.Crossings, Int>)] = [(lots, \.lots), (footprints, \.buildings), (zones, \.zones)]
            for (obstacles, count) in kinds {
                for o in obstacles {
                    guard try o.intersects(s.geometryPlanar) else { continue }
                    let inside = try o.intersection(s.geometryPlanar).length
                    guard inside > PlanCheck.toleranceMetres else { continue }
                    hit[keyPath: count] += 1
                    hit.metres += inside
                }
            }
            guard hit.total > 0 else { continue }
            var c = byParcel[s.parcelID] ?? NetworkMetrics.Crossings()
            c.lots += hit.lots; c.buildings += hit.buildings; c.zones += hit.zones
            c.metres += hit.metres; c.segmentIDs.append(s.id)
            byParcel[s.parcelID] = c
        }
        let parcels = scenario.parcels.map { byParcel[$0.id] ?? NetworkMetrics.Crossings() }
        var town = NetworkMetrics.Crossings()
        for p in parcels {
            town.lots += p.lots; town.buildings += p.buildings; town.zones += p.zones
            town.metres += p.metres; town.segmentIDs += p.segmentIDs
        }
        return (town, parcels)
    }

    /// The fronted length, in plain coordinates, against GEOS computing the same definition
    /// another way: each street's centreline cut by the lots' union buffered by the street's
    /// reach (half its width + 0.5 m; 64 segments a quadrant, so the arcs are within 2 mm).
    func testFrontedLengthIsTheCentrelineWithinReachOfTheLotsByGEOS() throws {
        for degrees in [0.0, 33, -58] {
            let (_, plan) = try planned(rotatedBy: degrees)
            let lines = try plan.streets.map { try $0.centrelinePlanar.coordinates() }
            XCTAssertGreaterThan(plan.streets.count, 5, "\(degrees)°: streets to front")
            XCTAssertGreaterThan(plan.lots.count, 60, "\(degrees)°: lots to front them")
            let lots = try Geometry.union(of: plan.lots.map(\.polygonPlanar))
            var total = 0.0, reference = 0.0, fronted = 0.0
            for (k, street) in plan.streets.enumerated() {
                let reach = try lots.buffer(street.widthMetres / 2 + 0.5, style: BufferStyle(quadrantSegments: 64))
                let exact = try street.centrelinePlanar.intersection(reach).length
                let one = try LayoutMetricsAnalysis.frontedLengthAlongCentrelines(lines: [lines[k]], widths: [street.widthMetres], lots: plan.lots)
                XCTAssertEqual(one, exact, accuracy: 0.05, "\(degrees)°, street \(street.id)")
                total += LayoutStreetGraph.length(lines[k])
                reference += exact
                fronted += one
            }
            XCTAssertGreaterThan(reference, 0.3 * total, "\(degrees)°: a real share of the streets is fronted")
            XCTAssertLessThan(reference, 0.999 * total, "\(degrees)°: and not all of it (an end without lots)")
            let all = try LayoutMetricsAnalysis.frontedLengthAlongCentrelines(lines: lines, widths: plan.streets.map(\.widthMetres), lots: plan.lots)
            XCTAssertEqual(all, fronted, accuracy: 1e-6, "\(degrees)°: the streets' sum")
            XCTAssertEqual(try LayoutMetricsAnalysis.metrics(of: "T", plan).frontedLengthMetres, min(all, total), accuracy: 1e-6)
        }
    }

    /// One lot edge against the formula: a 20 m front 5 m off a 100 m centreline, reach 5.5 m,
    /// covers its own 20 m plus √(5.5² − 5²) ≈ 2.29 m beyond each corner.
    func testOneFrontCoversItsLengthAndTheDiscsRoundItsCorners() {
        let covered = LayoutMetricsAnalysis.withinReach(from: XY(0, 0), along: XY(1, 0), of: XY(40, 5), XY(60, 5), reach: 5.5)
        let beyond = (5.5 * 5.5 - 25).squareRoot()
        XCTAssertEqual(covered?.0 ?? .nan, 40 - beyond, accuracy: 1e-9)
        XCTAssertEqual(covered?.1 ?? .nan, 60 + beyond, accuracy: 1e-9)
        XCTAssertNil(LayoutMetricsAnalysis.withinReach(from: XY(0, 0), along: XY(1, 0), of: XY(40, 6), XY(60, 6), reach: 5.5), "out of reach")
        // A side edge square to the street, its near end 5 m off: the disc round that end alone.
        let side = LayoutMetricsAnalysis.withinReach(from: XY(0, 0), along: XY(1, 0), of: XY(50, 5), XY(50, 30), reach: 5.5)
        XCTAssertEqual(side?.0 ?? .nan, 50 - beyond, accuracy: 1e-9)
        XCTAssertEqual(side?.1 ?? .nan, 50 + beyond, accuracy: 1e-9)
        var extents: [(start: Double, end: Double)] = [(30, 40), (0, 10), (5, 12), (40, 41)]
        XCTAssertEqual(LayoutMetricsAnalysis.mergedLength(&extents), 23, accuracy: 1e-12)
    }

    func testNetworkCrossingsAreTheExhaustiveOnesWithAndWithoutCrossings() throws {
        let (scenario, plan) = try planned(rotatedBy: 33)
        let laid = try S.network(scenario, plan)
        var network = laid
        // Mains drawn straight through the layout, so there are crossings of lots and
        // buildings to count (the laid-out networks have none), and one far from everything.
        let box = try XCTUnwrap(Envelope(of: try plan.lots.flatMap { try $0.polygonPlanar.exteriorRing().coordinates() }))
        let across = [(XY(box.minX, box.minY), XY(box.maxX, box.maxY)), (XY(box.minX, box.maxY), XY(box.maxX, box.minY)),
                      (XY(box.minX - 500, box.minY - 500), XY(box.minX - 400, box.minY - 450))]
        for (k, (a, b)) in across.enumerated() {
            let from = network.addNode(a), to = network.addNode(b)
            try network.addSegment(id: "test-main-\(k)", utility: .water, kind: .main, parcelID: "T", buildingID: nil, from: from, to: to)
        }
        let fast = try NetworkMetrics.compute(scenario: scenario, plan: plan, network: network)
        let reference = try crossingsByGEOS(scenario, plan, network)
        XCTAssertGreaterThan(reference.town.lots, 10, "the diagonals cross lots")
        XCTAssertGreaterThan(reference.town.buildings, 3, "and buildings")
        XCTAssertEqual(reference.town.segmentIDs, ["test-main-0", "test-main-1"])
        XCTAssertEqual(fast.parcels.map(\.scope), scenario.parcels.map(\.id))
        for (f, r) in zip([fast.town] + fast.parcels, [reference.town] + reference.parcels) {
            XCTAssertEqual(f.crossings, r)
            XCTAssertEqual(f.crossings.metres.bitPattern, r.metres.bitPattern)
        }
        // The laid-out network alone: none either way.
        let clean = try NetworkMetrics.compute(scenario: scenario, plan: plan, network: laid)
        XCTAssertEqual(clean.town.crossings, try crossingsByGEOS(scenario, plan, laid).town)
        XCTAssertEqual(clean.town.crossings.total, 0)
    }
}
