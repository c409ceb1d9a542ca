import Foundation
import XCTest
import SiteCanvas

/// Against the real Cairo and librsvg, with poppler's pdfinfo and pdftoppm as a second reader.
final class SVGRendererTests: XCTestCase {
    /// An A4 page in millimetres: a 100 mm black bar 20 mm from the left and top, and text.
    let a4 = """
        <svg xmlns="http://www.w3.org/2000/svg" width="210mm" height="297mm" viewBox="0 0 210 297">
        <rect width="210" height="297" fill="#ffffff"/>
        <rect x="20" y="20" width="100" height="10" fill="#000000"/>
        <text x="20" y="60" font-family="DejaVu Sans" font-size="8">siteplan 1:1000</text>
        </svg>
        """

    func test_pdfHasThePageSizeAndIsVector() throws {
        let w = 210 * SVGRenderer.pointsPerMillimetre, h = 297 * SVGRenderer.pointsPerMillimetre
        let pdf = try SVGRenderer.pdf(svg: a4, widthPoints: w, heightPoints: h,
                                      metadata: PDFMetadata(title: "A test sheet", author: "tester", date: "2026-11-27T00:00:00Z"))
        XCTAssertTrue(Array(pdf.prefix(5)) == Array("%PDF-".utf8))
        let dir = try scratch()
        let path = dir + "/a4.pdf"
        try Data(pdf).write(to: URL(fileURLWithPath: path))
        let info = try run("pdfinfo", [path])
        XCTAssertTrue(info.contains("595.276 x 841.89 pts (A4)"), info)
        let fields = Dictionary(info.split(separator: "\n").compactMap { line -> (String, String)? in
            guard let colon = line.firstIndex(of: ":") else { return nil }
            return (String(line[..<colon]), line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces))
        }, uniquingKeysWith: { a, _ in a })
        XCTAssertEqual(fields["Title"], "A test sheet")
        XCTAssertEqual(fields["Author"], "tester")
        XCTAssertEqual(fields["Pages"], "1")
        XCTAssertEqual(fields["CreationDate"], "Fri Nov 27 00:00:00 2026 UTC")
        // The text is text (a font is embedded), not pixels.
        let fonts = try run("pdffonts", [path])
        XCTAssertTrue(fonts.contains("DejaVuSans"), fonts)
        let text = try run("pdftotext", [path, "-"])
        XCTAssertTrue(text.contains("siteplan 1:1000"))
    }

    func test_pdfIsDrawnAtTrueSize() throws {
        // Rendered at 254 dpi (10 px per mm), the 100 mm bar is 1000 px long, from x = 200 px.
        let w = 210 * SVGRenderer.pointsPerMillimetre, h = 297 * SVGRenderer.pointsPerMillimetre
        let pdf = try SVGRenderer.pdf(svg: a4, widthPoints: w, heightPoints: h)
        let dir = try scratch()
        try Data(pdf).write(to: URL(fileURLWithPath: dir + "/bar.pdf"))
        _ = try run("pdftoppm", ["-r", "254", "-gray", "-x", "0", "-y", "240", "-W", "2100", "-H", "1", dir + "/bar.pdf", dir + "/row"])
        let pgm = try Data(contentsOf: URL(fileURLWithPath: dir + "/row-1.pgm"))
        // P5 header: "P5\n2100 1\n255\n", then the row.
        let row = Array(pgm.suffix(2100))
        let dark = row.indices.filter { row[$0] < 128 }
        XCTAssertTrue(dark.count >= 995 && dark.count <= 1005, "bar is \(dark.count) px")
        XCTAssertTrue(abs((dark.first ?? 0) - 200) <= 2)
    }

    func test_pdfIsByteIdenticalWithAFixedDate() throws {
        let meta = PDFMetadata(title: "same", date: "2026-11-27T00:00:00Z")
        let one = try SVGRenderer.pdf(svg: a4, widthPoints: 300, heightPoints: 400, metadata: meta)
        let two = try SVGRenderer.pdf(svg: a4, widthPoints: 300, heightPoints: 400, metadata: meta)
        XCTAssertEqual(one, two)
        let text = String(decoding: one, as: UTF8.self)
        // Cairo 1.16 writes the date without PDF's "D:" prefix; poppler reads it either way.
        XCTAssertTrue(text.contains("/CreationDate (20261127000000Z)"))
        XCTAssertTrue(text.contains("/ModDate (20261127000000Z)"))
    }

    func test_pngHasTheSizeAskedFor() throws {
        let png = try SVGRenderer.png(svg: a4, widthPixels: 210, heightPixels: 297)
        XCTAssertTrue(Array(png.prefix(8)) == [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])
        // IHDR: width and height, big-endian, at bytes 16..<24.
        let width = png[16..<20].reduce(0) { $0 << 8 | Int($1) }, height = png[20..<24].reduce(0) { $0 << 8 | Int($1) }
        XCTAssertEqual(width, 210); XCTAssertEqual(height, 297)
        let size = try XCTUnwrap(try SVGRenderer.intrinsicSize(svg: a4))
        XCTAssertTrue(abs(size.width - 210 / 25.4 * 96) < 0.01)
    }

    func test_librsvgsMessageReachesTheCaller() throws {
        do {
            _ = try SVGRenderer.pdf(svg: "<svg xmlns=\"http://www.w3.org/2000/svg\"><rect></svg>", widthPoints: 100, heightPoints: 100)
            XCTFail("a broken SVG was drawn")
        } catch {
            XCTAssertEqual(error.operation, "reading the SVG")
            XCTAssertTrue(!error.message.isEmpty)
            XCTAssertNotEqual(error.message, "librsvg could not read it", "librsvg's own message, not ours")
        }
        XCTAssertThrowsError(try SVGRenderer.pdf(svg: a4, widthPoints: 0, heightPoints: 100))
        XCTAssertThrowsError(try SVGRenderer.png(svg: a4, widthPixels: 40_000, heightPixels: 10))
    }

    func scratch() throws -> String {
        let dir = NSTemporaryDirectory() + "siteplan-canvas-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        return dir
    }

    /// Runs a poppler tool and returns its standard output; fails on a non-zero exit.
    func run(_ tool: String, _ arguments: [String]) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/" + tool)
        process.arguments = arguments
        let out = Pipe()
        process.standardOutput = out
        process.standardError = FileHandle.nullDevice
        try process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        XCTAssertEqual(process.terminationStatus, 0, "\(tool) \(arguments)")
        return String(decoding: data, as: UTF8.self)
    }
}
