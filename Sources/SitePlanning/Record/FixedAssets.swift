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
/// around it (docs/PLAN_OF_RECORD.md). Every recorded event counts, whatever day the run's
/// figures are for: a pipe laid yesterday is in the ground even in a report as of last month.
/// - a segment whose last event is `under_construction`, `laid` or `commissioned`;
/// - a building whose service line for some utility is built, or where a family lives, and
///   its lot;
/// - a street that carries a fixed main or fronts a fixed lot.
public struct FixedAssets: Sendable {
    public var streets: [Street] = []
    public var lots: [Lot] = []
    public var buildings: [Building] = []
    public var segments: [FixedSegment] = []

    public init() {}

    /// The fixed assets of `record`'s revision, from every recorded event.
    public static func from(_ record: PlanRecord, scenario: Scenario) throws -> FixedAssets {
        var fixed = FixedAssets()
        guard record.revision != nil else { return fixed }
        let book = record.history.book(asOf: nil)
        func layer(_ name: String) -> [Feature] { record.layers.first { $0.name == name }?.features ?? [] }
        func text(_ f: Feature, _ key: String) -> String { f.properties[key]?.string ?? "" }
        func started(_ id: String) -> Bool { book.status(of: id) > .planned }

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

    /// Where what is built disagrees with the scenario: more built buildings of a type than the
    /// program asks for (they stay), and built assets inside an exclusion zone.
    public static func conflicts(_ fixed: FixedAssets, scenario: Scenario) throws -> [String] {
        var notes: [String] = []
        for parcel in scenario.parcels {
            let program = scenario.program(for: parcel.id)
            var built: [String: Int] = [:]
            for b in fixed.buildings(of: parcel.id) { built[b.type.key, default: 0] += 1 }
            for (key, count) in built.sorted(by: { $0.key < $1.key }) {
                let wanted = program.items.filter { $0.type.key == key }.reduce(0) { $0 + $1.count }
                if count > wanted {
                    notes.append("\(parcel.id): \(count) \(key) buildings are built (or occupied), \(count - wanted) more than the program's \(wanted); they stay in the plan")
                }
            }
        }
        for zone in scenario.exclusions {
            let z = try zone.boundaryPlanar.prepared()
            var inside: [String] = []
            for b in fixed.buildings where try z.intersects(b.footprintPlanar) {
                if try zone.boundaryPlanar.intersection(b.footprintPlanar).area > 1 { inside.append(b.id) }
            }
            for s in fixed.streets where try z.intersects(s.centrelinePlanar) {
                if try zone.boundaryPlanar.intersection(s.centrelinePlanar).length > 1 { inside.append(s.id) }
            }
            for s in fixed.segments where try z.intersects(s.geometryPlanar) {
                if try zone.boundaryPlanar.intersection(s.geometryPlanar).length > 1 { inside.append(s.id) }
            }
            if !inside.isEmpty {
                notes.append("exclusion zone \(zone.id) covers \(inside.count) built asset\(inside.count == 1 ? "" : "s") (\(inside.prefix(5).joined(separator: ", "))\(inside.count > 5 ? ", …" : "")): they stay, as built; move the zone or plan their removal")
            }
        }
        return notes
    }

    func streets(of pid: String) -> [Street] { streets.filter { $0.parcelID == pid } }
    func buildings(of pid: String) -> [Building] { buildings.filter { $0.parcelID == pid } }
    func lots(of pid: String) -> [Lot] { lots.filter { $0.parcelID == pid } }
    func segments(of pid: String) -> [FixedSegment] { segments.filter { $0.parcelID == pid } }
}

/// The plan of record a re-plan starts from: the latest revision's layers, the works history,
/// the id counters and the households, as a store read them.
public struct PlanRecord: Sendable {
    /// Every adopted revision, oldest first.
    public let revisions: [RevisionInfo]
    /// The latest revision; nil for an empty store (nothing adopted yet).
    public var revision: RevisionInfo? { revisions.last }
    public let layers: [Layer]
    public let history: WorksHistory
    public let idCounters: [String: Int]
    public let households: [HouseholdRecord]
    /// The store, for messages.
    public let location: String

    public init(revisions: [RevisionInfo], layers: [Layer], history: WorksHistory, idCounters: [String: Int],
                households: [HouseholdRecord], location: String) {
        self.revisions = revisions
        self.layers = layers
        self.history = history
        self.idCounters = idCounters
        self.households = households
        self.location = location
    }
}

extension FixedAssets {
    /// Whether `plan`, laid out with nothing held fixed, already holds every fixed street, lot
    /// and building where it stands (each within `toleranceMetres`, Hausdorff distance, same
    /// parcel, and for buildings the same type). Then a re-plan needs no change: laying out
    /// around the fixed assets could only move what the record has unbuilt, and a re-plan with
    /// the record's own seed and scenario must reproduce the record.
    public func isReproduced(by plan: SitePlan, toleranceMetres: Double = 0.01) throws -> Bool {
        func found(_ fixed: [(parcel: String, key: String, geometry: Geometry)],
                   in candidates: [(parcel: String, key: String, geometry: Geometry)]) throws -> Bool {
            let boxes = try candidates.map { try $0.geometry.envelope() }
            for f in fixed {
                let box = try f.geometry.envelope().expanded(by: toleranceMetres)
                var hit = false
                for (i, c) in candidates.enumerated() where c.parcel == f.parcel && c.key == f.key && box.intersects(boxes[i]) {
                    if try f.geometry.hausdorffDistance(to: c.geometry) <= toleranceMetres { hit = true; break }
                }
                if !hit { return false }
            }
            return true
        }
        return try found(buildings.map { ($0.parcelID, $0.type.key, $0.footprintPlanar) },
                         in: plan.buildings.map { ($0.parcelID, $0.type.key, $0.footprintPlanar) })
            && found(lots.map { ($0.parcelID, "", $0.polygonPlanar) }, in: plan.lots.map { ($0.parcelID, "", $0.polygonPlanar) })
            && found(streets.map { ($0.parcelID, $0.kind.rawValue, $0.centrelinePlanar) },
                     in: plan.streets.map { ($0.parcelID, $0.kind.rawValue, $0.centrelinePlanar) })
    }
}
