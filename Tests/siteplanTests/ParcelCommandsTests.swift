import Foundation
import XCTest

func formatted(_ x: Double) -> String { String(format: "%.3f", x) }

/// The real executable on the embedded Khojaly scenario.
final class ParcelCommandsTests: XCTestCase {
    func testParcelsReportsKhojalyAreas() throws {
        let result = try CLIRunner.run(["parcels", "--format", "json"])
        XCTAssertEqual(result.status, 0, result.stderr)
        let doc = try XCTUnwrap(CLIRunner.json(result.stdout) as? [String: Any])
        XCTAssertEqual(doc["planning_crs"] as? String, "EPSG:32638")
        let parcels = try XCTUnwrap(doc["parcels"] as? [[String: Any]])
        XCTAssertEqual(parcels.count, 2)
        let byID = Dictionary(uniqueKeysWithValues: parcels.map { ($0["id"] as! String, $0) })
        for (id, hectares) in [("P1-A", 167.0), ("P1-B", 18.0)] {
            let p = try XCTUnwrap(byID[id])
            let planar = try XCTUnwrap(p["area_ha"] as? Double)
            let geodesic = try XCTUnwrap(p["geodesic_area_ha"] as? Double)
            XCTAssertEqual(planar, hectares, accuracy: hectares * 0.005, id)
            XCTAssertEqual(geodesic, hectares, accuracy: hectares * 0.005, id)
            // UTM 38N shrinks areas here by k^2 = 0.99978 (1.8 degrees east of 45 E).
            XCTAssertLessThan(planar, geodesic)
            XCTAssertEqual(try XCTUnwrap(p["centroid_lon"] as? Double), 46.79, accuracy: 0.03)
            XCTAssertEqual(try XCTUnwrap(p["centroid_lat"] as? Double), 39.91, accuracy: 0.03)
            // No shape has a shorter perimeter than the circle of the same area.
            XCTAssertGreaterThan(try XCTUnwrap(p["perimeter_m"] as? Double), 2 * (Double.pi * hectares * 10_000).squareRoot())
        }
    }

    func testTableAndCSVAgreeWithJSON() throws {
        let csv = try CLIRunner.run(["parcels", "--format", "csv"])
        XCTAssertEqual(csv.status, 0)
        let lines = csv.stdout.split(separator: "\n")
        XCTAssertEqual(lines.first, "id,name,area_ha,geodesic_area_ha,perimeter_m,centroid_lon,centroid_lat")
        XCTAssertEqual(lines.count, 3)
        // The names hold commas, so CSV quotes them.
        XCTAssertTrue(lines[1].hasPrefix("P1-A,\"Phase 1, section A"), String(lines[1]))
        let json = try XCTUnwrap(CLIRunner.json(CLIRunner.run(["parcels", "--format", "json"]).stdout) as? [String: Any])
        let areaA = try XCTUnwrap((json["parcels"] as? [[String: Any]])?.first?["area_ha"] as? Double)
        let table = try CLIRunner.run(["parcels"])
        XCTAssertTrue(table.stdout.contains("area_ha"))
        XCTAssertTrue(table.stdout.contains(formatted(areaA)), "table shows the JSON's area")
        XCTAssertTrue(lines[1].contains(formatted(areaA)), "CSV shows the JSON's area")
    }

    func testParcelShow() throws {
        let result = try CLIRunner.run(["parcel", "show", "P1-A", "--format", "json"])
        XCTAssertEqual(result.status, 0, result.stderr)
        let p = try XCTUnwrap(CLIRunner.json(result.stdout) as? [String: Any])
        XCTAssertEqual(p["id"] as? String, "P1-A")
        XCTAssertEqual(p["valid"] as? Bool, true)
        XCTAssertGreaterThanOrEqual(try XCTUnwrap(p["vertices"] as? Int), 8)
        XCTAssertNotNil(p["holes"] as? Int)
        let minLon = try XCTUnwrap(p["bbox_min_lon"] as? Double), maxLon = try XCTUnwrap(p["bbox_max_lon"] as? Double)
        let lon = try XCTUnwrap(p["centroid_lon"] as? Double)
        XCTAssertTrue(minLon < lon && lon < maxLon)
    }

