import Foundation
import XCTest

/// `siteplan map --out x.pdf`: a PDF sheet of the requested paper, byte-identical on a second
/// run; bad --paper, --scale and --dpi, and a scale the plan does not fit, are clear errors
/// that write nothing.
final class PrintSheetCLITests: XCTestCase {
    func pdfinfo(_ path: String) throws -> String { try CLIRunner.tool("/usr/bin/pdfinfo", [path]) }

    func testPDFSheetIsWrittenWholeAndTheSameTwice() throws {
        let folder = try CLIRunner.temporaryFolder(self)
        let a = folder.appendingPathComponent("a.pdf").path, b = folder.appendingPathComponent("b.pdf").path
        for path in [a, b] {
            let result = try CLIRunner.run(["map", "--out", path, "--paper", "A2", "--landscape", "--dpi", "150"])
            XCTAssertEqual(result.status, 0, result.stderr)
        }
        let info = try pdfinfo(a)
        XCTAssertTrue(info.contains("1683.78 x 1190.55 pts (A2)"), info)
        XCTAssertTrue(info.contains("A2 landscape, 1:10000, EPSG:32638"), "the subject names sheet, scale and CRS: \(info)")
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: a)), try Data(contentsOf: URL(fileURLWithPath: b)), "byte-identical")
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted(), ["a.pdf", "b.pdf"], "no temporary file left")
    }

    func testBadSheetOptionsAreClearErrors() throws {
        let folder = try CLIRunner.temporaryFolder(self)
        let out = folder.appendingPathComponent("x.pdf").path
        try CLIRunner.assertFails(["map", "--out", out, "--paper", "B5"], "--paper B5: unknown paper size; siteplan prints on A1, A2, A3, A4")
        try CLIRunner.assertFails(["map", "--out", out, "--scale", "1:0"], "--scale 1:0: not a map scale; give it as 1:N")
        try CLIRunner.assertFails(["map", "--out", out, "--scale", "5000:1"], "--scale 5000:1: not a map scale")
        try CLIRunner.assertFails(["map", "--out", out, "--dpi", "10"], "--dpi 10: the resolution must be between 72 and 2400 dots per inch")
        try CLIRunner.assertFails(["map", "--out", out, "--paper", "A3", "--landscape", "--scale", "1:5000"],
                                  "--scale 1:5000: the plan does not fit the A3 landscape sheet at that scale",
                                  "the largest standard scale at which it fits is 1:20000", "--tile")
        try CLIRunner.assertFails(["map", "--out", folder.appendingPathComponent("x.svg").path, "--paper", "A3"],
                                  "--paper applies to a PDF sheet: give --out FILE.pdf")
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: folder.path), [], "nothing written")
    }

    func testTiledSheetsOnePagePerSheet() throws {
        let folder = try CLIRunner.temporaryFolder(self)
        let out = folder.appendingPathComponent("tiles.pdf").path
        let result = try CLIRunner.run(["map", "--out", out, "--paper", "A3", "--landscape", "--scale", "1:5000", "--tile"])
        XCTAssertEqual(result.status, 0, result.stderr)
        let pages = try pdfinfo(out).split(separator: "\n").first { $0.hasPrefix("Pages:") }
        XCTAssertEqual(pages.map { Int($0.split(separator: " ").last ?? "") ?? 0 } ?? 0 > 1, true, "\(pages ?? "")")
    }
}
