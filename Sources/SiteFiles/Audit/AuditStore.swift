import DriverGeoJSON
import SiteAudit
import SiteDrivers
import SiteGeometry
import SitePlanning
import SiteProjection
import SiteVocabulary

/// The audit's three inputs from a plan of record (`--store`): the latest revision's
/// `parcels`, `buildings` and `network` layers, each network segment's status from the store's
/// works history (as `siteplan plan --out` writes it into the plan's network layer).
///
/// The store keeps its geometries in its planning CRS (`RevisionInfo.planningCRS`, x = easting,
/// y = northing). The audit's input contract is WGS84 longitude/latitude as a plan folder's
/// GeoJSON holds it, so each layer is taken to lon/lat (longitude first) by the transformation
/// `GeoJSONWriter` uses, at its precision (7 decimals) and ring orientation: the audit then
/// projects to its `--crs` exactly as it does a plan folder, and a store and the folder
/// `plan --out` wrote from the same plan give the same reports, byte for byte.
enum AuditStoreInput {
    /// The layers are read this many features at a time (a PostGIS store through a server-side
    /// cursor), so the client holds the columns and one batch.
    static let batchSize = 10_000

    static func read(_ location: String, asOf: ISODate?, progress: AuditProgress?) throws
        -> (parcels: ColumnarFeatures, buildings: ColumnarFeatures, network: ColumnarFeatures, labels: AuditFiles.Labels) {
        let store = try PlanStores.open(location)
        guard let revision = try store.latestRevision() else {
            throw InputError(source: store.location, "no revision adopted yet, so nothing to audit; `siteplan adopt --store \(store.location)` records the first")
        }
        func label(_ table: String) -> String { "\(store.location), table \(table) (revision \(revision.number))" }
        let labels = AuditFiles.Labels(parcels: label("parcels"), buildings: label("buildings"), network: label("network"))

        let history = WorksHistory(events: try store.events(assetID: nil), source: store.location)
        try history.checkConsistency()
        let book = history.book(asOf: asOf)

        let crs = revision.planningCRS
        func layer(_ name: String, _ kind: FeatureCollectionReader.Kind) throws -> ColumnarFeatures {
            var out = ColumnarFeatures()
            let source = label(name)
            try store.features(of: name, revision: revision.number, batchSize: batchSize) { batch in
                let lonLat = try Layer(name: name, crs: crs, features: batch).projected(to: .wgs84)
                for feature in lonLat.features {
                    try append(feature, kind: kind, to: &out, source: source, book: book, asOf: asOf)
                }
                progress?.advance(batch.count)
            }
            out.idOrder = out.ids.sortedOrder()
            if let dup = out.ids.firstDuplicate(inSortedOrder: out.idOrder) {
                throw InputError(source: source, featureIndex: dup.second, featureID: out.ids.string(dup.second),
                                 "duplicate asset id: feature \(dup.first) has the same id")
            }
            return out
        }
        progress?.begin("read the store (features)", total: 0)
        let buildings = try layer("buildings", .polygons)
        let network = try layer("network", .network)
        let parcels = try layer("parcels", .polygons)
        return (parcels, buildings, network, labels)
    }

    /// A position as the plan folder's GeoJSON holds it: `GeoJSONWriter`'s 7 decimals, read back.
    @inline(__always)
    static func rounded(_ v: Double) -> Double { Double(JSONWriter.fixed(v, decimals: 7))! }

    static func append(_ feature: Feature, kind: FeatureCollectionReader.Kind, to out: inout ColumnarFeatures,
                       source: String, book: StatusBook, asOf: ISODate?) throws {
        let index = feature.index
        guard let id = feature.id, !id.isEmpty else {
            throw InputError(source: source, featureIndex: index, featureID: nil, "the feature has no asset id")
        }
        func fail(_ problem: String) -> InputError { InputError(source: source, featureIndex: index, featureID: id, problem) }
        guard let g = feature.geometry, !g.isEmpty else { throw fail("the geometry is empty or null") }
        func position(_ p: XY) throws -> (Double, Double) {
            let lon = rounded(p.x), lat = rounded(p.y)
            guard lon.isFinite, lat.isFinite, abs(lon) <= 180, abs(lat) <= 90 else {
                throw fail("a position (\(p.x), \(p.y)) is not a longitude/latitude after projecting to WGS84")
            }
            return (lon, lat)
        }
        switch kind {
        case .polygons:
            guard g.type == .polygon else { throw fail("the geometry is a \(g.type), expected a Polygon") }
            for (k, var ring) in try g.polygonRings().enumerated() {
                guard ring.count >= 4 else { throw fail("ring \(k) has \(ring.count) positions; a closed ring needs at least 4") }
                // RFC 7946 3.1.6, as GeoJSONWriter writes it: exterior counter-clockwise, holes clockwise.
                if (k == 0) != (signedRingArea(ring) > 0) { ring.reverse() }
                for p in ring {
                    let (lon, lat) = try position(p)
                    out.polygons.xy.append(lon); out.polygons.xy.append(lat)
                }
                out.polygons.ringStart.append(Int32(out.polygons.xy.count / 2))
            }
            out.polygons.polygonRingStart.append(Int32(out.polygons.ringStart.count - 1))
        case .network:
            guard g.type == .lineString else { throw fail("the geometry is a \(g.type), expected a LineString") }
            let points = try g.coordinates()
            guard points.count >= 2 else { throw fail("the LineString has \(points.count) position; it needs at least 2") }
            for p in points {
                let (lon, lat) = try position(p)
                out.lines.xy.append(lon); out.lines.xy.append(lat)
            }
            out.lines.lineStart.append(Int32(out.lines.xy.count / 2))
            guard case .string(let word)? = feature.properties["utility"] else { throw fail("no utility in its attributes") }
            guard let utility = Utility(rawValue: word) else {
                throw fail("unknown utility \"\(word)\" (expected \(Utility.allCases.map(\.rawValue).joined(separator: ", ")))")
            }
            out.utility.append(utility.code)
            out.status.append(book.status(of: id, asOf: asOf).code)
        }
        out.ids.append(id)
    }
}
