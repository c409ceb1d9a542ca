import SiteAudit
import SiteVocabulary
import SiteDrivers
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Writes `buildings.csv` and `parcels.csv` in the byte format of WORKLOAD.md: `,`-separated,
/// `\n` line ends, rows sorted by id in byte order, floats in fixed notation correctly rounded
/// (`%.3f`, ratios `%.6f`), empty fields for missing values. An id holding a comma or a quote
/// is quoted per RFC 4180 (`CSVField`); WORKLOAD.md's ids never need it, so their bytes are
/// unchanged.
///
/// Both files are one `FileSet`: written under temporary names in the output directory and
/// renamed only when both are complete, so a failure leaves no partial CSV.
public enum AuditCSVWriter {
    public static let buildingsHeader = "id,parcel_id,dist_water,dist_sewer,dist_power,dist_gas,dist_telecom,connected\n"
    private static let trueField = Array(",true\n".utf8), falseField = Array(",false\n".utf8)
    public static let parcelsHeader = "id,area_ha,geodesic_area_ha,buildings,footprint_m2,coverage,connected_share,network_m,built_m,works_complete\n"

    /// The rows of `buildings.csv` for buildings `order[range]`.
    static func buildingRows(_ r: AuditResult, buildingIDs: ByteStrings, order: [Int32], parcelIDs: ByteStrings,
                             range: Range<Int>, into out: inout [UInt8]) {
        let b = r.buildings
        let trueField = AuditCSVWriter.trueField, falseField = AuditCSVWriter.falseField
        for k in range {
            let i = Int(order[k])
            CSVField.append(buildingIDs.bytes, buildingIDs.offsets[i]..<buildingIDs.offsets[i + 1], to: &out)
            out.append(UInt8(ascii: ","))
            let p = Int(b.parcel[i])
            if p >= 0 { CSVField.append(parcelIDs.bytes, parcelIDs.offsets[p]..<parcelIDs.offsets[p + 1], to: &out) }
            for u in 0..<b.distanceMetres.count {
                out.append(UInt8(ascii: ","))
                let d = b.distanceMetres[u][i]
                if !d.isNaN { appendFixedNotation(d, decimals: 3, to: &out) }
            }
            if b.connected[i] { out.append(contentsOf: trueField) } else { out.append(contentsOf: falseField) }
        }
    }

    /// One row of `buildings.csv` (with its `\n`), byte for byte as `write` formats it: `parcel`
    /// -1 for none, NaN distances empty. For the tiled audit, which formats rows tile by tile.
    public static func appendBuildingRow(id: ByteStrings, _ i: Int, parcelIDs: ByteStrings, parcel: Int,
                                         distanceMetres: [Double], connected: Bool, to out: inout [UInt8]) {
        CSVField.append(id.bytes, id.offsets[i]..<id.offsets[i + 1], to: &out)
        out.append(UInt8(ascii: ","))
        if parcel >= 0 { CSVField.append(parcelIDs.bytes, parcelIDs.offsets[parcel]..<parcelIDs.offsets[parcel + 1], to: &out) }
        for d in distanceMetres {
            out.append(UInt8(ascii: ","))
            if !d.isNaN { appendFixedNotation(d, decimals: 3, to: &out) }
        }
        out.append(contentsOf: connected ? trueField : falseField)
    }

    /// The whole `parcels.csv` text.
    static func parcelsCSV(_ r: AuditResult, parcelIDs: ByteStrings) -> [UInt8] {
        parcelsCSV(r.parcels, parcelIDs: parcelIDs)
    }

    /// The whole `parcels.csv` text of `p`, rows sorted by id.
    public static func parcelsCSV(_ p: ParcelResults, parcelIDs: ByteStrings) -> [UInt8] {
        var out = Array(parcelsHeader.utf8)
        for i in parcelIDs.sortedOrder().map(Int.init) {
            CSVField.append(parcelIDs.bytes, parcelIDs.offsets[i]..<parcelIDs.offsets[i + 1], to: &out)
            for (v, d) in [(p.areaM2[i] / 10_000, 3), (p.geodesicAreaM2[i] / 10_000, 3)] {
                out.append(UInt8(ascii: ",")); appendFixedNotation(v, decimals: d, to: &out)
            }
            out.append(UInt8(ascii: ",")); out.append(contentsOf: Array(String(p.buildings[i]).utf8))
            for (v, d) in [(p.footprintM2[i], 3), (p.coverage[i], 6), (p.connectedShare[i], 6),
                           (p.networkMetres[i], 3), (p.builtMetres[i], 3), (p.worksComplete[i], 6)] {
                out.append(UInt8(ascii: ",")); appendFixedNotation(v, decimals: d, to: &out)
            }
            out.append(UInt8(ascii: "\n"))
        }
        return out
    }

    /// Formats and writes both files into `directory` (created if missing).
    public static func write(_ result: AuditResult, buildingIDs: ByteStrings, buildingOrder: [Int32], parcelIDs: ByteStrings,
                             to directory: String, threads: Int, progress: AuditProgress? = nil) throws {
        // The output folder first, before the formatting work: a bad --out fails at once.
        try FileSet.makeFolders(directory, for: directory)
        let nb = buildingOrder.count
        let chunk = 65_536
        let chunks = (nb + chunk - 1) / chunk
        var parts = [[UInt8]](repeating: [], count: chunks)
        progress?.begin("write", total: nb)
        try parts.withUnsafeMutableBufferPointer { partsBuffer in
          let out = Shared(partsBuffer)
          let ctx = Shared((result, buildingIDs, buildingOrder, parcelIDs))
          try parallelChunks(chunks, threads: threads) { c, _ in
            let (result, buildingIDs, buildingOrder, parcelIDs) = ctx.value
            var bytes: [UInt8] = []
            bytes.reserveCapacity(chunk * 90)
            let range = (c * chunk)..<min(nb, (c + 1) * chunk)
            buildingRows(result, buildingIDs: buildingIDs, order: buildingOrder, parcelIDs: parcelIDs, range: range, into: &bytes)
            out.value[c] = bytes
            progress?.advance(range.count)
          }
        }
        // One file set: both CSVs appear together, or neither changes.
        let files = FileSet()
        try files.add(directory + "/buildings.csv", parts: [Array(buildingsHeader.utf8)] + parts)
        try files.add(directory + "/parcels.csv", bytes: parcelsCSV(result, parcelIDs: parcelIDs))
        try files.commit()
    }
}
