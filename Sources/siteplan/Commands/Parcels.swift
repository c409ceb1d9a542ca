import ArgumentParser
import SitePlanning
import SiteVocabulary
import SiteFiles
import SiteReports
import DriverGeoJSON
import DriverGeoPackage
import SiteDrivers

extension Siteplan {
    struct Parcels: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List the scenario's parcels with their areas (planar and geodesic), perimeter and centroid.",
            discussion: """
            area_ha and perimeter_m are planar, in the scenario's planning CRS (EPSG:32638 for \
            Khojaly); geodesic_area_ha is on the WGS84 ellipsoid. The centroid is given as \
            longitude, latitude; the centroid of a concave parcel can lie outside it.

            Examples:
              siteplan parcels
              siteplan parcels --format json
            """
        )

        @OptionGroup var scenario: ScenarioOptions
        @OptionGroup var output: FormatOptions

        func run() throws {
            try reportingErrors {
                let loaded = try scenario.load()
                let table = ParcelReports.parcels(try loaded.parcelMetrics())
                emit(table, format: output.format, json: .object(JSONObject([
                    ("scenario", .string(loaded.name)), ("planning_crs", .string(loaded.frame.crs.description)),
                    ("parcels", .array(table.jsonObjects())),
                ])))
            }
        }
    }
}
