import Foundation
import XCTest

/// The plan of record from the command line, as a works manager uses it: plan, adopt, import
/// the as-built records, progress; re-plan with another seed around what is built; diff; log.
/// Once on a GeoPackage file and once on a real PostGIS server.
final class PlanOfRecordCLITests: XCTestCase {
    /// `progress --format json`'s headline figures.
    func figures(_ store: String, _ extra: [String] = [], in folder: URL) throws -> (connected: Int, works: Double, families: Int, people: Int) {
        let r = try CLIRunner.run(["progress", "--store", store, "--format", "json"] + extra, in: folder)
        XCTAssertEqual(r.status, 0, r.stderr)
        let d = try XCTUnwrap(try CLIRunner.json(r.stdout) as? [String: Any])
        return (d["buildings_fully_connected"] as? Int ?? -1, ((d["works_complete_pct"] as? [String: Any])?["overall"] as? NSNumber)?.doubleValue ?? -1,
                d["households_housed"] as? Int ?? -1, d["people_housed"] as? Int ?? -1)
    }

    /// The Khojaly sequence of the issue, on `store`.
    func runSequence(store: String, in folder: URL) throws {
        func ok(_ args: [String]) throws -> CLIRunner.Result {
            let r = try CLIRunner.run(args, in: folder, environment: ["SITEPLAN_AUTHOR": "test planner"])
            XCTAssertEqual(r.status, 0, "siteplan \(args.joined(separator: " ")): \(r.stderr)")
            return r
        }
        _ = try ok(["plan", "--out", folder.appendingPathComponent("out").path])
        // The status file's rows, and how many of them are built (laid or commissioned).
        let statusRows = try String(contentsOf: folder.appendingPathComponent("geodata/khojaly/status.csv"), encoding: .utf8)
            .split(separator: "\n").dropFirst()
        let builtRows = statusRows.filter { $0.contains(",laid,") || $0.contains(",commissioned,") }.count
        let adopted = try ok(["adopt", "--store", store, "--message", "phase 1"])
        XCTAssertTrue(adopted.stdout.contains("revision 1 adopted"), adopted.stdout)
        let imported = try ok(["works", "import", "geodata/khojaly/status.csv", "--store", store])
        XCTAssertTrue(imported.stdout.contains("imported \(statusRows.count) works events"), imported.stdout)
        // The same file again records nothing twice.
        let again = try ok(["works", "import", "geodata/khojaly/status.csv", "--store", store])
        XCTAssertTrue(again.stdout.contains("imported 0 works events") && again.stdout.contains("\(statusRows.count) already recorded"), again.stdout)

        // The plan of record reads back as adopted: a re-plan on the record with its own seed and
        // scenario lays out nothing anew, so every segment id the store lists is the plan's, unbuilt
        // houses included (they used to be re-placed around the built ones under new ids, which
        // `works record` then refused).
        let listed = try ok(["network", "--segments", "--store", store, "--format", "csv"]).stdout
        XCTAssertEqual(listed, try ok(["network", "--segments", "--format", "csv"]).stdout)

        // Today's figures: 50 houses fully connected, 90.0 % of the works, 44 families / 169 people.
        let before = try figures(store, in: folder)
        XCTAssertEqual(before.connected, 50)
        XCTAssertEqual(before.works, 90.0, accuracy: 0.05)
        XCTAssertEqual(before.families, 44)
        XCTAssertEqual(before.people, 169)

        // The built segments as revision 1 has them (network export in the planning CRS).
        func builtSegments() throws -> [String: String] {
            let r = try ok(["network", "--segments", "--store", store, "--format", "csv"])
            var out: [String: String] = [:]
            for line in r.stdout.split(separator: "\n").dropFirst() {
                let cells = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
                if cells.count >= 7, ["laid", "commissioned"].contains(cells[6]) { out[cells[0]] = cells[5] }
            }
            return out
        }
        let builtBefore = try builtSegments()
        XCTAssertEqual(builtBefore.count, builtRows)

        // Re-plan with seed 7 and adopt: every built segment keeps its id and length.
        let second = try ok(["adopt", "--store", store, "--seed", "7", "--message", "frontages varied"])
        XCTAssertTrue(second.stdout.contains("revision 2 adopted"), second.stdout)
        XCTAssertTrue(second.stdout.contains("\(builtRows) built segments"), second.stdout)
        XCTAssertEqual(try builtSegments(), builtBefore)
        let after = try figures(store, in: folder)
        XCTAssertEqual(after.connected, 50)
        XCTAssertEqual(after.families, 44)

        // diff shows what moved: P1-B's houses (their service lines are not built), not P1-A's.
        let diff = try ok(["diff", "--store", store, "--format", "json"])
        let d = try XCTUnwrap(try CLIRunner.json(diff.stdout) as? [String: Any])
        let layers = try XCTUnwrap(d["layers"] as? [[String: Any]])
        let buildings = try XCTUnwrap(layers.first { $0["layer"] as? String == "buildings" })
        let moved = (buildings["moved"] as? [[String: Any]] ?? []).compactMap { $0["id"] as? String }
        let added = (buildings["added"] as? [String]) ?? []
        XCTAssertFalse(moved.isEmpty && added.isEmpty, "\(buildings)")
        XCTAssertTrue((moved + added).allSatisfy { $0.hasPrefix("P1-B-") }, "\(moved + added)")
        let network = try XCTUnwrap(layers.first { $0["layer"] as? String == "network" })
        XCTAssertEqual((network["moved"] as? [Any])?.count, 0)
        XCTAssertEqual((network["removed"] as? [Any])?.count, 0)

        // The status views: every current segment with its latest recorded status, as `network
        // --segments` lists the trunks and mains of revision 2.
        var byStatus: [String: Int] = [:]
        for line in try ok(["network", "--segments", "--store", store, "--format", "csv"]).stdout.split(separator: "\n").dropFirst() {
            let cells = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            if cells.count >= 7, cells[2] != "service" { byStatus[cells[6], default: 0] += 1 }
        }
        let expected = byStatus.keys.sorted().map { "\($0)|\(byStatus[$0]!)" }
        XCTAssertTrue(expected.first?.hasPrefix("commissioned|") ?? false, "P1-A's trunks and mains: \(expected)")
        if store.hasSuffix(".gpkg") {
            let sqlite = try sqlite3(store, "SELECT status, count(*) FROM network_status GROUP BY status ORDER BY status")
            XCTAssertEqual(sqlite, expected)
        } else {
            XCTAssertEqual(try psqlRows(store, "SELECT status || '|' || count(*) FROM network_status GROUP BY status ORDER BY status"), expected)
        }
        // The map says which revision it draws.
        let svg = folder.appendingPathComponent("record-map.svg").path
        _ = try ok(["map", "--store", store, "--out", svg])
        XCTAssertTrue(try String(contentsOfFile: svg, encoding: .utf8).contains("layout seed 7 · on revision 2 of "))
        let log = try ok(["log", "--store", store, "--format", "csv"])
        XCTAssertEqual(log.stdout.split(separator: "\n").count, 3, log.stdout)
        XCTAssertTrue(log.stdout.contains("test planner"), log.stdout)

        // Bad input: one line naming what and where, exit 1, nothing recorded.
        let unknown = try CLIRunner.run(["works", "record", "water-P9-M001", "laid", "--date", "2026-11-01", "--store", store], in: folder)
        XCTAssertEqual(unknown.status, 1)
        XCTAssertTrue(unknown.stderr.contains("segment \"water-P9-M001\"): unknown segment id"), unknown.stderr)
        let future = try CLIRunner.run(["works", "record", "water-P1-A-T", "laid", "--date", "2999-01-01", "--store", store], in: folder)
        XCTAssertEqual(future.status, 1)
        XCTAssertTrue(future.stderr.contains("in the future"), future.stderr)
        let badStatus = try CLIRunner.run(["works", "record", "water-P1-A-T", "finished", "--date", "2026-01-01", "--store", store], in: folder)
        XCTAssertEqual(badStatus.status, 1)
        XCTAssertTrue(badStatus.stderr.contains("unknown status \"finished\""), badStatus.stderr)
        let stale = try CLIRunner.run(["adopt", "--store", store, "--base", "1"], in: folder)
        XCTAssertEqual(stale.status, 1)
        XCTAssertTrue(stale.stderr.contains("the latest is revision 2 (by test planner"), stale.stderr)
        let noRevision = try CLIRunner.run(["diff", "--store", store, "1", "9"], in: folder)
        XCTAssertEqual(noRevision.status, 1)
        XCTAssertTrue(noRevision.stderr.contains("no revision 9"), noRevision.stderr)
        let events = try ok(["works", "log", "--store", store, "--format", "csv"])
        XCTAssertEqual(events.stdout.split(separator: "\n").count, statusRows.count + 1)

        // The as-built data is consistent: every line was fed from its source when it was
        // commissioned (P1-A's utilities routed through P1-B have that feeding path dated with
        // P1-A's trunks). A commissioning dated before its main was laid is reported.
        let clean = try ok(["works", "log", "--store", store])
        XCTAssertFalse(clean.stdout.contains("not fed from their source"), clean.stdout)
        let segments = try ok(["network", "--segments", "--store", store, "--format", "csv"]).stdout.split(separator: "\n")
        let planned = try XCTUnwrap(segments.first { $0.contains(",service,P1-B,") && $0.contains(",planned,") }).split(separator: ",")[0]
        _ = try ok(["works", "record", String(planned), "commissioned", "--date", "2026-06-01", "--store", store])
        let warnings = try ok(["works", "log", "--store", store])
        XCTAssertTrue(warnings.stdout.contains("P1-B: 1 water segment commissioned on 2026-06-01 was not fed from their source until 2026-10-15 (the first: \(planned))"), warnings.stdout)
    }

