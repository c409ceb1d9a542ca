import SiteGeometry
import XCTest
@testable import SitePlanning
import SiteVocabulary

/// Work-package ranking on a small hand-built network, the same for all five utilities:
///
///     source(0) --T 100 m-- 1 --M 100 m-- 2
///                           |             |
///                        H2 20 m       H1 20 m   (service lines)
final class WorkPackagesTests: XCTestCase {
    /// `withoutSource` leaves that utility's source out (its segments reach nothing).
    func network(withoutSource: Utility? = nil) throws -> UtilityNetwork {
        var n = UtilityNetwork()
        for u in Utility.allCases {
            let source = n.addNode(XY(0, 0)), n1 = n.addNode(XY(100, 0)), n2 = n.addNode(XY(200, 0))
            let h1 = n.addNode(XY(200, -20)), h2 = n.addNode(XY(100, -20))
            if u != withoutSource { n.sourceNodes[u] = source }
            try n.addSegment(id: "\(u.rawValue)-T", utility: u, kind: .trunk, parcelID: "P", buildingID: nil, from: source, to: n1)
            try n.addSegment(id: "\(u.rawValue)-M", utility: u, kind: .main, parcelID: "P", buildingID: nil, from: n1, to: n2)
            try n.addSegment(id: "\(u.rawValue)-H1", utility: u, kind: .service, parcelID: "P", buildingID: "H1", from: n2, to: h1)
            try n.addSegment(id: "\(u.rawValue)-H2", utility: u, kind: .service, parcelID: "P", buildingID: "H2", from: n1, to: h2)
        }
        return n
    }

    /// Every segment laid except `unbuilt`.
    func book(_ network: UtilityNetwork, except unbuilt: Set<String>) -> StatusBook {
        var records: [String: StatusRecord] = [:]
        for s in network.segments where !unbuilt.contains(s.id) { records[s.id] = StatusRecord(status: .laid, date: ISODate("2026-01-01")) }
        return StatusBook(records: records)
    }

    func rank(_ network: UtilityNetwork, _ status: StatusBook, dwellings: [String: Int] = ["H1": 12, "H2": 1], topN: Int = 10) -> [WorkPackage] {
        WorkPackageRanking.rank(ConnectionTracer(network: network, status: status), dwellings: dwellings, topN: topN)
    }

    func testATrunkThatUnlocksNothingAloneIsFoundWithItsServiceLine() throws {
        let n = try network()
        // H1 lacks its water service line and H2 its water service line: the water trunk alone
        // connects nobody, so no single segment unlocks anything.
        let status = book(n, except: ["water-T", "water-H1", "water-H2"])
        XCTAssertEqual(ConnectionTracer(network: n, status: status).connectedBuildings(.water), [])
        let trunkLaid = book(n, except: ["water-H1", "water-H2"])
        XCTAssertEqual(ConnectionTracer(network: n, status: trunkLaid).connectedBuildings(.water), [])

        let next = rank(n, status)
        XCTAssertEqual(next.count, 2, "both buildings, then nothing is left")
        // The apartment building's 12 dwellings over 120 m beat the house's 1 over 120 m.
        XCTAssertEqual(next[0].buildingID, "H1")
        XCTAssertEqual(next[0].segmentIDs, ["water-T", "water-H1"], "from the source outward")
        XCTAssertEqual(next[0].utilities, [.water])
        XCTAssertEqual(next[0].buildingsUnlocked, ["H1"])
        XCTAssertEqual(next[0].dwellingsUnlocked, 12)
        XCTAssertEqual(next[0].lengthMetres, 120, accuracy: 1e-9)
        XCTAssertEqual(next[0].dwellingsPerHundredMetres, 10, accuracy: 1e-9)
        // With the trunk counted as built, the house needs only its own service line.
        XCTAssertEqual(next[1].segmentIDs, ["water-H2"])
        XCTAssertEqual(next[1].buildingsUnlocked, ["H2"])
        XCTAssertEqual(next[1].lengthMetres, 20, accuracy: 1e-9)
    }

