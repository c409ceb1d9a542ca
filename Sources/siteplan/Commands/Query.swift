import ArgumentParser
import SiteProjection
import SitePlanning
import SiteVocabulary
import SiteFiles
import SiteReports
import DriverGeoJSON
import DriverGeoPackage
import SiteDrivers

extension Siteplan {
    struct Query: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Tell which parcel holds a point, and how far it is from the parcel's boundary.",
            discussion: """
            The point is given as longitude,latitude in WGS84 degrees (longitude first, as in GeoJSON).
            Outside every parcel, the nearest parcel and the distance to it are given instead.
            Distances are planar metres in the planning CRS. A point on a boundary belongs to the parcel.
            The block, lot and building at the point come from the layout (siteplan plan, same --seed).

            Examples:
              siteplan query --at 46.79,39.91
              siteplan query --at=-0.5,51.2 --scenario path/to/scenario --format json
            """
        )

        @Option(name: .long, help: ArgumentHelp("The point, as longitude,latitude in degrees.", valueName: "lon,lat"))
        var at: String

        @Option(name: .long, help: "Seed of the layout to query (as given to siteplan plan).")
        var seed: UInt64 = 1

        @OptionGroup var scenario: ScenarioOptions
        @OptionGroup var output: FormatOptions

        func validate() throws { _ = try Self.parse(at) }

        /// "46.79,39.91" to a position, longitude first; ranges checked.
        static func parse(_ text: String) throws -> LonLat {
            do { return try PositionText.parse(text) } catch let error as InputError { throw ValidationError("--at: \(error.problem)") }
        }

        func run() throws {
            try reportingErrors {
                let loaded = try scenario.load()
                let position = try Self.parse(at)
                let location = try ParcelLocator(scenario: loaded).locate(position)
                let plan = try LayoutEngine(scenario: loaded, seed: seed).plan()
                let inPlan = try PlanLocator(plan: plan, frame: loaded.frame).locate(position)
                let table = ParcelReports.location(location, inPlan)
                emit(table.transposedForText(format: output.format), format: output.format, json: table.jsonObjects()[0])
            }
        }
    }
}

import Foundation
