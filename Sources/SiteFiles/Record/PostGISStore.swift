import SiteDrivers
import SiteProjection
import SiteVocabulary

extension PlanStores {
    static func openPostGIS(_ url: String, creatingWith crs: CRS?) throws -> any PlanStore {
        throw InputError(source: "--store", "this build has no PostGIS store yet; use a GeoPackage file (PATH.gpkg)")
    }
}