    func testAPackageCountsEveryBuildingItCompletes() throws {
        let n = try network()
        // H2 waits only for the gas trunk; H1 for the gas trunk and its own gas service line.
        let next = rank(n, book(n, except: ["gas-T", "gas-H1"]))
        XCTAssertEqual(next.count, 1)
        XCTAssertEqual(next[0].buildingID, "H1", "13 dwellings over 120 m beat 1 over 100 m")
        XCTAssertEqual(next[0].segmentIDs, ["gas-T", "gas-H1"])
        XCTAssertEqual(next[0].buildingsUnlocked, ["H1", "H2"])
        XCTAssertEqual(next[0].dwellingsUnlocked, 13)
    }

    func testDwellingsNotBuildingsDecide() throws {
        let n = try network()
        // H2 is one building for 20 m, H1 one for 120 m: by buildings per metre H2 comes first,
        // by dwellings per metre H1 (12 over 120 m against 1 over 20 m).
        let next = rank(n, book(n, except: ["power-M", "power-H1", "power-H2"]))
        XCTAssertEqual(next.map(\.buildingID), ["H1", "H2"])
        XCTAssertEqual(next.map(\.segmentIDs), [["power-M", "power-H1"], ["power-H2"]])
        XCTAssertEqual(next.map(\.dwellingsUnlocked), [12, 1])
    }

    func testOnePackageAcrossUtilities() throws {
        let n = try network()
        let next = rank(n, book(n, except: ["power-H2", "telecom-H2"]))
        XCTAssertEqual(next.count, 1)
        XCTAssertEqual(next[0].segmentIDs, ["power-H2", "telecom-H2"], "utilities in order, one package for the building")
        XCTAssertEqual(next[0].utilities, [.power, .telecom])
        XCTAssertEqual(next[0].lengthMetres, 40, accuracy: 1e-9)
        XCTAssertEqual(next[0].buildingsUnlocked, ["H2"])
    }

    func testNothingBuiltStartsAtTheSources() throws {
        let n = try network()
        let next = rank(n, StatusBook(), topN: 1)
        XCTAssertEqual(next.count, 1)
        XCTAssertEqual(next[0].buildingID, "H1")
        XCTAssertEqual(next[0].segmentIDs, Utility.allCases.flatMap { ["\($0.rawValue)-T", "\($0.rawValue)-M", "\($0.rawValue)-H1"] })
        XCTAssertEqual(next[0].lengthMetres, 5 * 220, accuracy: 1e-9)
        XCTAssertEqual(next[0].buildingsUnlocked, ["H1"])
    }

    func testAGapInTheMainBlocksOnlyWhatLiesBeyondIt() throws {
        let n = try network()
        let next = rank(n, book(n, except: ["sewer-M"]))
        XCTAssertEqual(next.count, 1)
        XCTAssertEqual(next[0].segmentIDs, ["sewer-M"])
        XCTAssertEqual(next[0].buildingsUnlocked, ["H1"], "H2 hangs off node 1, upstream of the gap: already connected")
    }

    func testAUtilityWithoutSourceLeavesNothingToRank() throws {
        // Fully connected means all five utilities (as `buildingsFullyConnected` counts): with no
        // gas source no building can get there.
        let n = try network(withoutSource: .gas)
        XCTAssertEqual(rank(n, StatusBook()), [])
    }

    func testTopNAndFullyConnected() throws {
        let n = try network()
        XCTAssertEqual(rank(n, StatusBook(), topN: 0), [])
        XCTAssertEqual(rank(n, book(n, except: [])), [], "everything connected: nothing to do")
    }
}

