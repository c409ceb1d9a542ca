import Foundation
import XCTest
import SiteVocabulary

final class FixedFormatTests: XCTestCase {
    func testKnownRoundings() {
        XCTAssertEqual(fixedNotation(0.0005, decimals: 3), "0.001")    // stored just above the half
        XCTAssertEqual(fixedNotation(1.0005, decimals: 3), "1.000")    // stored just below the half
        XCTAssertEqual(fixedNotation(0.125, decimals: 2), "0.12")      // exact half: to even
        XCTAssertEqual(fixedNotation(0.375, decimals: 2), "0.38")
        XCTAssertEqual(fixedNotation(0, decimals: 6), "0.000000")
        XCTAssertEqual(fixedNotation(18234.56789, decimals: 3), "18234.568")
        XCTAssertEqual(fixedNotation(1e-9, decimals: 6), "0.000000")
    }

    func testMatchesPrintf() {
        var rng = SystemRandomNumberGenerator()
        for _ in 0..<20_000 {
            let magnitude = Double.random(in: -8...6, using: &rng)
            var v = Foundation.pow(10, magnitude) * Double.random(in: 1..<10, using: &rng)
            if Bool.random(using: &rng) { v = (v * 1000).rounded() / 1000 + 0.0005 }
            XCTAssertEqual(fixedNotation(v, decimals: 3), String(format: "%.3f", v), "\(v)")
            XCTAssertEqual(fixedNotation(v, decimals: 6), String(format: "%.6f", v), "\(v)")
        }
    }
}
