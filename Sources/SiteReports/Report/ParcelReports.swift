import SiteGeometry
import SiteProjection
import SitePlanning
import SiteVocabulary

/// Tables and JSON documents for the parcel commands. Keys carry units.
public enum ParcelReports {
    public static let parcelColumns = ["id", "name", "area_ha", "geodesic_area_ha", "perimeter_m", "centroid_lon", "centroid_lat"]

    static func row(_ m: ParcelMetrics) -> [ReportTable.Cell] {
        [.text(m.id), .text(m.name), .number(m.areaHectares, decimals: 3), .number(m.geodesicAreaHectares, decimals: 3),
         .number(m.perimeterMetres, decimals: 1), .number(m.centroid.lon, decimals: 7), .number(m.centroid.lat, decimals: 7)]
    }

    /// `siteplan parcels`: one row per parcel.
    public static func parcels(_ metrics: [ParcelMetrics]) -> ReportTable {
        ReportTable(columns: parcelColumns, rows: metrics.map(row))
    }

    /// `siteplan parcel show`: the parcel row plus its shape facts.
    public static func parcelDetail(_ m: ParcelMetrics) -> ReportTable {
        let e = m.envelopeWGS84
        var table = ReportTable(columns: parcelColumns + ["vertices", "holes", "valid", "validity_reason",
                                                          "bbox_min_lon", "bbox_min_lat", "bbox_max_lon", "bbox_max_lat"])
        table.append(row(m) + [.integer(m.vertexCount), .integer(m.holeCount), .bool(m.validity.isValid), .text(m.validity.reason),
                               .number(e.minX, decimals: 7), .number(e.minY, decimals: 7), .number(e.maxX, decimals: 7), .number(e.maxY, decimals: 7)])
        return table
    }

    public static let locationColumns = ["lon", "lat", "parcel_id", "parcel_ids", "on_boundary", "distance_m", "nearest_parcel_id",
                                         "block_id", "lot_id", "building_id", "building_type"]

    /// `siteplan query --at`: what is at the point.
    public static func location(_ l: ParcelLocation, _ p: PlanLocation) -> ReportTable {
        func text(_ s: String?) -> ReportTable.Cell { s.map { .text($0) } ?? .null }
        var table = ReportTable(columns: locationColumns)
        table.append([.number(l.position.lon, decimals: 7), .number(l.position.lat, decimals: 7),
                      text(l.parcelID), .text(l.parcelIDs.joined(separator: ";")), .bool(l.onBoundary),
                      .number(l.distanceMetres, decimals: 2), text(l.nearestParcelID),
                      text(p.blockID), text(p.lotID), text(p.buildingID), text(p.buildingType)])
        return table
    }

    /// `siteplan query --at --format json` (and the web map's `/query`): the location row with
    /// `parcel_ids` as an array of ids, and `hint` (text or null) saying when the position may
    /// have been given latitude-first.
    public static func locationJSON(_ l: ParcelLocation, _ p: PlanLocation, hint: String?) -> JSONValue {
        guard case .object(var object) = location(l, p).jsonObjects()[0] else { return .null }
        object["parcel_ids"] = .array(l.parcelIDs.map { .string($0) })
        object["hint"] = hint.map { .string($0) } ?? .null
        return .object(object)
    }

    /// The hint for a position outside every parcel whose swapped reading (see
    /// `ParcelLocator.swappedReading`) lands on the site; nil otherwise.
    public static func axisOrderHint(_ l: ParcelLocation, locator: ParcelLocator) throws -> String? {
        guard let other = try locator.swappedReading(of: l) else { return nil }
        let text = "\(JSONWriter.formatNumber(other.position.lon)),\(JSONWriter.formatNumber(other.position.lat))"
        let place = other.parcelID.map { "lies in parcel \($0)" }
            ?? "lies \(fixedNotation(other.distanceMetres, decimals: 0)) m from parcel \(other.nearestParcelID ?? "?")"
        return "the position may be latitude-first: positions are longitude,latitude (as in GeoJSON); read as \(text) it \(place)"
    }
}

/// What is at a point: the parcel (or the nearest one), the block, lot and building of the
/// layout, and a hint when the position reads better latitude-first. One answer for
/// `siteplan query` and the web map's `/query`.
public struct PointQuery {
    let parcels: ParcelLocator
    let plan: PlanLocator

    public init(scenario: Scenario, plan: SitePlan) throws {
        parcels = try ParcelLocator(scenario: scenario)
        self.plan = try PlanLocator(plan: plan, frame: scenario.frame)
    }

    public struct Answer {
        public let location: ParcelLocation
        public let inPlan: PlanLocation
        /// Set when the point is outside every parcel and its swapped reading lands on the site.
        public let hint: String?

        /// The table of `siteplan query`.
        public var table: ReportTable { ParcelReports.location(location, inPlan) }
        /// The JSON of `siteplan query --format json` and `/query`.
        public var json: JSONValue { ParcelReports.locationJSON(location, inPlan, hint: hint) }
    }

    public func answer(_ position: LonLat) throws -> Answer {
        let location = try parcels.locate(position)
        return Answer(location: location, inPlan: try plan.locate(position),
                      hint: try ParcelReports.axisOrderHint(location, locator: parcels))
    }
}
