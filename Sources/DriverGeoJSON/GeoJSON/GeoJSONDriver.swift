import Dispatch
import SiteDrivers
import SiteVocabulary
import Synchronization

/// A GeoJSON file as a feature source: one layer, in WGS84 lon/lat (RFC 7946).
public struct GeoJSONSource: SingleFileSource {
    public let path: String

    public init(path: String) { self.path = path }

    public func readLayer(_ layer: String? = nil) throws -> Layer {
        Layer(name: layer ?? layerName, crs: .wgs84, features: try GeoJSONReader.read(file: path))
    }
}

/// Writes layers as GeoJSON: to a `.geojson` file, one FeatureCollection of every feature of
/// every layer (each feature keeps its `layer` property); to any other path, a folder with one
/// `<layer>.geojson` file per layer.
public struct GeoJSONSink: FeatureSink {
    public static let fileExtensions = ["geojson", "json"]
    public var writer: GeoJSONWriter
    /// The FeatureCollection's `name` (GDAL's layer name) when every layer goes into one file.
    public var collectionName: String?

    public init(writer: GeoJSONWriter = GeoJSONWriter(), collectionName: String? = nil) {
        self.writer = writer
        self.collectionName = collectionName
    }

    public func write(_ layers: [Layer], to path: String, in files: FileSet) throws {
        let lower = path.lowercased()
        if Self.fileExtensions.contains(where: { lower.hasSuffix("." + $0) }) {
            try files.add(path, text: try collection(layers))
        } else {
            // Every layer is rendered before the first is staged, so a failure stages nothing.
            for (file, text) in try rendered(layers, folder: path) { try files.add(file, text: text) }
        }
    }

    /// Each layer as a FeatureCollection text, with the file in `folder` it is written to
    /// (`folder/name.geojson`), in layer order.
    public func rendered(_ layers: [Layer], folder: String) throws -> [(path: String, text: String)] {
        try layers.map { (Self.layerPath($0.name, in: folder), try writer.featureCollection($0)) }
    }

    /// Stages each layer as `folder/name.geojson`, one after another, with the bytes `write`
    /// writes: its features projected and rendered on up to `threads` threads
    /// (`GeoJSONWriter.featureCollectionPieces`), then its file written and flushed on another
    /// thread while the next layer is rendered. Each layer's geometries are read on this thread
    /// first (`GeoJSONLayer`), so no geometry is used by two threads. At most two layers' text
    /// is held: the one being written and the one being rendered. A failed write throws its `OutputError` and stages no
    /// further layer; the set stays uncommitted.
    public func writeLayers(_ layers: [Layer], toFolder folder: String, in files: FileSet, threads: Int) throws {
        let writing = BackgroundWrite()
        defer { writing.wait() }
        for layer in layers {
            let pieces = try writer.featureCollectionPieces(GeoJSONLayer(layer), threads: threads)
            try writing.finish()
            let target = Self.layerPath(layer.name, in: folder)
            let temporary = try files.stage(target), flush = files.flushes
            writing.start { try FileSet.writeFile(temporary, parts: pieces, target: target, flush: flush) }
        }
        try writing.finish()
    }

    /// `folder/name.geojson`.
    static func layerPath(_ name: String, in folder: String) -> String {
        folder.hasSuffix("/") ? folder + name + ".geojson" : folder + "/" + name + ".geojson"
    }

    /// Every feature of every layer as one FeatureCollection, projected once to WGS84 lon/lat.
    public func collection(_ layers: [Layer]) throws -> String {
        let features = try layers.flatMap { try $0.projected(to: .wgs84).features }
        return try writer.featureCollection(lonLat: features, name: collectionName)
    }
}

/// One file write at a time on a thread of its own: `start` it, `finish` to wait and rethrow its error.
private final class BackgroundWrite: Sendable {
    private let group = DispatchGroup()
    private let failure = Mutex<(any Error)?>(nil)

    func start(_ body: @escaping @Sendable () throws -> Void) {
        DispatchQueue.global().async(group: group) {
            do { try body() } catch { self.failure.withLock { $0 = error } }
        }
    }

    /// Waits for the write under way, if any.
    func wait() { group.wait() }

    /// Waits for the write under way and rethrows its error.
    func finish() throws {
        group.wait()
        if let error = failure.withLock({ $0 }) { throw error }
    }
}