    func testUnknownParcelIsAClearError() throws {
        let result = try CLIRunner.run(["parcel", "show", "P9-Z"])
        XCTAssertNotEqual(result.status, 0)
        XCTAssertTrue(result.stderr.contains("no parcel with id \"P9-Z\""), result.stderr)
        XCTAssertTrue(result.stderr.contains("P1-A"), "lists the known ids: \(result.stderr)")
        XCTAssertEqual(result.stdout, "")
    }

    /// A point inside P1-A (its point on surface, computed here from the exported geometry),
    /// one outside both, and one on a boundary vertex.
    func testQueryInsideOutsideAndOnBoundary() throws {
        let export = try CLIRunner.run(["export"])
        XCTAssertEqual(export.status, 0, export.stderr)
        let fc = try XCTUnwrap(CLIRunner.json(export.stdout) as? [String: Any])
        let features = try XCTUnwrap(fc["features"] as? [[String: Any]])
        let a = try XCTUnwrap(features.first { $0["id"] as? String == "P1-A" })
        let ring = try XCTUnwrap(((a["geometry"] as? [String: Any])?["coordinates"] as? [[[Double]]])?.first)

        // On the boundary: a vertex of the exterior ring.
        let vertex = ring[0]
        let onEdge = try CLIRunner.run(["query", "--at", "\(vertex[0]),\(vertex[1])", "--format", "json"])
        XCTAssertEqual(onEdge.status, 0, onEdge.stderr)
        let e = try XCTUnwrap(CLIRunner.json(onEdge.stdout) as? [String: Any])
        XCTAssertEqual(e["parcel_id"] as? String, "P1-A")
        XCTAssertEqual(e["on_boundary"] as? Bool, true)
        XCTAssertEqual(try XCTUnwrap(e["distance_m"] as? Double), 0, accuracy: 0.01)

        // Inside: the midpoint between the first vertex and the centroid, nudged inwards, is
        // not guaranteed inside a concave parcel, so walk along the first edge's inward normal.
        let p0 = ring[0], p1 = ring[1]
        let mid = [(p0[0] + p1[0]) / 2, (p0[1] + p1[1]) / 2]
        // Exterior rings are counter-clockwise: the interior is to the left of each edge.
        let dx = p1[0] - p0[0], dy = p1[1] - p0[1], len = (dx * dx + dy * dy).squareRoot()
        let offset = [-dy / len * 0.0002, dx / len * 0.0002]
        let inward = [mid[0] + offset[0], mid[1] + offset[1]]
        // The offset in metres: a degree of longitude is 111.32 km x cos(lat), of latitude ~111.03 km.
        let expected = ((offset[0] * 111_320 * cos(mid[1] * .pi / 180)) * (offset[0] * 111_320 * cos(mid[1] * .pi / 180))
                        + (offset[1] * 111_030) * (offset[1] * 111_030)).squareRoot()
        let inside = try CLIRunner.run(["query", "--at", "\(inward[0]),\(inward[1])", "--format", "json"])
        let i = try XCTUnwrap(CLIRunner.json(inside.stdout) as? [String: Any])
        XCTAssertEqual(i["parcel_id"] as? String, "P1-A")
        XCTAssertEqual(i["on_boundary"] as? Bool, false)
        XCTAssertEqual(try XCTUnwrap(i["distance_m"] as? Double), expected, accuracy: 0.2)

        // Outside: far to the west of everything.
        let outside = try CLIRunner.run(["query", "--at", "46.70,39.91", "--format", "json"])
        let o = try XCTUnwrap(CLIRunner.json(outside.stdout) as? [String: Any])
        XCTAssertTrue(o["parcel_id"] is NSNull)
        XCTAssertNotNil(o["nearest_parcel_id"] as? String)
        // 46.70 E is at least 0.079 degrees of longitude (about 6.7 km) west of the parcels.
        XCTAssertGreaterThan(try XCTUnwrap(o["distance_m"] as? Double), 6_500)
    }

