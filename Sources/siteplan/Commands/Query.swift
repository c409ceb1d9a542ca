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
            The point is given as longitude,latitude in WGS84 degrees (longitude first, as in \
            GeoJSON). Outside every parcel, the nearest parcel and the distance to it are given \
            instead, with a hint when the point read latitude-first would fall on the site. \
            Distances are planar metres in the planning CRS. A point on a boundary belongs to the \
            parcel. The block, lot and building at the point come from the layout (as siteplan \
            plan lays it out, same --seed).

            Examples:
              siteplan query --at 46.7954,39.9188
              siteplan query --at 46.70,39.91 --format json
              siteplan query --at=46.7954,39.9188 --scenario geodata/khojaly
            """
        )

        // Unconditional: a western or southern point ("-70.5,-33.4") starts with a minus sign.
        @Option(name: .long, parsing: .unconditional, help: ArgumentHelp("The point, as longitude,latitude in degrees.", valueName: "lon,lat"))
        var at: String

        @Option(name: .long, help: "Seed of the layout to query, as given to siteplan plan (default: the scenario's).")
        var seed: UInt64?

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
                let plan = try LayoutEngine(scenario: loaded, seed: seed ?? loaded.seed).plan()
                let answer = try PointQuery(scenario: loaded, plan: plan).answer(position)
                emit(answer.table.transposedForText(format: output.format), format: output.format, json: answer.json)
                if let hint = answer.hint, output.format != .json { printError("siteplan: hint: \(hint)") }
            }
        }
    }
}

import Foundation
