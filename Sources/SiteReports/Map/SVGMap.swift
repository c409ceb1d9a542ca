import Foundation
import SiteGeometry
import SiteProjection
import SitePlanning
import SiteVocabulary

/// Renders a plan's layers as an SVG drawing in the planning CRS (metres, grid north up):
/// every layer in its own group `<g id="layer-NAME">` with one element per feature, then a
/// title, a legend, a scale bar in metres and a north arrow.
///
/// It takes the `Layer`s any writer gets and draws them in the planning CRS: the plan's layers
/// are already there, and a layer in another CRS (the scenario's WGS84 parcels) is projected
/// once. A new layer is drawn without a change here (as an outline, until `MapStyle` gives it
/// a style). Same layers, same bytes.
///
///     let svg = try SVGMap(scenario: scenario, layers: layers).render()
public struct SVGMap {
    public struct Options: Sendable {
        /// The layers to draw (nil: all given).
        public var layers: [String]?
        /// Draw one parcel, framed on it: features of other parcels are left out.
        public var parcelID: String?
        /// Width of the map area in pixels (the legend panel is added to it).
        public var mapWidthPixels: Double = 1600
        /// The layout seed, shown in the subtitle.
        public var seed: UInt64?
        /// The plan-of-record revision the map shows a plan on ("revision 2 of record.gpkg"), in the subtitle.
        public var revision: String?

        public init(layers: [String]? = nil, parcelID: String? = nil, mapWidthPixels: Double = 1600, seed: UInt64? = nil) {
            self.layers = layers
            self.parcelID = parcelID
            self.mapWidthPixels = mapWidthPixels
            self.seed = seed
        }
    }

    public let scenario: Scenario
    public let layers: [Layer]
    public let options: Options

    public init(scenario: Scenario, layers: [Layer], options: Options = Options()) {
        self.scenario = scenario
        self.layers = layers
        self.options = options
    }

    /// A feature ready to draw: planar geometry and attributes.
    struct Shape {
        let feature: Feature
        let planar: Geometry
        let envelope: Envelope
    }

    static let titleHeight = 78.0
    static let panelWidth = 480.0
    static let margin = 0.04

    public func render() throws -> String {
        let (ordered, view) = try prepare()
        let scale = options.mapWidthPixels / view.width  // pixels per metre
        let mapHeight = (view.height * scale).rounded()
        let canvas = Canvas(view: view, scale: scale, top: Self.titleHeight)
        let legend = try Legend(map: self, shapes: ordered, canvas: canvas, buildingColours: buildingColours)
        let width = options.mapWidthPixels + Self.panelWidth
        let height = max(Self.titleHeight + mapHeight, Self.titleHeight + legend.height) + 10

        var svg = SVGText()
        svg.line("<?xml version=\"1.0\" encoding=\"UTF-8\"?>")
        svg.line("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(svgNumber(width))\" height=\"\(svgNumber(height))\" viewBox=\"0 0 \(svgNumber(width)) \(svgNumber(height))\" font-family=\"DejaVu Sans, Arial, sans-serif\">")
        svg.line("<title>\(xmlEscaped(title))</title>")
        svg.line("<rect width=\"100%\" height=\"100%\" fill=\"#ffffff\"/>")
        svg.line("<defs><clipPath id=\"map-area\"><rect x=\"0\" y=\"\(svgNumber(Self.titleHeight))\" width=\"\(svgNumber(options.mapWidthPixels))\" height=\"\(svgNumber(mapHeight))\"/></clipPath></defs>")
        svg.line("<rect x=\"0\" y=\"\(svgNumber(Self.titleHeight))\" width=\"\(svgNumber(options.mapWidthPixels))\" height=\"\(svgNumber(mapHeight))\" fill=\"#fbfaf6\"/>")
        svg.line("<g clip-path=\"url(#map-area)\">")
        for (name, list) in ordered { try drawLayer(name, list, canvas: canvas, legend: legend, into: &svg) }
        try drawParcelLabels(ordered.first { $0.name == "parcels" }?.shapes ?? [], canvas: canvas, into: &svg)
        svg.line("</g>")
        svg.line("<rect x=\"0\" y=\"\(svgNumber(Self.titleHeight))\" width=\"\(svgNumber(options.mapWidthPixels))\" height=\"\(svgNumber(mapHeight))\" fill=\"none\" stroke=\"#333333\" stroke-width=\"1\"/>")
        drawTitle(into: &svg)
        legend.draw(into: &svg, x: options.mapWidthPixels + 24, y: Self.titleHeight + 10)
        svg.line("</svg>")
        return svg.text
    }

