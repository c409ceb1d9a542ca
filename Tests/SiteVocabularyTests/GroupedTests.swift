import XCTest
import SiteVocabulary

final class GroupedTests: XCTestCase {
    func testDigitsAreGroupedInThreesFromTheRight() {
        XCTAssertEqual(grouped(0, separator: ","), "0")
        XCTAssertEqual(grouped(999, separator: ","), "999")
        XCTAssertEqual(grouped(1_000, separator: ","), "1,000")
        XCTAssertEqual(grouped(21_727, separator: ","), "21,727")
        XCTAssertEqual(grouped(4_428_834, separator: "\u{2009}"), "4\u{2009}428\u{2009}834")
        XCTAssertEqual(grouped(-123_456, separator: " "), "-123 456")
        XCTAssertEqual(grouped(-12, separator: " "), "-12")
        XCTAssertEqual(grouped(Int.min, separator: ","), "-9,223,372,036,854,775,808")
    }
}
