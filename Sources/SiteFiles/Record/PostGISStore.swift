import SiteDrivers
import SiteProjection
import StorePostGIS

extension PlanStores {
    static func openPostGIS(_ url: String, creatingWith crs: CRS?) throws -> any PlanStore {
        try PostGISPlanStore(url: url, planningCRS: crs)
    }
}
