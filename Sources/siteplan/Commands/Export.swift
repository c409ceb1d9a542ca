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
            longitude, latitude. Without --out the collection goes to stdout. By default the
            scenario's own layers (parcels, exclusions); --layers picks any of: \(PlanLayers.allLayerNames.joined(separator: ", ")).
            Plan layers are computed with --seed, as siteplan plan does.

            Examples:
              siteplan export --out khojaly.geojson
              siteplan export --layers parcels,buildings --seed 1 | jq '.features | length'
            """
        )

        @Option(name: .long, help: ArgumentHelp("Write to this file (atomically) instead of stdout.", valueName: "file"))
        var out: String?

        @Option(name: .long, help: "Decimals per coordinate (7 is about 1 cm).")
        var decimals: Int = 7

        @Option(name: .long, help: ArgumentHelp("Comma-separated layers to export.", valueName: "names"))
        var layers: String = "parcels,exclusions"

        @Option(name: .long, help: "Seed of the layout, for plan layers (default: the scenario's).")
        var seed: UInt64?

        @OptionGroup var scenario: ScenarioOptions

        var layerNames: [String] { layers.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) } }

        func validate() throws {
            guard (0...15).contains(decimals) else { throw ValidationError("--decimals must be between 0 and 15") }
            for name in layerNames where !PlanLayers.allLayerNames.contains(name) {
                throw ValidationError("--layers: unknown layer \"\(name)\" (layers: \(PlanLayers.allLayerNames.joined(separator: ", ")))")
            }
        }

        func run() throws {
            try reportingErrors {
                let package = try ScenarioReader.loadPackage(folder: scenario.folder)
                let loaded = package.scenario
                let wanted = layerNames
                let all = try PlanLayers.layers(wanted, package: package, seed: seed)
                let features = all.filter { wanted.contains($0.name) }.flatMap(\.features)
                let text = try GeoJSONWriter(decimals: decimals).featureCollection(features, name: loaded.name)
                if let out { try FileIO.writeAtomically(text, to: out) } else { print(text, terminator: "") }
            }
        }
    }
}
