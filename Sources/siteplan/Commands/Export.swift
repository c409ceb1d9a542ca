import ArgumentParser
import Foundation
import SiteplanCore
import SiteplanIO

extension Siteplan {
    struct Export: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write the scenario's layers as one RFC 7946 GeoJSON FeatureCollection.",
            discussion: """
            Every feature has an id and a "layer" property naming its layer. Coordinates are WGS84
            longitude, latitude. Without --out the collection goes to stdout.

            Examples:
              siteplan export --out khojaly.geojson
              siteplan export | jq '.features | length'
            """
        )

        @Option(name: .long, help: ArgumentHelp("Write to this file (atomically) instead of stdout.", valueName: "file"))
        var out: String?

        @Option(name: .long, help: "Decimals per coordinate (7 is about 1 cm).")
        var decimals: Int = 7

        @OptionGroup var scenario: ScenarioOptions

        func validate() throws {
            guard (0...15).contains(decimals) else { throw ValidationError("--decimals must be between 0 and 15") }
        }

        func run() throws {
            try reportingErrors {
                let loaded = try scenario.load()
                let text = try GeoJSONWriter(decimals: decimals).featureCollection(ParcelReports.features(loaded), name: loaded.name)
                if let out { try FileIO.writeAtomically(text, to: out) } else { print(text, terminator: "") }
            }
        }
    }
}
