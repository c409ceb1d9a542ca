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

    public static func load(folder: String) throws -> Scenario { try loadPackage(ScenarioFiles(folder: folder)).scenario }

    public static func load(_ files: ScenarioFiles) throws -> Scenario { try loadPackage(files).scenario }

    /// The scenario and the files read after a plan exists (the works status is keyed by the
    /// ids of the generated network).
    public static func loadPackage(folder: String) throws -> ScenarioPackage { try loadPackage(ScenarioFiles(folder: folder)) }

    /// As `loadPackage(folder:)`, from a folder or from files held in memory.
    public static func loadPackage(_ files: ScenarioFiles) throws -> ScenarioPackage {
        try files.checkPresent()
        let manifestPath = files.path(manifestName)
        let manifest = try Manifest(file: files.file(manifestName))
        let parcelsName = try manifest.layerName("parcels")
        // A file without a CRS of its own (a DXF) is taken in the planning CRS, when it is named.
        let planning = manifest.string("planning_crs").flatMap { $0 == "auto" ? nil : CRS.parse($0) }
        let parcelsRead = try LayerSource.read(parcelsName, from: files, layer: "parcels", fallbackCRS: planning)
        let frame = try manifest.planningFrame(parcels: parcelsRead.layer)
        let parcels = try readParcels(parcelsRead, frame: frame)
        let parcelsPath = files.path(parcelsName)
        var exclusions: [ExclusionZone] = []
        if let name = try manifest.optionalLayerName("exclusions") {
            exclusions = try readExclusions(LayerSource.read(name, from: files, layer: "exclusions", fallbackCRS: frame.crs), frame: frame)
        }
        let rules = try manifest.rules()
        let programs = try manifest.programs(rules: rules)
        let access = try manifest.accessPoints()
        var scenario: Scenario
        do {
            scenario = try Scenario(name: manifest.string("name") ?? files.name,
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
        scenario.author = manifest.string("author")
        if let sources = manifest.root["data_sources"] {
            let words = sources.array?.compactMap(\.string) ?? []
            guard let list = sources.array, words.count == list.count else {
                throw InputError(source: manifestPath, "\"data_sources\" must be a list of strings (where the data comes from, for the title block of a printed sheet)")
            }
            scenario.dataSources = words
        }
        (scenario.utilitySources, scenario.serviceDistanceMetres) = try manifest.utilities(frame: frame)
        scenario.accessPointAlternatives = try manifest.accessPointAlternatives(parcels: Set(parcels.map(\.id)))
        scenario.unitCosts = try manifest.unitCosts()
        scenario.facilityNorms = try manifest.facilityNorms()
        scenario.floorAreaRule = try manifest.floorAreaRule()
        // The facilities the program implies join it, so every layout reserves their lots.
        do { scenario = try FacilityPlanning.reservingFacilities(scenario) } catch { throw error.inSource(manifestPath) }
        // The status and households files are read when a plan runs: `parcels`, `query` and
        // `export` of the scenario's own layers do not depend on them.
        var digest = FNV1a()
        for name in [manifestName, parcelsName, try manifest.optionalLayerName("exclusions")].compactMap({ $0 }) {
            digest.add(Array(name.utf8) + [0])
            if let bytes = try? files.file(name).bytes { digest.add(bytes) }
        }
        return ScenarioPackage(scenario: scenario, files: files, statusName: try manifest.optionalLayerName("status"),
                               householdsName: try manifest.optionalLayerName("households"), digest: digest.hex)
    }

    /// Exclusion zones (GeoJSON, or GeoPackage as `LayerSource` reads it): Polygon or MultiPolygon features with an id; `name`, `kind`,
    /// `parcel_id` optional.
    public static func readExclusions(_ path: String, frame: PlanningFrame) throws -> [ExclusionZone] {
        try readExclusions(LayerSource.read(path, layer: "exclusions"), frame: frame)
    }

    static func readExclusions(_ read: (source: String, layer: Layer), frame: PlanningFrame) throws -> [ExclusionZone] {
        let (source, layer) = read
        let features = layer.features
        var seen = Set<String>()
        do {
            return try features.map { feature in
                guard let id = feature.id, !id.isEmpty else { throw InputError(feature: feature.ref, "the exclusion zone has no id") }
                guard seen.insert(id).inserted else { throw InputError(feature: feature.ref, "duplicate exclusion zone id \"\(id)\"") }
                guard let geometry = feature.geometry else { throw InputError(feature: feature.ref, "the exclusion zone has no geometry") }
                var zone = try ExclusionZone(id: id, name: feature.properties["name"]?.string ?? id,
                                         kind: feature.properties["kind"]?.string ?? "exclusion",
                                         parcelID: feature.properties["parcel_id"]?.string, boundaryWGS84: geometry,
                                         frame: frame, feature: feature.ref)
                zone.attributes = inputAttributes(feature, own: ["id", "name", "kind", "parcel_id", "layer"])
                return zone
            }
        } catch let error as InputError {
            throw error.inSource(source)
        }
    }

    /// A feature's attributes other than those siteplan reads itself (`own`), as they came.
    static func inputAttributes(_ feature: Feature, own: Set<String>) -> JSONObject {
        JSONObject(uncheckedMembers: feature.properties.members.filter { !own.contains($0.key) }.map { ($0.key, $0.value) })
    }

    /// Parcels from a GeoJSON file or a GeoPackage table (see `LayerSource`): Polygon features with an id; `name` and `phase` optional.
    public static func readParcels(_ path: String, frame: PlanningFrame) throws -> [Parcel] {
        try readParcels(LayerSource.read(path, layer: "parcels"), frame: frame)
    }

    /// The parcels file `name` of a scenario folder or embedded set.
    public static func readParcels(_ name: String, from files: ScenarioFiles, frame: PlanningFrame) throws -> [Parcel] {
        try readParcels(LayerSource.read(name, from: files, layer: "parcels"), frame: frame)
    }

    static func readParcels(_ read: (source: String, layer: Layer), frame: PlanningFrame) throws -> [Parcel] {
        let (source, layer) = read
        let features = layer.features
        guard !features.isEmpty else {
            throw InputError(source: source, "has no features: a scenario needs at least one parcel (a Polygon feature with an id)")
        }
        do {
            let parcels = try features.map { feature in
                guard let id = feature.id, !id.isEmpty else { throw InputError(feature: feature.ref, "the parcel has no id (a feature \"id\" or properties.id)") }
                guard let geometry = feature.geometry else { throw InputError(feature: feature.ref, "the parcel has no geometry") }
                var parcel = try Parcel(id: id, name: feature.properties["name"]?.string ?? id, phase: feature.properties["phase"]?.int,
                                        boundaryWGS84: geometry, frame: frame, feature: feature.ref)
                parcel.attributes = inputAttributes(feature, own: ["id", "name", "phase", "layer"])
                return parcel
            }
            for (parcel, feature) in zip(parcels, features) { try AxisOrderCheck.check(parcel, frame: frame, feature: feature.ref) }
            return parcels
        } catch let error as InputError {
            throw error.inSource(source)
        }
    }
}

/// A scenario with the files that are read against its plan.
public struct ScenarioPackage: Sendable {
    public private(set) var scenario: Scenario
    /// Where the scenario's files come from.
    public let files: ScenarioFiles
    /// The works status file's name in `files` (CSV), when the scenario has one.
    private(set) var statusName: String?
    /// The returning families' file name in `files` (CSV), when the scenario has one.
    let householdsName: String?
    /// What the layout depends on, as a digest of the files' bytes (scenario.json, parcels,
    /// exclusions; FNV-1a, 64 bits, hex): the plan of record keeps it with each revision.
    public let digest: String

    /// The package laid out with `development` instead of the scenario's. The status file
    /// records works on the network of the scenario's own development, so another one is
    /// planned without it: the second value says so, naming the file (nil when nothing changed).
    public func developing(_ development: LayoutRules.Development) -> (ScenarioPackage, note: String?) {
        guard development != scenario.rules.development else { return (self, nil) }
        var copy = self
        copy.scenario.rules.development = development
        guard let status = statusPath else { return (copy, nil) }
        copy.statusName = nil
        return (copy, "\(status) records works on the \(scenario.rules.development.rawValue) layout's network, so the \(development.rawValue) layout is planned without works status")
    }

    /// The returning families, read from the households file (none when there is none).
    public func families() throws -> [Family] {
        try householdsName.map { try HouseholdsReader.read(files.file($0)) } ?? []
    }

    /// The scenario folder, or "NAME (embedded)".
    public var folder: String { files.location }

    /// The works status file as messages name it, when the scenario has one.
    public var statusPath: String? { statusName.map(files.path) }

    /// The works status file's bytes, when the scenario has one; read when a plan needs them.
    public func statusFile() throws -> ScenarioFile? { try statusName.map(files.file) }

    /// The works status, read from the status file (an empty book when there is none).
    public func works() throws -> any WorksStatusProvider {
        try statusFile().map { try StatusFile(file: $0) } ?? StatusBook()
    }

    /// The whole plan: the status file is read first, then `PlanRun` computes in memory.
    ///
    /// With a plan of record (`record`), the works come from its history, not the status file,
    /// the plan keeps what is built (see `PlanRun`), and the seed defaults to the latest
    /// revision's, so the run reproduces the adopted plan.
    public func run(seed: UInt64? = nil, asOf: ISODate? = nil, topN: Int = 10, record: PlanRecord? = nil) throws -> PlanRun {
        var scenario = self.scenario
        scenario.families = try families()
        let works: any WorksStatusProvider = try record.map { $0.history } ?? works()
        // On a plan of record, the default seed is the latest revision's (the run is that plan),
        // and the works count as of today unless the scenario fixes its as_of.
        let day = asOf ?? (record != nil && scenario.asOf == nil ? UTCClock.today() : nil)
        return try PlanRun(scenario: scenario, works: works, seed: seed ?? record?.revision?.seed, asOf: day, topN: topN, record: record)
    }

    /// The named layers, computing only as much as they need (the scenario alone, the
    /// layout, or the whole run with networks and households). Buildings always come from the
    /// whole run, so they carry their connection state and families as `plan` writes them.
    public func layers(_ names: [String], seed: UInt64?, record: PlanRecord? = nil) throws -> [Layer] {
        let all: [Layer]
        if names.allSatisfy({ ["parcels", "exclusions"].contains($0) }) {
            all = try PlanLayers.scenarioLayers(scenario)
        } else if record != nil {
            all = try PlanLayers.runLayers(run(seed: seed, record: record))
        } else if names.allSatisfy({ PlanLayers.layoutLayerNames.contains($0) && $0 != "buildings" }) {
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

    init(file: ScenarioFile) throws {
        path = file.source
        let value: JSONValue
        do { value = try JSONParser.parse(file.bytes) } catch { throw InputError(source: path, "\(error)") }
        guard let object = value.object else { throw InputError(source: path, "expected a JSON object at the top level") }
        root = object
    }

    /// A manifest made in code (a new scenario's).
    init(path: String, root: JSONObject) {
        self.path = path
        self.root = root
    }

    func string(_ key: String) -> String? { root[key]?.string }

    /// The planning CRS `"planning_crs"` names: a CRS PROJ knows, projected in metres, or
    /// `"auto"` for the UTM zone of the centre of the parcels (WGS84 `parcels`).
    func planningFrame(parcels: Layer) throws -> PlanningFrame {
        guard let text = root["planning_crs"]?.string else {
            throw InputError(source: path, "\"planning_crs\" is missing (a projected CRS in metres, e.g. \"EPSG:32638\", or \"auto\" for the UTM zone of the parcels)")
        }
        if text.lowercased() == "auto" {
            let envelopes = parcels.features.compactMap { try? $0.geometry?.envelope() }
            guard var all = envelopes.first else {
                throw InputError(source: path, "\"planning_crs\" \"auto\" needs parcels with geometry to find their UTM zone")
            }
            for envelope in envelopes.dropFirst() { all.expand(toInclude: envelope) }
            return try PlanningFrame(crs: UTMZone(containing: LonLat(xy: all.center)).crs)
        }
        do {
            return try PlanningFrame(crs: CRS.parse(text))
        } catch let error as ProjectionError {
            throw InputError(source: path, "\"planning_crs\" \"\(text)\" is not a CRS PROJ knows: \(error.message)")
        } catch let error as InputError {
            throw InputError(source: path, "\"planning_crs\": \(error.problem)")
        }
    }

    func optionalLayerName(_ layer: String) throws -> String? {
        guard root["layers"]?.object?[layer] != nil else { return nil }
        return try layerName(layer)
    }

    /// The file name of `layer` as scenario.json gives it (relative to the scenario).
    func layerName(_ layer: String) throws -> String {
        guard let name = root["layers"]?.object?[layer]?.string else {
            throw InputError(source: path, "\"layers\".\"\(layer)\" is missing (the GeoJSON file of the \(layer) layer)")
        }
        return name
    }
}
