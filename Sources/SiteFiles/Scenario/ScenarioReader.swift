import DriverGeoPackage
import DriverGeoJSON
import DriverCSV
import SiteDrivers
import Foundation
import SiteGeometry
import SiteProjection
import SitePlanning
import SiteVocabulary

/// Reads a scenario folder: `scenario.json` (documented in geodata/README.md) and the WGS84
/// GeoJSON layers it names, into the domain's `Scenario`.
public enum ScenarioReader {
    /// The file in a scenario folder that describes it.
    public static let manifestName = "scenario.json"

    public static func load(folder: String) throws -> Scenario { try loadPackage(folder: folder).scenario }

    /// The scenario and the files read after a plan exists (the works status is keyed by the
    /// ids of the generated network).
    public static func loadPackage(folder: String) throws -> ScenarioPackage {
        let manifestPath = (folder as NSString).appendingPathComponent(manifestName)
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: folder, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw InputError(source: folder, "no such scenario folder")
        }
        let manifest = try Manifest(path: manifestPath)
        let frame = try manifest.planningFrame()
        let parcelsPath = try manifest.layerPath("parcels", folder: folder)
        let parcels = try readParcels(parcelsPath, frame: frame)
        var exclusions: [ExclusionZone] = []
        if let path = try manifest.optionalLayerPath("exclusions", folder: folder) {
            exclusions = try readExclusions(path, frame: frame)
        }
        let rules = try manifest.rules()
        let programs = try manifest.programs(rules: rules)
        let access = try manifest.accessPoints()
        var scenario: Scenario
        do {
            scenario = try Scenario(name: manifest.string("name") ?? (folder as NSString).lastPathComponent,
                                    settlement: manifest.string("settlement") ?? "", frame: frame,
                                    asOf: manifest.string("as_of"), parcels: parcels, exclusions: exclusions,
                                    rules: rules, programs: programs, accessPoints: access)
        } catch let error as InputError {
            throw error.inSource(error.feature == nil ? manifestPath : parcelsPath)
        }
        if let asOf = scenario.asOf, ISODate(asOf) == nil {
            throw InputError(source: manifestPath, "\"as_of\" \"\(asOf)\" is not a date (YYYY-MM-DD)")
        }
        scenario.seed = try manifest.seed()
        (scenario.utilitySources, scenario.serviceDistanceMetres) = try manifest.utilities(frame: frame)
        if let path = try manifest.optionalLayerPath("households", folder: folder) {
            scenario.families = try HouseholdsReader.read(path)
        }
        return ScenarioPackage(scenario: scenario, folder: folder,
                               statusPath: try manifest.optionalLayerPath("status", folder: folder))
    }

    /// Exclusion zones (GeoJSON, or GeoPackage as `LayerSource` reads it): Polygon or MultiPolygon features with an id; `name`, `kind`,
    /// `parcel_id` optional.
    public static func readExclusions(_ path: String, frame: PlanningFrame) throws -> [ExclusionZone] {
        let (source, layer) = try LayerSource.read(path, layer: "exclusions")
        let features = layer.features
        var seen = Set<String>()
        do {
            return try features.map { feature in
                guard let id = feature.id, !id.isEmpty else { throw InputError(feature: feature.ref, "the exclusion zone has no id") }
                guard seen.insert(id).inserted else { throw InputError(feature: feature.ref, "duplicate exclusion zone id \"\(id)\"") }
                guard let geometry = feature.geometry else { throw InputError(feature: feature.ref, "the exclusion zone has no geometry") }
                return try ExclusionZone(id: id, name: feature.properties["name"]?.string ?? id,
                                         kind: feature.properties["kind"]?.string ?? "exclusion",
                                         parcelID: feature.properties["parcel_id"]?.string, boundaryWGS84: geometry,
                                         frame: frame, feature: feature.ref)
            }
        } catch let error as InputError {
            throw error.inSource(source)
        }
    }

    /// Parcels from a GeoJSON file or a GeoPackage table (see `LayerSource`): Polygon features with an id; `name` and `phase` optional.
    public static func readParcels(_ path: String, frame: PlanningFrame) throws -> [Parcel] {
        let (source, layer) = try LayerSource.read(path, layer: "parcels")
        let features = layer.features
        do {
            return try features.map { feature in
                guard let id = feature.id, !id.isEmpty else { throw InputError(feature: feature.ref, "the parcel has no id (a feature \"id\" or properties.id)") }
                guard let geometry = feature.geometry else { throw InputError(feature: feature.ref, "the parcel has no geometry") }
                return try Parcel(id: id, name: feature.properties["name"]?.string ?? id, phase: feature.properties["phase"]?.int,
                                  boundaryWGS84: geometry, frame: frame, feature: feature.ref)
            }
        } catch let error as InputError {
            throw error.inSource(source)
        }
    }
}

