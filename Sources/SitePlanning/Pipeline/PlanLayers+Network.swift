import SiteGeometry
import SiteVocabulary

extension PlanLayers {
    /// Every layer of a full run: the layout layers (buildings with their connection state),
    /// then `network` (trunks and mains), `service_lines` and `households`.
    public static func runLayers(_ run: PlanRun) throws -> [Layer] {
        let frame = run.scenario.frame
        var layers = try layoutLayers(run.scenario, run.plan)
        let asOf = run.progress.asOf
        // Connection state on the buildings: keys the layout's building attributes do not have,
        // appended after them.
        let connectionKeys = Utility.allCases.map { "connected_\($0.rawValue)" } + ["connected_all", "families"]
        if let index = layers.firstIndex(where: { $0.name == "buildings" }) {
            let housed = Dictionary(grouping: run.households.assignments, by: \.buildingID)
            for k in layers[index].features.indices {
                let id = layers[index].features[k].id ?? ""
                let connected = run.progress.connections[id] ?? []
                var members = layers[index].features[k].properties.members.map { ($0.key, $0.value) }
                if k == 0 { precondition(!connectionKeys.contains(where: { layers[index].features[k].properties[$0] != nil }), "a building attribute named like a connection attribute") }
                for (u, key) in zip(Utility.allCases, connectionKeys) { members.append((key, .bool(connected.contains(u)))) }
                members.append(("connected_all", .bool(connected.count == Utility.allCases.count)))
                members.append(("families", .number(Double(housed[id]?.count ?? 0))))
                layers[index].features[k].properties = JSONObject(uncheckedMembers: members)
            }
        }
        // One feature per segment, read in place (a segment is not copied).
        let segments = run.network.segments
        func segmentFeature(_ i: Int, layer: String) -> Feature {
            var p: [(String, JSONValue)] = [("layer", .string(layer)), ("utility", .string(segments[i].utility.rawValue)), ("kind", .string(segments[i].kind.rawValue)),
                                            ("status", .string(run.status.status(of: segments[i].id, asOf: asOf).rawValue)),
                                            ("date", run.status.date(of: segments[i].id).map { .string($0.description) } ?? .null),
                                            ("length_m", .number(segments[i].lengthMetres, decimals: 2)), ("parcel_id", .string(segments[i].parcelID))]
            if let b = segments[i].buildingID { p.append(("building_id", .string(b))) }
            return Feature(id: segments[i].id, properties: JSONObject(uncheckedMembers: p), geometry: segments[i].geometryPlanar)
        }
        layers.append(Layer(name: "network", crs: frame.crs, features: segments.indices.filter { segments[$0].kind != .service }.map { segmentFeature($0, layer: "network") }))
        layers.append(Layer(name: "service_lines", crs: frame.crs, features: segments.indices.filter { segments[$0].kind == .service }.map { segmentFeature($0, layer: "service_lines") }))
        let buildings = Dictionary(uniqueKeysWithValues: run.plan.buildings.map { ($0.id, $0) })
        let families = Dictionary(uniqueKeysWithValues: run.households.families.map { ($0.id, $0) })
        layers.append(Layer(name: "households", crs: frame.crs, features: try run.households.assignments.map { a in
            let b = buildings[a.buildingID]!
            let f = families[a.familyID]!
            return Feature(id: a.familyID, properties: JSONObject(uncheckedMembers: [
                ("layer", "households"), ("group", .string(f.group)), ("size", .number(Double(f.size))),
                ("building_id", .string(a.buildingID)), ("unit", .number(Double(a.unit))), ("capacity", .number(Double(a.capacity))),
                ("parcel_id", .string(b.parcelID)),
            ]), geometry: try b.footprintPlanar.centroid())
        }))
        return layers
    }

    /// The layers a revision of the plan of record holds (`RecordLayers.names`), all in the
    /// planning CRS, with the attributes that belong to the plan (not to the works): the
    /// layout layers, then `network` and `service_lines` with utility, kind, length and parcel.
    public static func recordLayers(_ scenario: Scenario, _ plan: SitePlan, _ network: UtilityNetwork) throws -> [Layer] {
        let crs = scenario.frame.crs
        return try scenarioLayers(scenario).map { try $0.projected(to: crs) } + assetLayers(scenario, plan, network)
    }

    /// The asset layers of `recordLayers` (streets to service lines), in the planning CRS.
    public static func assetLayers(_ scenario: Scenario, _ plan: SitePlan, _ network: UtilityNetwork) throws -> [Layer] {
        let crs = scenario.frame.crs
        var layers = Array(try layoutLayers(scenario, plan).dropFirst(2))
        func feature(_ s: NetworkSegment, _ layer: String) -> Feature {
            var p = JSONObject([("layer", .string(layer)), ("utility", .string(s.utility.rawValue)), ("kind", .string(s.kind.rawValue)),
                                ("length_m", .number(s.lengthMetres, decimals: 2)), ("parcel_id", .string(s.parcelID))])
            if let b = s.buildingID { p["building_id"] = .string(b) }
            return Feature(id: s.id, properties: p, geometry: s.geometryPlanar)
        }
        layers.append(Layer(name: "network", crs: crs, features: network.segments.filter { $0.kind != .service }.map { feature($0, "network") }))
        layers.append(Layer(name: "service_lines", crs: crs, features: network.segments.filter { $0.kind == .service }.map { feature($0, "service_lines") }))
        return layers
    }

    /// The names `runLayers` produces, in order.
    public static let runLayerNames = layoutLayerNames + ["network", "service_lines", "households"]
}
