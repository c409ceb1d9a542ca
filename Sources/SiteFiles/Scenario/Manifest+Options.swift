// What scenario.json says for comparing layout options (`siteplan plan --options N`):
// `access_point_alternatives` and `costs`. Every bad value is reported with its JSON path.
import SitePlanning
import SiteProjection
import SiteVocabulary

extension Manifest {
    /// `access_point_alternatives`: `{parcel id: [{lon, lat}, ...]}`, WGS84: access points a
    /// parcel's streets could start from instead of its `access_points` one.
    func accessPointAlternatives(parcels: Set<String>) throws -> [String: [LonLat]] {
        guard let value = root["access_point_alternatives"] else { return [:] }
        guard let object = value.object else {
            throw InputError(source: path, "access_point_alternatives is \(value.kindDescription), expected an object keyed by parcel id")
        }
        var result: [String: [LonLat]] = [:]
        for (parcelID, list) in object {
            guard parcels.contains(parcelID) else {
                throw InputError(source: path, "access_point_alternatives: \"\(parcelID)\" is not a parcel of the scenario (parcels: \(parcels.sorted().joined(separator: ", ")))")
            }
            guard let items = list.array else {
                throw InputError(source: path, "access_point_alternatives.\(parcelID) is \(list.kindDescription), expected a list of {\"lon\", \"lat\"}")
            }
            result[parcelID] = try items.enumerated().map { i, item in
                guard let lon = item.object?["lon"]?.number, let lat = item.object?["lat"]?.number else {
                    throw InputError(source: path, "access_point_alternatives.\(parcelID)[\(i)] must have numeric \"lon\" and \"lat\"")
                }
                let position = LonLat(lon: lon, lat: lat)
                guard position.isValid else { throw InputError(source: path, "access_point_alternatives.\(parcelID)[\(i)]: \(position) is not a valid longitude,latitude") }
                return position
            }
        }
        return result
    }

    /// `costs`: `{"currency": "AZN", "street_per_m2": 40, "network_per_m": {"water": 100, ...},
    /// "crossing_per_m": 2000}`; nil when the scenario gives none (the defaults apply).
    func unitCosts() throws -> InfrastructureUnitCosts? {
        guard let value = root["costs"] else { return nil }
        guard let object = value.object else { throw InputError(source: path, "costs is \(value.kindDescription), expected an object") }
        func number(_ key: String, in o: JSONObject, at name: String) throws -> Double? {
            guard let v = o[key] else { return nil }
            guard let n = v.number else { throw InputError(source: path, "\(name) is \(v.kindDescription), expected a number") }
            return n
        }
        let defaults = InfrastructureUnitCosts.defaults
        var costs = InfrastructureUnitCosts(currency: object["currency"]?.string ?? "", streetPerSquareMetre: 0, networkPerMetre: [:], crossingPerMetre: 0)
        guard let street = try number("street_per_m2", in: object, at: "costs.street_per_m2") else {
            throw InputError(source: path, "costs.street_per_m2 is missing: a scenario that gives costs gives them all (or none, for the documented defaults: street \(defaults.streetPerSquareMetre) per m²)")
        }
        costs.streetPerSquareMetre = street
        guard let crossing = try number("crossing_per_m", in: object, at: "costs.crossing_per_m") else {
            throw InputError(source: path, "costs.crossing_per_m is missing: give the cost of a metre of bridge or culvert")
        }
        costs.crossingPerMetre = crossing
        guard let network = object["network_per_m"]?.object else {
            throw InputError(source: path, "costs.network_per_m is missing or not an object: give a cost per metre for each utility (\(Utility.allCases.map(\.rawValue).joined(separator: ", ")))")
        }
        for (key, _) in network where Utility(word: key) == nil {
            throw InputError(source: path, "costs.network_per_m: unknown utility \"\(key)\" (utilities: \(Utility.allCases.map(\.rawValue).joined(separator: ", ")))")
        }
        for utility in Utility.allCases {
            if let n = try number(utility.rawValue, in: network, at: "costs.network_per_m.\(utility.rawValue)") { costs.networkPerMetre[utility] = n }
        }
        do { try costs.validate() } catch { throw error.inSource(path) }
        return costs
    }
}
