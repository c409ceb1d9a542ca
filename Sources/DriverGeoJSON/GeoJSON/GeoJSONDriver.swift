import SiteDrivers
import SiteVocabulary

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

    /// Stages `layer` as `folder/name.geojson`, its features projected and rendered on up to
    /// `threads` threads (`GeoJSONWriter.featureCollectionPieces`): the bytes `write` writes.
    /// Reads the layer's geometries on this thread first, so no geometry is used by two threads.
    public func writeLayer(_ layer: Layer, toFolder folder: String, in files: FileSet, threads: Int) throws {
        let pieces = try writer.featureCollectionPieces(GeoJSONLayer(layer), threads: threads)
        try files.add(Self.layerPath(layer.name, in: folder), parts: pieces)
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