/// The bounded ranking (only the candidates whose bound per metre reaches the best are valued)
/// against valuing every candidate in every round, on networks laid out from a scenario (water
/// looped, the other utilities trees) under works states drawn at random.
final class WorkPackagesBoundedTests: XCTestCase {
    typealias S = SyntheticScenario

    /// The networks of a 400 × 300 m parcel's layout (60 houses, 4 apartment buildings) and the
    /// dwellings per building.
    static func network() throws -> (UtilityNetwork, [String: Int]) {
        let (scenario, plan) = try S.planned(width: 400, height: 300, houses: 60)
        return (try S.network(scenario, plan), Dictionary(plan.buildings.map { ($0.id, $0.units) }, uniquingKeysWith: +))
    }

    /// The ranking by its definition, valuing every candidate in every round: each round the
    /// shortest-path trees from nothing, every building not yet fully connected valued by
    /// building its package and counting the buildings fully connected then, and the best taken
    /// by the ranking's rule (most dwellings per metre; ties: more dwellings, then shorter,
    /// then the lower building id). Only the trees are the product's (checked on their own by
    /// `WorkPackagesShortestPathsTests`).
    static func rankValuingAll(_ tracer: ConnectionTracer, dwellings: [String: Int], topN: Int) -> [WorkPackage] {
        let network = tracer.network
        let graph = WorkPackageRanking.Graph(network)
        var built = network.segments.indices.map { tracer.isBuilt($0) }
        let buildings = network.serviceLines.keys.sorted()
        let services = buildings.map { b in Utility.allCases.map { network.serviceLines[b]?[$0] } }
        let sources = Utility.allCases.map { network.sourceNodes[$0] }
        /// The buildings (indices) each of whose service lines has both ends joined to a source by `built`.
        func fullyConnected(_ built: [Bool]) -> Set<Int> {
            var components = WorkPackageRanking.Components(count: graph.nodeCount)
            for i in built.indices where built[i] { components.union(graph.from[i], graph.to[i]) }
            let fed = Set(sources.compactMap { $0 }.map { components.find($0) })
            return Set(services.indices.filter { b in
                services[b].allSatisfy { s in
                    guard let s else { return false }
                    return fed.contains(components.find(graph.from[s])) && fed.contains(components.find(graph.to[s]))
                }
            })
        }
        var result: [WorkPackage] = []
        while result.count < topN {
            let trees = sources.map { $0.map { WorkPackageRanking.ShortestPaths(graph, built, from: $0) } }
            let before = fullyConnected(built)
            var best: (building: Int, package: [Int], unlocked: [Int], dwellings: Int, length: Double)?
            candidates: for b in buildings.indices where !before.contains(b) {
                // Per utility, the unbuilt segments of the tree's path from the source out to the building.
                var package: [Int] = []
                for (service, tree) in zip(services[b], trees) {
                    guard let service, let tree, tree.via[graph.to[service]] >= 0 else { continue candidates }
                    var path: [Int] = []
                    var node = graph.to[service]
                    while tree.via[node] >= 0 {
                        let s = tree.via[node]
                        if !built[s] { path.append(s) }
                        node = graph.from[s] == node ? graph.to[s] : graph.from[s]
                    }
                    package += path.reversed()
                }
                var after = built
                for s in package { after[s] = true }
                let unlocked = fullyConnected(after).subtracting(before).sorted()
                let value = unlocked.reduce(0) { $0 + dwellings[buildings[$1], default: 0] }
                let length = package.reduce(0) { $0 + graph.length[$1] }
                guard value > 0 else { continue }
                if let current = best {
                    let mine = Double(value) * current.length, theirs = Double(current.dwellings) * length
                    if mine < theirs || (mine == theirs && (value, -length) <= (current.dwellings, -current.length)) { continue }
                }
                best = (b, package, unlocked, value, length)
            }
            guard let chosen = best else { break }
            for s in chosen.package { built[s] = true }
            let segments = chosen.package.map { network.segments[$0] }
            result.append(WorkPackage(buildingID: buildings[chosen.building], segmentIDs: segments.map(\.id),
                                      utilities: Utility.allCases.filter { u in segments.contains { $0.utility == u } },
                                      lengthMetres: chosen.length, buildingsUnlocked: chosen.unlocked.map { buildings[$0] }.sorted(),
                                      dwellingsUnlocked: chosen.dwellings))
        }
        return result
    }

