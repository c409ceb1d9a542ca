import Foundation
import SiteGeometry
import SiteProjection
import SitePlanning
import SiteVocabulary

/// The map's legend panel: a swatch per style the map uses (with feature counts), then a
/// scale bar in metres and a north arrow (grid north, with the convergence to true north).
struct Legend {
    enum Swatch {
        case fill(colour: String, stroke: String, dashed: Bool)
        case line(colour: String, width: Double, casing: String?, dashed: [Double]?, opacity: Double)
        case heading
        /// A line of small grey text under a heading.
        case note
    }

    struct Entry {
        let swatch: Swatch
        let label: String
    }

    var entries: [Entry] = []
    let buildingColours: [(type: String, colour: String)]
    /// Buildings connected to every utility, and not, when the buildings carry `connected_all`.
    let connection: (connected: Int, notConnected: Int)?
    let canvas: Canvas
    let scaleLengthMetres: Double
    /// Angle from grid north to true north at the map's centre, degrees, positive clockwise.
    let convergenceDegrees: Double

    init(map: SVGMap, shapes: [(name: String, shapes: [SVGMap.Shape])], canvas: Canvas, buildingColours: [(type: String, colour: String)]) throws {
        self.canvas = canvas
        self.buildingColours = buildingColours
        func layer(_ name: String) -> [SVGMap.Shape]? { shapes.first { $0.name == name }?.shapes }
        let buildings = layer("buildings") ?? []
        let flags = buildings.compactMap { $0.feature.properties["connected_all"]?.bool }
        connection = flags.isEmpty ? nil : (flags.filter { $0 }.count, flags.filter { !$0 }.count)

        var e: [Entry] = []
        if let parcels = layer("parcels") {
            e.append(Entry(swatch: .fill(colour: "none", stroke: MapStyle.parcelStroke, dashed: true), label: "parcel boundary (\(parcels.count))"))
        }
        if let blocks = layer("blocks") {
            e.append(Entry(swatch: .fill(colour: MapStyle.blockFill, stroke: "#d8d2bd", dashed: false), label: "block (\(blocks.count))"))
        }
        if let lots = layer("lots") {
            e.append(Entry(swatch: .fill(colour: "none", stroke: MapStyle.lotStroke, dashed: false), label: "lot (\(lots.count))"))
            for (kind, colour) in MapStyle.facilityColours {
                let count = lots.filter { $0.feature.properties["use"]?.string == kind.rawValue }.count
                guard count > 0 else { continue }
                e.append(Entry(swatch: .fill(colour: colour, stroke: MapStyle.lotStroke, dashed: false),
                               label: "\(kind.label.lowercased()) lot (\(count))"))
            }
        }
        if let streets = layer("streets"), !streets.isEmpty {
            e.append(Entry(swatch: .heading, label: "Streets, drawn at their width"))
            var classes: [(String, Double, Int)] = []
            for s in streets {
                let kind = s.feature.properties["class"]?.string ?? "street"
                let width = s.feature.properties["width_m"]?.number ?? 0
                if let i = classes.firstIndex(where: { $0.0 == kind }) { classes[i].2 += 1 } else { classes.append((kind, width, 1)) }
            }
            for (kind, width, count) in classes {
                e.append(Entry(swatch: .line(colour: MapStyle.streetColour(kind), width: 8, casing: MapStyle.streetCasing, dashed: nil, opacity: 1),
                               label: "\(kind) street, \(svgNumber(width)) m (\(count))"))
            }
        }
        if let zones = layer("exclusions"), !zones.isEmpty {
            e.append(Entry(swatch: .heading, label: "Exclusion zones"))
            var kinds: [(String, Int)] = []
            for z in zones {
                let kind = z.feature.properties["kind"]?.string ?? "exclusion"
                if let i = kinds.firstIndex(where: { $0.0 == kind }) { kinds[i].1 += 1 } else { kinds.append((kind, 1)) }
            }
            for (kind, count) in kinds {
                let c = MapStyle.exclusionColour(kind)
                e.append(Entry(swatch: .fill(colour: c, stroke: c, dashed: false), label: "\(kind.replacingOccurrences(of: "_", with: " ")) (\(count))"))
            }
        }
        if !buildings.isEmpty {
            e.append(Entry(swatch: .heading, label: "Buildings by type"))
            func label(_ type: String) -> String? {
                buildings.first { $0.feature.properties["type"]?.string == type }?.feature.properties["label"]?.string
            }
            let shown = buildingColours.filter { entry in buildings.contains { $0.feature.properties["type"]?.string == entry.type } }
            for (type, colour) in shown {
                let ofType = buildings.filter { $0.feature.properties["type"]?.string == type }
                var text = label(type) ?? type
                // Two types with one label (apartment buildings of 12 and 13 units): say which.
                if shown.contains(where: { $0.type != type && label($0.type) == text }) { text += " (\(type))" }
                let label = text
                e.append(Entry(swatch: .fill(colour: colour, stroke: "#333333", dashed: false), label: "\(label) (\(ofType.count))"))
            }
        }
        if let connection {
            e.append(Entry(swatch: .heading, label: "Building outline: connection"))
            e.append(Entry(swatch: .fill(colour: "#ffffff", stroke: MapStyle.connectedColour, dashed: false), label: "connected to every utility (\(connection.connected))"))
            e.append(Entry(swatch: .fill(colour: "#ffffff", stroke: MapStyle.notConnectedColour, dashed: false), label: "not yet connected (\(connection.notConnected))"))
        }
        for name in ["network", "service_lines"] {
            guard let lines = layer(name), !lines.isEmpty else { continue }
            let base = name == "network" ? 2.0 : 1.0
            e.append(Entry(swatch: .heading, label: name == "network" ? "Network segments by utility" : "Service lines by utility"))
            for (utility, colour) in MapStyle.utilityColours {
                let count = lines.filter { $0.feature.properties["utility"]?.string == utility.rawValue }.count
                if count > 0 {
                    e.append(Entry(swatch: .line(colour: colour, width: base * MapStyle.utilityWidth(utility.rawValue), casing: nil, dashed: nil, opacity: 1),
                                   label: "\(utility.rawValue) (\(count))"))
                }
            }
            e.append(Entry(swatch: .note, label: "line style: works status"))
            for (status, dash, opacity, label) in MapStyle.statusLines {
                let count = lines.filter { $0.feature.properties["status"]?.string == status }.count
                if count > 0 {
                    e.append(Entry(swatch: .line(colour: "#333333", width: base * 1.6, casing: nil, dashed: dash.map { $0.map { $0 * base } }, opacity: opacity),
                                   label: "\(label) (\(count))"))
                }
            }
        }
        if let households = layer("households"), !households.isEmpty {
            e.append(Entry(swatch: .heading, label: "Households"))
            e.append(Entry(swatch: .fill(colour: MapStyle.householdColour, stroke: "#ffffff", dashed: false), label: "family housed, on its building (\(households.count))"))
        }
        for (name, list) in shapes where !MapStyle.drawOrder.contains(name) {
            e.append(Entry(swatch: .fill(colour: "#c4c8cc", stroke: "#444444", dashed: false), label: "\(name) (\(list.count))"))
        }
        entries = e
        scaleLengthMetres = Self.roundLength(maxPixels: 300, scale: canvas.scale)

        let frame = map.scenario.frame
        let centre = canvas.view.center
        let lonLat = try frame.toLonLat(centre)
        let north = try frame.toPlanar(LonLat(lon: lonLat.lon, lat: lonLat.lat + 0.01))
        convergenceDegrees = atan2(north.x - centre.x, north.y - centre.y) * 180 / .pi
    }

