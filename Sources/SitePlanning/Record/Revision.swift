import SiteProjection
import SiteVocabulary

/// One adopted revision of the plan of record: who adopted it, when, why, and what it came from.
public struct RevisionInfo: Sendable, Equatable {
    /// 1, 2, 3, ... in adoption order; never reused.
    public let number: Int
    public let author: String
    /// When it was adopted: ISO 8601, UTC, to the second (`2026-12-03T09:15:00Z`).
    public let adoptedAt: String
    public let message: String
    /// The scenario's name and the layout seed the proposal was made with.
    public let scenario: String
    public let seed: UInt64
    /// The CRS every geometry of the revision is stored in, e.g. EPSG:32638 (metres).
    public let planningCRS: CRS
    /// A digest of the scenario's files (scenario.json, parcels, exclusions) as adopted, so a
    /// run on another scenario can say it is not this revision.
    public let scenarioDigest: String

    public init(number: Int, author: String, adoptedAt: String, message: String, scenario: String, seed: UInt64, planningCRS: CRS,
                scenarioDigest: String = "") {
        self.number = number
        self.author = author
        self.adoptedAt = adoptedAt
        self.message = message
        self.scenario = scenario
        self.seed = seed
        self.planningCRS = planningCRS
        self.scenarioDigest = scenarioDigest
    }

    /// The day of `adoptedAt`.
    public var adoptedOn: ISODate? { ISODate(String(adoptedAt.prefix(10))) }
}

/// The layers a revision holds, in this order. Every geometry is in the planning CRS.
public enum RecordLayers {
    public static let names = ["parcels", "exclusions", "streets", "blocks", "lots", "buildings", "network", "service_lines"]
    /// The layers whose ids the plan of record assigns (the scenario's parcels and exclusion
    /// zones keep the ids of the scenario's files).
    public static let assetLayers = ["streets", "blocks", "lots", "buildings", "network", "service_lines"]
}

/// A returning family as the plan of record keeps it: its group, the day the group returns,
/// and the dwelling it was given (kept by every later re-plan).
public struct HouseholdRecord: Sendable, Equatable {
    public let familyID: String
    public let group: String
    public let size: Int
    /// The day the family's return group comes back; nil when not yet known.
    public let returnDate: ISODate?
    public let buildingID: String?
    public let unit: Int?

    public init(familyID: String, group: String, size: Int, returnDate: ISODate?, buildingID: String?, unit: Int?) {
        self.familyID = familyID
        self.group = group
        self.size = size
        self.returnDate = returnDate
        self.buildingID = buildingID
        self.unit = unit
    }
}

extension RecordLayers {
    /// The views both stores define over the current network and service lines, with each
    /// segment's latest recorded status: what a QGIS user styles the works by.
    public static let statusViews = ["network", "service_lines"]

    /// The SQL of the status view over `table`, with the segment's utility, kind, length and
    /// building as typed columns. `postgres` picks PostgreSQL's JSON operators over SQLite's.
    public static func statusViewSQL(_ table: String, postgres: Bool) -> String {
        let latest = "FROM works_events e WHERE e.asset_id = t.asset_id ORDER BY e.date DESC, e.fid DESC LIMIT 1"
        func text(_ key: String) -> String { postgres ? "(t.attributes::jsonb ->> '\(key)')" : "json_extract(t.attributes, '$.\(key)')" }
        let length = postgres ? "(t.attributes::jsonb ->> 'length_m')::double precision" : "CAST(json_extract(t.attributes, '$.length_m') AS REAL)"
        return """
            CREATE VIEW \(table)_status AS SELECT t.fid AS fid, t.geom AS geom, t.asset_id AS asset_id, \(text("utility")) AS utility,
              \(text("kind")) AS kind, t.parcel_id AS parcel_id, \(text("building_id")) AS building_id, \(length) AS length_m,
              t.rev_from AS rev_from, coalesce((SELECT e.status \(latest)), 'planned') AS status, (SELECT e.date \(latest)) AS status_date
            FROM \(table) t WHERE t.rev_to IS NULL
            """
    }

    /// `proposal` with the recorded geometry put back wherever a feature keeps its id and lies
    /// within a millimetre of its recorded self: recomputed coordinates differ in the last bits,
    /// and a revision should not record a move nobody made.
    public static func settle(_ proposal: [Layer], onto recorded: [Layer]) throws -> [Layer] {
        try proposal.map { layer in
            guard let old = recorded.first(where: { $0.name == layer.name }) else { return layer }
            let byID = Dictionary(old.features.compactMap { f in f.id.map { ($0, f) } }, uniquingKeysWith: { a, _ in a })
            var copy = layer
            for k in copy.features.indices {
                guard let id = copy.features[k].id, let g = copy.features[k].geometry, let o = byID[id]?.geometry else { continue }
                if try g.wkb() != o.wkb(), try g.hausdorffDistance(to: o) <= 0.001 { copy.features[k].geometry = o }
            }
            return copy
        }
    }

    /// What identity matching compares besides geometry, per layer: a street's class, a
    /// building's type, a segment's `utility/kind`, a zone's kind; the layer name otherwise.
    /// Two features can only be the same asset when their roles are equal.
    public static func role(layer: String, properties: JSONObject) -> String {
        switch layer {
        case "streets": return properties["class"]?.string ?? layer
        case "buildings": return properties["type"]?.string ?? layer
        case "network", "service_lines":
            return "\(properties["utility"]?.string ?? "")/\(properties["kind"]?.string ?? "")"
        case "exclusions": return properties["kind"]?.string ?? layer
        default: return layer
        }
    }
}
