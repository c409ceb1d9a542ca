import Foundation
import SiteVocabulary
import XCTest
@testable import DriverCSV

/// RFC 4180 CSV in: quoted fields with commas, quotes and line breaks; every problem names
/// the file and the line.
final class CSVTableTests: XCTestCase {
    func file(_ text: String) throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("siteplan-csv-\(UUID().uuidString).csv").path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        addTeardownBlock { try? FileManager.default.removeItem(atPath: path) }
        return path
    }

    func testQuotedFieldsAndLineNumbers() throws {
        let path = try file("segment_id,status,date\r\nwater-1,laid,2026-01-02\n\"gas-2, east\",\"said \"\"laid\"\"\",\n\"multi\nline\",planned,\n")
        let table = try CSVTable(path: path, required: ["segment_id", "status"])
        XCTAssertEqual(table.header, ["segment_id", "status", "date"])
        XCTAssertEqual(table.records.map(\.line), [2, 3, 4])
        XCTAssertEqual(table.records[1].fields["segment_id"], "gas-2, east")
        XCTAssertEqual(table.records[1].fields["status"], "said \"laid\"")
        XCTAssertEqual(table.records[2].fields["segment_id"], "multi\nline")
    }

    func testProblemsNameTheFileAndLine() throws {
        let missing = try file("segment_id,date\nwater-1,2026-01-02\n")
        XCTAssertThrowsError(try CSVTable(path: missing, required: ["segment_id", "status"])) { error in
            XCTAssertEqual("\(error)", "\(missing): line 1: the header has no \"status\" column (expected segment_id,status)")
        }
        let short = try file("a,b\n1,2\n3\n")
        XCTAssertThrowsError(try CSVTable(path: short, required: ["a"])) { error in
            XCTAssertEqual("\(error)", "\(short): line 3: 1 fields, the header has 2")
        }
        let open = try file("a,b\n\"1,2\n")
        XCTAssertThrowsError(try CSVTable(path: open, required: ["a"])) { error in
            XCTAssertEqual("\(error)", "\(open): line 2: unterminated quoted field")
        }
    }
}

/// What spreadsheets save: a byte-order mark, semicolons.
final class SpreadsheetCSVTests: XCTestCase {
    func testAByteOrderMarkIsNotPartOfTheFirstColumn() throws {
        let table = try CSVTable(bytes: [0xEF, 0xBB, 0xBF] + Array("segment_id,status,date\nx,laid,2026-01-01\n".utf8), source: "bom.csv",
                                 required: ["segment_id", "status", "date"])
        XCTAssertEqual(table.header, ["segment_id", "status", "date"])
        XCTAssertEqual(table.records.first?.1["segment_id"], "x")
    }

    func testSemicolonsAreNamed() throws {
        XCTAssertThrowsError(try CSVTable(bytes: Array("segment_id;status;date\nx;laid;2026-01-01\n".utf8), source: "semi.csv", required: ["status"])) {
            XCTAssertTrue("\($0)".contains("semi.csv: line 1: the columns are separated by semicolons"), "\($0)")
        }
    }
}