    /// The largest 1, 2 or 5 × 10^k metres that fits in `maxPixels`.
    static func roundLength(maxPixels: Double, scale: Double) -> Double {
        let maxMetres = maxPixels / scale
        var best = 1.0
        var magnitude = 1.0
        while magnitude <= maxMetres {
            for m in [1.0, 2.0, 5.0] where m * magnitude <= maxMetres { best = m * magnitude }
            magnitude *= 10
        }
        return best
    }

    static let rowHeight = 26.0
    static let headingHeight = 34.0
    static let noteHeight = 20.0

    var height: Double {
        entries.reduce(0) { total, e in
            switch e.swatch {
            case .heading: total + Self.headingHeight
            case .note: total + Self.noteHeight
            default: total + Self.rowHeight
            }
        } + 30 + 90 + 150
    }

    func buildingColour(_ type: String?) -> String {
        buildingColours.first { $0.type == type }?.colour ?? "#999999"
    }

    /// The height of the title and entries alone, pixels (without scale bar and north arrow).
    var entriesHeight: Double { height - 90 - 150 }

    /// The widest entry label, characters (for fitting the legend into a panel).
    var longestLabel: Int { entries.map(\.label.count).max() ?? 0 }

    func draw(into svg: inout SVGText, x: Double, y: Double, scaleAndNorth: Bool = true, title: Bool = true) {
        svg.line("<g id=\"legend\" font-size=\"14\" fill=\"#222222\">")
        if title { svg.line("<text x=\"\(svgNumber(x))\" y=\"\(svgNumber(y + 18))\" font-size=\"20\" font-weight=\"bold\">Legend</text>") }
        var cy = y + 30
        for entry in entries {
            switch entry.swatch {
            case .heading:
                cy += Self.headingHeight
                svg.line("<text x=\"\(svgNumber(x))\" y=\"\(svgNumber(cy - 8))\" font-weight=\"bold\">\(xmlEscaped(entry.label))</text>")
                continue
            case .note:
                svg.line("<text x=\"\(svgNumber(x))\" y=\"\(svgNumber(cy + 10))\" font-size=\"13\" fill=\"#555555\">\(xmlEscaped(entry.label))</text>")
                cy += Self.noteHeight
                continue
            case .fill(let colour, let stroke, let dashed):
                let dash = dashed ? " stroke-dasharray=\"6 3\"" : ""
                svg.line("<rect x=\"\(svgNumber(x))\" y=\"\(svgNumber(cy + 4))\" width=\"30\" height=\"16\" fill=\"\(colour)\" stroke=\"\(stroke)\" stroke-width=\"2\"\(dash)/>")
            case .line(let colour, let width, let casing, let dashed, let opacity):
                if let casing {
                    svg.line("<line x1=\"\(svgNumber(x))\" y1=\"\(svgNumber(cy + 12))\" x2=\"\(svgNumber(x + 30))\" y2=\"\(svgNumber(cy + 12))\" stroke=\"\(casing)\" stroke-width=\"\(svgNumber(width + 2.4))\"/>")
                }
                var style = ""
                if let dashed { style += " stroke-dasharray=\"\(dashed.map { svgNumber2($0) }.joined(separator: " "))\"" }
                if opacity < 1 { style += " stroke-opacity=\"\(svgNumber2(opacity))\"" }
                svg.line("<line x1=\"\(svgNumber(x))\" y1=\"\(svgNumber(cy + 12))\" x2=\"\(svgNumber(x + 30))\" y2=\"\(svgNumber(cy + 12))\" stroke=\"\(colour)\" stroke-width=\"\(svgNumber2(width))\"\(style)/>")
            }
            svg.line("<text x=\"\(svgNumber(x + 42))\" y=\"\(svgNumber(cy + 17))\">\(xmlEscaped(entry.label))</text>")
            cy += Self.rowHeight
        }
        if scaleAndNorth {
            drawScaleBar(into: &svg, x: x, y: cy + 40)
            drawNorthArrow(into: &svg, x: x + 30, y: cy + 130)
        }
        svg.line("</g>")
    }

