import SiteVocabulary
/// The planning rules a layout honours. Lengths in metres.
public struct LayoutRules: Sendable, Equatable {
    /// Width of the primary street (the one from the access point), kerb to kerb plus verges.
    public var primaryStreetWidthMetres: Double
    /// Width of every other street.
    public var localStreetWidthMetres: Double
    /// Building to street line.
    public var frontSetbackMetres: Double
    /// Building to side lot lines.
    public var sideSetbackMetres: Double
    /// Building to rear lot line.
    public var rearSetbackMetres: Double
    /// Minimum clear distance between two buildings.
    public var minBuildingSpacingMetres: Double
    /// Block depth between two parallel streets (two lot depths).
    public var blockDepthMetres: Double
    /// Longest block between two cross streets.
    public var maxBlockLengthMetres: Double
    /// Compact (streets only where the program lands, the rest reserve) or spread (the whole
    /// parcel's grid); `rules.development` in scenario.json, `--spread` on the command line.
    public var development: Development = .compact
    /// Kinds of exclusion zone a street (and the utilities in it) may cross on a bridge or
    /// culvert, e.g. "river_buffer"; `rules.crossings.kinds`. Other kinds are never crossed.
    public var crossingKinds: [String] = []
    /// The longest crossing allowed, metres (`rules.crossings.max_length_m`): a grid line
    /// running along a crossable zone is not a crossing.
    public var maxCrossingLengthMetres: Double = 60

    public init(primaryStreetWidthMetres: Double = 14, localStreetWidthMetres: Double = 10, frontSetbackMetres: Double = 5,
                sideSetbackMetres: Double = 3, rearSetbackMetres: Double = 5, minBuildingSpacingMetres: Double = 6,
                blockDepthMetres: Double = 70, maxBlockLengthMetres: Double = 250) {
        self.primaryStreetWidthMetres = primaryStreetWidthMetres
        self.localStreetWidthMetres = localStreetWidthMetres
        self.frontSetbackMetres = frontSetbackMetres
        self.sideSetbackMetres = sideSetbackMetres
        self.rearSetbackMetres = rearSetbackMetres
        self.minBuildingSpacingMetres = minBuildingSpacingMetres
        self.blockDepthMetres = blockDepthMetres
        self.maxBlockLengthMetres = maxBlockLengthMetres
    }

    /// Checks that every value is a finite, sensible length; names the offending rule.
    public func validate() throws(InputError) {
        let values: [(String, Double)] = [
            ("street_width_m.primary", primaryStreetWidthMetres), ("street_width_m.local", localStreetWidthMetres),
            ("setbacks_m.front", frontSetbackMetres), ("setbacks_m.side", sideSetbackMetres), ("setbacks_m.rear", rearSetbackMetres),
            ("min_building_spacing_m", minBuildingSpacingMetres), ("block_depth_m", blockDepthMetres), ("max_block_length_m", maxBlockLengthMetres),
            ("crossings.max_length_m", maxCrossingLengthMetres),
        ]
        for (name, value) in values {
            guard value.isFinite else { throw InputError("rules.\(name) is not a finite number") }
            if name.hasPrefix("setbacks") || name.hasPrefix("min_building") {
                guard value >= 0 else { throw InputError("rules.\(name) is \(value): setbacks and spacings must be 0 m or more") }
            } else {
                guard value > 0 else { throw InputError("rules.\(name) is \(value): it must be more than 0 m") }
            }
        }
    }

