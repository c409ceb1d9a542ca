import SiteGeometry
import SiteVocabulary

/// A built segment of the plan of record: kept with its id and geometry by every re-plan.
public struct FixedSegment: Sendable {
    public let id: String
    public let utility: Utility
    public let kind: NetworkSegment.Kind
    public let parcelID: String
    public let buildingID: String?
    /// Planar, as stored.
    public let geometryPlanar: Geometry
}

/// What is already on the ground, so a re-plan keeps it where it is and lays the rest out
/// around it (docs/PLAN_OF_RECORD.md):
/// - a segment `under_construction`, `laid` or `commissioned` as of the day;
/// - a building whose service line for some utility is built, or where a family lives, and
///   its lot;
/// - a street that carries a fixed main or fronts a fixed lot.
public struct FixedAssets: Sendable {
    public var streets: [Street] = []
    public var lots: [Lot] = []
    public var buildings: [Building] = []
    public var segments: [FixedSegment] = []

    public init() {}

    public var isEmpty: Bool { streets.isEmpty && lots.isEmpty && buildings.isEmpty && segments.isEmpty }

    /// The fixed assets of `record`'s revision, as of `day`.
    public static func from(_ record: PlanRecord, scenario: Scenario, asOf day: ISODate?) throws -> FixedAssets {
        var fixed = FixedAssets()
        guard record.revision != nil else { return fixed }
        let book = record.history.book(asOf: day)
        func layer(_ name: String) -> [Feature] { record.layers.first { $0.name == name }?.features ?? [] }
        func text(_ f: Feature, _ key: String) -> String { f.properties[key]?.string ?? "" }
        func started(_ id: String) -> Bool { book.status(of: id, asOf: day) > .planned }

        var fixedBuildingIDs = Set(record.households.compactMap(\.buildingID))
        for name in ["network", "service_lines"] {
            for f in layer(name) {
                guard let id = f.id, started(id), let g = f.geometry,
                      let utility = Utility(rawValue: text(f, "utility")), let kind = NetworkSegment.Kind(rawValue: text(f, "kind")) else { continue }
                let building = f.properties["building_id"]?.string
                fixed.segments.append(FixedSegment(id: id, utility: utility, kind: kind, parcelID: text(f, "parcel_id"), buildingID: building, geometryPlanar: g))
                if kind == .service, let building { fixedBuildingIDs.insert(building) }
            }
        }
        let lotFeatures = Dictionary(layer("lots").compactMap { f in f.id.map { ($0, f) } }, uniquingKeysWith: { a, _ in a })
        var fixedStreetIDs = Set<String>()
        for f in layer("buildings") {
            guard let id = f.id, fixedBuildingIDs.contains(id), let footprint = f.geometry else { continue }
            let pid = text(f, "parcel_id"), key = text(f, "type")
            guard let type = scenario.program(for: pid).items.first(where: { $0.type.key == key })?.type
                    ?? scenario.programs.lazy.flatMap(\.items).first(where: { $0.type.key == key })?.type else {
                throw InputError(source: record.location, "building \"\(id)\" is built (or occupied) and of type \"\(key)\", which no program of the scenario has any more; keep the type in the program")
            }
            let lotID = text(f, "lot_id")
            guard let lot = lotFeatures[lotID], let lotGeometry = lot.geometry else {
                throw InputError(source: record.location, "building \"\(id)\" names lot \"\(lotID)\", which revision \(record.revision!.number) does not have")
            }
            fixed.buildings.append(Building(id: id, type: type, parcelID: pid, blockID: text(f, "block_id"), lotID: lotID, footprintPlanar: footprint))
            fixed.lots.append(Lot(id: lotID, parcelID: pid, blockID: text(lot, "block_id"), polygonPlanar: lotGeometry,
                                  frontageMetres: lot.properties["frontage_m"]?.number ?? 0, streetID: text(lot, "street_id")))
            fixedStreetIDs.insert(text(lot, "street_id"))
        }
        let mains = try fixed.segments.filter { $0.kind == .main }.map { s -> (Geometry, Envelope) in
            let mid = try s.geometryPlanar.interpolate(s.geometryPlanar.length / 2)
            return (mid, try mid.envelope())
        }
        for f in layer("streets") {
            guard let id = f.id, let line = f.geometry, let kind = Street.Kind(rawValue: text(f, "class")) else { continue }
            let width = f.properties["width_m"]?.number ?? 0
            var carries = fixedStreetIDs.contains(id)
            if !carries {
                let reach = try line.envelope().expanded(by: width / 2 + 0.01)
                for (mid, env) in mains where reach.intersects(env) {
                    if try line.distance(to: mid) <= width / 2 { carries = true; break }
                }
            }
            if carries {
                fixed.streets.append(Street(id: id, parcelID: text(f, "parcel_id"), kind: kind, widthMetres: width, centrelinePlanar: line))
            }
        }
        return fixed
    }

    func streets(of pid: String) -> [Street] { streets.filter { $0.parcelID == pid } }
    func buildings(of pid: String) -> [Building] { buildings.filter { $0.parcelID == pid } }
    func lots(of pid: String) -> [Lot] { lots.filter { $0.parcelID == pid } }
    func segments(of pid: String) -> [FixedSegment] { segments.filter { $0.parcelID == pid } }
}

/// The plan of record a re-plan starts from: the latest revision's layers, the works history,
/// the id counters and the households, as a store read them.
public struct PlanRecord: Sendable {
    /// Nil for an empty store (nothing adopted yet).
    public let revision: RevisionInfo?
    /// Every adopted revision, oldest first.
    public let revisions: [RevisionInfo]
    public let layers: [Layer]
    public let history: WorksHistory
    public let idCounters: [String: Int]
    public let households: [HouseholdRecord]
    /// The store, for messages.
    public let location: String

    public init(revisions: [RevisionInfo], layers: [Layer], history: WorksHistory, idCounters: [String: Int],
                households: [HouseholdRecord], location: String) {
        self.revision = revisions.last
        self.revisions = revisions
        self.layers = layers
        self.history = history
        self.idCounters = idCounters
        self.households = households
        self.location = location
    }
}