    /// Works states drawn at random: none laid, then about `share` of the segments.
    func books(_ network: UtilityNetwork, seed: UInt64) -> [StatusBook] {
        var random = SplitMix64(seed: seed)
        return [0.0, 0.2, 0.5, 0.8].map { share in
            var records: [String: StatusRecord] = [:]
            for s in network.segments where random.unit() < share {
                records[s.id] = StatusRecord(status: .laid, date: ISODate("2026-01-01"))
            }
            return StatusBook(records: records)
        }
    }

    func testTreesOnOneThreadOrTwoGiveTheSamePackages() throws {
        let (network, dwellings) = try Self.network()
        for (state, book) in books(network, seed: 5).enumerated() {
            let tracer = ConnectionTracer(network: network, status: book)
            let one = WorkPackageRanking.rank(tracer, dwellings: dwellings, topN: 25, threads: 1)
            let two = WorkPackageRanking.rank(tracer, dwellings: dwellings, topN: 25, threads: 2)
            XCTAssertGreaterThan(one.count, 3, "works state \(state) leaves packages to rank")
            XCTAssertEqual(two, one, "works state \(state)")
        }
    }

    /// `ProgressAnalysis.compute` ranks on a second thread while the figures (GEOS) and `then`
    /// run on the calling thread: the same packages as ranking on the calling thread, and
    /// `then` gets the report's connections.
    func testProgressRanksOnASecondThreadAsOnTheCallingThread() throws {
        let (scenario, plan) = try S.planned(width: 400, height: 300, houses: 60)
        let network = try S.network(scenario, plan)
        for (state, book) in books(network, seed: 9).enumerated() {
            let (progress, seen) = try ProgressAnalysis.compute(scenario: scenario, plan: plan, network: network, status: book, topN: 12) { $0 }
            let here = WorkPackageRanking.rank(ConnectionTracer(network: network, status: book),
                                               dwellings: Dictionary(plan.buildings.map { ($0.id, $0.units) }, uniquingKeysWith: +), topN: 12)
            XCTAssertGreaterThan(here.count, 3, "works state \(state) leaves packages to rank")
            XCTAssertEqual(progress.nextWorkPackages, here, "works state \(state)")
            XCTAssertEqual(seen, progress.connections, "works state \(state)")
            XCTAssertEqual(seen.count, plan.buildings.count)
            let plain = try ProgressAnalysis.compute(scenario: scenario, plan: plan, network: network, status: book, topN: 12)
            XCTAssertEqual(plain.nextWorkPackages, here)
            XCTAssertEqual(plain.town.worksCompletePercent, progress.town.worksCompletePercent)
        }
    }

    func testSamePackagesAsValuingEveryCandidateEachRound() throws {
        let (network, dwellings) = try Self.network()
        XCTAssertGreaterThan(network.serviceLines.count, 40)
        var random = SplitMix64(seed: 11)
        var compared = 0
        for (trial, share) in [0.0, 0.0, 0.1, 0.3, 0.5, 0.7, 0.9].enumerated() {
            var records: [String: StatusRecord] = [:]
            for s in network.segments where random.unit() < share {
                records[s.id] = StatusRecord(status: .laid, date: ISODate("2026-01-01"))
            }
            if trial == 1 {
                // Trunks laid, the rest not: the first packages start where the trunks end.
                for s in network.segments where s.kind == .trunk { records[s.id] = StatusRecord(status: .laid, date: ISODate("2026-01-01")) }
            }
            let tracer = ConnectionTracer(network: network, status: StatusBook(records: records))
            let bounded = WorkPackageRanking.rank(tracer, dwellings: dwellings, topN: 40)
            let reference = Self.rankValuingAll(tracer, dwellings: dwellings, topN: 40)
            XCTAssertEqual(bounded, reference, "works state \(trial) (\(share) of segments laid)")
            compared += reference.count
        }
        XCTAssertGreaterThan(compared, 100, "the states leave packages to rank")
    }
}