    /// The features to draw in the planning CRS, by layer in drawing order, and the framed area.
    func prepare() throws -> (ordered: [(name: String, shapes: [Shape])], view: Envelope) {
        // Everything in the planning CRS; keep the features the options ask for.
        let wanted = layers.filter { options.layers?.contains($0.name) ?? true }
        var shapes: [(name: String, shapes: [Shape])] = []
        for layer in wanted {
            var list: [Shape] = []
            for feature in try layer.projected(to: scenario.frame.crs).features {
                guard let planar = feature.geometry, !planar.isEmpty else { continue }
                list.append(Shape(feature: feature, planar: planar, envelope: try planar.envelope()))
            }
            shapes.append((layer.name, list))
        }
        let view = try viewEnvelope(shapes)
        if let parcel = options.parcelID {
            shapes = shapes.map { entry in
                (entry.name, entry.shapes.filter { shape in
                    guard shape.envelope.intersects(view) else { return false }
                    if entry.name == "parcels" { return true }
                    if let owner = shape.feature.properties["parcel_id"]?.string { return owner == parcel }
                    return true
                })
            }
        }
        let ordered = MapStyle.drawOrder.compactMap { name in shapes.first { $0.name == name } }
            + shapes.filter { !MapStyle.drawOrder.contains($0.name) }
        return (ordered, view)
    }

    /// Building type colours, following the types of every building given, so a parcel's map
    /// matches the town's.
    var buildingColours: [(type: String, colour: String)] {
        MapStyle.buildingColours(layers.first { $0.name == "buildings" }?.features.compactMap { $0.properties["type"]?.string } ?? [])
    }

    var title: String {
        let what = options.parcelID.map { "parcel \($0)" } ?? "site plan"
        return "\(scenario.name) — \(what)"
    }

    /// The framed area: the chosen parcel, else every parcel (else every feature), with a margin.
    func viewEnvelope(_ shapes: [(name: String, shapes: [Shape])]) throws -> Envelope {
        var envelope: Envelope?
        func add(_ e: Envelope) { if envelope == nil { envelope = e } else { envelope!.expand(toInclude: e) } }
        if let id = options.parcelID {
            let parcel = try scenario.parcel(id: id)
            add(try parcel.boundaryPlanar.envelope())
        } else {
            for p in scenario.parcels { add(try p.boundaryPlanar.envelope()) }
            if envelope == nil { for (_, list) in shapes { for s in list { add(s.envelope) } } }
        }
        guard var view = envelope, view.width > 0, view.height > 0 else {
            throw InputError("nothing to draw: the map has no parcel and no feature with an extent")
        }
        let pad = max(view.width, view.height) * Self.margin
        view = view.expanded(by: pad)
        return view
    }

    // MARK: Layers

