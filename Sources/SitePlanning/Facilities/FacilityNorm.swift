import SiteVocabulary

/// The planning norm of one kind of facility: how much of it 1,000 residents need, how large its
/// lot is, how far residents may live from it, and how large its building is.
///
/// A "place" is one unit of the kind's measure (`FacilityKind.measure`): a kindergarten place, a
/// school pupil, 1 m² of shop trade floor, 1 m² of play area. Defaults (`sp42(_:)`) follow
/// SP 42.13330.2016 "Urban development. Planning and development of urban and rural
/// settlements" (the updated SNiP 2.07.01-89*); README.md says which figures are the norm's and
/// which are assumptions. Lengths in metres, areas in square metres.
public struct FacilityNorm: Sendable, Equatable {
    /// Lot area per place for facilities up to `upToPlaces` places (nil: any size), m².
    public struct LotTier: Sendable, Equatable {
        public var upToPlaces: Double?
        public var squareMetresPerPlace: Double

        public init(upToPlaces: Double?, squareMetresPerPlace: Double) {
            self.upToPlaces = upToPlaces
            self.squareMetresPerPlace = squareMetresPerPlace
        }
    }

    public var kind: FacilityKind
    /// Places per 1,000 residents (`per_1000_residents`).
    public var perThousandResidents: Double
    /// The most places one facility has (`max_places`); a larger need is split over more facilities.
    public var maxPlacesPerFacility: Double
    /// Lot area per place by the facility's size (`lot_m2_per_place`): the first tier whose
    /// `upToPlaces` holds the facility, the last tier open-ended.
    public var lotTiers: [LotTier]
    /// Service radius (`radius_m`): residents within it are served, straight line, metres.
    public var radiusMetres: Double
    /// Gross floor area of the building per place (`floor_m2_per_place`), m²; unused for a play area.
    public var floorSquareMetresPerPlace: Double
    /// Storeys of the building (`storeys`).
    public var storeys: Int
    /// Depth of the building from the street (`building_depth_m`), metres.
    public var buildingDepthMetres: Double
    /// The lot takes the whole block depth (`lot_depth`: "block"), else half of it ("half_block").
    public var fullBlockDepth: Bool

    public init(kind: FacilityKind, perThousandResidents: Double, maxPlacesPerFacility: Double, lotTiers: [LotTier],
                radiusMetres: Double, floorSquareMetresPerPlace: Double, storeys: Int, buildingDepthMetres: Double, fullBlockDepth: Bool) {
        self.kind = kind
        self.perThousandResidents = perThousandResidents
        self.maxPlacesPerFacility = maxPlacesPerFacility
        self.lotTiers = lotTiers
        self.radiusMetres = radiusMetres
        self.floorSquareMetresPerPlace = floorSquareMetresPerPlace
        self.storeys = storeys
        self.buildingDepthMetres = buildingDepthMetres
        self.fullBlockDepth = fullBlockDepth
    }

    /// The default norm of a kind, from SP 42.13330.2016 where it gives a figure (see README.md,
    /// "Facilities"), else a documented assumption.
    public static func sp42(_ kind: FacilityKind) -> FacilityNorm {
        switch kind {
        case .kindergarten:
            // Appendix D, table D.1: lot 44 m² per place up to 100 places, 38 m² above. Places per
            // 1,000: "by the demographic structure, 85 % of children aged 1-6" (assumed 70).
            // Radius (10.4, table 10.1): 300 m in multi-storey areas, 500 m in low-rise ones.
            FacilityNorm(kind: kind, perThousandResidents: 70, maxPlacesPerFacility: 350,
                         lotTiers: [LotTier(upToPlaces: 100, squareMetresPerPlace: 44), LotTier(upToPlaces: nil, squareMetresPerPlace: 38)],
                         radiusMetres: 300, floorSquareMetresPerPlace: 15, storeys: 2, buildingDepthMetres: 18, fullBlockDepth: true)
        case .school:
            // Appendix D, table D.1: lot per pupil by school size. Pupils per 1,000: "100 % of
            // grades 1-9 and 75 % of grades 10-11" (assumed 140). Radius 500 m.
            FacilityNorm(kind: kind, perThousandResidents: 140, maxPlacesPerFacility: 1100,
                         lotTiers: [LotTier(upToPlaces: 400, squareMetresPerPlace: 55), LotTier(upToPlaces: 500, squareMetresPerPlace: 65),
                                    LotTier(upToPlaces: 600, squareMetresPerPlace: 55), LotTier(upToPlaces: 800, squareMetresPerPlace: 45),
                                    LotTier(upToPlaces: 1100, squareMetresPerPlace: 36), LotTier(upToPlaces: 1500, squareMetresPerPlace: 23),
                                    LotTier(upToPlaces: 2000, squareMetresPerPlace: 18), LotTier(upToPlaces: nil, squareMetresPerPlace: 16)],
                         radiusMetres: 500, floorSquareMetresPerPlace: 16, storeys: 3, buildingDepthMetres: 18, fullBlockDepth: true)
        case .shop:
            // Daily-needs shops: 70 m² (food) + 30 m² (other goods) of trade floor per 1,000
            // residents at neighbourhood level; lot 0.08 ha per 100 m² of trade floor (shops up
            // to 250 m²). Radius 500 m (800 m allowed in low-rise areas).
            FacilityNorm(kind: kind, perThousandResidents: 100, maxPlacesPerFacility: 250,
                         lotTiers: [LotTier(upToPlaces: nil, squareMetresPerPlace: 8)],
                         radiusMetres: 500, floorSquareMetresPerPlace: 1.6, storeys: 1, buildingDepthMetres: 12, fullBlockDepth: false)
        case .playArea:
            // 7.5: play areas for children of pre-school and primary-school age, 0.7 m² per
            // resident. The norm gives no radius: 100 m assumed ("near the dwellings").
            FacilityNorm(kind: kind, perThousandResidents: 700, maxPlacesPerFacility: 400,
                         lotTiers: [LotTier(upToPlaces: nil, squareMetresPerPlace: 1)],
                         radiusMetres: 100, floorSquareMetresPerPlace: 0, storeys: 1, buildingDepthMetres: 4, fullBlockDepth: false)
        }
    }