/// The ranking's shortest-path trees (compressed adjacency, hole-sifting heap) against the
/// straightforward Dijkstra they replaced (adjacency lists, tuple costs, swapping heap), node
/// for node, on a network laid out from a scenario under works states drawn at random.
final class WorkPackagesShortestPathsTests: XCTestCase {
    /// The replaced search, as it was: the segment each node is reached by, and the settling order.
    func reference(_ network: UtilityNetwork, _ built: [Bool], from source: Int) -> (via: [Int], order: [Int]) {
        let incidence = network.incidence()
        var via = [Int](repeating: -1, count: network.nodes.count)
        var order: [Int] = []
        var cost = [(Int, Double)](repeating: (Int.max, .infinity), count: network.nodes.count)
        cost[source] = (0, 0)
        var heap: [(Int, Double, Int)] = [(0, 0, source)]
        while !heap.isEmpty {
            // The smallest entry (unbuilt, metres, node), found by a linear scan.
            let m = heap.indices.min { heap[$0] < heap[$1] }!
            let (unbuilt, metres, node) = heap.remove(at: m)
            guard (unbuilt, metres) == cost[node] else { continue }
            order.append(node)
            for s in incidence[node] {
                let seg = network.segments[s]
                let next = seg.from == node ? seg.to : seg.from
                let c = (unbuilt + (built[s] ? 0 : 1), metres + seg.lengthMetres)
                if c < cost[next] {
                    cost[next] = c
                    via[next] = s
                    heap.append((c.0, c.1, next))
                }
            }
        }
        return (via, order)
    }

    func testSameTreesAsTheReferenceSearch() throws {
        let (network, _) = try WorkPackagesBoundedTests.network()
        let graph = WorkPackageRanking.Graph(network)
        let leaf = network.incidence().map { $0.count == 1 }
        XCTAssertEqual(network.sourceNodes.count, 5)
        var random = SplitMix64(seed: 5)
        var settled = 0
        for share in [0.0, 0.3, 0.8] {
            let built = network.segments.map { _ in random.unit() < share }
            for u in Utility.allCases {
                let source = try XCTUnwrap(network.sourceNodes[u])
                let tree = WorkPackageRanking.ShortestPaths(graph, built, from: source)
                let expected = reference(network, built, from: source)
                XCTAssertEqual(tree.via, expected.via, "\(u) with \(share) of segments built")
                // The same nodes, each after the node it is reached from (leaves are listed when
                // reached, not when the reference settles them); the other nodes in the same order.
                XCTAssertEqual(tree.order.sorted(), expected.order.sorted(), "\(u) with \(share) of segments built")
                var position = [Int](repeating: -1, count: network.nodes.count)
                for (k, n) in tree.order.enumerated() { position[n] = k }
                for n in tree.order where tree.via[n] >= 0 {
                    let s = network.segments[tree.via[n]]
                    XCTAssertLessThan(position[s.from == n ? s.to : s.from], position[n], "\(u): node \(n) listed before its parent")
                }
                XCTAssertEqual(tree.order.filter { !leaf[$0] || $0 == source }, expected.order.filter { !leaf[$0] || $0 == source },
                               "\(u) with \(share) of segments built")
                XCTAssertTrue(tree.order.contains { leaf[$0] }, "the network has leaves (service lines' ends)")
                settled += tree.order.count
            }
        }
        XCTAssertGreaterThan(settled, 1000, "the trees reach the network")
    }
}
