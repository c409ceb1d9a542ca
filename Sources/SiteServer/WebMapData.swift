import Foundation
import SitePlanning
import SiteVocabulary
import SiteFiles
import SiteReports
import DriverGeoJSON
import DriverGeoPackage
import SiteDrivers

/// What the web map serves, computed once at start: each layer as GeoJSON text, the plan
/// report, and the locators that answer `/query` (the same code as `siteplan query`).
public final class WebMapData: @unchecked Sendable {
    public let scenario: Scenario
    public let seed: UInt64
    /// Layer names in drawing order and their GeoJSON FeatureCollection text.
    public let layers: [(name: String, count: Int, geoJSON: String)]
    public let reportJSON: String
    /// Each served text with its entity tag (`"` + FNV-1a of the bytes + `"`), computed once:
    /// layers by name, and "report", "index" and "page".
    let entities: [String: Entity]
    private let pointQuery: PointQuery
    /// GEOS STRtrees build lazily on their first query: one query at a time.
    private let lock = NSLock()

    /// Serves a whole run: the layout, networks (with works status), households.
    public init(run: PlanRun) throws {
        scenario = run.scenario
        seed = run.plan.seed
        let writer = GeoJSONWriter()
        layers = try PlanLayers.runLayers(run).map { ($0.name, $0.features.count, try writer.featureCollection($0)) }
        let report = try PlanReport.document(run).json
        reportJSON = JSONWriter.write(report, indent: 2) + "\n"
        progressJSON = report.object?["progress"] ?? .null
        pointQuery = try PointQuery(scenario: scenario, plan: run.plan)
        var entities: [String: Entity] = [:]
        for layer in layers { entities["layers/" + layer.name] = Entity(layer.geoJSON) }
        entities["report"] = Entity(reportJSON)
        entities["index"] = Entity(Self.indexJSON(layers))
        entities["page"] = Entity(WebMapPage.html(scenario: scenario, seed: seed))
        self.entities = entities
    }

    /// A served text and its entity tag.
    struct Entity: Sendable {
        let text: String
        let etag: String
        init(_ text: String) {
            self.text = text
            etag = "\"" + { var d = FNV1a(); d.add(text.utf8); return d.hex }() + "\""
        }
    }

    /// Features by id, parsed from the served layers on the first lookup.
    private var byID: [String: JSONValue]?

    /// The feature `id` of any layer, as GeoJSON with its layer's name; nil when none has it.
    public func feature(id: String) throws -> JSONValue? {
        lock.lock()
        defer { lock.unlock() }
        if byID == nil {
            var index: [String: JSONValue] = [:]
            for layer in layers {
                for f in try JSONParser.parse(Array(layer.geoJSON.utf8)).object?["features"]?.array ?? [] {
                    if let fid = f.object?["id"]?.string, index[fid] == nil {
                        var o = f.object!
                        o["layer"] = .string(layer.name)
                        index[fid] = .object(o)
                    }
                }
            }
            byID = index
        }
        return byID?[id]
    }

    /// The report's progress part (as `siteplan progress --format json`), kept from the report
    /// made at start rather than parsed back out of its text on each request.
    public let progressJSON: JSONValue

    /// The GeoJSON of layer `name`, or nil when there is no such layer.
    public func layer(_ name: String) -> String? { layers.first { $0.name == name }?.geoJSON }

    /// The answer of `siteplan query --at TEXT --format json`; `InputError` for bad text.
    public func query(_ text: String) throws -> String {
        let position = try PositionText.parse(text)
        lock.lock()
        defer { lock.unlock() }
        return JSONWriter.write(try pointQuery.answer(position).json, indent: 2) + "\n"
    }

    /// `[{"name": "parcels", "count": 2, "url": "/layers/parcels.geojson"}, ...]`
    public var layerIndexJSON: String { entities["index"]!.text }

    static func indexJSON(_ layers: [(name: String, count: Int, geoJSON: String)]) -> String {
        JSONWriter.write(.array(layers.map { layer in
            .object(JSONObject([("name", .string(layer.name)), ("count", .number(Double(layer.count))),
                                ("url", .string("/layers/\(layer.name).geojson"))]))
        }), indent: 2) + "\n"
    }
}