    func drawLayer(_ name: String, _ list: [Shape], canvas: Canvas, legend: Legend, into svg: inout SVGText) throws {
        let px = canvas.scale
        switch name {
        case "streets":
            // The casing (grey, a little wider) sits under the street group, so junctions merge.
            svg.line("<g id=\"casing-streets\" fill=\"none\" stroke=\"\(MapStyle.streetCasing)\" stroke-linejoin=\"round\">")
            for s in list {
                let w = (s.feature.properties["width_m"]?.number ?? 10) * px
                svg.line("<path d=\"\(try canvas.path(s.planar))\" stroke-width=\"\(svgNumber(w + 2.4))\"/>")
            }
            svg.line("</g>")
            svg.line("<g id=\"layer-streets\" fill=\"none\" stroke=\"\(MapStyle.streetColour)\" stroke-linejoin=\"round\">")
            for s in list {
                let w = (s.feature.properties["width_m"]?.number ?? 10) * px
                let fill = MapStyle.streetColour(s.feature.properties["class"]?.string)
                let colour = fill == MapStyle.streetColour ? "" : " stroke=\"\(fill)\""
                svg.line("<path d=\"\(try canvas.path(s.planar))\" stroke-width=\"\(svgNumber(w))\"\(colour)\(dataID(s))/>")
            }
        case "parcels":
            svg.line("<g id=\"layer-parcels\" fill=\"none\" stroke=\"\(MapStyle.parcelStroke)\" stroke-width=\"3\" stroke-dasharray=\"14 6\" fill-rule=\"evenodd\">")
            for s in list { svg.line("<path d=\"\(try canvas.path(s.planar))\"\(dataID(s))/>") }
        case "blocks":
            svg.line("<g id=\"layer-blocks\" fill=\"\(MapStyle.blockFill)\" stroke=\"none\" fill-rule=\"evenodd\">")
            for s in list { svg.line("<path d=\"\(try canvas.path(s.planar))\"\(dataID(s))/>") }
        case "lots":
            svg.line("<g id=\"layer-lots\" fill=\"none\" stroke=\"\(MapStyle.lotStroke)\" stroke-width=\"\(svgNumber(min(1, max(0.4, px * 0.5))))\">")
            for s in list {
                // A facility lot is tinted with its facility's colour.
                let tint = MapStyle.facilityColour(s.feature.properties["use"]?.string)
                    .map { " fill=\"\($0)\" fill-opacity=\"\(svgNumber2(MapStyle.facilityLotOpacity))\"" } ?? ""
                svg.line("<path d=\"\(try canvas.path(s.planar))\"\(tint)\(dataID(s))/>")
            }
        case "exclusions":
            svg.line("<g id=\"layer-exclusions\" fill-opacity=\"0.55\" stroke-width=\"1.2\" fill-rule=\"evenodd\">")
            for s in list {
                let c = MapStyle.exclusionColour(s.feature.properties["kind"]?.string)
                svg.line("<path d=\"\(try canvas.path(s.planar))\" fill=\"\(c)\" stroke=\"\(c)\"\(dataID(s))/>")
            }
        case "network", "service_lines":
            // Each utility in its colour, at its corridor offset (the geometry's); where two
            // share a lane the wider shows as a casing round the narrower. Status is the dash.
            let base = name == "network" ? max(1.2, 0.5 * px) : max(0.6, 0.25 * px)
            svg.line("<g id=\"layer-\(name)\" fill=\"none\" stroke-linecap=\"butt\" stroke-linejoin=\"round\">")
            let sorted = list.enumerated().sorted { a, b in
                let ua = MapStyle.utilityRank(a.element.feature.properties["utility"]?.string)
                let ub = MapStyle.utilityRank(b.element.feature.properties["utility"]?.string)
                return ua != ub ? ua < ub : a.offset < b.offset
            }
            for (_, s) in sorted {
                let utility = s.feature.properties["utility"]?.string
                let status = s.feature.properties["status"]?.string
                let width = base * MapStyle.utilityWidth(utility)
                let look = MapStyle.statusLine(status)
                var attributes = " stroke=\"\(MapStyle.utilityColour(utility))\" stroke-width=\"\(svgNumber2(width))\""
                if let dash = look.dash { attributes += " stroke-dasharray=\"\(dash.map { svgNumber2($0 * base) }.joined(separator: " "))\"" }
                if look.opacity < 1 { attributes += " stroke-opacity=\"\(svgNumber2(look.opacity))\"" }
                svg.line("<path d=\"\(try canvas.path(s.planar))\"\(attributes)\(dataID(s))/>")
            }
        case "buildings":
            let marksConnection = legend.connection != nil
            // The connection outline grows with the scale, so the type colour still shows at town scale.
            let outline = marksConnection ? min(2.5, max(0.9, 0.6 * px)) : 0.6
            svg.line("<g id=\"layer-buildings\" stroke=\"#333333\" stroke-width=\"\(svgNumber(outline))\" stroke-linejoin=\"miter\">")
            for s in list {
                let fill = legend.buildingColour(s.feature.properties["type"]?.string)
                var stroke = ""
                if marksConnection, let connected = s.feature.properties["connected_all"]?.bool {
                    stroke = " stroke=\"\(connected ? MapStyle.connectedColour : MapStyle.notConnectedColour)\""
                }
                svg.line("<path d=\"\(try canvas.path(s.planar))\" fill=\"\(fill)\"\(stroke)\(dataID(s))/>")
            }
        case "households":
            // A dot per housed family, on its building (families of one building overlap).
            svg.line("<g id=\"layer-households\" fill=\"\(MapStyle.householdColour)\" stroke=\"#ffffff\" stroke-width=\"0.8\">")
            for s in list { svg.line("<path d=\"\(try canvas.path(s.planar, pointRadius: 2.5))\"\(dataID(s))/>") }
        default:
            svg.line("<g id=\"layer-\(xmlEscaped(name))\" fill=\"#6c757d\" fill-opacity=\"0.3\" stroke=\"#444444\" stroke-width=\"1.2\">")
            for s in list { svg.line("<path d=\"\(try canvas.path(s.planar))\"\(dataID(s))/>") }
        }
        svg.line("</g>")
    }

