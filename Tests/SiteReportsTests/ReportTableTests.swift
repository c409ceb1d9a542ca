import XCTest
import SiteReports

final class ReportTableTests: XCTestCase {
    /// Every CSV siteplan writes quotes a field holding a comma, a quote, a CR or an LF.
    func testReportTableCSVQuotesPerRFC4180() {
        var table = ReportTable(columns: ["id", "note, with comma", "n"])
        table.append([.text("plain"), .text("say \"hi\""), .integer(1)])
        table.append([.text("two\nlines"), .text("crlf\r\nend"), .number(2.5, decimals: 2)])
        table.append([.text("cr\ronly"), .text(""), .null])
        XCTAssertEqual(table.csv(), "id,\"note, with comma\",n\n"
                                  + "plain,\"say \"\"hi\"\"\",1\n"
                                  + "\"two\nlines\",\"crlf\r\nend\",2.50\n"
                                  + "\"cr\ronly\",,\n")
    }
}

/// A position typed by a person: plain decimal numbers, longitude first.
final class PositionTextTests: XCTestCase {
    func testPlainDecimalsAreReadAndEverythingElseIsRefusedInWords() throws {
        let p = try PositionText.parse("46.7953,39.9167")
        XCTAssertEqual(p.lon, 46.7953)
        XCTAssertEqual(p.lat, 39.9167)
        XCTAssertEqual(try PositionText.parse(" -0.5 , +.25 ").lon, -0.5)
        for bad in ["0x1p5,39.91", "\u{200B}46.79,39.91", "46.79,39.91\u{0}", "4.6e1,39.9", "inf,0", "nan,0", "46.79", "46.79,39.91,1", "1..2,3", "-,3", "46,79,39,91", "٤٦,39"] {
            XCTAssertThrowsError(try PositionText.parse(bad), bad) { error in
                XCTAssertTrue("\(error)".contains("expected longitude,latitude"), "\(error)")
            }
        }
        XCTAssertThrowsError(try PositionText.parse("39.91,146.79")) { XCTAssertTrue("\($0)".contains("latitude 146.79 is out of range"), "\($0)") }
    }
}
