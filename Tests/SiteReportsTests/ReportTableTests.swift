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
