import SiteVocabulary

/// QGIS layer styles for the layers siteplan writes: a QML document per layer with the colours
/// of the siteplan map (`MapStyle`, the one palette), stored in the `layer_styles` table that
/// QGIS reads from a GeoPackage (and writes there itself with "Save as Default" → "Datasource
/// Database"). QGIS opens such a layer with its default style, so the GeoPackage looks like
/// the siteplan map.
///
/// Symbols follow the map: parcels as dashed outlines, blocks filled, lots outlined, exclusion
/// zones and buildings by category, streets at their width in metres with a casing, network
/// and service lines by utility (colour and width) and works status (dash and opacity).
package enum QGISStyle {
    /// The `layer_styles` table as QGIS creates it (QgsOgrProviderUtils / the GeoPackage
    /// provider), registered in `gpkg_contents` as an attributes table.
    package static let schema = """
        CREATE TABLE layer_styles (
          id INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
          f_table_catalog TEXT(256),
          f_table_schema TEXT(256),
          f_table_name TEXT(256),
          f_geometry_column TEXT(256),
          styleName TEXT(30),
          styleQML TEXT,
          styleSLD TEXT,
          useAsDefault BOOLEAN,
          description TEXT,
          owner TEXT(30),
          ui TEXT(30),
          update_time DATETIME DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now'))
        );
        """

    /// The QML of a layer, from its name and its features (building types in order of first
    /// appearance get the map's palette; street widths come from `width_m`).
    package static func qml(layer: Layer) -> String {
        let renderer: String
        switch layer.name {
        case "parcels":
            renderer = single(fill(colour: nil, outline: MapStyle.parcelStroke, outlineWidth: 0.75, outlineStyle: "dash"))
        case "blocks":
            renderer = single(fill(colour: MapStyle.blockFill, outline: nil, outlineWidth: 0, outlineStyle: "no"))
        case "lots":
            let facilityUses = values("use", in: layer).filter { MapStyle.facilityColour($0) != nil }
            if facilityUses.isEmpty {
                renderer = single(fill(colour: nil, outline: MapStyle.lotStroke, outlineWidth: 0.15, outlineStyle: "solid"))
            } else {
                // Facility lots tinted by kind, as on the map; dwelling lots outlined only.
                renderer = categorized(attribute: "use", [("dwelling", "dwelling lot", fill(colour: nil, outline: MapStyle.lotStroke, outlineWidth: 0.15, outlineStyle: "solid"))]
                    + facilityUses.map { use in
                        let c = MapStyle.facilityColour(use)!
                        let label = (FacilityKind(rawValue: use)?.label.lowercased() ?? use) + " lot"
                        return (use, label, fill(colour: c, outline: MapStyle.lotStroke, outlineWidth: 0.15, outlineStyle: "solid", alpha: MapStyle.facilityLotOpacity))
                    })
            }
        case "exclusions":
            let kinds = values("kind", in: layer)
            renderer = categorized(attribute: "kind", kinds.map { kind in
                let c = MapStyle.exclusionColour(kind)
                return (kind, kind.replacingOccurrences(of: "_", with: " "), fill(colour: c, outline: c, outlineWidth: 0.3, outlineStyle: "solid", alpha: 0.55))
            })
        case "streets":
            var classes: [(String, Double)] = []
            for f in layer.features {
                let kind = f.properties["class"]?.string ?? "street"
                if !classes.contains(where: { $0.0 == kind }) { classes.append((kind, f.properties["width_m"]?.number ?? 10)) }
            }
            renderer = categorized(attribute: "class", classes.map { kind, width in
                (kind, "\(kind) street, \(fixedNotation(width, decimals: 1)) m",
                 line([(MapStyle.streetCasing, width + 1.2, nil, 1), (MapStyle.streetColour(kind), width, nil, 1)], unit: "MetersInMapUnits"))
            })
        case "buildings":
            let colours = MapStyle.buildingColours(layer.features.compactMap { $0.properties["type"]?.string })
            renderer = categorized(attribute: "type", colours.map { type, colour in
                let label = layer.features.first { $0.properties["type"]?.string == type }?.properties["label"]?.string ?? type
                return (type, label, fill(colour: colour, outline: "#333333", outlineWidth: 0.2, outlineStyle: "solid"))
            })
        case "network", "service_lines":
            // One category per utility and status: "water planned", "gas laid", ...
            let base = layer.name == "network" ? 0.3 : 0.15
            var categories: [(String, String, String)] = []
            for (utility, colour) in MapStyle.utilityColours {
                for (status, dash, opacity, label) in MapStyle.statusLines {
                    let width = base * MapStyle.utilityWidth(utility.rawValue)
                    categories.append(("\(utility.rawValue) \(status)", "\(utility.rawValue), \(label)",
                                       line([(colour, width, dash.map { $0.map { $0 * base } }, opacity)], unit: "MM")))
                }
            }
            renderer = categorized(attribute: "concat(\"utility\", ' ', \"status\")", categories)
        case "households":
            renderer = single(marker(colour: MapStyle.householdColour, outline: "#ffffff", size: 1.6))
        default:
            renderer = single(fill(colour: "#c4c8cc", outline: "#444444", outlineWidth: 0.3, outlineStyle: "solid", alpha: 0.3))
        }
        return """
            <!DOCTYPE qgis PUBLIC 'http://mrcc.com/qgis.dtd' 'SYSTEM'>
            <qgis version="3.28.0" styleCategories="Symbology">
            \(renderer)
            </qgis>

            """
    }

    /// Distinct values of a text attribute, in order of first appearance.
    static func values(_ key: String, in layer: Layer) -> [String] {
        var seen: [String] = []
        for f in layer.features {
            if let v = f.properties[key]?.string, !seen.contains(v) { seen.append(v) }
        }
        return seen
    }

    static func single(_ symbol: String) -> String {
        """
        <renderer-v2 type="singleSymbol" symbollevels="0" enableorderby="0" forceraster="0">
        <symbols>
        \(symbol.replacingOccurrences(of: "<symbol ", with: "<symbol name=\"0\" "))
        </symbols>
        </renderer-v2>
        """
    }

    static func categorized(attribute: String, _ categories: [(value: String, label: String, symbol: String)]) -> String {
        var categoriesXML = ""
        var symbols = ""
        for (i, c) in categories.enumerated() {
            categoriesXML += "<category value=\"\(escaped(c.value))\" symbol=\"\(i)\" label=\"\(escaped(c.label))\" render=\"true\"/>\n"
            symbols += c.symbol.replacingOccurrences(of: "<symbol ", with: "<symbol name=\"\(i)\" ") + "\n"
        }
        return """
        <renderer-v2 type="categorizedSymbol" attr="\(escaped(attribute))" symbollevels="0" enableorderby="0" forceraster="0">
        <categories>
        \(categoriesXML)</categories>
        <symbols>
        \(symbols)</symbols>
        </renderer-v2>
        """
    }

    static func fill(colour: String?, outline: String?, outlineWidth: Double, outlineStyle: String, alpha: Double = 1) -> String {
        """
        <symbol type="fill" alpha="\(number(alpha))" clip_to_extent="1" force_rhr="0">
        <layer class="SimpleFill" enabled="1" pass="0" locked="0">
        <Option type="Map">
        <Option type="QString" name="color" value="\(rgba(colour))"/>
        <Option type="QString" name="style" value="\(colour == nil ? "no" : "solid")"/>
        <Option type="QString" name="outline_color" value="\(rgba(outline))"/>
        <Option type="QString" name="outline_style" value="\(outline == nil ? "no" : outlineStyle)"/>
        <Option type="QString" name="outline_width" value="\(number(outlineWidth))"/>
        <Option type="QString" name="outline_width_unit" value="MM"/>
        <Option type="QString" name="joinstyle" value="miter"/>
        </Option>
        </layer>
        </symbol>
        """
    }

    /// A line symbol of one or more layers (bottom first): colour, width, dash (nil: solid), opacity.
    static func line(_ layers: [(colour: String, width: Double, dash: [Double]?, opacity: Double)], unit: String) -> String {
        var xml = "<symbol type=\"line\" alpha=\"1\" clip_to_extent=\"1\" force_rhr=\"0\">\n"
        for l in layers {
            xml += """
            <layer class="SimpleLine" enabled="1" pass="0" locked="0">
            <Option type="Map">
            <Option type="QString" name="line_color" value="\(rgba(l.colour, alpha: l.opacity))"/>
            <Option type="QString" name="line_width" value="\(number(l.width))"/>
            <Option type="QString" name="line_width_unit" value="\(unit)"/>
            <Option type="QString" name="line_style" value="solid"/>
            <Option type="QString" name="use_custom_dash" value="\(l.dash == nil ? "0" : "1")"/>
            <Option type="QString" name="customdash" value="\(l.dash.map { $0.map(number).joined(separator: ";") } ?? "5;2")"/>
            <Option type="QString" name="customdash_unit" value="MM"/>
            <Option type="QString" name="capstyle" value="flat"/>
            <Option type="QString" name="joinstyle" value="round"/>
            </Option>
            </layer>

            """
        }
        return xml + "</symbol>"
    }

    static func marker(colour: String, outline: String, size: Double) -> String {
        """
        <symbol type="marker" alpha="1" clip_to_extent="1" force_rhr="0">
        <layer class="SimpleMarker" enabled="1" pass="0" locked="0">
        <Option type="Map">
        <Option type="QString" name="name" value="circle"/>
        <Option type="QString" name="color" value="\(rgba(colour))"/>
        <Option type="QString" name="outline_color" value="\(rgba(outline))"/>
        <Option type="QString" name="outline_width" value="0.2"/>
        <Option type="QString" name="outline_width_unit" value="MM"/>
        <Option type="QString" name="size" value="\(number(size))"/>
        <Option type="QString" name="size_unit" value="MM"/>
        </Option>
        </layer>
        </symbol>
        """
    }

    /// "#1d3557" → "29,53,87,255" (QGIS's colour form); nil → transparent.
    static func rgba(_ hex: String?, alpha: Double = 1) -> String {
        guard let hex, hex.hasPrefix("#"), hex.count == 7, let v = Int(hex.dropFirst(), radix: 16) else { return "0,0,0,0" }
        return "\(v >> 16 & 255),\(v >> 8 & 255),\(v & 255),\(Int((alpha * 255).rounded()))"
    }

    static func number(_ x: Double) -> String {
        var s = fixedNotation(x, decimals: 3)
        while s.contains("."), s.hasSuffix("0") { s.removeLast() }
        if s.hasSuffix(".") { s.removeLast() }
        return s
    }

    static func escaped(_ s: String) -> String {
        s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }
}
