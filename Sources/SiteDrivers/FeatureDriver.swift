import SiteVocabulary

/// Something features can be read from: a file of a format, a table of a store.
///
/// A new format or store is one new target with a type conforming to this protocol (and to
/// `FeatureSink` when it writes); nothing below the drivers changes.
public protocol FeatureSource {
    /// The source as a person named it, for messages (a path, `file.gpkg#table`, a URL).
    var name: String { get }
    /// The names of the layers the source holds, in its own order.
    func layerNames() throws -> [String]
    /// One layer, in the CRS the source stores it in (`CRS.wgs84` means lon/lat order).
    /// `layer` nil reads the only layer, or fails naming the layers there are.
    func readLayer(_ layer: String?) throws -> Layer
}

/// A source that is one file holding one layer, named after the file (GeoJSON, CSV).
public protocol SingleFileSource: FeatureSource {
    /// The file as the user named it.
    var path: String { get }
}

extension SingleFileSource {
    public var name: String { path }

    public func layerNames() throws -> [String] { [layerName] }

    /// The file's name without its folder and its extension: `out/buildings.csv` → `buildings`.
    public var layerName: String {
        let base = path.split(separator: "/").last.map(String.init) ?? path
        guard let dot = base.lastIndex(of: "."), dot != base.startIndex else { return base }
        return String(base[..<dot])
    }
}

/// Something layers can be written to. Writes go into a `FileSet`, so a set of outputs is
/// all new or all old: nothing is visible before the set commits.
public protocol FeatureSink {
    /// The file name extensions this sink writes, lower case, without the dot.
    static var fileExtensions: [String] { get }
    /// Stages `layers` as the file (or folder of files) at `path` in `files`. Each sink projects
    /// once, from each layer's CRS to what its format needs.
    func write(_ layers: [Layer], to path: String, in files: FileSet) throws
}
