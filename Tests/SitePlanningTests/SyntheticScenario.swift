import Foundation
import SiteGeometry
import SiteProjection
import XCTest
@testable import SitePlanning
import SiteVocabulary

/// Scenarios built in code around Khojaly, drawn in UTM 38N metres and stored in WGS84.
enum SyntheticScenario {
    static let frame = try! PlanningFrame(crs: .epsg(32638))
    static let origin = XY(653_000, 4_419_000)

    static let house = BuildingType(key: "house", label: "House", footprintWidthMetres: 12, footprintDepthMetres: 10,
                                    lotAreaSquareMetres: 600...900, lotFrontageMetres: 18...25, lotDepthMetres: nil, storeys: 2, unitsPerBuilding: 1)
    static let apartment = BuildingType(key: "apartment", label: "Apartment building", footprintWidthMetres: 48, footprintDepthMetres: 14,
                                        lotAreaSquareMetres: 2500...4000, lotFrontageMetres: 54...57, lotDepthMetres: 70, storeys: 4, unitsPerBuilding: 12)

    /// A polygon from local metres (relative to `origin`), rotated by `degrees`.
    static func polygon(_ exterior: [XY], holes: [[XY]] = [], rotatedBy degrees: Double = 0) throws -> Geometry {
        let a = degrees * .pi / 180
        func place(_ p: XY) -> XY { XY(origin.x + p.x * cos(a) - p.y * sin(a), origin.y + p.x * sin(a) + p.y * cos(a)) }
        let planar = try Geometry.polygon(exterior: exterior.map(place), holes: holes.map { $0.map(place) })
        return try frame.toWGS84(planar)
    }

    static func rect(_ x0: Double, _ y0: Double, _ x1: Double, _ y1: Double) -> [XY] {
        [XY(x0, y0), XY(x1, y0), XY(x1, y1), XY(x0, y1), XY(x0, y0)]
    }

    static func scenario(parcel boundaryWGS84: Geometry, program: [ProgramItem], exclusions: [Geometry] = [],
                         rules: LayoutRules = LayoutRules()) throws -> Scenario {
        let parcel = try Parcel(id: "T", name: "Test parcel", phase: 1, boundaryWGS84: boundaryWGS84, frame: frame,
                                feature: FeatureRef(index: 0, id: "T"))
        let zones = try exclusions.enumerated().map {
            try ExclusionZone(id: "X\($0)", name: "zone", kind: "green_space", parcelID: "T", boundaryWGS84: $1, frame: frame,
                              feature: FeatureRef(index: $0, id: "X\($0)"))
        }
        return try Scenario(name: "synthetic", settlement: "test", frame: frame, asOf: nil, parcels: [parcel], exclusions: zones,
                            rules: rules, programs: [HousingProgram(parcelID: "T", items: program)])
    }
}
