/// Fixed-notation decimal text of a Double, correctly rounded (round half to even on the exact
/// binary value), byte for byte what C's and Python's `"%.3f"` / `"%.6f"` print.
///
///     fixedNotation(2.0005, decimals: 3)   // "2.001" (2.0005 is stored as 2.000500000000000078...)
public func fixedNotation(_ value: Double, decimals: Int) -> String {
    var bytes: [UInt8] = []
    appendFixedNotation(value, decimals: decimals, to: &bytes)
    return String(decoding: bytes, as: UTF8.self)
}

private let powersOfTen: [UInt128] = (0...18).map { e in (0..<e).reduce(UInt128(1)) { r, _ in r * 10 } }

/// Appends `value` in fixed notation with `decimals` digits after the point (integer arithmetic
/// for 0...9 decimals, C's formatter beyond).
public func appendFixedNotation(_ value: Double, decimals: Int, to out: inout [UInt8]) {
    if decimals > 9 || decimals < 0 { out.append(contentsOf: Array(cFixedNotation(value, decimals: max(0, decimals)).utf8)); return }
    if value.isNaN { out.append(contentsOf: Array("nan".utf8)); return }
    if value.isInfinite { out.append(contentsOf: Array((value < 0 ? "-inf" : "inf").utf8)); return }
    if value.sign == .minus { out.append(UInt8(ascii: "-")) }
    let v = abs(value)
    if decimals <= 3 && v < 1e12 && v.isNormal {
        appendFixedNotationSmall(v, decimals: decimals, to: &out)
        return
    }
    // v = m · 2^e exactly, m < 2^53.
    let m = UInt128(v.significandBitPattern | (v.isNormal ? (1 << 52) : 0))
    let e = v.isNormal ? Int(v.exponent) - 52 : -1074
    let scaled = m * powersOfTen[decimals]          // < 2^83
    var q: UInt128
    if e >= 0 {
        if e > 40 {
            // Beyond about 1e12·10^decimals: C's formatter, which glibc rounds exactly too.
            out.append(contentsOf: Array(cFixedNotation(v, decimals: decimals).utf8))
            return
        }
        q = scaled << UInt128(e)
    } else if -e >= 127 {
        q = 0
    } else {
        let k = UInt128(-e)
        q = scaled >> k
        let rem = scaled & ((UInt128(1) << k) - 1)
        let half = UInt128(1) << (k - 1)
        if rem > half || (rem == half && q & 1 == 1) { q += 1 }
    }
    let unit = powersOfTen[decimals]
    let intPart: UInt128, frac: UInt128
    if q <= UInt128(UInt64.max) {
        let q64 = UInt64(q), u64 = UInt64(unit)
        intPart = UInt128(q64 / u64); frac = UInt128(q64 % u64)
    } else {
        intPart = q / unit; frac = q % unit
    }
    appendDecimal(intPart, to: &out)
    if decimals > 0 {
        out.append(UInt8(ascii: "."))
        let start = out.count
        out.append(contentsOf: repeatElement(UInt8(ascii: "0"), count: decimals))
        var f = UInt64(frac)
        for i in stride(from: decimals - 1, through: 0, by: -1) { out[start + i] = UInt8(ascii: "0") + UInt8(f % 10); f /= 10 }
    }
}

@inline(__always)
private func appendDecimal(_ value: UInt128, to out: inout [UInt8]) {
    if value == 0 { out.append(UInt8(ascii: "0")); return }
    if value > UInt128(UInt64.max) { out.append(contentsOf: Array(String(value).utf8)); return }
    var v = UInt64(value)
    var buf: (UInt64, UInt64, UInt64) = (0, 0, 0)
    var n = 0
    withUnsafeMutableBytes(of: &buf) { raw in
        while v > 0 { raw[n] = UInt8(ascii: "0") + UInt8(v % 10); v /= 10; n += 1 }
        for i in stride(from: n - 1, through: 0, by: -1) { out.append(raw[i]) }
    }
}

private let smallPowersOfTen: [UInt64] = [1, 10, 100, 1000]

/// The 64-bit path for up to 3 decimals: m · 10^3 < 2^63 for any 53-bit significand m.
@inline(__always)
private func appendFixedNotationSmall(_ v: Double, decimals: Int, to out: inout [UInt8]) {
    let m = v.significandBitPattern | (1 << 52)
    let e = Int(v.exponent) - 52
    let unit = smallPowersOfTen[decimals]
    let scaled = m &* unit
    var q: UInt64
    if e >= 0 {
        q = scaled << UInt64(e)       // v < 1e12, so no overflow
    } else if -e >= 64 {
        q = 0                         // scaled < 2^63 <= half of 2^k: rounds to 0
    } else {
        let k = UInt64(-e)
        q = scaled >> k
        let rem = scaled & ((1 << k) - 1)
        let half: UInt64 = 1 << (k - 1)
        if rem > half || (rem == half && q & 1 == 1) { q += 1 }
    }
    var intPart = q / unit
    var frac = q % unit
    // Digits into a small buffer, written once.
    withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 32) { buf in
        var n = 32
        if decimals > 0 {
            for _ in 0..<decimals { n -= 1; buf[n] = UInt8(ascii: "0") + UInt8(frac % 10); frac /= 10 }
            n -= 1; buf[n] = UInt8(ascii: ".")
        }
        repeat { n -= 1; buf[n] = UInt8(ascii: "0") + UInt8(intPart % 10); intPart /= 10 } while intPart > 0
        out.append(contentsOf: UnsafeBufferPointer(rebasing: buf[n..<32]))
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// C's `"%.*f"`: glibc rounds exactly, half to even on the binary value. The slow path, for
/// values beyond the integer arithmetic above.
func cFixedNotation(_ value: Double, decimals: Int) -> String {
    var buffer = [CChar](repeating: 0, count: 400)
    let n = buffer.withUnsafeMutableBufferPointer { b in
        withVaList([Int32(decimals), value]) { vsnprintf(b.baseAddress, b.count, "%.*f", $0) }
    }
    if Int(n) >= buffer.count {
        buffer = [CChar](repeating: 0, count: Int(n) + 1)
        _ = buffer.withUnsafeMutableBufferPointer { b in withVaList([Int32(decimals), value]) { vsnprintf(b.baseAddress, b.count, "%.*f", $0) } }
    }
    return String(decoding: buffer.prefix(Int(n)).map { UInt8(bitPattern: $0) }, as: UTF8.self)
}

/// A whole number with its digits grouped in threes: `grouped(-1234567, separator: ",")` is
/// "-1,234,567". The one thousands grouping of reports (costs) and sheets (grid labels).
public func grouped(_ n: Int, separator: String) -> String {
    let digits = String(n.magnitude)
    var out = n < 0 ? "-" : ""
    for (i, c) in digits.enumerated() {
        if i > 0 && (digits.count - i) % 3 == 0 { out += separator }
        out.append(c)
    }
    return out
}
