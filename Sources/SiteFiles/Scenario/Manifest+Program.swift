import SiteGeometry
import DriverGeoPackage
import DriverGeoJSON
import DriverCSV
import SiteDrivers
import SiteProjection
import SitePlanning
import SiteVocabulary

/// The planning parts of `scenario.json`: `rules`, `building_types`, `programs`,
/// `access_points`. Every bad value is reported with its JSON path.
extension Manifest {
    func rules() throws -> LayoutRules {
        var rules = LayoutRules()
        guard let object = root["rules"]?.object else { return rules }
        func number(_ path: [String]) throws -> Double? {
            var value: JSONValue? = .object(object)
            for key in path { value = value?.object?[key] }
            guard let value else { return nil }
            guard let n = value.number else {
                throw InputError(source: self.path, "rules.\(path.joined(separator: ".")) is \(value.kindDescription), expected a number of metres")
            }
            return n
        }
        if let v = try number(["street_width_m", "primary"]) { rules.primaryStreetWidthMetres = v }
        if let v = try number(["street_width_m", "local"]) { rules.localStreetWidthMetres = v }
        if let v = try number(["setbacks_m", "front"]) { rules.frontSetbackMetres = v }
        if let v = try number(["setbacks_m", "side"]) { rules.sideSetbackMetres = v }
        if let v = try number(["setbacks_m", "rear"]) { rules.rearSetbackMetres = v }
        if let v = try number(["min_building_spacing_m"]) { rules.minBuildingSpacingMetres = v }
        if let v = try number(["block_depth_m"]) { rules.blockDepthMetres = v }
        if let v = try number(["max_block_length_m"]) { rules.maxBlockLengthMetres = v }
        if let value = object["development"] {
            guard let word = value.string, let development = LayoutRules.Development(rawValue: word) else {
                throw InputError(source: path, "rules.development is \(value.string.map { "\"\($0)\"" } ?? value.kindDescription), expected \(LayoutRules.Development.allCases.map { "\"\($0.rawValue)\"" }.joined(separator: " or "))")
            }
            rules.development = development
        }
        if let value = object["crossings"] {
            guard let crossings = value.object else { throw InputError(source: path, "rules.crossings is \(value.kindDescription), expected an object {\"kinds\": [...], \"max_length_m\": ...}") }
            if let kinds = crossings["kinds"] {
                guard let list = kinds.array, list.allSatisfy({ $0.string?.isEmpty == false }) else {
                    throw InputError(source: path, "rules.crossings.kinds must be a list of exclusion-zone kinds (words such as \"river_buffer\")")
                }
                rules.crossingKinds = list.compactMap(\.string)
            }
            if let v = try number(["crossings", "max_length_m"]) { rules.maxCrossingLengthMetres = v }
        }
        do { try rules.validate() } catch { throw error.inSource(path) }
        return rules
    }

    /// `programs`: for each parcel id, a list of entries `{type, count}` whose type is either
    /// defined inline (footprint_m, lot_m2, ...) or named in the `building_types` catalogue.
    func programs(rules: LayoutRules) throws -> [HousingProgram] {
        guard let programs = root["programs"] else { return [] }
        guard let object = programs.object else { throw InputError(source: path, "\"programs\" is \(programs.kindDescription), expected an object keyed by parcel id") }
        let catalogue = root["building_types"]?.object ?? JSONObject()
        var result: [HousingProgram] = []
        for (parcelID, list) in object {
            guard let entries = list.array else { throw InputError(source: path, "programs.\(parcelID) is \(list.kindDescription), expected a list") }
            var items: [ProgramItem] = []
            for (index, entry) in entries.enumerated() {
                let at = "programs.\(parcelID)[\(index)]"
                guard let e = entry.object else { throw InputError(source: path, "\(at) is \(entry.kindDescription), expected an object") }
                guard let key = e["type"]?.string, !key.isEmpty else { throw InputError(source: path, "\(at) has no \"type\"") }
                guard let count = e["count"]?.int, count >= 0 else {
                    throw InputError(source: path, "\(at) (type \"\(key)\"): \"count\" must be a whole number, 0 or more")
                }
                let definition: JSONObject
                if e["footprint_m"] != nil {
                    definition = e
                } else if let known = catalogue[key]?.object {
                    definition = known
                } else {
                    let names = catalogue.keys.sorted()
                    throw InputError(source: path, "\(at): unknown building type \"\(key)\" (not in building_types\(names.isEmpty ? "" : ": " + names.joined(separator: ", ")), and no footprint_m given)")
                }
                let type = try buildingType(key: key, definition, at: "\(at) (type \"\(key)\")")
                do { try rules.validate(type, at: "\(at) (type \"\(key)\")") } catch { throw error.inSource(path) }
                items.append(ProgramItem(type: type, count: count))
            }
            result.append(HousingProgram(parcelID: parcelID, items: items))
        }
        return result
    }

    private func buildingType(key: String, _ d: JSONObject, at: String) throws -> BuildingType {
        func pair(_ name: String) throws -> (Double, Double) {
            guard let list = d[name]?.array, list.count == 2, let a = list[0].number, let b = list[1].number else {
                throw InputError(source: path, "\(at): \"\(name)\" must be a list of two numbers")
            }
            return (a, b)
        }
        func range(_ name: String) throws -> ClosedRange<Double> {
            let (a, b) = try pair(name)
            guard a <= b else { throw InputError(source: path, "\(at): \"\(name)\" is [\(a), \(b)]: the first value must not exceed the second") }
            return a...b
        }
        let (w, depth) = try pair("footprint_m")
        let lot = try range("lot_m2")
        let frontage: ClosedRange<Double>
        if d["lot_frontage_m"] != nil { frontage = try range("lot_frontage_m") } else { frontage = (w + 6)...(w + 20) }
        guard let storeys = d["storeys"]?.int else { throw InputError(source: path, "\(at): \"storeys\" must be a whole number") }
        guard let units = d["units_per_building"]?.int else { throw InputError(source: path, "\(at): \"units_per_building\" must be a whole number") }
        func persons() throws -> Int {
            guard let value = d["persons_per_unit"] else { return 6 }
            guard let n = value.int, n >= 1 else { throw InputError(source: path, "\(at): \"persons_per_unit\" must be a whole number, 1 or more") }
            return n
        }
        var type = BuildingType(key: key, label: d["label"]?.string ?? key, footprintWidthMetres: w, footprintDepthMetres: depth,
                                lotAreaSquareMetres: lot, lotFrontageMetres: frontage, lotDepthMetres: d["lot_depth_m"]?.number,
                                storeys: storeys, unitsPerBuilding: units, personsPerUnit: try persons())
        type.setbacks = try typeSetbacks(d, at: at)
        if let value = d["min_building_spacing_m"] {
            guard let n = value.number else { throw InputError(source: path, "\(at): \"min_building_spacing_m\" is \(value.kindDescription), expected a number of metres") }
            type.minBuildingSpacingMetres = n
        }
        return type
    }

    /// A type's own `setbacks_m` ({front, side, rear}, each optional: the rules' where left out).
    private func typeSetbacks(_ d: JSONObject, at: String) throws -> Setbacks? {
        guard let value = d["setbacks_m"] else { return nil }
        guard let object = value.object else { throw InputError(source: path, "\(at): \"setbacks_m\" is \(value.kindDescription), expected an object {\"front\", \"side\", \"rear\"} of metres") }
        let rules = try self.rules()
        func side(_ name: String, _ fallback: Double) throws -> Double {
            guard let v = object[name] else { return fallback }
            guard let n = v.number else { throw InputError(source: path, "\(at): setbacks_m.\(name) is \(v.kindDescription), expected a number of metres") }
            return n
        }
        return Setbacks(frontMetres: try side("front", rules.frontSetbackMetres), sideMetres: try side("side", rules.sideSetbackMetres),
                        rearMetres: try side("rear", rules.rearSetbackMetres))
    }

    /// `access_points`: `{parcel id: {lon, lat}}`, WGS84.
    func accessPoints() throws -> [String: LonLat] {
        guard let object = root["access_points"]?.object else { return [:] }
        var result: [String: LonLat] = [:]
        for (parcelID, value) in object {
            guard let lon = value.object?["lon"]?.number, let lat = value.object?["lat"]?.number else {
                throw InputError(source: path, "access_points.\(parcelID) must have numeric \"lon\" and \"lat\"")
            }
            let position = LonLat(lon: lon, lat: lat)
            guard position.isValid else { throw InputError(source: path, "access_points.\(parcelID): \(position) is not a valid longitude,latitude") }
            result[parcelID] = position
        }
        return result
    }
}

