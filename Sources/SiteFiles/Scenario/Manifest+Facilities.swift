import SitePlanning
import SiteVocabulary

/// `rules.facilities` and `rules.floor_area_per_unit_m2` of `scenario.json`. Every bad value is
/// reported with its JSON path.
extension Manifest {
    /// The facility norms: none without `rules.facilities`; with it, every kind at the defaults
    /// of `FacilityNorm.sp42` unless the kind is `false` (not planned) or overrides figures.
    func facilityNorms() throws -> [FacilityNorm] {
        guard let value = root["rules"]?.object?["facilities"] else { return [] }
        guard let object = value.object else {
            throw InputError(source: path, "rules.facilities is \(value.kindDescription), expected an object keyed by facility kind (\(Self.kindList))")
        }
        for key in object.keys where FacilityKind(rawValue: key) == nil {
            throw InputError(source: path, "rules.facilities: unknown facility kind \"\(key)\" (kinds: \(Self.kindList))")
        }
        var norms: [FacilityNorm] = []
        for kind in FacilityKind.allCases {
            var norm = FacilityNorm.sp42(kind)
            let at = "rules.facilities.\(kind.rawValue)"
            switch object[kind.rawValue] {
            case nil, .bool(true)?: break
            case .bool(false)?: continue
            case .object(let o)?:
                let known: Set<String> = ["per_1000_residents", "max_places", "lot_m2_per_place", "radius_m", "floor_m2_per_place",
                                          "storeys", "building_depth_m", "lot_depth", "note", "source"]
                for key in o.keys where !known.contains(key) {
                    throw InputError(source: path, "\(at): unknown key \"\(key)\" (keys: \(known.sorted().joined(separator: ", ")))")
                }
                func number(_ key: String) throws -> Double? {
                    guard let v = o[key] else { return nil }
                    guard let n = v.number else { throw InputError(source: path, "\(at).\(key) is \(v.kindDescription), expected a number") }
                    return n
                }
                if let n = try number("per_1000_residents") { norm.perThousandResidents = n }
                if let n = try number("max_places") { norm.maxPlacesPerFacility = n }
                if let n = try number("radius_m") { norm.radiusMetres = n }
                if let n = try number("floor_m2_per_place") { norm.floorSquareMetresPerPlace = n }
                if let n = try number("building_depth_m") { norm.buildingDepthMetres = n }
                if let v = o["storeys"] {
                    guard let n = v.int else { throw InputError(source: path, "\(at).storeys is \(v.kindDescription == "a number" ? "not whole" : v.kindDescription), expected a whole number") }
                    norm.storeys = n
                }
                if let v = o["lot_depth"] {
                    switch v.string {
                    case "block": norm.fullBlockDepth = true
                    case "half_block": norm.fullBlockDepth = false
                    default: throw InputError(source: path, "\(at).lot_depth must be \"block\" (the whole block depth) or \"half_block\"")
                    }
                }
                if let v = o["lot_m2_per_place"] { norm.lotTiers = try lotTiers(v, at: "\(at).lot_m2_per_place") }
            case let other?:
                throw InputError(source: path, "\(at) is \(other.kindDescription), expected an object of figures, true (the defaults) or false (not planned)")
            }
            do { try norm.validate() } catch { throw error.inSource(path) }
            norms.append(norm)
        }
        return norms
    }

    /// A number (one rate for every size) or tiers `[[up_to_places, m2], …, [null, m2]]`.
    private func lotTiers(_ value: JSONValue, at: String) throws -> [FacilityNorm.LotTier] {
        if let n = value.number { return [FacilityNorm.LotTier(upToPlaces: nil, squareMetresPerPlace: n)] }
        guard let list = value.array else { throw InputError(source: path, "\(at) is \(value.kindDescription), expected a number or tiers [[up_to_places, m2], …, [null, m2]]") }
        return try list.enumerated().map { i, entry in
            guard let pair = entry.array, pair.count == 2, let m2 = pair[1].number, pair[0].isNull || pair[0].number != nil else {
                throw InputError(source: path, "\(at)[\(i)] must be [up_to_places, m2] (up_to_places null for the last tier)")
            }
            return FacilityNorm.LotTier(upToPlaces: pair[0].number, squareMetresPerPlace: m2)
        }
    }

    /// `rules.floor_area_per_unit_m2`: `[min, max]`, m² (default 30–250).
    func floorAreaRule() throws -> FloorAreaRule {
        guard let value = root["rules"]?.object?["floor_area_per_unit_m2"] else { return FloorAreaRule() }
        guard let list = value.array, list.count == 2, let a = list[0].number, let b = list[1].number, a.isFinite, b.isFinite else {
            throw InputError(source: path, "rules.floor_area_per_unit_m2 must be [min, max] in m² of floor per dwelling")
        }
        guard a > 0, a <= b else { throw InputError(source: path, "rules.floor_area_per_unit_m2 is [\(a), \(b)]: the minimum must be more than 0 and at most the maximum") }
        return FloorAreaRule(squareMetresPerUnit: a...b)
    }

    private static var kindList: String { FacilityKind.allCases.map(\.rawValue).joined(separator: ", ") }
}