/// A scenario with the files that are read against its plan.
public struct ScenarioPackage: Sendable {
    public let scenario: Scenario
    public let folder: String
    /// The works status file (CSV), when the scenario has one.
    public let statusPath: String?

    /// The works status, read from the status file (an empty book when there is none).
    public func works() throws -> any WorksStatusProvider {
        try statusPath.map { try StatusFile(path: $0) } ?? StatusBook()
    }

    /// The whole plan: the status file is read first, then `PlanRun` computes in memory.
    public func run(seed: UInt64? = nil, asOf: ISODate? = nil, topN: Int = 10) throws -> PlanRun {
        try PlanRun(scenario: scenario, works: works(), seed: seed, asOf: asOf, topN: topN)
    }

    /// The named layers, computing only as much as they need (the scenario alone, the
    /// layout, or the whole run with networks and households).
    public func layers(_ names: [String], seed: UInt64?) throws -> [Layer] {
        let all: [Layer]
        if names.allSatisfy({ ["parcels", "exclusions"].contains($0) }) {
            all = try PlanLayers.scenarioLayers(scenario)
        } else if names.allSatisfy({ PlanLayers.layoutLayerNames.contains($0) }) {
            all = try PlanLayers.layoutLayers(scenario, LayoutEngine(scenario: scenario, seed: seed ?? scenario.seed).plan())
        } else {
            all = try PlanLayers.runLayers(run(seed: seed))
        }
        return names.compactMap { name in all.first { $0.name == name } }
    }
}

/// The parsed `scenario.json`, with typed accessors that report bad values by key.
struct Manifest {
    let path: String
    let root: JSONObject

    init(path: String) throws {
        self.path = path
        let bytes = try FileIO.readBytes(path)
        let value: JSONValue
        do { value = try JSONParser.parse(bytes) } catch { throw InputError(source: path, "\(error)") }
        guard let object = value.object else { throw InputError(source: path, "expected a JSON object at the top level") }
        root = object
    }

    func string(_ key: String) -> String? { root[key]?.string }

    func planningFrame() throws -> PlanningFrame {
        guard let text = root["planning_crs"]?.string else {
            throw InputError(source: path, "\"planning_crs\" is missing (a projected CRS in metres, e.g. \"EPSG:32638\")")
        }
        do {
            return try PlanningFrame(crs: CRS.parse(text))
        } catch {
            throw InputError(source: path, "\"planning_crs\" \"\(text)\" is not a CRS PROJ knows: \(error.message)")
        }
    }

    func optionalLayerPath(_ layer: String, folder: String) throws -> String? {
        guard root["layers"]?.object?[layer] != nil else { return nil }
        return try layerPath(layer, folder: folder)
    }

    func layerPath(_ layer: String, folder: String) throws -> String {
        guard let name = root["layers"]?.object?[layer]?.string else {
            throw InputError(source: path, "\"layers\".\"\(layer)\" is missing (the GeoJSON file of the \(layer) layer)")
        }
        return (folder as NSString).appendingPathComponent(name)
    }
}