    func scratch() throws -> URL { try CLIRunner.khojalyFolder(self) }

    func testTheKhojalySequenceOnAGeoPackage() throws {
        let folder = try scratch()
        try runSequence(store: folder.appendingPathComponent("khojaly-record.gpkg").path, in: folder)
    }

    func testTheKhojalySequenceOnPostGIS() throws {
        guard let url = try CLIRunner.postGISDatabase(self, prefix: "siteplan_cli_") else { return }
        try runSequence(store: url, in: try scratch())
    }

    func testAnUnreachableServerIsAClearErrorWithinFiveSeconds() throws {
        let start = Date()
        let r = try CLIRunner.run(["progress", "--store", "postgresql://siteplan:secret@127.0.0.1:1/none"])
        XCTAssertEqual(r.status, 1)
        XCTAssertLessThan(Date().timeIntervalSince(start), 5)
        XCTAssertTrue(r.stderr.contains("cannot reach the PostGIS store"), r.stderr)
        XCTAssertFalse(r.stderr.contains("secret"), r.stderr)
        XCTAssertEqual(r.stderr.split(separator: "\n").count, 1, r.stderr)
    }

    func sqlite3(_ path: String, _ sql: String) throws -> [String] { try output("/usr/bin/sqlite3", [path, sql]) }

    func psqlRows(_ url: String, _ sql: String) throws -> [String] { try output("/usr/bin/psql", [url, "-At", "-c", sql]) }

    func output(_ tool: String, _ args: [String]) throws -> [String] {
        try CLIRunner.tool(tool, args).split(separator: "\n").map(String.init)
    }

}
