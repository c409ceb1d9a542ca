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
    /// writes: `startWritingLayers`, then `LayerWrites.finish()`.
    public func writeLayers(_ layers: [Layer], toFolder folder: String, in files: FileSet, threads: Int) throws {
        try startWritingLayers(layers, toFolder: folder, in: files, threads: threads).finish()
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
    private let done = DispatchGroup()
    /// Held so the set outlives the writing: it discards its staged files only once no thread
    /// writes them any more. Only this thread uses it.
    private let files: FileSet
    /// What the writing thread shares with this handle (not the handle itself, so letting the
    /// handle go can stop the writing thread).
    private final class State: Sendable {
        let failure = Mutex<(any Error)?>(nil)
        let stopping = Atomic<Bool>(false)
    }
    private let state = State()

    init(_ jobs: [(layer: GeoJSONLayer, temporary: String, target: String)], files: FileSet, writer: GeoJSONWriter, threads: Int) {
        self.files = files
        let state = self.state, flush = files.flushes
        // Taken one at a time, so each layer's plain copy is let go once it is rendered.
        let waiting = Mutex(Array(jobs.reversed()))
        // A queue of its own, not the global pool: a pool busy with other work (the options
        // study's plans) must not hold the layers back.
        DispatchQueue(label: "siteplan.geojson.layers").async(group: done) {
            let writing = BackgroundWrite()
            defer { writing.wait() }
            do {
                while let job = waiting.withLock({ $0.popLast() }) {
                    if state.stopping.load(ordering: .relaxed) { return }
                    let pieces = try writer.featureCollectionPieces(job.layer, threads: threads)
                    try writing.finish()
                    writing.start { try FileSet.writeFile(job.temporary, parts: pieces, target: job.target, flush: flush) }
                }
                try writing.finish()
            } catch {
                state.failure.withLock { $0 = $0 ?? error }
            }
        }
    }

    deinit { cancel() }

    /// Writes no further layer and waits for the one under way (its file stays staged, for the
    /// file set to discard).
    public func cancel() {
        state.stopping.store(true, ordering: .relaxed)
        done.wait()
    }

    /// Waits until every layer is written and throws the first failure.
    public func finish() throws {
        done.wait()
        if let error = state.failure.withLock({ $0 }) { throw error }
    }
}

/// One file write at a time on a thread of its own: `start` it, `finish` to wait and rethrow its error.
private final class BackgroundWrite: Sendable {
    private let group = DispatchGroup()
    private let failure = Mutex<(any Error)?>(nil)

    func start(_ body: @escaping @Sendable () throws -> Void) {
        DispatchQueue(label: "siteplan.geojson.write").async(group: group) {
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
