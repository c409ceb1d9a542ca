import SiteGeometry
import SiteplanCore

/// A named layer of features in WGS84, ready for any writer (GeoJSON, GeoPackage, a map).
public struct Layer: Sendable {
    public let name: String
    public var features: [OutputFeature]

    public init(name: String, features: [OutputFeature]) {
        self.name = name
        self.features = features
    }
}

/// The layers of a scenario and its plan, in a fixed order, with every feature's attributes.
public enum PlanLayers {
    /// The layer names in output order.
    public static let layoutLayerNames = ["parcels", "exclusions", "streets", "blocks", "lots", "buildings"]

    /// Every layer name `layers(_:package:seed:)` knows.
    public static var allLayerNames: [String] { runLayerNames }

    /// The named layers, computing only as much as they need (the scenario alone, the
    /// layout, or the whole run with networks and households).
    public static func layers(_ names: [String], package: ScenarioPackage, seed: UInt64?) throws -> [Layer] {
        let scenario = package.scenario
        let all: [Layer]
        if names.allSatisfy({ ["parcels", "exclusions"].contains($0) }) {
            all = try scenarioLayers(scenario)
        } else if names.allSatisfy({ layoutLayerNames.contains($0) }) {
            all = try layoutLayers(scenario, LayoutEngine(scenario: scenario, seed: seed ?? scenario.seed).plan())
        } else {
            all = try runLayers(SitePipeline.run(package, seed: seed))
        }
        return names.compactMap { name in all.first { $0.name == name } }
    }

    public static func scenarioLayers(_ scenario: Scenario) throws -> [Layer] {
        [Layer(name: "parcels", features: try ParcelReports.features(scenario)),
         Layer(name: "exclusions", features: scenario.exclusions.map { zone in
             var p = JSONObject([("layer", "exclusions"), ("name", .string(zone.name)), ("kind", .string(zone.kind))])
             p["parcel_id"] = zone.parcelID.map { .string($0) } ?? .null
             p["area_m2"] = round((try? zone.boundaryPlanar.area) ?? 0, 1)
             return OutputFeature(id: zone.id, properties: p, geometryWGS84: zone.boundaryWGS84)
         })]
    }

    public static func layoutLayers(_ scenario: Scenario, _ plan: SitePlan) throws -> [Layer] {
        let frame = scenario.frame
        var layers = try scenarioLayers(scenario)
        layers.append(Layer(name: "streets", features: try plan.streets.map { s in
            OutputFeature(id: s.id, properties: JSONObject([
                ("layer", "streets"), ("parcel_id", .string(s.parcelID)), ("class", .string(s.kind.rawValue)),
                ("width_m", .number(s.widthMetres)), ("length_m", round(try s.centrelinePlanar.length, 2)),
            ]), geometryWGS84: try frame.toWGS84(s.centrelinePlanar))
        }))
        layers.append(Layer(name: "blocks", features: try plan.blocks.map { b in
            OutputFeature(id: b.id, properties: JSONObject([
                ("layer", "blocks"), ("parcel_id", .string(b.parcelID)), ("area_m2", round(try b.polygonPlanar.area, 1)),
            ]), geometryWGS84: try frame.toWGS84(b.polygonPlanar))
        }))
        layers.append(Layer(name: "lots", features: try plan.lots.map { l in
            OutputFeature(id: l.id, properties: JSONObject([
                ("layer", "lots"), ("parcel_id", .string(l.parcelID)), ("block_id", .string(l.blockID)),
                ("street_id", .string(l.streetID)), ("area_m2", round(try l.polygonPlanar.area, 1)),
                ("frontage_m", round(l.frontageMetres, 2)),
            ]), geometryWGS84: try frame.toWGS84(l.polygonPlanar))
        }))
        layers.append(Layer(name: "buildings", features: try plan.buildings.map { b in
            OutputFeature(id: b.id, properties: JSONObject([
                ("layer", "buildings"), ("type", .string(b.type.key)), ("label", .string(b.type.label)),
                ("units", .number(Double(b.units))), ("storeys", .number(Double(b.storeys))),
                ("footprint_m2", round(try b.footprintPlanar.area, 1)),
                ("lot_id", .string(b.lotID)), ("block_id", .string(b.blockID)), ("parcel_id", .string(b.parcelID)),
            ]), geometryWGS84: try frame.toWGS84(b.footprintPlanar))
        }))
        return layers
    }

    static func round(_ x: Double, _ decimals: Int) -> JSONValue { ReportTable.json(.number(x, decimals: decimals)) }
}

/// Writes layers as one GeoJSON file each (`<layer>.geojson`) into a folder, atomically.
public enum LayerFolderWriter {
    @discardableResult
    public static func write(_ layers: [Layer], to folder: String, writer: GeoJSONWriter = GeoJSONWriter()) throws -> [String] {
        // Everything is rendered before the first file is written, so a failure writes nothing.
        let rendered = try layers.map { ($0.name, try writer.featureCollection($0.features, name: $0.name)) }
        var paths: [String] = []
        for (name, text) in rendered {
            let path = folder.hasSuffix("/") ? folder + name + ".geojson" : folder + "/" + name + ".geojson"
            try FileIO.writeAtomically(text, to: path)
            paths.append(path)
        }
        return paths
    }
}
