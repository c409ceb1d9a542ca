import SiteGeometry
import SiteProjection
import DriverGeoPackage
import DriverGeoJSON
import DriverCSV
import SiteDrivers
import SiteAudit
import SiteVocabulary

/// The connection audit from files to files: reads the three GeoJSON inputs, projects them,
/// runs `ConnectionAudit` and writes the two CSV reports.
///
///     let timings = try AuditFiles.run(parcels: "p.geojson", buildings: "b.geojson",
///                                      network: "n.geojson", outputDirectory: "out", threads: 2)
public enum AuditFiles {
    public static func run(parcels: String, buildings: String, network: String, outputDirectory: String,
                           threads: Int = availableCores, progress: AuditProgress? = nil) throws -> StepTimings {
        var timings = StepTimings()
        let threads = max(1, threads)

        // parse: the three files side by side, largest first
        let files: [(String, FeatureCollectionReader.Kind)] = [(buildings, .polygons), (network, .network), (parcels, .polygons)]
        var sizes = 0
        for (path, _) in files { sizes += fileSize(path) }
        progress?.begin("parse (bytes)", total: sizes)
        var layers = [ColumnarFeatures?](repeating: nil, count: 3)
        try layers.withUnsafeMutableBufferPointer { layersBuffer in
            let out = Shared(layersBuffer)
            let cancel = CancellationFlag()
            try parallelChunks(3, threads: threads) { i, _ in
                do {
                    out.value[i] = try FeatureCollectionReader.read(files[i].0, kind: files[i].1, progress: progress, cancel: cancel)
                } catch {
                    cancel.cancel()
                    throw error
                }
            }
        }
        var b = layers[0]!, n = layers[1]!, p = layers[2]!
        layers = []
        timings.lap("parse")

        // project
        progress?.begin("project (vertices)", total: b.polygons.vertexCount + n.lines.vertexCount + p.polygons.vertexCount)
        let parcelsLonLat = p.polygons
        try AuditProjection.projectPolygons(&p.polygons, threads: threads, progress: progress)
        try AuditProjection.projectPolygons(&b.polygons, threads: threads, progress: progress)
        try AuditProjection.projectLines(&n.lines, threads: threads, progress: progress)
        timings.lap("project")

        let buildingOrder = b.idOrder
        let input = AuditInput(parcelIDs: p.ids, parcels: p.polygons, parcelsLonLat: parcelsLonLat,
                               buildingIDs: b.ids, buildings: b.polygons,
                               networkIDs: n.ids, network: n.lines, utility: n.utility, status: n.status)
        b = ColumnarFeatures(); n = ColumnarFeatures(); p = ColumnarFeatures()
        let result = try ConnectionAudit.run(input, threads: threads, progress: progress)
        timings.append(result.timings)

        try AuditCSVWriter.write(result, buildingIDs: input.buildingIDs, buildingOrder: buildingOrder, parcelIDs: input.parcelIDs,
                                 to: outputDirectory, threads: threads, progress: progress)
        timings.lap("write")
        return timings
    }

    private static func fileSize(_ path: String) -> Int {
        var st = stat()
        return stat(path, &st) == 0 ? Int(st.st_size) : 0
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
