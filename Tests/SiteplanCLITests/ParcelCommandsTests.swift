import Foundation
import XCTest

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
            XCTAssertGreaterThan(try XCTUnwrap(p["perimeter_m"] as? Double), 4 * (hectares * 10_000).squareRoot())
        }
    }

    func testTableAndCSVAgreeWithJSON() throws {
        let csv = try CLIRunner.run(["parcels", "--format", "csv"])
        XCTAssertEqual(csv.status, 0)
        let lines = csv.stdout.split(separator: "\n")
        XCTAssertEqual(lines.first, "id,name,area_ha,geodesic_area_ha,perimeter_m,centroid_lon,centroid_lat")
        XCTAssertEqual(lines.count, 3)
        let table = try CLIRunner.run(["parcels"])
        XCTAssertTrue(table.stdout.contains("area_ha"))
        let areaA = lines[1].split(separator: ",")[2]
        XCTAssertTrue(table.stdout.contains(String(areaA)), "table shows the same rounded area as CSV")
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
        let inward = [mid[0] - dy / len * 0.0002, mid[1] + dx / len * 0.0002]  // about 15-20 m
        let inside = try CLIRunner.run(["query", "--at", "\(inward[0]),\(inward[1])", "--format", "json"])
        let i = try XCTUnwrap(CLIRunner.json(inside.stdout) as? [String: Any])
        XCTAssertEqual(i["parcel_id"] as? String, "P1-A")
        XCTAssertEqual(i["on_boundary"] as? Bool, false)
        XCTAssertEqual(try XCTUnwrap(i["distance_m"] as? Double), 17, accuracy: 5)

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
        let result = try CLIRunner.run(["export", "--out", out.path])
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
        let again = try CLIRunner.run(["export"])
        XCTAssertEqual(again.stdout, try String(contentsOf: out, encoding: .utf8))
    }
}
