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

    /// Starts staging each layer as `folder/name.geojson` and returns as soon as every layer's
    /// geometries are read, on this thread (`GeoJSONLayer`), so no geometry is used by two
    /// threads and the caller may go on with its own GEOS work. On another thread, each layer
    /// is then projected and rendered on up to `threads` threads
    /// (`GeoJSONWriter.featureCollectionPieces`) and its file written and flushed on a third
    /// while the next layer is rendered; at most two layers' text is held. The files are the
    /// bytes `write` writes, whatever `threads` is. Call `LayerWrites.finish()` before committing
    /// `files`: it waits and throws the first failure (an `OutputError` or a projection error);
    /// after a failure no further layer is written, and the set is left uncommitted (every
    /// layer's file is staged here, before any is written).
    public func startWritingLayers(_ layers: [Layer], toFolder folder: String, in files: FileSet, threads: Int) throws -> LayerWrites {
        var jobs: [(layer: GeoJSONLayer, temporary: String, target: String)] = []
        for layer in layers {
            let target = Self.layerPath(layer.name, in: folder)
            jobs.append((try GeoJSONLayer(layer), try files.stage(target), target))
        }
        return LayerWrites(jobs, files: files, writer: writer, threads: threads)
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

/// The GeoJSON layers `GeoJSONSink.startWritingLayers` renders and writes on other threads.
/// `finish()` waits for them and throws the first failure; a `LayerWrites` let go without
/// `finish()` (the caller failed) stops after the file under way and waits for it. It holds
/// the file set, so the set discards its staged files only once no thread writes them.
public final class LayerWrites {
    /// Held so the set outlives the writing: it discards its staged files only once no thread
    /// writes them any more. Only this thread uses it.
    private let files: FileSet
    /// Set when the handle is let go unfinished: the writing thread takes no further layer.
    private let stopping: StopFlag
    private let writing: BackgroundTask<Void>

    init(_ jobs: [(layer: GeoJSONLayer, temporary: String, target: String)], files: FileSet, writer: GeoJSONWriter, threads: Int) {
        self.files = files
        let stopping = StopFlag(), flush = files.flushes
        self.stopping = stopping
        // Taken one at a time, so each layer's plain copy is let go once it is rendered.
        let waiting = Mutex(Array(jobs.reversed()))
        writing = BackgroundTask("siteplan.geojson.layers") {
            // One file written (and flushed) at a time, while the next layer is rendered.
            var file: BackgroundTask<Void>?
            defer { file?.wait() }
            while let job = waiting.withLock({ $0.popLast() }) {
                if stopping.isSet { return }
                let pieces = try writer.featureCollectionPieces(job.layer, threads: threads)
                try file?.value()
                file = BackgroundTask("siteplan.geojson.write") {
                    try FileSet.writeFile(job.temporary, parts: pieces, target: job.target, flush: flush)
                }
            }
            try file?.value()
        }
    }

    deinit { cancel() }

    /// Writes no further layer and waits for the one under way (its file stays staged, for the
    /// file set to discard).
    public func cancel() {
        stopping.set()
        writing.wait()
    }

    /// Waits until every layer is written and throws the first failure.
    public func finish() throws { try writing.value() }
}

private final class StopFlag: Sendable {
    private let flag = Atomic<Bool>(false)
    var isSet: Bool { flag.load(ordering: .relaxed) }
    func set() { flag.store(true, ordering: .relaxed) }
}
