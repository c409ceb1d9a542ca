import Foundation
import SiteGeometry
import SiteProjection
import XCTest
@testable import SitePlanning
import SiteVocabulary

final class OptionsStudyTests: XCTestCase {
    typealias S = SyntheticScenario

    /// A 600 × 400 m parcel with houses and apartments, and a second access point.
    func scenario() throws -> Scenario {
        var s = try S.scenario(parcel: S.polygon(S.rect(0, 0, 600, 400), rotatedBy: 20),
                               program: [ProgramItem(type: S.house, count: 60), ProgramItem(type: S.apartment, count: 2)])
        let corner = try S.frame.toLonLat(XY(S.origin.x, S.origin.y))
        s.accessPointAlternatives = ["T": [corner]]
        return s
    }

    func testCandidatesStartWithTheScenarioOwnLayoutAndAreDistinct() throws {
        let s = try scenario()
        let all = LayoutVariant.candidates(for: s, count: 100)
        XCTAssertEqual(all.count, 2 * 2 * 2 * 2, "grid × primary × block depth × access points")
        XCTAssertEqual(all[0], LayoutVariant())
        XCTAssertEqual(Set(all.map { $0.label(defaultBlockDepthMetres: 70) }).count, all.count)
        XCTAssertEqual(LayoutVariant.candidates(for: s, count: 3), Array(all.prefix(3)))
    }

    func testAVariantChangesWhatItSays() throws {
        let s = try scenario()
        let v = LayoutVariant(blockDepthMetres: 80, accessChoice: 1)
        let applied = v.applied(to: s)
        XCTAssertEqual(applied.rules.blockDepthMetres, 80)
        // The full-depth apartment lots deepen with the block, their area in proportion; house
        // lots (half a block by rule) keep no depth of their own.
        let types = applied.programs[0].items.map(\.type)
        XCTAssertEqual(types[1].lotDepthMetres, 80)
        XCTAssertEqual(types[1].lotAreaSquareMetres.upperBound, 4000 * 80 / 70, accuracy: 1e-9)
        XCTAssertNil(types[0].lotDepthMetres)
        XCTAssertEqual(applied.accessPoints["T"], s.accessPointAlternatives["T"]![0])
        // The grid turned a quarter turn: lots face streets running across the parcel's axis
        // (20°) instead of along it. Measured on the streets the lots name.
        for (variant, expected) in [(LayoutVariant(), 20.0), (LayoutVariant(grid: .acrossAxis), 110.0)] {
            let plan = try LayoutEngine(scenario: s, seed: 1, variant: variant).plan()
            var byDirection: [Int: Int] = [:]
            for lot in plan.lots {
                let street = try XCTUnwrap(plan.streets.first { $0.id == lot.streetID })
                let p = try street.centrelinePlanar.coordinates()
                var angle = atan2(p.last!.y - p[0].y, p.last!.x - p[0].x) * 180 / .pi
                if angle < 0 { angle += 180 }
                byDirection[Int(angle.rounded()) % 180, default: 0] += 1
            }
            let most = try XCTUnwrap(byDirection.max { $0.value < $1.value })
            XCTAssertEqual(Double(most.key), expected, accuracy: 1, "\(variant.grid): most lots face streets at \(byDirection)")
            XCTAssertEqual(try PlanCheck.violations(plan, s), [])
        }
    }