    func testExportIsRFC7946() throws {
        let folder = try CLIRunner.temporaryFolder(self)
        let out = folder.appendingPathComponent("khojaly.geojson")
        let result = try CLIRunner.run(["export", "--layers", "parcels", "--out", out.path])
        XCTAssertEqual(result.status, 0, result.stderr)
        let fc = try XCTUnwrap(CLIRunner.json(String(contentsOf: out, encoding: .utf8)) as? [String: Any])
        XCTAssertEqual(fc["type"] as? String, "FeatureCollection")
        XCTAssertNil(fc["crs"])
        let features = try XCTUnwrap(fc["features"] as? [[String: Any]])
        XCTAssertEqual(features.count, 2)
        for f in features {
            XCTAssertNotNil(f["id"] as? String)
            XCTAssertEqual((f["properties"] as? [String: Any])?["layer"] as? String, "parcels")
            let rings = try XCTUnwrap((f["geometry"] as? [String: Any])?["coordinates"] as? [[[Double]]])
            for (k, ring) in rings.enumerated() {
                XCTAssertEqual(ring.first, ring.last)
                // Shoelace sign: exterior counter-clockwise (> 0), holes clockwise (< 0).
                var s = 0.0
                for j in 0..<(ring.count - 1) { s += ring[j][0] * ring[j + 1][1] - ring[j + 1][0] * ring[j][1] }
                XCTAssertEqual(s > 0, k == 0)
                for position in ring {
                    XCTAssertEqual(position.count, 2)
                    XCTAssertEqual(position[0], 46.79, accuracy: 0.05, "longitude first")
                    XCTAssertEqual(position[1], 39.91, accuracy: 0.05)
                }
            }
        }
        // Deterministic: a second export is byte-identical.
        let again = try CLIRunner.run(["export", "--layers", "parcels"])
        XCTAssertEqual(again.stdout, try String(contentsOf: out, encoding: .utf8))
    }
}

