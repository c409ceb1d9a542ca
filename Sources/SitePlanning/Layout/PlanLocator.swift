import SiteVocabulary
import SiteGeometry
import SiteProjection

/// What of a plan lies at a point: the block, lot and building covering it.
public struct PlanLocation: Sendable, Equatable {
    public let blockID: String?
    public let lotID: String?
    public let buildingID: String?
    /// The building's type key, when there is a building.
    public let buildingType: String?
}

/// Point queries against a plan's blocks, lots and buildings (STRtrees over planar geometry).
public final class PlanLocator: @unchecked Sendable {
    private let frame: PlanningFrame
    private let blocks: STRtree<String>
    private let lots: STRtree<String>
    private let buildings: STRtree<Int>
    private let plan: SitePlan

    public init(plan: SitePlan, frame: PlanningFrame) throws {
        self.plan = plan
        self.frame = frame
        blocks = try STRtree(plan.blocks.map { ($0.polygonPlanar, $0.id) })
        lots = try STRtree(plan.lots.map { ($0.polygonPlanar, $0.id) })
        buildings = try STRtree(plan.buildings.enumerated().map { ($1.footprintPlanar, $0) })
    }

    public func locate(_ position: LonLat) throws -> PlanLocation {
        let point = try Geometry.point(frame.toPlanar(position))
        func first<T>(_ tree: STRtree<T>) throws -> T? {
            for i in try tree.query(intersectingEnvelopeOf: point) where try tree.geometries[i].covers(point) { return tree.items[i] }
            return nil
        }
        let building = try first(buildings).map { plan.buildings[$0] }
        return PlanLocation(blockID: try first(blocks), lotID: try first(lots), buildingID: building?.id, buildingType: building?.type.key)
    }
}
