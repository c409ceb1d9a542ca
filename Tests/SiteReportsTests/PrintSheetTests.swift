import Foundation
import XCTest
import SiteFiles
import SitePlanning
import SiteReports
import SiteVocabulary

/// The PDF sheet through the real Cairo and librsvg, read back with poppler (pdfinfo,
/// pdftoppm, pdftotext): page sizes, rendering, true scale, determinism, clear refusals.
final class PrintSheetTests: XCTestCase {
    func khojaly(layers names: [String]? = nil) throws -> (Scenario, [Layer]) {
        let run = try ScenarioReader.loadPackage(folder: MapTests.khojaly).run()
        var layers = try PlanLayers.runLayers(run)
        if let names { layers = layers.filter { names.contains($0.name) } }
        return (run.scenario, layers)
    }

    func scratch() throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("siteplan-sheet-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(at: dir) }
        return dir
    }

    func tool(_ name: String, _ arguments: [String]) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/" + name)
        process.arguments = arguments
        let out = Pipe()
        process.standardOutput = out
        process.standardError = FileHandle.nullDevice
        try process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        XCTAssertEqual(process.terminationStatus, 0, "\(name) \(arguments)")
        return String(decoding: data, as: UTF8.self)
    }

    func testEveryPaperAndOrientationHasItsPageSizeAndRenders() throws {
        let (scenario, layers) = try khojaly(layers: ["parcels", "streets", "blocks"])
        let dir = try scratch()
        for paper in Paper.allCases {
            for landscape in [false, true] {
                let sheet = PrintSheet(map: SVGMap(scenario: scenario, layers: layers), print: PrintOptions(paper: paper, landscape: landscape))
                let path = dir.appendingPathComponent("\(paper.rawValue)-\(landscape).pdf").path
                try PlanOutputs.writeSheet(sheet, to: path)
                let info = try tool("pdfinfo", [path])
                let size = try XCTUnwrap(info.components(separatedBy: "\n").first { $0.hasPrefix("Page size:") })
                let numbers = size.split(separator: " ").compactMap { Double($0) }
                let mm = paper.portraitMillimetres
                let (w, h) = landscape ? (mm.height, mm.width) : (mm.width, mm.height)
                XCTAssertEqual(numbers[0], w * 72 / 25.4, accuracy: 0.01, size)
                XCTAssertEqual(numbers[1], h * 72 / 25.4, accuracy: 0.01, size)
                XCTAssertTrue(size.hasSuffix("(\(paper.rawValue))"), "pdfinfo names the paper: \(size)")
                // It renders: pdftoppm at 10 dpi gives an image of the sheet's size.
                _ = try tool("pdftoppm", ["-r", "10", "-png", path, dir.appendingPathComponent("r").path])
                let png = [UInt8](try Data(contentsOf: dir.appendingPathComponent("r-1.png")))
                let pw = png[16..<20].reduce(0) { $0 << 8 | Int($1) }, ph = png[20..<24].reduce(0) { $0 << 8 | Int($1) }
                XCTAssertEqual(Double(pw), w / 25.4 * 10, accuracy: 1)
                XCTAssertEqual(Double(ph), h / 25.4 * 10, accuracy: 1)
                try FileManager.default.removeItem(at: dir.appendingPathComponent("r-1.png"))
            }
        }
    }

    /// 1:10000 on A2 landscape: the scale bar measured in the PDF (its labels' centres, by
    /// pdftotext) is its ground length / 10000; the grid lines are interval / 10000 apart; the
    /// same plan gives the same bytes.
    func testTrueScaleAndSameBytes() throws {
        let (scenario, layers) = try khojaly()
        let sheet = PrintSheet(map: SVGMap(scenario: scenario, layers: layers), print: PrintOptions(paper: .a2, landscape: true, scaleDenominator: 10_000))
        let one = try sheet.pdf()
        XCTAssertEqual(one, try sheet.pdf(), "byte-identical")
        let dir = try scratch()
        let path = dir.appendingPathComponent("a2.pdf").path
        try Data(one).write(to: URL(fileURLWithPath: path))
        XCTAssertTrue(try tool("pdfinfo", [path]).contains("CreationDate:    Fri Nov 27 00:00:00 2026 UTC"), "dated from the scenario's as_of")

        let (svg, layout) = try XCTUnwrap(try sheet.render().first)
        XCTAssertEqual(layout.scaleDenominator, 10_000)
        let bar = try XCTUnwrap(svg.components(separatedBy: "<g id=\"scale-bar\" data-metres=\"").dropFirst().first)
        let metres = try XCTUnwrap(Double(bar.prefix { $0 != "\"" }))
        let expectedPoints = metres * 1000 / 10_000 * 72 / 25.4
        // The bar's labels: "0" and the full length, on one row, centred on the bar's ends.
        let words = try tool("pdftotext", ["-bbox", path, "-"]).components(separatedBy: "\n").filter { $0.contains("<word") }
        func box(_ line: String) -> (x: Double, y: Double, text: String)? {
            func attr(_ n: String) -> Double? { line.components(separatedBy: "\(n)=\"").dropFirst().first.flatMap { Double($0.prefix { $0 != "\"" }) } }
            guard let x0 = attr("xMin"), let x1 = attr("xMax"), let y = attr("yMin"),
                  let text = line.components(separatedBy: ">").dropFirst().first?.components(separatedBy: "<").first else { return nil }
            return ((x0 + x1) / 2, y, text)
        }
        let boxes = words.compactMap(box)
        let ends = boxes.filter { $0.text == svgText(metres) }
        var measured: Double?
        for end in ends {
            if let zero = boxes.first(where: { $0.text == "0" && abs($0.y - end.y) < 0.5 && end.x > $0.x }) { measured = end.x - zero.x }
        }
        XCTAssertEqual(try XCTUnwrap(measured, "scale bar labels in \(boxes.count) words"), expectedPoints, accuracy: 0.3)

        // Grid lines in the SVG sheet (mm): consecutive verticals interval × 1000 / N apart.
        let grid = try XCTUnwrap(svg.components(separatedBy: "<g id=\"grid\" data-interval-m=\"").dropFirst().first?.components(separatedBy: "</g>").first)
        let interval = try XCTUnwrap(Double(grid.prefix { $0 != "\"" }))
        let xs = grid.components(separatedBy: "<path d=\"M").dropFirst().compactMap { part -> Double? in
            guard part.contains("V") else { return nil }
            return Double(part.prefix { $0 != " " })
        }
        XCTAssertGreaterThan(xs.count, 3)
        for i in 1..<xs.count { XCTAssertEqual(xs[i] - xs[i - 1], interval * 1000 / 10_000, accuracy: 0.02) }
        // The title block names what a planning office needs.
        for text in ["Khojaly, phase 1", "2026-11-27", "EPSG:32638", "REVISION / SEED", "siteplan project", "Locator", "true north", "Scale 1:10 000"] {
            XCTAssertTrue(svg.contains(text), text)
        }
    }

    func testAScaleThatDoesNotFitIsRefusedOrTiled() throws {
        let (scenario, layers) = try khojaly(layers: ["parcels", "streets"])
        let map = SVGMap(scenario: scenario, layers: layers)
        XCTAssertThrowsError(try PrintSheet(map: map, print: PrintOptions(paper: .a4, scaleDenominator: 1000)).layouts()) { error in
            let text = "\(error)"
            XCTAssertTrue(text.contains("--scale 1:1000: the plan does not fit the A4 portrait sheet"), text)
            XCTAssertTrue(text.contains("the largest standard scale at which it fits is 1:25000"), text)
        }
        // The default is the largest standard scale that fits.
        // The plan with its margin is 2396 m × 2923 m: an A4 portrait frame (98 mm × 267 mm
        // inside the grid labels) holds it from 1:25000, an A1 landscape one (683 × 564 mm) from 1:10000.
        XCTAssertEqual(try PrintSheet(map: map, print: PrintOptions(paper: .a4)).layouts().first?.scaleDenominator, 25_000)
        XCTAssertEqual(try PrintSheet(map: map, print: PrintOptions(paper: .a1, landscape: true)).layouts().first?.scaleDenominator, 10_000)
        // Tiled: several sheets, each over a parcel, one PDF page each.
        let tiled = PrintSheet(map: map, print: PrintOptions(paper: .a3, landscape: true, scaleDenominator: 5000, tile: true))
        let sheets = try tiled.layouts()
        XCTAssertGreaterThan(sheets.count, 1)
        XCTAssertEqual(sheets.map(\.sheetNumber), Array(1...sheets.count))
        let dir = try scratch()
        let path = dir.appendingPathComponent("tiles.pdf").path
        try PlanOutputs.writeSheet(tiled, to: path)
        XCTAssertTrue(try tool("pdfinfo", [path]).contains("Pages:           \(sheets.count)\n"))
    }

    func testBadPaperScaleAndDPIAreClearErrors() {
        XCTAssertThrowsError(try PrintOptions.paper("B5")) { XCTAssertEqual("\($0)", "--paper B5: unknown paper size; siteplan prints on A1, A2, A3, A4") }
        XCTAssertEqual(try PrintOptions.paper("a2"), .a2)
        XCTAssertEqual(try PrintOptions.scale("1:2500"), 2500)
        for bad in ["1:0", "2000:1", "one to 500", "1:-5"] {
            XCTAssertThrowsError(try PrintOptions.scale(bad)) { XCTAssertTrue("\($0)".contains("not a map scale; give it as 1:N"), "\($0)") }
        }
        XCTAssertThrowsError(try PrintOptions.checkDPI(10)) { XCTAssertTrue("\($0)".contains("between 72 and 2400"), "\($0)") }
    }

    func svgText(_ x: Double) -> String { x == x.rounded() ? String(Int(x)) : String(x) }
}