extension Manifest {
    /// `seed`: the layout seed the status data belongs to (default 1).
    func seed() throws -> UInt64 {
        guard let value = root["seed"] else { return 1 }
        guard let n = value.int, n >= 0 else { throw InputError(source: path, "\"seed\" must be a whole number, 0 or more") }
        return UInt64(n)
    }

    /// `utilities`: `{"service_distance_m": 30, "sources": {"water": {"name", "lon", "lat"}, ...}}`.
    func utilities(frame: PlanningFrame) throws -> ([UtilitySource], Double) {
        guard let object = root["utilities"]?.object else { return ([], 30) }
        var distance = 30.0
        if let d = object["service_distance_m"] {
            guard let n = d.number, n > 0 else { throw InputError(source: path, "utilities.service_distance_m must be a positive number of metres") }
            distance = n
        }
        var sources: [UtilitySource] = []
        for (word, value) in object["sources"]?.object ?? JSONObject() {
            guard let utility = Utility(word: word) else {
                throw InputError(source: path, "utilities.sources: unknown utility \"\(word)\" (utilities: \(Utility.allCases.map(\.rawValue).joined(separator: ", ")))")
            }
            guard let lon = value.object?["lon"]?.number, let lat = value.object?["lat"]?.number, LonLat(lon: lon, lat: lat).isValid else {
                throw InputError(source: path, "utilities.sources.\(word) must have a valid numeric \"lon\" and \"lat\"")
            }
            sources.append(UtilitySource(utility: utility, name: value.object?["name"]?.string ?? "\(word) trunk entry",
                                         positionPlanar: try frame.toPlanar(LonLat(lon: lon, lat: lat))))
        }
        return (sources, distance)
    }
}
