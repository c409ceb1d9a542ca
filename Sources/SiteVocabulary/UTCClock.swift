#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The wall clock, in UTC, as the plan of record writes it.
public enum UTCClock {
    /// Now, to the second: `2026-12-03T09:15:00Z`.
    public static func timestamp() -> String {
        let (y, mo, d, h, mi, s) = parts()
        return "\(pad(y, 4))-\(pad(mo, 2))-\(pad(d, 2))T\(pad(h, 2)):\(pad(mi, 2)):\(pad(s, 2))Z"
    }

    /// Today's date in UTC.
    public static func today() -> ISODate {
        let (y, mo, d, _, _, _) = parts()
        return ISODate("\(pad(y, 4))-\(pad(mo, 2))-\(pad(d, 2))")!
    }

    private static func parts() -> (Int, Int, Int, Int, Int, Int) {
        var t = time(nil)
        var c = tm()
        gmtime_r(&t, &c)
        return (Int(c.tm_year) + 1900, Int(c.tm_mon) + 1, Int(c.tm_mday), Int(c.tm_hour), Int(c.tm_min), Int(c.tm_sec))
    }

    private static func pad(_ n: Int, _ w: Int) -> String { let s = String(n); return String(repeating: "0", count: max(0, w - s.count)) + s }
}