    func testTheWinnerFollowsTheObjective() throws {
        let s = try scenario()
        let study = try OptionsStudy(scenario: s, count: 6)
        XCTAssertEqual(study.options.count, 6)
        XCTAssertTrue(study.costsAreDefaults)
        // Cost per dwelling measured here from the plans' own geometry and the unit costs.
        func costPerDwelling(_ o: LayoutOption) throws -> Double {
            let c = InfrastructureUnitCosts.defaults
            var streetArea = 0.0
            for parcel in o.run.scenario.parcels {
                let corridors = try Geometry.union(of: o.run.plan.streets.filter { $0.parcelID == parcel.id }.map { try $0.centrelinePlanar.buffer($0.widthMetres / 2, style: .corridor) })
                streetArea += try corridors.intersection(parcel.boundaryPlanar).area
            }
            var total = streetArea * c.streetPerSquareMetre
            for s in o.run.network.segments { total += try s.geometryPlanar.length * c.networkPerMetre[s.utility]! }
            let dwellings = o.run.plan.buildings.reduce(0) { $0 + $1.type.unitsPerBuilding }
            return total / Double(dwellings)
        }
        let unplaced = study.options.map { o in o.run.plan.unplaced.reduce(0) { $0 + $1.count } }
        let fewest = unplaced.min()!
        let w = study.winner
        XCTAssertEqual(unplaced[study.winnerIndex], fewest)
        let wc = try costPerDwelling(w)
        XCTAssertEqual(w.figures.costPerDwelling, wc, accuracy: wc * 1e-4)
        for (i, o) in study.options.enumerated() where unplaced[i] == fewest && i != study.winnerIndex {
            XCTAssertGreaterThanOrEqual(try costPerDwelling(o).rounded(), wc.rounded(), "option \(o.number) is cheaper than the winner \(w.number)")
        }
        let r = try XCTUnwrap(study.runnerUp)
        XCTAssertNotEqual(r.number, w.number)
        XCTAssertTrue(study.options.allSatisfy { $0.number == w.number || !OptionsStudy.better($0, r) || $0.number == r.number }, "the runner-up is the best of the rest")
    }

    func testTheSameStudyTwiceGivesTheSameFigures() throws {
        let s = try scenario()
        let a = try OptionsStudy(scenario: s, count: 3), b = try OptionsStudy(scenario: s, count: 3)
        XCTAssertEqual(a.options.map(\.figures), b.options.map(\.figures))
        XCTAssertEqual(a.runnerUpIndex, b.runnerUpIndex)
    }

    func testOptionsLaidOutOnSeveralThreadsAreTheSameAsInOne() throws {
        let s = try scenario()
        let one = try OptionsStudy(scenario: s, count: 5, threads: 1)
        let (two, finished) = try OptionsStudy.run(scenario: s, count: 5, threads: 2) { option in
            // Runs on the thread that laid the option out, on that thread's GEOS context.
            (option.number, try option.run.plan.lots.reduce(0.0) { $0 + (try $1.polygonPlanar.area) })
        }
        XCTAssertEqual(two.options.map(\.number), [1, 2, 3, 4, 5], "option order is the variants' order")
        XCTAssertEqual(two.options.map(\.label), one.options.map(\.label))
        XCTAssertEqual(two.options.map(\.figures), one.options.map(\.figures))
        XCTAssertEqual(two.winnerIndex, one.winnerIndex)
        XCTAssertEqual(two.runnerUpIndex, one.runnerUpIndex)
        XCTAssertEqual(finished.map(\.0), [1, 2, 3, 4, 5], "each option finished once, in option order")
        for (option, (_, lotArea)) in zip(one.options, finished) {
            XCTAssertEqual(lotArea, try option.run.plan.lots.reduce(0.0) { $0 + (try $1.polygonPlanar.area) }, accuracy: 1e-6)
            XCTAssertGreaterThan(lotArea, 0)
        }
        // The layout metrics kept with the figures are the plan's own, computed again here.
        for option in two.options {
            XCTAssertEqual(option.figures.layout, try LayoutMetricsAnalysis.parcels(option.run.plan, scenario: option.run.scenario))
        }
    }

    func testAskingForMoreOptionsThanTheScenarioHasIsRefused() throws {
        let s = try scenario()
        XCTAssertThrowsError(try OptionsStudy(scenario: s, count: 17)) { error in
            XCTAssertTrue("\(error)".contains("this scenario has 16 distinct options"), "\(error)")
        }
        XCTAssertThrowsError(try OptionsStudy(scenario: s, count: 0))
    }

    func testUnitCostsAreChecked() {
        var c = InfrastructureUnitCosts.defaults
        c.networkPerMetre[.gas] = -1
        XCTAssertThrowsError(try c.validate()) { XCTAssertTrue("\($0)".contains("costs.network_per_m.gas is -1.0"), "\($0)") }
        c = .defaults
        c.networkPerMetre[.telecom] = nil
        XCTAssertThrowsError(try c.validate()) { XCTAssertTrue("\($0)".contains("costs.network_per_m.telecom is missing"), "\($0)") }
    }
}
