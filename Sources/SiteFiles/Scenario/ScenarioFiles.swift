import Foundation
import DriverGeoJSON
import SiteDrivers
import SitePlanning
import SiteVocabulary
import SiteProjection

/// Where a scenario's files are read from: a folder on disk, or a set of files held in memory
/// (the default scenario built into the `siteplan` executable). Files are named as in
/// scenario.json; messages name them `location/name`, e.g. "geodata/khojaly/parcels.geojson" or
/// "khojaly (embedded)/parcels.geojson".
public struct ScenarioFiles: Sendable {
    /// The folder as the user named it, or "NAME (embedded)".
    public let location: String
    /// The scenario's short name: the folder's last component, or the embedded set's name.
    /// `siteplan plan` writes to `out/<name>`.
    public let name: String
    private let embedded: [String: [UInt8]]?

    /// The files of a scenario folder.
    /// The files of a scenario folder. A path to the folder's `scenario.json` is taken as the
    /// folder holding it.
    public init(folder: String) {
        var folder = folder
        if !FileIO.isFolder(folder), (folder as NSString).lastPathComponent == ScenarioReader.manifestName, FileIO.exists(folder) {
            let parent = (folder as NSString).deletingLastPathComponent
            folder = parent.isEmpty ? "." : parent
        }
        location = folder
        name = URL(fileURLWithPath: folder).lastPathComponent
        embedded = nil
    }

    /// Files held in memory, by name (as scenario.json names them).
    public init(embedded files: [String: [UInt8]], name: String) {
        location = "\(name) (embedded)"
        self.name = name
        embedded = files
    }

    public var isEmbedded: Bool { embedded != nil }

    /// `name` as messages give it, and as it is opened in a folder.
    public func path(_ file: String) -> String { (location as NSString).appendingPathComponent(file) }

    /// The bytes of `file`, or an `InputError` naming it.
    public func bytes(_ file: String) throws -> [UInt8] {
        guard let embedded else { return try FileIO.readBytes(path(file)) }
        guard let bytes = embedded[file] else {
            throw InputError(source: path(file), "no such file in the embedded scenario (files: \(embedded.keys.sorted().joined(separator: ", ")))")
        }
        return bytes
    }

    /// `file` with the name its messages give.
    public func file(_ file: String) throws -> ScenarioFile { ScenarioFile(source: path(file), bytes: try bytes(file)) }

    /// Throws when a folder is missing (an embedded set is always there).
    func checkPresent() throws {
        guard embedded == nil else { return }
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: location, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw InputError(source: location, "no such scenario folder")
        }
    }
}

/// The bytes of one scenario file, with the name messages give it.
public struct ScenarioFile: Sendable {
    public let source: String
    public let bytes: [UInt8]

    public init(source: String, bytes: [UInt8]) {
        self.source = source
        self.bytes = bytes
    }

    /// Reads `path` from disk (an `InputError` naming it when it cannot be read).
    public init(path: String) throws { self.init(source: path, bytes: try FileIO.readBytes(path)) }
}

extension LayerSource {
    /// The features of layer file `name` of a scenario: from its folder as `read(_:layer:)`
    /// reads them, or from an embedded set (GeoJSON only).
    /// `fallbackCRS`: the CRS of a file in the folder that names none (a DXF), the scenario's
    /// planning CRS when `scenario.json` gives one.
    static func read(_ name: String, from files: ScenarioFiles, layer: String, fallbackCRS: CRS? = nil) throws -> (source: String, layer: Layer) {
        guard files.isEmbedded else { return try read(files.path(name), layer: layer, sourceCRS: nil, idField: nil, fallbackCRS: fallbackCRS) }
        let path = files.path(name)
        return (path, Layer(name: layer, crs: .wgs84, features: try GeoJSONReader.read(bytes: files.bytes(name), source: path)))
    }
}