    /// Lot area per place for a facility of `places` places, m².
    public func lotSquareMetresPerPlace(forPlaces places: Double) -> Double {
        for tier in lotTiers {
            guard let limit = tier.upToPlaces else { return tier.squareMetresPerPlace }
            if places <= limit { return tier.squareMetresPerPlace }
        }
        return lotTiers.last?.squareMetresPerPlace ?? 0
    }

    /// Checks every figure; the message names the rule (`rules.facilities.school.radius_m is -5: …`).
    public func validate() throws(InputError) {
        let at = "rules.facilities.\(kind.rawValue)"
        func finite(_ name: String, _ value: Double) throws(InputError) {
            guard value.isFinite else { throw InputError("\(at).\(name) is not a finite number") }
        }
        try finite("radius_m", radiusMetres)
        guard radiusMetres > 0 else { throw InputError("\(at).radius_m is \(fmt(radiusMetres)): a service radius must be more than 0 m") }
        try finite("per_1000_residents", perThousandResidents)
        guard perThousandResidents >= 0 else {
            throw InputError("\(at).per_1000_residents is \(fmt(perThousandResidents)): a rate must be 0 or more (\(kind.measure) per 1,000 residents)")
        }
        try finite("max_places", maxPlacesPerFacility)
        guard maxPlacesPerFacility >= 1 else { throw InputError("\(at).max_places is \(fmt(maxPlacesPerFacility)): a facility must hold 1 place or more") }
        guard !lotTiers.isEmpty else { throw InputError("\(at).lot_m2_per_place is empty: give a number or tiers [[up_to_places, m2], …, [null, m2]]") }
        var previous = 0.0
        for (i, tier) in lotTiers.enumerated() {
            try finite("lot_m2_per_place", tier.squareMetresPerPlace)
            guard tier.squareMetresPerPlace > 0 else {
                throw InputError("\(at).lot_m2_per_place\(lotTiers.count > 1 ? "[\(i)]" : "") is \(fmt(tier.squareMetresPerPlace)): a lot area per place must be more than 0 m²")
            }
            if let limit = tier.upToPlaces {
                guard limit.isFinite, limit > previous else {
                    throw InputError("\(at).lot_m2_per_place[\(i)]: the tiers' place limits must increase (\(fmt(limit)) after \(fmt(previous)))")
                }
                previous = limit
            } else if i != lotTiers.count - 1 {
                throw InputError("\(at).lot_m2_per_place[\(i)]: only the last tier may be open-ended (null)")
            }
        }
        try finite("floor_m2_per_place", floorSquareMetresPerPlace)
        if kind.hasBuilding {
            guard floorSquareMetresPerPlace > 0 else {
                throw InputError("\(at).floor_m2_per_place is \(fmt(floorSquareMetresPerPlace)): a building's floor area per place must be more than 0 m²")
            }
        }
        guard storeys >= 1 else { throw InputError("\(at).storeys is \(storeys): it must be 1 or more") }
        try finite("building_depth_m", buildingDepthMetres)
        guard buildingDepthMetres > 0 else { throw InputError("\(at).building_depth_m is \(fmt(buildingDepthMetres)): it must be more than 0 m") }
    }
}

/// The plausible range of gross floor area per dwelling (`rules.floor_area_per_unit_m2`), m²:
/// outside it a building type's figures are probably a typing error, and the plan warns.
public struct FloorAreaRule: Sendable, Equatable {
    public var squareMetresPerUnit: ClosedRange<Double>

    /// 30 m² (a studio's gross floor) to 250 m² (a large family house).
    public init(squareMetresPerUnit: ClosedRange<Double> = 30...250) {
        self.squareMetresPerUnit = squareMetresPerUnit
    }
}
