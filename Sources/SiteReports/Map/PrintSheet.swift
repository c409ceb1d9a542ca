import Foundation
import SiteCanvas
import SiteGeometry
import SiteProjection
import SitePlanning
import SiteVocabulary

/// ISO 216 paper sizes a sheet is printed on.
public enum Paper: String, CaseIterable, Sendable {
    case a1 = "A1", a2 = "A2", a3 = "A3", a4 = "A4"

    /// Width and height of the portrait sheet, millimetres.
    public var portraitMillimetres: (width: Double, height: Double) {
        switch self {
        case .a1: (594, 841)
        case .a2: (420, 594)
        case .a3: (297, 420)
        case .a4: (210, 297)
        }
    }

    /// "a3" or "A3".
    public init?(word: String) { self.init(rawValue: word.uppercased()) }
}

/// How a plan is printed: paper, orientation, scale and the resolution of anything Cairo must
/// rasterise.
public struct PrintOptions: Sendable {
    public var paper: Paper
    public var landscape: Bool
    /// The N of 1:N (1 mm on paper is N mm on the ground, in the planning CRS); nil: the largest
    /// standard scale at which the plan fits the map frame.
    public var scaleDenominator: Int?
    /// Resolution for any part Cairo must draw as pixels (its fallback resolution), dots per inch.
    public var dpi: Int
    /// The program that drew the sheet ("siteplan 0.12.0"), in the title block and the PDF's creator.
    public var creator: String
    /// When the plan does not fit one sheet at the scale asked for, print it on several (one
    /// PDF page each, numbered, with the sheets drawn on the locator) instead of refusing.
    public var tile: Bool

    public init(paper: Paper = .a3, landscape: Bool = false, scaleDenominator: Int? = nil, dpi: Int = 300, creator: String = "siteplan", tile: Bool = false) {
        self.tile = tile
        self.paper = paper
        self.landscape = landscape
        self.scaleDenominator = scaleDenominator
        self.dpi = dpi
        self.creator = creator
    }

    /// Standard map scales, largest first (1:500 … 1:100 000).
    public static let standardScales = [500, 1000, 2000, 2500, 5000, 10_000, 20_000, 25_000, 50_000, 100_000]
    public static let dpiRange = 72...2400

    /// Width and height of the sheet as printed, millimetres.
    public var sheetMillimetres: (width: Double, height: Double) {
        let p = paper.portraitMillimetres
        return landscape ? (p.height, p.width) : p
    }

    public var sheetName: String { "\(paper.rawValue) \(landscape ? "landscape" : "portrait")" }