/// GDAL opens what siteplan writes, without a warning (skipped where gdal-bin is missing).
final class GDALInteropTests: XCTestCase {
    static func ogrinfo() -> String? {
        ["/usr/bin/ogrinfo", "/usr/local/bin/ogrinfo"].first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    static func runOGRInfo(_ args: [String]) throws -> (status: Int32, out: String, err: String) {
        let result = try CLIRunner.launch(URL(fileURLWithPath: try XCTUnwrap(ogrinfo())), args)
        return (result.status, result.stdout, result.stderr)
    }

    func testOGRInfoOpensExport() throws {
        try XCTSkipIf(Self.ogrinfo() == nil, "ogrinfo (gdal-bin) is not installed")
        let folder = try CLIRunner.temporaryFolder(self)
        let file = folder.appendingPathComponent("export.geojson").path
        XCTAssertEqual(try CLIRunner.run(["export", "--layers", "parcels", "--out", file]).status, 0)
        let info = try Self.runOGRInfo(["-al", "-so", file])
        XCTAssertEqual(info.status, 0)
        XCTAssertEqual(info.err, "", "no warning from GDAL")
        XCTAssertTrue(info.out.contains("Feature Count: 2"), info.out)
        XCTAssertTrue(info.out.contains("ID[\"EPSG\",4326]"), info.out)
        let extent = try XCTUnwrap(info.out.split(separator: "\n").first { $0.hasPrefix("Extent:") })
        let numbers = extent.split(whereSeparator: { "(),- :".contains($0) }).compactMap { Double($0) }
        XCTAssertEqual(numbers.count, 4)
        XCTAssertEqual((numbers[0] + numbers[2]) / 2, 46.79, accuracy: 0.03)
        XCTAssertEqual((numbers[1] + numbers[3]) / 2, 39.91, accuracy: 0.03)
    }
}

/// `siteplan plan` end to end: the report, the layer files, GDAL's view of them, queries.
final class PlanCommandTests: XCTestCase {
    func testPlanKhojaly() throws {
        let folder = try CLIRunner.temporaryFolder(self)
        let result = try CLIRunner.run(["plan", "--out", folder.path, "--format", "json"])
        XCTAssertEqual(result.status, 0, result.stderr)
        let report = try XCTUnwrap(CLIRunner.json(result.stdout) as? [String: Any])
        let parcels = try XCTUnwrap(report["parcels"] as? [[String: Any]])
        let a = try XCTUnwrap(parcels.first { $0["parcel_id"] as? String == "P1-A" })
        let b = try XCTUnwrap(parcels.first { $0["parcel_id"] as? String == "P1-B" })
        XCTAssertEqual(a["buildings_by_type"] as? [String: Int],
                       ["individual_house": 140, "cottage": 48, "apartment_building_12": 7, "apartment_building_13": 2])
        XCTAssertEqual(a["dwelling_units"] as? Int, 140 + 48 + 110)
        XCTAssertEqual(b["buildings_by_type"] as? [String: Int], ["finnish_house": 92])
        for p in [a, b] {
            XCTAssertEqual((p["unplaced"] as? [Any])?.count, 0)
            let coverage = try XCTUnwrap(p["coverage_ratio"] as? Double)
            let far = try XCTUnwrap(p["floor_area_ratio"] as? Double)
            XCTAssertGreaterThan(coverage, 0.005)
            XCTAssertGreaterThanOrEqual(far, coverage)
            XCTAssertNotNil(p["units_per_ha"] as? Double)
        }
        // The layer files: feature counts match the report.
        func count(_ layer: String) throws -> Int {
            let fc = try XCTUnwrap(CLIRunner.json(String(contentsOf: folder.appendingPathComponent("\(layer).geojson"), encoding: .utf8)) as? [String: Any])
            return (fc["features"] as? [Any])?.count ?? -1
        }
        // Houses, and the facilities' lots and buildings (a play area is a lot without a building).
        func uses(_ layer: String) throws -> [String] {
            let fc = try XCTUnwrap(CLIRunner.json(String(contentsOf: folder.appendingPathComponent("\(layer).geojson"), encoding: .utf8)) as? [String: Any])
            return (fc["features"] as? [[String: Any]] ?? []).map { ($0["properties"] as? [String: Any])?["use"] as? String ?? "" }
        }
        XCTAssertEqual(try uses("buildings").filter { $0 == "dwelling" }.count, 140 + 48 + 9 + 92)
        XCTAssertEqual(try uses("lots").filter { $0 == "dwelling" }.count, 140 + 48 + 9 + 92)
        XCTAssertEqual(try uses("lots").filter { $0 != "dwelling" }.count, try uses("buildings").filter { $0 != "dwelling" }.count
                       + uses("lots").filter { $0 == "play_area" }.count)
        XCTAssertEqual(try count("parcels"), 2)
        XCTAssertGreaterThan(try count("streets"), 10)
        XCTAssertGreaterThan(try count("blocks"), 10)

        if GDALInteropTests.ogrinfo() != nil {
            for (layer, expected) in [("buildings", try count("buildings")), ("lots", try count("lots")), ("parcels", 2), ("exclusions", 5)] {
                let info = try GDALInteropTests.runOGRInfo(["-al", "-so", folder.appendingPathComponent("\(layer).geojson").path])
                XCTAssertEqual(info.err, "", layer)
                XCTAssertTrue(info.out.contains("Feature Count: \(expected)"), "\(layer): \(info.out)")
            }
        }

        // A second run writes the same bytes.
        let again = try CLIRunner.temporaryFolder(self)
        XCTAssertEqual(try CLIRunner.run(["plan", "--out", again.path]).status, 0)
        for layer in ["streets", "blocks", "lots", "buildings", "report"] {
            let ext = layer == "report" ? "json" : "geojson"
            XCTAssertEqual(try Data(contentsOf: folder.appendingPathComponent("\(layer).\(ext)")),
                           try Data(contentsOf: again.appendingPathComponent("\(layer).\(ext)")), layer)
        }

        // Query at a building's centre names the building, its lot and block.
        let buildings = try XCTUnwrap(CLIRunner.json(String(contentsOf: folder.appendingPathComponent("buildings.geojson"), encoding: .utf8)) as? [String: Any])
        let first = try XCTUnwrap((buildings["features"] as? [[String: Any]])?.first)
        let ring = try XCTUnwrap(((first["geometry"] as? [String: Any])?["coordinates"] as? [[[Double]]])?.first)
        let centre = ring.dropLast().reduce([0.0, 0.0]) { [$0[0] + $1[0] / 4, $0[1] + $1[1] / 4] }
        let q = try CLIRunner.run(["query", "--at", "\(centre[0]),\(centre[1])", "--format", "json"])
        let hit = try XCTUnwrap(CLIRunner.json(q.stdout) as? [String: Any])
        let props = try XCTUnwrap(first["properties"] as? [String: Any])
        XCTAssertEqual(hit["building_id"] as? String, first["id"] as? String)
        XCTAssertEqual(hit["lot_id"] as? String, props["lot_id"] as? String)
        XCTAssertEqual(hit["block_id"] as? String, props["block_id"] as? String)
        XCTAssertEqual(hit["parcel_id"] as? String, props["parcel_id"] as? String)
        XCTAssertEqual(hit["building_type"] as? String, props["type"] as? String)
    }
}
