/// Colours and draw order of the map, by layer and by attribute. One place, so the SVG map,
/// the PDF sheet, their legend, the web map and the QGIS styles of the GeoPackage agree. It
/// lives in the vocabulary (below the drivers and the reports) because the GeoPackage driver
/// writes these colours into its `layer_styles` table.
public enum MapStyle {
    /// Layers in drawing order, bottom first; layers not listed are drawn after these, in the
    /// order given, as plain outlines.
    public static let drawOrder = ["parcels", "blocks", "lots", "exclusions", "streets", "network", "service_lines", "buildings", "households"]

    /// Fill colours for building types, given in order of first appearance.
    public static let buildingPalette = ["#e07b39", "#c9a227", "#7d5ba6", "#b5446e", "#3f88c5", "#5b8e7d", "#a0522d", "#6c757d"]

    /// Network segment colours by `status`, from planned to in service (the web map's).
    public static let networkStatus: [(status: String, colour: String, label: String)] = [
        ("planned", "#8d99ae", "planned"),
        ("under_construction", "#f28c28", "under construction"),
        ("laid", "#1f6fb2", "laid"),
        ("commissioned", "#2b9348", "commissioned"),
    ]

    /// Exclusion zone colours by `kind`; other kinds use the last entry.
    public static let exclusionKinds: [(kind: String, colour: String)] = [
        ("memorial", "#8e7dbe"), ("green_space", "#7fb069"), ("river_buffer", "#5fa8d3"),
        ("existing_building", "#a3a3a3"), ("exclusion", "#c97b84"),
    ]

    public static let parcelStroke = "#1d3557"
    public static let blockFill = "#f4f1e8"
    public static let lotStroke = "#b8b08d"
    public static let streetColour = "#ffffff"
    /// Street fill by `class`: the primary street stands out from the local ones.
    public static func streetColour(_ kind: String?) -> String { kind == "primary" ? "#ffe8a3" : streetColour }
    public static let streetCasing = "#8d8d8d"
    public static let connectedColour = "#0b6e4f"
    public static let householdColour = "#222222"
    public static let notConnectedColour = "#d62828"

    /// Network and service line colours by utility: each utility its own colour.
    public static let utilityColours: [(utility: Utility, colour: String)] = [
        (.water, "#1f6fb2"), (.sewer, "#8c510a"), (.power, "#d62828"), (.gas, "#e0a800"), (.telecom, "#7b2cbf"),
    ]

    /// Line width by utility, times the layer's base width. Utilities that share a lane of the
    /// street corridor (water and telecom, power and gas, water and gas, power and telecom, by
    /// `Utility.corridorShift`) differ in width, so the wider shows as a casing round the narrower.
    public static let utilityWidths: [(utility: Utility, width: Double)] = [
        (.water, 2.4), (.power, 2.4), (.sewer, 1.6), (.gas, 1.0), (.telecom, 1.0),
    ]

    public static func utilityColour(_ word: String?) -> String {
        utilityColours.first { $0.utility.rawValue == word }?.colour ?? "#555555"
    }

    public static func utilityWidth(_ word: String?) -> Double {
        utilityWidths.first { $0.utility.rawValue == word }?.width ?? 1
    }

    /// Drawing order of utilities: widest first, so every one shows.
    public static func utilityRank(_ word: String?) -> Int {
        utilityWidths.firstIndex { $0.utility.rawValue == word } ?? utilityWidths.count
    }

    /// How a works status looks on a utility line: a dash pattern (lengths in multiples of the
    /// layer's base width; nil is solid) and an opacity.
    public static let statusLines: [(status: String, dash: [Double]?, opacity: Double, label: String)] = [
        ("planned", [4, 2.5], 0.55, "planned (long dashes, faint)"),
        ("under_construction", [1.2, 1.2], 1, "under construction (short dashes)"),
        ("laid", nil, 0.6, "laid (solid, faint)"),
        ("commissioned", nil, 1, "commissioned (solid)"),
    ]

    public static func statusLine(_ status: String?) -> (dash: [Double]?, opacity: Double) {
        guard let look = statusLines.first(where: { $0.status == status }) else { return (nil, 1) }
        return (look.dash, look.opacity)
    }

    public static func networkColour(_ status: String?) -> String {
        networkStatus.first { $0.status == status }?.colour ?? "#555555"
    }

    public static func exclusionColour(_ kind: String?) -> String {
        exclusionKinds.first { $0.kind == kind }?.colour ?? exclusionKinds[exclusionKinds.count - 1].colour
    }

    /// Facility colours by kind (`use` of lots and buildings): the facility buildings, and their
    /// lots tinted, in every drawing.
    public static let facilityColours: [(kind: FacilityKind, colour: String)] = [
        (.kindergarten, "#f15bb5"), (.school, "#00a6a6"), (.shop, "#ff9f1c"), (.playArea, "#70e000"),
    ]

    /// Opacity of a facility lot's tint.
    public static let facilityLotOpacity = 0.35

    /// The colour of a facility kind (by its word, e.g. "school"); nil for any other word.
    public static func facilityColour(_ word: String?) -> String? {
        facilityColours.first { $0.kind.rawValue == word }?.colour
    }

    /// Building type keys in order of first appearance, each with its colour: a facility type
    /// (its key is the facility kind) its facility colour, the dwelling types the palette in order.
    public static func buildingColours(_ types: [String]) -> [(type: String, colour: String)] {
        var seen: [String] = []
        for t in types where !seen.contains(t) { seen.append(t) }
        var next = 0
        return seen.map { t -> (type: String, colour: String) in
            if let c = facilityColour(t) { return (t, c) }
            defer { next += 1 }
            return (t, buildingPalette[next % buildingPalette.count])
        }
    }
}