    func drawScaleBar(into svg: inout SVGText, x: Double, y: Double) {
        let metres = scaleLengthMetres
        let pixels = metres * canvas.scale
        svg.line("<text x=\"\(svgNumber(x))\" y=\"\(svgNumber(y - 12))\" font-weight=\"bold\">Scale</text>")
        for i in 0..<4 {
            let fill = i % 2 == 0 ? "#222222" : "#ffffff"
            svg.line("<rect x=\"\(svgNumber(x + pixels * Double(i) / 4))\" y=\"\(svgNumber(y))\" width=\"\(svgNumber(pixels / 4))\" height=\"8\" fill=\"\(fill)\" stroke=\"#222222\" stroke-width=\"1\"/>")
        }
        svg.line("<text x=\"\(svgNumber(x))\" y=\"\(svgNumber(y + 26))\" text-anchor=\"middle\">0</text>")
        svg.line("<text x=\"\(svgNumber(x + pixels / 2))\" y=\"\(svgNumber(y + 26))\" text-anchor=\"middle\">\(svgNumber(metres / 2))</text>")
        svg.line("<text x=\"\(svgNumber(x + pixels))\" y=\"\(svgNumber(y + 26))\" text-anchor=\"middle\">\(svgNumber(metres)) m</text>")
    }

    func drawNorthArrow(into svg: inout SVGText, x: Double, y: Double) {
        svg.line("<path d=\"M\(svgNumber(x)) \(svgNumber(y))l-14 44l14 -10l14 10Z\" fill=\"#222222\" stroke=\"#222222\" stroke-width=\"1\"/>")
        svg.line("<path d=\"M\(svgNumber(x)) \(svgNumber(y))l14 44l-14 -10Z\" fill=\"#ffffff\" stroke=\"#222222\" stroke-width=\"1\"/>")
        svg.line("<text x=\"\(svgNumber(x))\" y=\"\(svgNumber(y - 8))\" text-anchor=\"middle\" font-size=\"20\" font-weight=\"bold\">N</text>")
        let side = convergenceDegrees < 0 ? "west" : "east"
        let angle = fixedNotation(abs(convergenceDegrees), decimals: 2)
        svg.line("<text x=\"\(svgNumber(x + 30))\" y=\"\(svgNumber(y + 20))\">grid north</text>")
        svg.line("<text x=\"\(svgNumber(x + 30))\" y=\"\(svgNumber(y + 40))\" fill=\"#555555\">true north is \(angle)° \(side) of it</text>")
    }
}
