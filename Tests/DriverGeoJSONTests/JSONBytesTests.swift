import Foundation
import SiteVocabulary
import XCTest
@testable import DriverGeoJSON

/// The byte writers the GeoJSON writer uses, against `JSONWriter`'s String writers they stand
/// in for: the same bytes for every value.
final class JSONBytesTests: XCTestCase {
    func fixed(_ x: Double, _ decimals: Int) -> String {
        var out: [UInt8] = Array("[".utf8)
        JSONBytes.appendFixed(x, decimals: decimals, to: &out)
        return String(decoding: out.dropFirst(), as: UTF8.self)
    }

    func testFixedDecimalsAreJSONWritersOnManyValues() {
        var random = SystemRandomNumberGenerator()
        var values: [Double] = [0, -0.0, 0.5, -0.5, 1.5, 2.5, -2.5, 0.125, 0.375, 1e-7, -1e-7, 5e-8, -5e-8, 4.5e-8, 1.0005, 2.0005,
                                46.79, 39.91, -46.79, 1e12, 1e15, 1e17, 1e22, -1e22, 123_456_789.123_456_7, .leastNonzeroMagnitude,
                                .leastNormalMagnitude, .greatestFiniteMagnitude, -.greatestFiniteMagnitude, .ulpOfOne, 9.999_999_95, -9.999_999_95]
        for _ in 0..<20_000 {
            let magnitude = Double.random(in: -12...17, using: &random)
            var v = Foundation.pow(10, magnitude) * Double.random(in: 1..<10, using: &random)
            if Bool.random(using: &random) { v = -v }
            values.append(v)
        }
        // Exact binary ties at each precision: k / 2 / 10^d for small k (round half to even),
        // and lon/lat-like values at 7 decimals plus half a unit.
        for d in 0...9 {
            for k in 0..<40 { values.append((Double(k) + 0.5) / Foundation.pow(10, Double(d))) }
        }
        for _ in 0..<5_000 {
            let base = (Double.random(in: 30...60, using: &random) * 1e7).rounded() / 1e7
            values.append(base + 0.000_000_05)
            values.append(-(base + 0.000_000_05))
        }
        for v in values {
            for d in 0...15 { XCTAssertEqual(fixed(v, d), JSONWriter.fixed(v, decimals: d), "\(v) to \(d) decimals") }
        }
    }

    func testNumbersStringsAndValuesAreJSONWriters() {
        let numbers: [Double] = [0, -0.0, 1, -1, 160, 0.1, -0.25, 1e15, 1e15 - 1, -1e15 + 1, 999_999_999_999_999, 1e-7, 1e20, 1.5e300, 123.456, 0.1 + 0.2,
                                 Double(Int64.max), 4_419_300.123_456]
        for n in numbers {
            var out: [UInt8] = []
            JSONBytes.appendNumber(n, to: &out)
            XCTAssertEqual(String(decoding: out, as: UTF8.self), JSONWriter.formatNumber(n), "\(n)")
        }
        let strings = ["", "P1-A", "quote \" and \\ back", "new\nline\ttab\r", "\u{01}\u{1f}\u{7f}", "Xocalı, Ağdam", "emoji 🏠", "/slash"]
        for s in strings {
            var out: [UInt8] = []
            JSONBytes.appendString(s, to: &out)
            var text = ""
            JSONWriter.writeString(s, into: &text)
            XCTAssertEqual(String(decoding: out, as: UTF8.self), text, s)
        }
        let value: JSONValue = .array([.null, true, false, 3, -2.5, "a\"b", .array([]), .object(JSONObject()),
                                       .object(JSONObject([("k", 1), ("nested", .array([1e-9, .object(JSONObject([("x", "y")]))]))]))])
        var out: [UInt8] = []
        JSONBytes.append(value, to: &out)
        XCTAssertEqual(String(decoding: out, as: UTF8.self), JSONWriter.write(value))
    }
}
