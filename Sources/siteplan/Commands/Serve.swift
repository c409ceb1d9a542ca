import ArgumentParser
import Foundation
import SitePlanning
import SiteVocabulary
import SiteFiles
import SiteReports
import DriverGeoJSON
import DriverGeoPackage
import SiteDrivers
import SiteServer

extension Siteplan {
    struct Serve: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Serve the plan as a web map on this machine (http://127.0.0.1:PORT/).",
            discussion: """
            The page shows every layer on a Leaflet map (Leaflet from Debian's libjs-leaflet; no \
            base tiles), with layer toggles, a legend and a popup with each feature's attributes; a \
            click on the map asks /query. Also served: /layers/<name>.geojson, /layers (the list), \
            /report (the plan report as JSON) and /query?at=LON,LAT (as siteplan query). Listens \
            on loopback only. Stop it with Ctrl-C.

            Examples:
              siteplan serve
              siteplan serve --port 8090
              curl -s localhost:8090/layers/buildings.geojson | jq '.features | length'
            """
        )

        @Option(name: .long, help: "TCP port on 127.0.0.1 (0: any free port, printed at start).")
        var port: Int = 8080

        @OptionGroup var pipeline: RunOptions

        @Option(name: .long, help: ArgumentHelp("Folder holding leaflet.js and leaflet.css.", valueName: "dir"))
        var leaflet: String = WebMapServer.defaultLeafletFolder

        @OptionGroup var scenario: ScenarioOptions

        func validate() throws {
            guard (0...65535).contains(port) else { throw ValidationError("--port must be between 0 and 65535") }
        }

        func run() async throws {
            let data: WebMapData
            do {
                data = try WebMapData(run: try pipeline.run(scenario))
            } catch {
                throw report(error)
            }
            if !FileManager.default.fileExists(atPath: leaflet + "/leaflet.js") {
                FileHandle.standardError.write(Data("siteplan: warning: \(leaflet)/leaflet.js is missing (apt-get install libjs-leaflet); the page will not draw\n".utf8))
            }
            try await reportingErrors {
                try await WebMapServer(data: data, leafletFolder: leaflet).run(port: port) { bound in
                    FileHandle.standardOutput.write(Data("serving \(data.scenario.name) on http://127.0.0.1:\(bound)/ (Ctrl-C to stop)\n".utf8))
                }
            }
        }
    }
}