    /// Checks that a building type fits the lots it asks for under these rules (its own
    /// setbacks and spacing where it has them).
    public func validate(_ type: BuildingType, at path: String) throws(InputError) {
        let w = type.footprintWidthMetres, d = type.footprintDepthMetres
        if let own = type.setbacks {
            for (name, value) in [("front", own.frontMetres), ("side", own.sideMetres), ("rear", own.rearMetres)] {
                guard value.isFinite, value >= 0 else { throw InputError("\(path): setbacks_m.\(name) is \(value): setbacks must be 0 m or more") }
            }
        }
        if let spacing = type.minBuildingSpacingMetres, !(spacing.isFinite && spacing >= 0) {
            throw InputError("\(path): min_building_spacing_m is \(spacing): spacings must be 0 m or more")
        }
        let setbacks = self.setbacks(of: type)
        let frontSetbackMetres = setbacks.frontMetres, sideSetbackMetres = setbacks.sideMetres, rearSetbackMetres = setbacks.rearMetres
        guard w > 0, d > 0, w.isFinite, d.isFinite else { throw InputError("\(path): footprint_m must be two positive lengths, got \(w) × \(d)") }
        guard type.storeys >= 1 else { throw InputError("\(path): storeys must be 1 or more, got \(type.storeys)") }
        guard type.unitsPerBuilding >= 0 else { throw InputError("\(path): units_per_building must be 0 or more") }
        guard type.lotFrontageMetres.lowerBound > 0, type.lotAreaSquareMetres.lowerBound > 0 else {
            throw InputError("\(path): lot_frontage_m and lot_m2 must be positive")
        }
        let depth = lotDepth(of: type)
        guard depth <= blockDepthMetres + 1e-9 else {
            throw InputError("\(path): lot_depth_m \(depth) is deeper than the block (block_depth_m \(blockDepthMetres))")
        }
        let neededWidth = w + 2 * sideSetbackMetres
        let neededDepth = d + frontSetbackMetres + rearSetbackMetres
        if neededWidth > type.lotFrontageMetres.upperBound + 1e-9 || neededDepth > depth + 1e-9 {
            throw InputError("\(path): the footprint \(fmt(w)) × \(fmt(d)) m with its setbacks (front \(fmt(frontSetbackMetres)), side \(fmt(sideSetbackMetres)), rear \(fmt(rearSetbackMetres)) m) needs a lot \(fmt(neededWidth)) m wide and \(fmt(neededDepth)) m deep: larger than its lot (frontage at most \(fmt(type.lotFrontageMetres.upperBound)) m, depth \(fmt(depth)) m)")
        }
        if type.lotFrontageMetres.upperBound * depth < type.lotAreaSquareMetres.lowerBound - 1e-9 {
            throw InputError("\(path): no lot reaches lot_m2 \(fmt(type.lotAreaSquareMetres.lowerBound)) m²: the widest lot is \(fmt(type.lotFrontageMetres.upperBound)) × \(fmt(depth)) m")
        }
    }

    /// The lot depth a type gets: its own, else half the block depth.
    public func lotDepth(of type: BuildingType) -> Double { type.lotDepthMetres ?? blockDepthMetres / 2 }

    /// The setbacks a type keeps: its own (`setbacks_m` on the program item), else the rules'.
    public func setbacks(of type: BuildingType) -> Setbacks {
        type.setbacks ?? Setbacks(frontMetres: frontSetbackMetres, sideMetres: sideSetbackMetres, rearMetres: rearSetbackMetres)
    }

    /// The clear distance a type keeps from other buildings: its own, else the rules'. Between
    /// two types the larger of the two applies.
    public func spacing(of type: BuildingType) -> Double { type.minBuildingSpacingMetres ?? minBuildingSpacingMetres }

    /// Compact or spread development.
    public enum Development: String, Sendable, Equatable, CaseIterable {
        /// Streets only where the program lands, grown from the access point; the rest is reserve.
        case compact
        /// The whole parcel's street grid, for comparison.
        case spread
    }
}

/// Building to street line, side lot lines and rear lot line, metres.
public struct Setbacks: Sendable, Equatable {
    public var frontMetres: Double
    public var sideMetres: Double
    public var rearMetres: Double

    public init(frontMetres: Double, sideMetres: Double, rearMetres: Double) {
        self.frontMetres = frontMetres
        self.sideMetres = sideMetres
        self.rearMetres = rearMetres
    }
}

func fmt(_ x: Double) -> String {
    x == x.rounded() ? String(Int(x)) : String((x * 100).rounded() / 100)
}
