import SiteGeometry
import SiteVocabulary

/// The layers of a scenario and its plan, in a fixed order, with every feature's attributes.
///
/// Layers stay in the CRS they are made in: the scenario's parcels and exclusion zones in WGS84
/// as they were read, the plan's layers in the planning CRS (metres). Writers project once.
public enum PlanLayers {
    /// The layer names in output order.
    public static let layoutLayerNames = ["parcels", "exclusions", "streets", "blocks", "lots", "buildings"]

    /// Every layer name `layers(_:package:seed:)` knows.
    public static var allLayerNames: [String] { runLayerNames }

    /// The parcel attributes siteplan computes, which an input attribute of the same name does not replace.
    static let parcelComputedKeys: Set<String> = ["layer", "area_ha", "geodesic_area_ha", "perimeter_m"]

    public static func scenarioLayers(_ scenario: Scenario) throws -> [Layer] {
        [Layer(name: "parcels", crs: .wgs84, features: try scenario.parcels.map { parcel in
            let m = try ParcelMetrics(parcel, frame: scenario.frame)
            var properties = JSONObject([("layer", "parcels"), ("name", .string(parcel.name))])
            if let phase = parcel.phase { properties["phase"] = .number(Double(phase)) }
            for (key, value) in parcel.attributes where !parcelComputedKeys.contains(key) && properties[key] == nil { properties[key] = value }
            properties["area_ha"] = .number(m.areaHectares, decimals: 3)
            properties["geodesic_area_ha"] = .number(m.geodesicAreaHectares, decimals: 3)
            properties["perimeter_m"] = .number(m.perimeterMetres, decimals: 1)
            return Feature(id: parcel.id, properties: properties, geometry: parcel.boundaryWGS84)
        }),
         Layer(name: "exclusions", crs: .wgs84, features: scenario.exclusions.map { zone in
             var p = JSONObject([("layer", "exclusions"), ("name", .string(zone.name)), ("kind", .string(zone.kind))])
             p["parcel_id"] = zone.parcelID.map { .string($0) } ?? .null
             for (key, value) in zone.attributes where key != "area_m2" && p[key] == nil { p[key] = value }
             p["area_m2"] = .number((try? zone.boundaryPlanar.area) ?? 0, decimals: 1)
             return Feature(id: zone.id, properties: p, geometry: zone.boundaryWGS84)
         })]
    }

    /// The plan's layers' attributes are made with distinct keys, in order (`uncheckedMembers`).
    public static func layoutLayers(_ scenario: Scenario, _ plan: SitePlan) throws -> [Layer] {
        let frame = scenario.frame
        var layers = try scenarioLayers(scenario)
        layers.append(Layer(name: "streets", crs: frame.crs, features: try plan.streets.map { s in
            Feature(id: s.id, properties: JSONObject(uncheckedMembers: [
                ("layer", "streets"), ("parcel_id", .string(s.parcelID)), ("class", .string(s.kind.rawValue)),
                ("width_m", .number(s.widthMetres)), ("length_m", .number(try s.centrelinePlanar.length, decimals: 2)),
            ]), geometry: s.centrelinePlanar)
        }))
        layers.append(Layer(name: "blocks", crs: frame.crs, features: try plan.blocks.map { b in
            Feature(id: b.id, properties: JSONObject(uncheckedMembers: [
                ("layer", "blocks"), ("parcel_id", .string(b.parcelID)), ("area_m2", .number(try b.polygonPlanar.area, decimals: 1)),
            ]), geometry: b.polygonPlanar)
        }))
        // What each lot is for: "dwelling", or the facility kind it is reserved for.
        let uses = FacilitySites.uses(plan)
        layers.append(Layer(name: "lots", crs: frame.crs, features: try plan.lots.map { l in
            Feature(id: l.id, properties: JSONObject(uncheckedMembers: [
                ("layer", "lots"), ("use", .string(uses[l.id]?.rawValue ?? "dwelling")), ("parcel_id", .string(l.parcelID)), ("block_id", .string(l.blockID)),
                ("street_id", .string(l.streetID)), ("area_m2", .number(try l.polygonPlanar.area, decimals: 1)),
                ("frontage_m", .number(l.frontageMetres, decimals: 2)),
            ]), geometry: l.polygonPlanar)
        }))
        layers.append(Layer(name: "buildings", crs: frame.crs, features: try plan.buildings.map { b in
            Feature(id: b.id, properties: JSONObject(uncheckedMembers: [
                ("layer", "buildings"), ("type", .string(b.type.key)), ("use", .string(b.type.facility?.kind.rawValue ?? "dwelling")),
                ("label", .string(b.type.label)),
                ("units", .number(Double(b.units))), ("storeys", .number(Double(b.storeys))),
                ("footprint_m2", .number(try b.footprintPlanar.area, decimals: 1)),
                ("lot_id", .string(b.lotID)), ("block_id", .string(b.blockID)), ("parcel_id", .string(b.parcelID)),
            ]), geometry: b.footprintPlanar)
        }))
        return layers
    }

}
