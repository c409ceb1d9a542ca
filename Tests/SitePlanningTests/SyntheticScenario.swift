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

extension SyntheticScenario {
    /// A scenario laid out (seed 1) for the network and report tests: a `width` × `height` m
    /// parcel rotated by `degrees` about `origin`, `houses` houses and 4 apartment buildings, its
    /// access point at `origin`, and the five utilities' sources round it, outside it (their
    /// positions are not rotated).
    static func planned(width: Double, height: Double, rotatedBy degrees: Double = 0, houses: Int) throws -> (Scenario, SitePlan) {
        var scenario = try scenario(parcel: polygon(rect(0, 0, width, height), rotatedBy: degrees),
                                    program: [ProgramItem(type: house, count: houses), ProgramItem(type: apartment, count: 4)])
        scenario.accessPoints["T"] = try frame.toLonLat(origin)
        let around = [XY(-150, -100), XY(width + 150, -80), XY(width + 200, height + 120), XY(-120, height + 80), XY(width / 2, -160)]
        scenario.utilitySources = zip(Utility.allCases, around).map { u, p in
            UtilitySource(utility: u, name: "\(u.rawValue) source", positionPlanar: XY(origin.x + p.x, origin.y + p.y))
        }
        return (scenario, try LayoutEngine(scenario: scenario, seed: 1).plan())
    }

    /// The utility networks of a plan from `planned`, built from its sources.
    static func network(_ scenario: Scenario, _ plan: SitePlan) throws -> UtilityNetwork {
        try NetworkBuilder(scenario: scenario, plan: plan, sources: scenario.utilitySources).build()
    }
}