    func drawParcelLabels(_ parcels: [Shape], canvas: Canvas, into svg: inout SVGText) throws {
        svg.line("<g id=\"labels\" font-size=\"22\" font-weight=\"bold\" fill=\"\(MapStyle.parcelStroke)\" stroke=\"#ffffff\" stroke-width=\"4\" paint-order=\"stroke\" text-anchor=\"middle\">")
        for s in parcels {
            guard options.parcelID == nil || s.feature.id == options.parcelID else { continue }
            let p = canvas.point(try s.planar.pointOnSurface().pointXY())
            svg.line("<text x=\"\(svgNumber(p.x))\" y=\"\(svgNumber(p.y))\">\(xmlEscaped(s.feature.id ?? ""))</text>")
        }
        svg.line("</g>")
    }

    func drawTitle(into svg: inout SVGText) {
        var sub = ["as of \(scenario.asOf ?? "an unknown date")"]
        if let seed = options.seed { sub.append("layout seed \(seed)") }
        if let revision = options.revision { sub.append(revision) }
        let crsName = (try? scenario.frame.crs.name()) ?? scenario.frame.crs.description
        sub.append("\(scenario.frame.crs) (\(crsName)), grid north up")
        svg.line("<text x=\"16\" y=\"36\" font-size=\"28\" font-weight=\"bold\" fill=\"#1d3557\">\(xmlEscaped(title))</text>")
        svg.line("<text x=\"16\" y=\"62\" font-size=\"16\" fill=\"#444444\">\(xmlEscaped(sub.joined(separator: " · ")))</text>")
    }

    func dataID(_ s: Shape) -> String { " data-id=\"\(xmlEscaped(s.feature.id ?? ""))\"" }
}

/// Planning metres to SVG pixels: x right, y down from the top of the map area.
struct Canvas {
    let view: Envelope
    let scale: Double
    let top: Double
    var left: Double = 0

    func point(_ p: XY) -> XY { XY(left + (p.x - view.minX) * scale, top + (view.maxY - p.y) * scale) }

    /// SVG path data for any geometry: rings closed with Z, lines open, points as tiny squares.
    func path(_ g: Geometry, pointRadius r: Double = 2) throws -> String {
        var d = ""
        func run(_ points: [XY], close: Bool) {
            for (i, p) in points.enumerated() {
                let q = point(p)
                d += (i == 0 ? "M" : "L") + svgNumber(q.x) + " " + svgNumber(q.y)
            }
            if close { d += "Z" }
        }
        switch g.type {
        case .polygon:
            for ring in try g.polygonRings() { run(Array(ring.dropLast()), close: true) }
        case .lineString, .linearRing:
            run(try g.coordinates(), close: false)
        case .point:
            let q = point(try g.pointXY())
            // A small diamond: four points, so it renders the same everywhere.
            d += "M\(svgNumber(q.x)) \(svgNumber(q.y - r))L\(svgNumber(q.x + r)) \(svgNumber(q.y))L\(svgNumber(q.x)) \(svgNumber(q.y + r))L\(svgNumber(q.x - r)) \(svgNumber(q.y))Z"
        case .multiPoint, .multiLineString, .multiPolygon, .geometryCollection:
            for part in try g.parts() { d += try path(part, pointRadius: r) }
        }
        return d
    }
}

/// Collects SVG lines.
struct SVGText {
    var text = ""
    mutating func line(_ s: String) { text += s + "\n" }
}

/// A pixel value with one decimal, without a trailing ".0".
func svgNumber(_ x: Double) -> String {
    var s = fixedNotation(x, decimals: 1)
    if s.hasSuffix(".0") { s.removeLast(2) }
    return s == "-0" ? "0" : s
}

/// A value with two decimals, without trailing zeros (line widths and dashes in print units).
func svgNumber2(_ x: Double) -> String {
    var s = fixedNotation(x, decimals: 2)
    while s.contains("."), s.hasSuffix("0") { s.removeLast() }
    if s.hasSuffix(".") { s.removeLast() }
    return s == "-0" ? "0" : s
}

/// Text escaped for XML content and attribute values.
func xmlEscaped(_ s: String) -> String {
    var out = ""
    for c in s {
        switch c {
        case "&": out += "&amp;"
        case "<": out += "&lt;"
        case ">": out += "&gt;"
        case "\"": out += "&quot;"
        default: out.append(c)
        }
    }
    return out
}
