import Foundation
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
    /// The audit's choices beyond its inputs.
    public struct Options: Sendable {
        /// The planar CRS the audit measures in; nil for the UTM zone of the parcels (`auto`).
        public var crs: CRS?
        /// Connected to a utility within this distance, metres.
        public var thresholdMetres: Double

        public init(crs: CRS? = AuditProjection.defaultCRS, thresholdMetres: Double = ConnectionAudit.defaultThresholdMetres) {
            self.crs = crs
            self.thresholdMetres = thresholdMetres
        }
    }

    /// Where the audit's three layers come from.
    public enum Source: Sendable {
        /// Three RFC 7946 FeatureCollections (WGS84 lon/lat).
        case files(parcels: String, buildings: String, network: String)
        /// The latest revision of a plan of record (a GeoPackage file or a PostGIS URL, as
        /// `--store` takes it), each network segment's status from its works history as of
        /// `asOf` (nil: every recorded event, as the store's `network_status` view shows it).
        case store(location: String, asOf: ISODate?)
    }

    /// The three inputs in a folder `siteplan plan --out` wrote (its layers are the audit's input
    /// schema); a scenario folder is named as such.
    public static func planInputs(folder: String) throws -> (parcels: String, buildings: String, network: String) {
        let folder = folder.hasSuffix("/") ? String(folder.dropLast()) : folder
        if !FileIO.exists(folder + "/network.geojson") && FileIO.exists(folder + "/" + ScenarioReader.manifestName) {
            throw InputError(source: folder, "is a scenario folder, not a plan: run siteplan plan --scenario \(folder) --out DIR, then audit --plan DIR")
        }
        return (folder + "/parcels.geojson", folder + "/buildings.geojson", folder + "/network.geojson")
    }

    /// Refuses an input that is not GeoJSON by its name, before reading it.
    static func checkGeoJSON(_ path: String) throws {
        let lower = path.lowercased()
        guard let ext = [".gpkg", ".shp", ".csv", ".kml", ".dxf", ".fgb"].first(where: lower.hasSuffix) else { return }
        throw InputError(source: path, "the audit reads GeoJSON FeatureCollections, not \(ext) files; convert it first, e.g. ogr2ogr -f GeoJSON out.geojson \((path as NSString).lastPathComponent)")
    }

    /// What a run did: the time of each step and the CRS it measured in.
    public struct Summary: Sendable {
        public var timings: StepTimings
        public var crs: CRS
    }

    /// Runs the audit, files to files.
    @discardableResult
    public static func run(parcels: String, buildings: String, network: String, outputDirectory: String,
                           options: Options = Options(), threads: Int = availableCores,
                           progress: AuditProgress? = nil) throws -> Summary {
        try run(.files(parcels: parcels, buildings: buildings, network: network), outputDirectory: outputDirectory,
                options: options, threads: threads, progress: progress)
    }

    /// Runs the audit on `source`, writing the two reports into `outputDirectory`.
    @discardableResult
    public static func run(_ source: Source, outputDirectory: String, options: Options = Options(), threads: Int = availableCores,
                           progress: AuditProgress? = nil) throws -> Summary {
        var timings = StepTimings()
        let threads = max(1, threads)
        let loaded = try load(source, options: options, threads: threads, progress: progress, timings: &timings)
        let input = loaded.input, buildingOrder = loaded.buildingOrder, crs = loaded.crs
        let parcels = loaded.labels.parcels
        let result: AuditResult
        do {
            result = try ConnectionAudit.run(input, thresholdMetres: options.thresholdMetres, threads: threads, progress: progress)
        } catch let error as InputError {
            // The audit names parcels by index and id; the file is the parcels file.
            throw error.inSource(parcels)
        }
        // A parcel with no area has no coverage or connected share: bad input, not a "nan" row.
        if let p = result.parcels.areaM2.firstIndex(where: { !($0 > 0) }) {
            throw InputError(source: parcels, feature: FeatureRef(index: p, id: input.parcelIDs.string(p)),
                             "the parcel has no area (its ring collapses to a line or a point)")
        }
        timings.append(result.timings)

        try AuditCSVWriter.write(result, buildingIDs: input.buildingIDs, buildingOrder: buildingOrder, parcelIDs: input.parcelIDs,
                                 to: outputDirectory, threads: threads, progress: progress)
        timings.lap("write")
        return Summary(timings: timings, crs: crs)
    }

    /// The names of the three inputs in messages: the files, or the store's tables.
    struct Labels: Sendable {
        var parcels: String, buildings: String, network: String
    }

    /// Reads, checks and projects the three inputs: the audit's input in its planar CRS, the
    /// buildings in id order, the CRS and the inputs' names for messages.
    static func load(_ source: Source, options: Options, threads: Int, progress: AuditProgress?,
                     timings: inout StepTimings) throws -> (input: AuditInput, buildingOrder: [Int32], crs: CRS, labels: Labels) {
        var b: ColumnarFeatures, n: ColumnarFeatures, p: ColumnarFeatures
        let labels: Labels
        switch source {
        case let .files(parcels, buildings, network):
            labels = Labels(parcels: parcels, buildings: buildings, network: network)
            (p, b, n) = try readFiles(parcels: parcels, buildings: buildings, network: network, threads: threads, progress: progress)
            timings.lap("parse")
        case let .store(location, asOf):
            let read = try AuditStoreInput.read(location, asOf: asOf, progress: progress)
            (p, b, n) = (read.parcels, read.buildings, read.network)
            labels = read.labels
            timings.lap("read")
        }
        let parcels = labels.parcels

        // project
        progress?.begin("project (vertices)", total: b.polygons.vertexCount + n.lines.vertexCount + p.polygons.vertexCount)
        let parcelsLonLat = p.polygons
        guard let crs = options.crs ?? AuditProjection.utmZone(of: p.polygons)?.crs else {
            throw InputError(source: parcels, "--crs auto needs at least one parcel to find the UTM zone")
        }
        // Parcels written latitude-first land outside a given UTM zone, where swapped they fit.
        if options.crs != nil, let centre = AuditProjection.lonLatCentre(of: p.polygons),
           let problem = AxisOrderCheck.swappedReading(centre, crs: crs, what: "the parcels' centre") {
            throw InputError(source: parcels, problem)
        }
        try AuditProjection.projectPolygons(&p.polygons, to: crs, threads: threads, progress: progress)
        try AuditProjection.projectPolygons(&b.polygons, to: crs, threads: threads, progress: progress)
        try AuditProjection.projectLines(&n.lines, to: crs, threads: threads, progress: progress)
        timings.lap("project")

        let buildingOrder = b.idOrder
        let input = AuditInput(parcelIDs: p.ids, parcels: p.polygons, parcelsLonLat: parcelsLonLat,
                               buildingIDs: b.ids, buildings: b.polygons,
                               networkIDs: n.ids, network: n.lines, utility: n.utility, status: n.status)
        return (input, buildingOrder, crs, labels)
    }

    /// Parses the three files side by side, largest first.
    static func readFiles(parcels: String, buildings: String, network: String, threads: Int,
                          progress: AuditProgress?) throws -> (ColumnarFeatures, ColumnarFeatures, ColumnarFeatures) {
        for path in [parcels, buildings, network] { try checkGeoJSON(path) }
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
        return (layers[2]!, layers[0]!, layers[1]!)
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
