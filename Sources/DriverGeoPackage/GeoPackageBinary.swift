import SiteGeometry
import SiteVocabulary

/// The GeoPackage geometry blob (OGC 12-128r18, clause 2.1.3): a `GP` header with the SRS id
/// and the envelope, then the geometry as ISO WKB.
///
///     let blob = try GeoPackageBinary.encode(footprint, srsID: 32638)
package enum GeoPackageBinary {
    /// Encodes `geometry` with a little-endian header and an `[minx, maxx, miny, maxy]`
    /// envelope (none for an empty geometry, which sets the empty flag instead).
    package static func encode(_ geometry: Geometry, srsID: Int32) throws -> [UInt8] {
        var out: [UInt8] = [0x47, 0x50, 0] // "GP", version 0
        let empty = geometry.isEmpty
        // flags: bit 0 = little-endian header; bits 1-3 = envelope kind (1: xy); bit 4 = empty.
        out.append(empty ? 0b0001_0001 : 0b0000_0011)
        withUnsafeBytes(of: srsID.littleEndian) { out.append(contentsOf: $0) }
        if !empty {
            let e = try geometry.envelope()
            for value in [e.minX, e.maxX, e.minY, e.maxY] {
                withUnsafeBytes(of: value.bitPattern.littleEndian) { out.append(contentsOf: $0) }
            }
        }
        out.append(contentsOf: try geometry.wkb())
        return out
    }

    /// A decoded blob: the SRS id in the header and the geometry.
    package struct Decoded {
        package let srsID: Int32
        package let geometry: Geometry
    }

    /// Decodes a blob; `what` names it in errors ("parcels, feature 3").
    package static func decode(_ bytes: [UInt8], what: String) throws -> Decoded {
        guard bytes.count >= 8, bytes[0] == 0x47, bytes[1] == 0x50 else {
            throw InputError("\(what): the geometry is not a GeoPackage blob (no \"GP\" magic)")
        }
        guard bytes[2] == 0 else { throw InputError("\(what): unsupported GeoPackage blob version \(bytes[2])") }
        let flags = bytes[3]
        guard flags & 0b0010_0000 == 0 else { throw InputError("\(what): extended GeoPackage geometries are not supported") }
        let littleEndian = flags & 1 == 1
        let raw = UInt32(bytes[4]) | UInt32(bytes[5]) << 8 | UInt32(bytes[6]) << 16 | UInt32(bytes[7]) << 24
        let srs = Int32(bitPattern: littleEndian ? raw : raw.byteSwapped)
        let envelopeDoubles: Int
        switch (flags >> 1) & 0b111 {
        case 0: envelopeDoubles = 0
        case 1: envelopeDoubles = 4
        case 2, 3: envelopeDoubles = 6
        case 4: envelopeDoubles = 8
        case let k: throw InputError("\(what): invalid envelope indicator \(k) in the GeoPackage blob")
        }
        let start = 8 + envelopeDoubles * 8
        guard bytes.count > start else { throw InputError("\(what): the GeoPackage blob ends inside its header") }
        do {
            return Decoded(srsID: srs, geometry: try Geometry(wkb: Array(bytes[start...])))
        } catch {
            throw InputError("\(what): the WKB after the GeoPackage header cannot be read: \(error)")
        }
    }
}
