import Foundation
import SiteAudit
import SiteVocabulary
import DriverGeoJSON
import SiteFiles

/// Builds small GeoJSON inputs around (46.5 E, 40.0 N) in a temporary directory.
struct Fixture {
    static let lon0 = 46.5, lat0 = 40.0

    struct Feature {
        var properties: [(String, String)]
        var type: String
        /// Offsets in degrees from (lon0, lat0).
        var rings: [[(Double, Double)]]
    }

    let directory: URL

    init() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("siteplan-audit-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    func remove() { try? FileManager.default.removeItem(at: directory) }

    func path(_ name: String) -> String { directory.appendingPathComponent(name).path }

    static func square(_ x0: Double, _ y0: Double, _ x1: Double, _ y1: Double) -> [(Double, Double)] {
        [(x0, y0), (x1, y0), (x1, y1), (x0, y1), (x0, y0)]
    }

    static func position(_ p: (Double, Double)) -> String {
        "[\(String(format: "%.7f", lon0 + p.0)),\(String(format: "%.7f", lat0 + p.1))]"
    }

    /// One feature per line, properties before geometry, as the generator writes them.
    static func compact(_ features: [Feature]) -> String {
        var text = "{\"type\":\"FeatureCollection\",\"features\":[\n"
        text += features.map { f in
            let props = f.properties.map { "\"\($0.0)\":\($0.1)" }.joined(separator: ",")
            let coords: String
            if f.type == "LineString" {
                coords = "[" + f.rings[0].map(position).joined(separator: ",") + "]"
            } else {
                coords = "[" + f.rings.map { "[" + $0.map(position).joined(separator: ",") + "]" }.joined(separator: ",") + "]"
            }
            return "{\"type\":\"Feature\",\"properties\":{\(props)},\"geometry\":{\"type\":\"\(f.type)\",\"coordinates\":\(coords)}}"
        }.joined(separator: ",\n")
        return text + "\n]}\n"
    }

    /// The same features pretty-printed, with the geometry first and its coordinates before
    /// its type, foreign members, and CRLF line ends.
    static func pretty(_ features: [Feature]) -> String {
        var text = "{\r\n  \"features\" : [\r\n"
        text += features.map { f in
            let props = f.properties.map { "      \"\($0.0)\" : \($0.1)" }.joined(separator: ",\r\n")
            let coords: String
            if f.type == "LineString" {
                coords = "[ " + f.rings[0].map(position).joined(separator: " ,\r\n          ") + " ]"
            } else {
                coords = "[\r\n" + f.rings.map { "        [ " + $0.map(position).joined(separator: ", ") + " ]" }.joined(separator: ",\r\n") + "\r\n      ]"
            }
            return "    {\r\n      \"geometry\" : { \"coordinates\" : \(coords),\r\n        \"type\" : \"\(f.type)\", \"bbox\": [1, 2, 3, 4] },\r\n"
                + "      \"id\" : 17, \"properties\" : {\r\n\(props),\r\n      \"note\" : {\"a\": [1, 2.5e-3, true, null, \"x\\\"y\"]}\r\n      },\r\n      \"type\" : \"Feature\"\r\n    }"
        }.joined(separator: ",\r\n")
        return text + "\r\n  ],\r\n  \"type\" : \"FeatureCollection\"\r\n}\r\n"
    }

    func write(_ name: String, _ text: String) throws {
        try text.write(toFile: path(name), atomically: true, encoding: .utf8)
    }

    /// Runs the audit on parcels/buildings/network.geojson into `out`.
    func runAudit(threads: Int = 2) throws {
        _ = try AuditFiles.run(parcels: path("parcels.geojson"), buildings: path("buildings.geojson"),
                               network: path("network.geojson"), outputDirectory: path("out"), threads: threads)
    }

    /// A CSV in `out` as rows of fields, header included.
    func csv(_ name: String) throws -> [[String]] {
        let text = try String(contentsOfFile: path("out/" + name), encoding: .utf8)
        return text.split(separator: "\n", omittingEmptySubsequences: false).dropLast().map {
            $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        }
    }
}

func polygonFeature(_ id: String, _ rings: [[(Double, Double)]]) -> Fixture.Feature {
    Fixture.Feature(properties: [("id", "\"\(id)\""), ("kind", "\"house\""), ("storeys", "1")], type: "Polygon", rings: rings)
}

func lineFeature(_ id: String, _ utility: String, _ status: String, _ points: [(Double, Double)]) -> Fixture.Feature {
    Fixture.Feature(properties: [("id", "\"\(id)\""), ("utility", "\"\(utility)\""), ("status", "\"\(status)\"")],
                    type: "LineString", rings: [points])
}