    /// Parses a paper word, or says which are known.
    public static func paper(_ word: String) throws -> Paper {
        guard let paper = Paper(word: word) else {
            throw InputError("--paper \(word): unknown paper size; siteplan prints on \(Paper.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        return paper
    }

    /// Parses "1:2000" (or "2000") into 2000, or says what is wrong.
    public static func scale(_ text: String) throws -> Int {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        let number = trimmed.hasPrefix("1:") ? String(trimmed.dropFirst(2)) : trimmed
        guard let n = Int(number.replacingOccurrences(of: "_", with: "")), n >= 1, n <= 10_000_000 else {
            throw InputError("--scale \(text): not a map scale; give it as 1:N with N a whole number from 1 to 10000000, e.g. 1:2000")
        }
        return n
    }

    /// Checks a resolution.
    public static func checkDPI(_ dpi: Int) throws {
        guard dpiRange.contains(dpi) else {
            throw InputError("--dpi \(dpi): the resolution must be between \(dpiRange.lowerBound) and \(dpiRange.upperBound) dots per inch")
        }
    }
}

/// A plan as a sheet a planning office issues: the map frame at a true scale with a labelled
/// coordinate grid in the planning CRS, street and lot labels at print sizes, and a panel with
/// an inset locator map, the legend, a scale bar, the north arrow with the grid convergence and
/// a title block. The sheet is composed as an SVG in millimetres and drawn onto a PDF page by
/// Cairo (SiteCanvas); same layers and options, same bytes.
///
///     let pdf = try PrintSheet(map: SVGMap(scenario: s, layers: layers), print: PrintOptions(paper: .a3, landscape: true)).pdf()
public struct PrintSheet {
    public let map: SVGMap
    public let print: PrintOptions

    public init(map: SVGMap, print: PrintOptions) {
        self.map = map
        self.print = print
    }

    /// Millimetres per drawing unit of the map group: the map's line widths and symbol sizes,
    /// made for screen pixels, print at 0.25 mm per pixel.
    static let unit = 0.25
    /// Margins of the drawing frame (ISO 5457: a 20 mm filing margin on the left, 10 mm elsewhere).
    static let margin = (left: 20.0, top: 10.0, right: 10.0, bottom: 10.0)
    /// Room inside the map frame for the grid labels, millimetres.
    static let labelBand = 5.0

    /// Where everything goes on the sheet, millimetres from the top-left corner.
    public struct Layout: Sendable {
        public let sheetWidth: Double, sheetHeight: Double
        /// The map frame.
        public let frameX: Double, frameY: Double, frameWidth: Double, frameHeight: Double
        /// The panel beside the map (locator, legend, scale, north arrow, title block).
        public let panelX: Double, panelY: Double, panelWidth: Double, panelHeight: Double
        /// The scale's N (1:N).
        public let scaleDenominator: Int
        /// The ground shown in the frame, planning CRS metres.
        public let ground: Envelope
        /// The plan's extent to fit (parcels and a margin), planning CRS metres.
        public let plan: Envelope
        /// This sheet's number (from 1, left to right, top to bottom) and the number of sheets.
        public let sheetNumber: Int, sheetCount: Int
        /// The ground of every sheet of the set (one entry for a single sheet), for the locator.
        public let sheets: [Envelope]
    }

    /// The sheet's layout; throws when the plan does not fit the frame at the scale asked for,
    /// naming the largest scale at which it fits.
    public func layouts() throws -> [Layout] {
        let (_, view) = try map.prepare()
        return try layouts(plan: view)
    }

    func layouts(plan: Envelope) throws -> [Layout] {
        let sheet = print.sheetMillimetres
        let m = Self.margin
        let areaW = sheet.width - m.left - m.right, areaH = sheet.height - m.top - m.bottom
        let panelW = min(max(areaW * 0.27, 72), 118)
        let frameW = areaW - panelW, frameH = areaH
        // The plan must fit inside the grid labels.
        let usableW = frameW - 2 * Self.labelBand, usableH = frameH - 2 * Self.labelBand
        func fits(_ n: Int) -> Bool {
            plan.width * 1000 / Double(n) <= usableW && plan.height * 1000 / Double(n) <= usableH
        }
        let n: Int
        if let asked = print.scaleDenominator {
            guard fits(asked) else {
                let need = "the plan's extent is \(Int(plan.width.rounded())) m × \(Int(plan.height.rounded())) m, the \(print.sheetName) map frame \(Int(usableW)) mm × \(Int(usableH)) mm"
                if !print.tile {
                    if let largest = PrintOptions.standardScales.first(where: fits) {
                        throw InputError("--scale 1:\(asked): the plan does not fit the \(print.sheetName) sheet at that scale (\(need)); the largest standard scale at which it fits is 1:\(largest); or use a larger --paper\(print.landscape ? "" : " or --landscape"), or --tile to print it on several sheets")
                    }
                    throw InputError("--scale 1:\(asked): the plan does not fit the \(print.sheetName) sheet at that scale (\(need)), nor at 1:\(PrintOptions.standardScales.last!); use --tile to print it on several sheets")
                }
                return try tiles(plan: plan, n: asked, usableW: usableW, usableH: usableH, frameW: frameW, frameH: frameH, panelW: panelW, sheet: sheet)
            }
            n = asked
        } else {
            guard let largest = PrintOptions.standardScales.first(where: fits) else {
                throw InputError("the plan (\(Int(plan.width.rounded())) m × \(Int(plan.height.rounded())) m) does not fit the \(print.sheetName) sheet at any standard scale down to 1:\(PrintOptions.standardScales.last!); give --scale 1:N")
            }
            n = largest
        }
        let metresPerMillimetre = Double(n) / 1000
        let centre = plan.center
        let groundW = frameW * metresPerMillimetre, groundH = frameH * metresPerMillimetre
        let ground = Envelope(minX: centre.x - groundW / 2, minY: centre.y - groundH / 2, maxX: centre.x + groundW / 2, maxY: centre.y + groundH / 2)
        return [Layout(sheetWidth: sheet.width, sheetHeight: sheet.height,
                       frameX: m.left, frameY: m.top, frameWidth: frameW, frameHeight: frameH,
                       panelX: m.left + frameW, panelY: m.top, panelWidth: panelW, panelHeight: areaH,
                       scaleDenominator: n, ground: ground, plan: plan, sheetNumber: 1, sheetCount: 1, sheets: [ground])]
    }

    /// The plan on sheets at 1:n: for each parcel (or the one framed), the fewest sheets of a
    /// grid centred on it that cover it, leaving out those with nothing of it on them; each
    /// sheet shows a frame's worth of ground, so neighbours overlap by the grid-label band.
    func tiles(plan: Envelope, n: Int, usableW: Double, usableH: Double, frameW: Double, frameH: Double, panelW: Double,
               sheet: (width: Double, height: Double)) throws -> [Layout] {
        let k = Double(n) / 1000
        let gw = usableW * k, gh = usableH * k
        var areas: [(extent: Envelope, shape: Geometry?)] = []
        for parcel in map.scenario.parcels where map.options.parcelID == nil || parcel.id == map.options.parcelID {
            let e = try parcel.boundaryPlanar.envelope()
            areas.append((e.expanded(by: max(e.width, e.height) * 0.02), parcel.boundaryPlanar))
        }
        if areas.isEmpty { areas = [(plan, nil)] }
        var grounds: [Envelope] = []
        for (extent, shape) in areas {
            let cols = max(1, Int((extent.width / gw).rounded(.up))), rows = max(1, Int((extent.height / gh).rounded(.up)))
            let x0 = extent.center.x - Double(cols) * gw / 2, yTop = extent.center.y + Double(rows) * gh / 2
            for r in 0..<rows {
                for c in 0..<cols {
                    let cell = Envelope(minX: x0 + Double(c) * gw, minY: yTop - Double(r + 1) * gh, maxX: x0 + Double(c + 1) * gw, maxY: yTop - Double(r) * gh)
                    if let shape { guard try Geometry.rectangle(cell).intersects(shape) else { continue } }
                    let centre = cell.center
                    grounds.append(Envelope(minX: centre.x - frameW * k / 2, minY: centre.y - frameH * k / 2,
                                            maxX: centre.x + frameW * k / 2, maxY: centre.y + frameH * k / 2))
                }
            }
        }
        let m = Self.margin
        return grounds.enumerated().map { i, ground in
            Layout(sheetWidth: sheet.width, sheetHeight: sheet.height,
                   frameX: m.left, frameY: m.top, frameWidth: frameW, frameHeight: frameH,
                   panelX: m.left + frameW, panelY: m.top, panelWidth: panelW, panelHeight: sheet.height - m.top - m.bottom,
                   scaleDenominator: n, ground: ground, plan: plan, sheetNumber: i + 1, sheetCount: grounds.count, sheets: grounds)
        }
    }

    /// The sheet as a PDF file's bytes (vector; text as embedded fonts).
    public func pdf() throws -> [UInt8] {
        let pages = try render()
        let layout = pages[0].layout
        let k = SVGRenderer.pointsPerMillimetre
        let date = (map.scenario.asOf.flatMap(ISODate.init)?.description ?? "2000-01-01") + "T00:00:00Z"
        let meta = PDFMetadata(title: sheetTitle, author: map.scenario.author, subject: "\(print.sheetName), 1:\(layout.scaleDenominator), \(map.scenario.frame.crs)",
                               creator: print.creator, date: date)
        do {
            return try SVGRenderer.pdf(pages: pages.map(\.svg), widthPoints: layout.sheetWidth * k, heightPoints: layout.sheetHeight * k,
                                       metadata: meta, fallbackDPI: Double(print.dpi))
        } catch {
            throw OutputError("the PDF sheet", "Cairo/librsvg: \(error)")
        }
    }

    var sheetTitle: String { map.title }

    /// The sheets as SVG documents in millimetres (width and height in mm, viewBox in mm): one,
    /// or one per tile with `tile`.
    public func render() throws -> [(svg: String, layout: Layout)] {
        let (ordered, view) = try map.prepare()
        return try layouts(plan: view).map { (try render(ordered, layout: $0), $0) }
    }

    func render(_ ordered: [(name: String, shapes: [SVGMap.Shape])], layout: Layout) throws -> String {
        let u = Self.unit
        let pixelsPerMetre = 1000 / Double(layout.scaleDenominator) / u
        // The map group's units are 0.25 mm; its origin is the frame's top-left corner.
        let canvas = Canvas(view: layout.ground, scale: pixelsPerMetre, top: 0)
        // The legend counts every feature; a page draws only those that reach its frame.
        let legend = try Legend(map: map, shapes: ordered, canvas: canvas, buildingColours: map.buildingColours)
        let reach = layout.ground.expanded(by: 20)
        let visible = ordered.map { entry in (name: entry.name, shapes: entry.shapes.filter { $0.envelope.intersects(reach) }) }

        var svg = SVGText()
        let w = layout.sheetWidth, h = layout.sheetHeight
        svg.line("<?xml version=\"1.0\" encoding=\"UTF-8\"?>")
        svg.line("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(mm(w))mm\" height=\"\(mm(h))mm\" viewBox=\"0 0 \(mm(w)) \(mm(h))\" font-family=\"DejaVu Sans, Arial, sans-serif\">")
        svg.line("<title>\(xmlEscaped(sheetTitle))</title>")
        svg.line("<rect width=\"\(mm(w))\" height=\"\(mm(h))\" fill=\"#ffffff\"/>")
        let fx = layout.frameX, fy = layout.frameY, fw = layout.frameWidth, fh = layout.frameHeight
        svg.line("<defs><clipPath id=\"frame\"><rect x=\"\(mm(fx))\" y=\"\(mm(fy))\" width=\"\(mm(fw))\" height=\"\(mm(fh))\"/></clipPath></defs>")
        svg.line("<rect x=\"\(mm(fx))\" y=\"\(mm(fy))\" width=\"\(mm(fw))\" height=\"\(mm(fh))\" fill=\"#fbfaf6\"/>")
        svg.line("<g id=\"map-frame\" clip-path=\"url(#frame)\" data-scale=\"1:\(layout.scaleDenominator)\">")
        svg.line("<g transform=\"translate(\(mm(fx)) \(mm(fy))) scale(\(mm(u)))\">")
        for (name, list) in visible { try map.drawLayer(name, list, canvas: canvas, legend: legend, into: &svg) }
        try drawLotLabels(visible, canvas: canvas, into: &svg)
        try drawStreetLabels(visible.first { $0.name == "streets" }?.shapes ?? [], canvas: canvas, into: &svg)
        try map.drawParcelLabels(visible.first { $0.name == "parcels" }?.shapes ?? [], canvas: canvas, into: &svg)
        svg.line("</g>")
        drawGrid(layout, canvas: canvas, into: &svg)
        svg.line("</g>")
        // Frame and panel lines, the drawing border.
        svg.line("<rect x=\"\(mm(fx))\" y=\"\(mm(fy))\" width=\"\(mm(fw))\" height=\"\(mm(fh))\" fill=\"none\" stroke=\"#222222\" stroke-width=\"0.35\"/>")
        svg.line("<rect x=\"\(mm(layout.panelX))\" y=\"\(mm(layout.panelY))\" width=\"\(mm(layout.panelWidth))\" height=\"\(mm(layout.panelHeight))\" fill=\"none\" stroke=\"#222222\" stroke-width=\"0.35\"/>")
        svg.line("<rect x=\"5\" y=\"5\" width=\"\(mm(w - 10))\" height=\"\(mm(h - 10))\" fill=\"none\" stroke=\"#222222\" stroke-width=\"0.18\"/>")

        // The panel, from the top: locator, legend, scale and north, title block.
        let px = layout.panelX + 4, pw = layout.panelWidth - 8
        var y = layout.panelY + 4
        let locatorHeight = min(pw * 0.72, layout.panelHeight * 0.22)
        try drawLocator(layout, x: px, y: y, width: pw, height: locatorHeight, into: &svg)
        y += locatorHeight + 5
        let titleHeight = titleBlockHeight(width: pw)
        let scaleHeight = 30.0
        let titleY = layout.panelY + layout.panelHeight - titleHeight
        let legendRoom = titleY - scaleHeight - 3 - y
        drawLegend(legend, x: px, y: y, width: pw, height: legendRoom, into: &svg)
        drawScaleAndNorth(layout, legend: legend, x: px, y: titleY - scaleHeight, width: pw, into: &svg)
        drawTitleBlock(layout, x: layout.panelX, y: titleY, width: layout.panelWidth, into: &svg)
        svg.line("</svg>")
        return svg.text
    }

    // MARK: Grid

    /// Grid lines every round interval (at least 30 mm apart on paper), labelled in the planning
    /// CRS's metres inside the frame's edges.
    func drawGrid(_ layout: Layout, canvas: Canvas, into svg: inout SVGText) {
        let interval = Self.gridInterval(scaleDenominator: layout.scaleDenominator)
        let g = layout.ground
        let u = Self.unit
        func sheet(_ p: XY) -> XY { let q = canvas.point(p); return XY(layout.frameX + q.x * u, layout.frameY + q.y * u) }
        let fx = layout.frameX, fy = layout.frameY, fw = layout.frameWidth, fh = layout.frameHeight
        svg.line("<g id=\"grid\" data-interval-m=\"\(svgNumber(interval))\">")
        svg.line("<g stroke=\"#5c6b7a\" stroke-width=\"0.13\" stroke-opacity=\"0.8\" fill=\"none\">")
        var eastings: [Double] = [], northings: [Double] = []
        var e = (g.minX / interval).rounded(.up) * interval
        while e <= g.maxX { eastings.append(e); e += interval }
        var n = (g.minY / interval).rounded(.up) * interval
        while n <= g.maxY { northings.append(n); n += interval }
        for e in eastings {
            let x = sheet(XY(e, g.minY)).x
            svg.line("<path d=\"M\(mm(x)) \(mm(fy))V\(mm(fy + fh))\"/>")
        }
        for n in northings {
            let y = sheet(XY(g.minX, n)).y
            svg.line("<path d=\"M\(mm(fx)) \(mm(y))H\(mm(fx + fw))\"/>")
        }
        svg.line("</g>")
        let size = 2.2
        svg.line("<g font-size=\"\(mm(size))\" fill=\"#2b3a4a\" stroke=\"#ffffff\" stroke-width=\"0.6\" paint-order=\"stroke\" text-anchor=\"middle\">")
        for e in eastings {
            let x = sheet(XY(e, g.minY)).x
            let label = Self.gridLabel(e)
            // Clear of the corner's "E/N m" and of the rotated northings at the sides.
            let half = Double(label.count) * size * 0.3
            guard x - half > fx + 12, x + half < fx + fw - 5 else { continue }
            svg.line("<text x=\"\(mm(x))\" y=\"\(mm(fy + 3.4))\" data-easting=\"\(svgNumber(e))\">\(label)</text>")
            svg.line("<text x=\"\(mm(x))\" y=\"\(mm(fy + fh - 1.4))\">\(label)</text>")
        }
        for n in northings {
            let y = sheet(XY(g.minX, n)).y
            let label = Self.gridLabel(n)
            let half = Double(label.count) * size * 0.3
            guard y - half > fy + 5, y + half < fy + fh - 5 else { continue }
            svg.line("<text transform=\"translate(\(mm(fx + 3.2)) \(mm(y))) rotate(-90)\" data-northing=\"\(svgNumber(n))\">\(label)</text>")
            svg.line("<text transform=\"translate(\(mm(fx + fw - 1.6)) \(mm(y))) rotate(-90)\">\(label)</text>")
        }
        // The axes named once, in the top-left corner.
        svg.line("<text x=\"\(mm(fx + 1.5))\" y=\"\(mm(fy + 3.4))\" text-anchor=\"start\" font-weight=\"bold\">E/N m</text>")
        svg.line("</g>")
        svg.line("</g>")
    }

    /// The smallest round interval that puts grid lines at least 30 mm apart on paper.
    static func gridInterval(scaleDenominator n: Int) -> Double {
        let minimum = 30 * Double(n) / 1000
        for step in [10.0, 20, 25, 50, 100, 200, 250, 500, 1000, 2000, 2500, 5000, 10_000, 20_000, 25_000, 50_000, 100_000] where step >= minimum {
            return step
        }
        return 100_000 * (minimum / 100_000).rounded(.up)
    }

    /// A coordinate in whole metres with a thin space between thousands: "4 418 200".
    static func gridLabel(_ metres: Double) -> String { grouped(Int(metres.rounded()), separator: "\u{2009}") }

    // MARK: Labels

    /// Street ids (or names) along each street, 1.8 mm high, upright.
    func drawStreetLabels(_ streets: [SVGMap.Shape], canvas: Canvas, into svg: inout SVGText) throws {
        let size = 1.8 / Self.unit
        svg.line("<g id=\"street-labels\" font-size=\"\(svgNumber2(size))\" fill=\"#3d3d3d\" stroke=\"#ffffff\" stroke-width=\"\(svgNumber2(size * 0.22))\" paint-order=\"stroke\" text-anchor=\"middle\" font-style=\"italic\">")
        for s in streets {
            let text = s.feature.properties["name"]?.string ?? Self.shortID(s.feature.id ?? "", marker: "-S")
            guard !text.isEmpty, let (a, b) = try longestRun(s.planar) else { continue }
            let pa = canvas.point(a), pb = canvas.point(b)
            let length = pa.distance(to: pb)
            // Only where the label fits along the street, with room to spare.
            guard length > Double(text.count) * size * 0.62 * 1.6 else { continue }
            var angle = atan2(pb.y - pa.y, pb.x - pa.x) * 180 / .pi
            if angle > 90 { angle -= 180 } else if angle <= -90 { angle += 180 }
            let mid = XY((pa.x + pb.x) / 2, (pa.y + pb.y) / 2)
            svg.line("<text transform=\"translate(\(svgNumber2(mid.x)) \(svgNumber2(mid.y))) rotate(\(svgNumber2(angle)))\" y=\"\(svgNumber2(size * 0.36))\"\(map.dataID(s))>\(xmlEscaped(text))</text>")
        }
        svg.line("</g>")
    }

    /// Lot numbers, 1.5 mm high, in the rear part of each lot (away from its building), where
    /// they fit.
    func drawLotLabels(_ ordered: [(name: String, shapes: [SVGMap.Shape])], canvas: Canvas, into svg: inout SVGText) throws {
        guard let lots = ordered.first(where: { $0.name == "lots" })?.shapes, !lots.isEmpty else { return }
        var buildingCentre: [String: XY] = [:]
        for b in ordered.first(where: { $0.name == "buildings" })?.shapes ?? [] {
            if let lot = b.feature.properties["lot_id"]?.string { buildingCentre[lot] = try b.planar.centroidXY() }
        }
        let size = 1.5 / Self.unit
        svg.line("<g id=\"lot-labels\" font-size=\"\(svgNumber2(size))\" fill=\"#6b6244\" text-anchor=\"middle\">")
        for s in lots {
            let text = Self.shortID(s.feature.id ?? "", marker: "-L")
            guard !text.isEmpty else { continue }
            let lotWidth = min(s.envelope.width, s.envelope.height)
            let rotatedWidth = (s.feature.properties["frontage_m"]?.number).map { min($0, lotWidth) } ?? lotWidth
            guard rotatedWidth * canvas.scale > Double(text.count) * size * 0.62 + size * 0.4 else { continue }
            let centre = try s.planar.pointOnSurface().pointXY()
            var at = centre
            if let b = s.feature.id.flatMap({ buildingCentre[$0] }) {
                let candidate = XY(2 * centre.x - b.x, 2 * centre.y - b.y)
                if try s.planar.contains(Geometry.point(candidate)) { at = candidate }
            }
            let p = canvas.point(at)
            svg.line("<text x=\"\(svgNumber2(p.x))\" y=\"\(svgNumber2(p.y + size * 0.36))\">\(xmlEscaped(text))</text>")
        }
        svg.line("</g>")
    }

    /// "P1-A-L0012" → "12"; "P1-A-S03" → "S3"; other ids as they are.
    static func shortID(_ id: String, marker: String) -> String {
        guard let r = id.range(of: marker, options: .backwards) else { return id }
        let digits = id[r.upperBound...]
        guard !digits.isEmpty, digits.allSatisfy(\.isNumber), let n = Int(digits) else { return id }
        return marker == "-S" ? "S\(n)" : "\(n)"
    }

    /// The longest straight piece of a line (or of any part of a multi-line).
    func longestRun(_ g: Geometry) throws -> (XY, XY)? {
        var best: (XY, XY)?
        var bestLength = 0.0
        let parts = g.type == .lineString ? [g] : try g.parts()
        for part in parts where part.type == .lineString {
            let c = try part.coordinates()
            for i in 1..<max(1, c.count) where c[i - 1].distance(to: c[i]) > bestLength {
                bestLength = c[i - 1].distance(to: c[i])
                best = (c[i - 1], c[i])
            }
        }
        return best
    }

    // MARK: Panel

    /// The legend, scaled to fit its room (its own units are the screen map's pixels): in two
    /// columns, split at a heading, when that prints it larger.
    func drawLegend(_ legend: Legend, x: Double, y: Double, width: Double, height: Double, into svg: inout SVGText) {
        func naturalWidth(_ l: Legend) -> Double { 42 + Double(l.longestLabel) * 14 * 0.56 }
        let single = min(width / naturalWidth(legend), height / legend.entriesHeight, 0.21)
        // The heading closest to half the height starts the second column.
        var best: (k: Double, left: Legend, right: Legend)?
        for (i, entry) in legend.entries.enumerated() where i > 0 {
            guard case .heading = entry.swatch else { continue }
            var left = legend, right = legend
            left.entries = Array(legend.entries[..<i])
            right.entries = Array(legend.entries[i...])
            let k = min(width / 2 / max(naturalWidth(left), naturalWidth(right)),
                        height / max(left.entriesHeight, right.entriesHeight - Legend.headingHeight + 30), 0.21)
            if k > (best?.k ?? 0) { best = (k, left, right) }
        }
        if let best, best.k > single * 1.15 {
            svg.line("<g transform=\"translate(\(mm(x)) \(mm(y))) scale(\(fixedNotation(best.k, decimals: 4)))\">")
            best.left.draw(into: &svg, x: 0, y: 0, scaleAndNorth: false)
            best.right.draw(into: &svg, x: width / 2 / best.k, y: -Legend.headingHeight + 30, scaleAndNorth: false, title: false)
            svg.line("</g>")
            return
        }
        svg.line("<g transform=\"translate(\(mm(x)) \(mm(y))) scale(\(fixedNotation(single, decimals: 4)))\">")
        legend.draw(into: &svg, x: 0, y: 0, scaleAndNorth: false)
        svg.line("</g>")
    }

    /// A scale bar in true millimetres, the scale as 1:N, and the north arrow with the grid
    /// convergence.
    func drawScaleAndNorth(_ layout: Layout, legend: Legend, x: Double, y: Double, width: Double, into svg: inout SVGText) {
        let n = Double(layout.scaleDenominator)
        let barRoom = width - 30
        let metres = Legend.roundLength(maxPixels: barRoom, scale: 1000 / n)
        let length = metres * 1000 / n
        svg.line("<g id=\"scale-bar\" data-metres=\"\(svgNumber(metres))\" data-millimetres=\"\(svgNumber2(length))\" font-size=\"2.2\" fill=\"#222222\">")
        svg.line("<text x=\"\(mm(x))\" y=\"\(mm(y + 4))\" font-size=\"3.2\" font-weight=\"bold\">Scale 1:\(Self.thousands(layout.scaleDenominator))</text>")
        svg.line("<text x=\"\(mm(x))\" y=\"\(mm(y + 8))\" fill=\"#555555\">on \(print.sheetName) (\(mm(layout.sheetWidth)) × \(mm(layout.sheetHeight)) mm)</text>")
        let by = y + 13
        for i in 0..<4 {
            let fill = i % 2 == 0 ? "#222222" : "#ffffff"
            svg.line("<rect x=\"\(mm(x + length * Double(i) / 4))\" y=\"\(mm(by))\" width=\"\(mm(length / 4))\" height=\"1.6\" fill=\"\(fill)\" stroke=\"#222222\" stroke-width=\"0.15\"/>")
        }
        svg.line("<text x=\"\(mm(x))\" y=\"\(mm(by + 5))\" text-anchor=\"middle\">0</text>")
        svg.line("<text x=\"\(mm(x + length / 2))\" y=\"\(mm(by + 5))\" text-anchor=\"middle\">\(svgNumber(metres / 2))</text>")
        svg.line("<text x=\"\(mm(x + length))\" y=\"\(mm(by + 5))\" text-anchor=\"middle\">\(svgNumber(metres))</text>")
        svg.line("<text x=\"\(mm(x + length + 3))\" y=\"\(mm(by + 1.6))\">m</text>")
        svg.line("</g>")
        // North arrow at the right of the scale.
        let ax = x + width - 9, ay = y + 6
        let side = legend.convergenceDegrees < 0 ? "west" : "east"
        svg.line("<g id=\"north-arrow\" font-size=\"2.2\" fill=\"#222222\">")
        svg.line("<path d=\"M\(mm(ax)) \(mm(ay))l-3.2 10l3.2 -2.3l3.2 2.3Z\" fill=\"#222222\" stroke=\"#222222\" stroke-width=\"0.2\"/>")
        svg.line("<path d=\"M\(mm(ax)) \(mm(ay))l3.2 10l-3.2 -2.3Z\" fill=\"#ffffff\" stroke=\"#222222\" stroke-width=\"0.2\"/>")
        svg.line("<text x=\"\(mm(ax))\" y=\"\(mm(ay - 1))\" text-anchor=\"middle\" font-size=\"3.6\" font-weight=\"bold\">N</text>")
        svg.line("<text x=\"\(mm(ax))\" y=\"\(mm(ay + 14))\" text-anchor=\"middle\">grid north</text>")
        svg.line("<text x=\"\(mm(ax + 7.5))\" y=\"\(mm(ay + 18))\" text-anchor=\"end\" fill=\"#555555\">true north \(fixedNotation(abs(legend.convergenceDegrees), decimals: 2))° \(side)</text>")
        svg.line("</g>")
    }

    /// The inset: the parcels within the town (the extent of the parcels and the utilities'
    /// sources), the trunks, and the map frame's extent as a red rectangle.
    func drawLocator(_ layout: Layout, x: Double, y: Double, width: Double, height: Double, into svg: inout SVGText) throws {
        let scenario = map.scenario
        var extent = try scenario.parcels.map { try $0.boundaryPlanar.envelope() }.reduce(into: Envelope?.none) { e, next in
            if e == nil { e = next } else { e!.expand(toInclude: next) }
        } ?? layout.plan
        var sources: [(String, XY)] = []
        for s in scenario.utilitySources {
            let p = s.positionPlanar
            sources.append((s.utility.rawValue, p))
            extent.expand(toInclude: p)
        }
        for ground in layout.sheets { extent.expand(toInclude: ground) }
        extent = extent.expanded(by: max(extent.width, extent.height) * 0.06)
        let titleRoom = 4.5
        let boxH = height - titleRoom
        let scale = min(width / extent.width, boxH / extent.height)  // mm per metre
        let ox = x + (width - extent.width * scale) / 2, oy = y + titleRoom + (boxH - extent.height * scale) / 2
        func p(_ q: XY) -> XY { XY(ox + (q.x - extent.minX) * scale, oy + (extent.maxY - q.y) * scale) }
        func path(_ g: Geometry) throws -> String {
            var d = ""
            let parts = [.polygon, .lineString].contains(g.type) ? [g] : try g.parts()
            for part in parts {
                let rings: [[XY]] = part.type == .polygon ? try part.polygonRings() : [try part.coordinates()]
                for ring in rings {
                    for (i, q) in ring.enumerated() { let s = p(q); d += (i == 0 ? "M" : "L") + svgNumber2(s.x) + " " + svgNumber2(s.y) }
                    if part.type == .polygon { d += "Z" }
                }
            }
            return d
        }
        let inset = 1 / (scale / 1000)  // 1:N of the inset
        svg.line("<g id=\"locator\" font-size=\"2\">")
        svg.line("<text x=\"\(mm(x))\" y=\"\(mm(y + 3))\" font-size=\"2.6\" font-weight=\"bold\" fill=\"#222222\">Locator: the parcels within \(xmlEscaped(scenario.settlement.isEmpty ? scenario.name : scenario.settlement))</text>")
        svg.line("<rect x=\"\(mm(x))\" y=\"\(mm(y + titleRoom))\" width=\"\(mm(width))\" height=\"\(mm(boxH))\" fill=\"#f1f0ea\" stroke=\"#555555\" stroke-width=\"0.2\"/>")
        for layer in map.layers where layer.name == "network" {
            for f in try layer.projected(to: scenario.frame.crs).features where f.properties["kind"]?.string == "trunk" {
                guard let g = f.geometry else { continue }
                svg.line("<path d=\"\(try path(g))\" fill=\"none\" stroke=\"\(MapStyle.utilityColour(f.properties["utility"]?.string))\" stroke-width=\"0.25\"/>")
            }
        }
        for z in scenario.exclusions {
            svg.line("<path d=\"\(try path(z.boundaryPlanar))\" fill=\"\(MapStyle.exclusionColour(z.kind))\" fill-opacity=\"0.6\" stroke=\"none\"/>")
        }
        for parcel in scenario.parcels {
            svg.line("<path d=\"\(try path(parcel.boundaryPlanar))\" fill=\"\(MapStyle.parcelStroke)\" fill-opacity=\"0.25\" stroke=\"\(MapStyle.parcelStroke)\" stroke-width=\"0.3\" fill-rule=\"evenodd\"/>")
            let c = p(try parcel.boundaryPlanar.pointOnSurface().pointXY())
            svg.line("<text x=\"\(mm(c.x))\" y=\"\(mm(c.y + 0.7))\" text-anchor=\"middle\" font-weight=\"bold\" fill=\"\(MapStyle.parcelStroke)\">\(xmlEscaped(parcel.id))</text>")
        }
        for (utility, q) in sources {
            let s = p(q)
            svg.line("<circle cx=\"\(mm(s.x))\" cy=\"\(mm(s.y))\" r=\"0.8\" fill=\"\(MapStyle.utilityColour(utility))\" stroke=\"#ffffff\" stroke-width=\"0.2\"/>")
            svg.line("<text x=\"\(mm(s.x + 1.3))\" y=\"\(mm(s.y + 0.7))\" font-size=\"1.8\" fill=\"#333333\">\(utility)</text>")
        }
        for (i, ground) in layout.sheets.enumerated() {
            let a = p(XY(ground.minX, ground.maxY)), b = p(XY(ground.maxX, ground.minY))
            let this = i + 1 == layout.sheetNumber
            svg.line("<rect x=\"\(mm(a.x))\" y=\"\(mm(a.y))\" width=\"\(mm(b.x - a.x))\" height=\"\(mm(b.y - a.y))\" fill=\"none\" stroke=\"\(this ? "#d62828" : "#777777")\" stroke-width=\"\(this ? "0.35" : "0.18")\"/>")
            if layout.sheetCount > 1 {
                svg.line("<text x=\"\(mm(a.x + 1))\" y=\"\(mm(a.y + 2.4))\" font-size=\"2\" font-weight=\"bold\" fill=\"\(this ? "#d62828" : "#555555")\">\(i + 1)</text>")
            }
        }
        svg.line("<text x=\"\(mm(x + width - 1))\" y=\"\(mm(y + height - 1.2))\" text-anchor=\"end\" font-size=\"1.8\" fill=\"#555555\">about 1:\(Self.thousands(Int((inset / 1000).rounded()) * 1000)); red: this sheet; dots: utility sources</text>")
        svg.line("</g>")
    }

    /// Lines of the title block: (label, value) pairs; data sources wrapped.
    func titleRows(width: Double) -> [(label: String, value: [String])] {
        let s = map.scenario
        let crsName = (try? s.frame.crs.name()) ?? s.frame.crs.description
        var revision: [String] = []
        if let r = map.options.revision { revision.append(r) }
        if let seed = map.options.seed { revision.append("layout seed \(seed)") }
        let valueChars = Int((width - 4) / (2.3 * 0.56))
        var sources = s.dataSources
        if sources.isEmpty { sources = ["the scenario's layer files (parcels, exclusions, status, households)"] }
        return [
            ("Scenario", Self.wrap(s.name + (s.settlement.isEmpty ? "" : " (\(s.settlement))"), chars: valueChars)),
            ("Revision / seed", Self.wrap(revision.isEmpty ? "proposal (no revision of record)" : revision.joined(separator: ", "), chars: valueChars)),
            ("As of", [s.asOf ?? "not given"]),
            ("Coordinate reference system", Self.wrap("\(s.frame.crs), \(crsName); grid in metres, grid north up", chars: valueChars)),
            ("Author", Self.wrap(s.author ?? "not given (\"author\" in scenario.json)", chars: valueChars)),
            ("Data sources", sources.flatMap { Self.wrap("– " + $0, chars: valueChars) }),
            ("Drawn by", [print.creator + ", vector PDF"]),
        ]
    }

    func titleBlockHeight(width: Double) -> Double {
        let rows = titleRows(width: width - 8)
        return 14 + rows.reduce(0) { $0 + 3.0 + Double($1.value.count) * 3.0 } + 2
    }

    /// The title block at the bottom of the panel: the title, then labelled rows.
    func drawTitleBlock(_ layout: Layout, x: Double, y: Double, width: Double, into svg: inout SVGText) {
        let rows = titleRows(width: width - 8)
        let tx = x + 4
        svg.line("<g id=\"title-block\" fill=\"#222222\">")
        svg.line("<rect x=\"\(mm(x))\" y=\"\(mm(y))\" width=\"\(mm(width))\" height=\"\(mm(layout.panelY + layout.panelHeight - y))\" fill=\"#ffffff\" stroke=\"#222222\" stroke-width=\"0.35\"/>")
        let titleLines = Self.wrap(map.title, chars: Int((width - 8) / (4.2 * 0.6)))
        svg.line("<text x=\"\(mm(tx))\" y=\"\(mm(y + 6))\" font-size=\"4.2\" font-weight=\"bold\" fill=\"\(MapStyle.parcelStroke)\">\(xmlEscaped(titleLines.first ?? ""))</text>")
        let sheetOf = layout.sheetCount > 1 ? "sheet \(layout.sheetNumber) of \(layout.sheetCount), " : ""
        svg.line("<text x=\"\(mm(tx))\" y=\"\(mm(y + 11))\" font-size=\"2.6\" fill=\"#444444\">\(xmlEscaped("Site plan, \(sheetOf)\(print.sheetName), scale 1:\(Self.thousands(layout.scaleDenominator))"))</text>")
        var cy = y + 14
        for (label, lines) in rows {
            svg.line("<path d=\"M\(mm(x)) \(mm(cy))H\(mm(x + width))\" stroke=\"#999999\" stroke-width=\"0.15\"/>")
            svg.line("<text x=\"\(mm(tx))\" y=\"\(mm(cy + 2.3))\" font-size=\"1.7\" fill=\"#666666\">\(xmlEscaped(label.uppercased()))</text>")
            cy += 2.6
            for line in lines {
                cy += 3.0
                svg.line("<text x=\"\(mm(tx))\" y=\"\(mm(cy - 0.6))\" font-size=\"2.3\">\(xmlEscaped(line))</text>")
            }
            cy += 0.4
        }
        svg.line("</g>")
    }

    /// Words wrapped to lines of at most `chars` characters.
    static func wrap(_ text: String, chars: Int) -> [String] {
        var lines: [String] = []
        var line = ""
        for word in text.split(separator: " ") {
            if !line.isEmpty, line.count + 1 + word.count > chars { lines.append(line); line = "" }
            line += (line.isEmpty ? "" : " ") + word
        }
        if !line.isEmpty { lines.append(line) }
        return lines.isEmpty ? [""] : lines
    }

    /// 25000 → "25 000".
    static func thousands(_ n: Int) -> String { grouped(n, separator: " ") }

    /// A millimetre value with two decimals, without trailing zeros.
    func mm(_ x: Double) -> String { svgNumber2(x) }
}
