import SiteDrivers
import SiteVocabulary

/// Attribute names that fit a Shapefile's 10-character `.dbf` field names, by a fixed mapping
/// that keeps them apart (`connected_water` → `conn_water`, never `connected_`, `connecte_1`),
/// and the sidecar `<stem>.fields.csv` that lists every short name with its full name, which
/// `OGRSource` reads back so a Shapefile round trip keeps the full names.
///
/// The mapping (documented in README.md): a name of 10 characters or fewer is kept; a known
/// name takes its abbreviation from `known`; any other is shortened word by word through
/// `words` and cut to 10 characters; a name still taken gets `_2`, `_3`, ... in place of its
/// last characters.
public enum ShapefileFieldNames {
    /// The abbreviations of siteplan's own long attribute names.
    public static let known: [String: String] = [
        "connected_water": "conn_water", "connected_sewer": "conn_sewer", "connected_power": "conn_power",
        "connected_gas": "conn_gas", "connected_telecom": "conn_telco", "connected_all": "conn_all",
        "geodesic_area_ha": "geod_ha", "perimeter_m": "perim_m", "footprint_m2": "fprint_m2",
        "building_id": "bldg_id", "target_area_ha": "target_ha", "household_id": "hh_id",
        "family_size": "fam_size", "dwelling_units": "dw_units",
    ]

    /// Word abbreviations for other long names, applied in order.
    public static let words: [(String, String)] = [
        ("connected", "conn"), ("geodesic", "geod"), ("perimeter", "perim"), ("footprint", "fprint"),
        ("building", "bldg"), ("household", "hh"), ("dwelling", "dw"), ("number", "no"), ("length", "len"),
        ("telecom", "telco"), ("status", "stat"), ("section", "sect"), ("_area", "_ar"),
    ]

    /// The short name of each of `names`, unique (case-insensitively, as the `.dbf` compares).
    public static func map(_ names: [String]) -> [String] {
        var taken = Set<String>()
        return names.map { full in
            var short = shorten(full)
            if taken.contains(short.lowercased()) {
                for n in 2... {
                    let suffix = "_\(n)"
                    let candidate = String(short.prefix(10 - suffix.count)) + suffix
                    if !taken.contains(candidate.lowercased()) { short = candidate; break }
                }
            }
            taken.insert(short.lowercased())
            return short
        }
    }

    static func shorten(_ name: String) -> String {
        if name.utf8.count <= 10 { return name }
        if let k = known[name] { return k }
        var s = name
        for (word, short) in words where s.utf8.count > 10 { s = s.replacingOccurrences(of: word, with: short) }
        while s.utf8.count > 10 { s.removeLast() }
        return s
    }

    /// The sidecar's text: `short_name,full_name`, one row per field, in field order.
    public static func sidecar(short: [String], full: [String]) -> String {
        var text = "short_name,full_name\n"
        for (s, f) in zip(short, full) { text += "\(csv(s)),\(csv(f))\n" }
        return text
    }

    /// Short name → full name from the sidecar beside `shp` (`x.shp` → `x.fields.csv`), nil
    /// when there is none.
    public static func readSidecar(forShapefile shp: String) throws -> [String: String]? {
        let path = String(shp.dropLast(4)) + ".fields.csv"
        guard FileIO.exists(path) else { return nil }
        let text = String(decoding: try FileIO.readBytes(path), as: UTF8.self)
        var map: [String: String] = [:]
        for (n, line) in text.split(separator: "\n").enumerated().dropFirst() {
            let parts = line.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: ["\""]) }
            guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty else {
                throw InputError(source: path, "line \(n + 1): expected short_name,full_name")
            }
            map[parts[0]] = parts[1]
        }
        return map
    }

    private static func csv(_ s: String) -> String {
        s.contains(where: { $0 == "," || $0 == "\"" }) ? "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : s
    }
}

extension String {
    fileprivate func replacingOccurrences(of target: String, with replacement: String) -> String {
        guard !target.isEmpty else { return self }
        var out = "", rest = Substring(self)
        while let r = rest.range(of: target) {
            out += rest[..<r.lowerBound] + replacement
            rest = rest[r.upperBound...]
        }
        return out + rest
    }

    fileprivate func trimmingCharacters(in set: Set<Character>) -> String {
        var s = Substring(self)
        while let f = s.first, set.contains(f) { s.removeFirst() }
        while let l = s.last, set.contains(l) { s.removeLast() }
        return String(s)
    }
}

extension Substring {
    fileprivate func range(of target: String) -> Range<Substring.Index>? {
        var i = startIndex
        while i < endIndex {
            if self[i...].hasPrefix(target) { return i..<index(i, offsetBy: target.count) }
            i = index(after: i)
        }
        return nil
    }
}
