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
            click on the map or a feature asks /query. Also served: /layers/<name>.geojson, /layers \
            (the list), /report (the plan report as JSON), /query?at=LON,LAT (as siteplan query) \
            and /events (server-sent events). The store (--store) and the scenario's files are \
            checked every second: open pages redraw when works are recorded or a revision is \
            adopted, without a reload; with --store and no --as-of, works count up to today. Layers, the report and the page carry ETags (304 when \
            unchanged); GET is open to other origins (--cors-origin). Listens on loopback only. \
            Stop it with Ctrl-C.

            Examples:
              siteplan serve
              siteplan serve --port 8090
              curl -s localhost:8090/layers/buildings.geojson | jq '.features | length'
            """
        )

        @Option(name: .long, help: "TCP port (0: any free port, printed at start).")
        var port: Int = 8080

        @Option(name: .long, help: ArgumentHelp("The address to listen on. Without accounts the server is read-only and listens on loopback only (127.0.0.1 or ::1).", valueName: "address"))
        var listen: String = "127.0.0.1"

        @Option(name: .customLong("allow-host"), help: ArgumentHelp("A host name the browser may use to reach this server, besides localhost and 127.0.0.1 (repeatable). Requests for other names are refused.", valueName: "name"))
        var allowHosts: [String] = []

        @Option(name: .customLong("cors-origin"), help: ArgumentHelp("An origin whose scripts may read the layers and the report (repeatable; default: any, *; none: no other origin).", valueName: "origin"))
        var corsOrigins: [String] = []

        @Option(name: .customLong("header-timeout"), help: ArgumentHelp("Seconds a client may take to send its request, and an idle connection is kept.", valueName: "seconds"))
        var headerTimeout: Double = 10

        @Option(name: .customLong("max-connections-per-client"), help: ArgumentHelp("Connections one client address may hold at once.", valueName: "n"))
        var maxConnectionsPerClient: Int = 256

        @Flag(help: "Accounts: viewers read, editors record works from the page or the API, admins manage users (siteplan users add … --store S). Needs --store.")
        var auth = false

        @Option(name: .customLong("tls-cert"), help: ArgumentHelp("HTTPS: the server's certificate chain (PEM). With --tls-key.", valueName: "file"))
        var tlsCert: String?

        @Option(name: .customLong("tls-key"), help: ArgumentHelp("HTTPS: the certificate's private key (PEM).", valueName: "file"))
        var tlsKey: String?

        @Option(name: .customLong("session-hours"), help: ArgumentHelp("How long a log-in lasts.", valueName: "hours"))
        var sessionHours: Double = 12

        @Option(name: .customLong("poll"), help: ArgumentHelp("Seconds between checks of the store and the scenario files for changes; open pages redraw when they change.", valueName: "seconds"))
        var pollSeconds: Double = 1

        @OptionGroup var pipeline: RunOptions

        @Option(name: .long, help: ArgumentHelp("Folder holding leaflet.js and leaflet.css.", valueName: "dir"))
        var leaflet: String = WebMapServer.defaultLeafletFolder

        @OptionGroup var scenario: ScenarioOptions

        func validate() throws {
            guard (0...65535).contains(port) else { throw ValidationError("--port must be between 0 and 65535") }
            guard auth || ["127.0.0.1", "::1", "localhost"].contains(listen) else {
                throw ValidationError("--listen \(listen): without --auth the server has no accounts, so it serves loopback only (127.0.0.1 or ::1); add --auth (and accounts: siteplan users add), or reach it through an SSH tunnel")
            }
            if auth && pipeline.record.location == nil { throw ValidationError("--auth keeps its accounts in the plan of record: give --store PATH.gpkg (or postgresql://…)") }
            guard (tlsCert == nil) == (tlsKey == nil) else { throw ValidationError("give both --tls-cert and --tls-key, or neither") }
            guard sessionHours > 0, sessionHours.isFinite else { throw ValidationError("--session-hours must be more than 0") }
            guard headerTimeout > 0, headerTimeout.isFinite else { throw ValidationError("--header-timeout must be a number of seconds, more than 0") }
            guard maxConnectionsPerClient >= 1 else { throw ValidationError("--max-connections-per-client must be at least 1") }
            guard pollSeconds >= 0.1, pollSeconds.isFinite else { throw ValidationError("--poll must be at least 0.1 seconds") }
            for origin in corsOrigins where origin != "*" && origin != "none" && !(origin.hasPrefix("http://") || origin.hasPrefix("https://")) {
                throw ValidationError("--cors-origin \(origin): an origin is scheme://host[:port], e.g. https://geojson.io, or * for any, or none")
            }
        }

        var serverOptions: WebMapServer.Options {
            var options = WebMapServer.Options()
            options.host = listen == "localhost" ? "127.0.0.1" : listen
            options.allowedHosts = allowHosts
            options.corsOrigins = corsOrigins.isEmpty ? ["*"] : corsOrigins.filter { $0 != "none" }
            options.headerTimeout = .milliseconds(Int64(headerTimeout * 1000))
            options.maxConnectionsPerClient = maxConnectionsPerClient
            options.pollInterval = .milliseconds(Int64(pollSeconds * 1000))
            if let tlsCert, let tlsKey { options.tls = TLSFiles(certificatePath: tlsCert, keyPath: tlsKey) }
            return options
        }

        func run() async throws {
            let live: LiveWebMap
            do {
                let watch = try ChangeWatch(storeLocation: pipeline.record.location, scenario: scenario.files)
                let pipeline = self.pipeline, scenario = self.scenario
                var adopt: (@Sendable (Int?, String, String) throws -> RevisionInfo)?
                if let location = pipeline.record.location {
                    let seed = pipeline.seed
                    adopt = { @Sendable (base: Int?, author: String, message: String) throws -> RevisionInfo in
                        let package = try scenario.loadPackage()
                        let desk = try StoreDesk(location: location)
                        let adopted = try desk.adopt(base: base, author: author, message: message, digest: package.digest,
                                                     propose: { record in try package.run(seed: seed, record: record) })
                        return adopted.revision
                    }
                }
                live = try LiveWebMap(source: WebMapSource(mark: { try watch.mark() },
                                                           load: { try WebMapData(run: try pipeline.run(scenario, liveDay: true)) },
                                                           adopt: adopt),
                                   log: { line in writeStderr("siteplan: \(line)\n") })
            } catch {
                throw report(error)
            }
            if !FileManager.default.fileExists(atPath: leaflet + "/leaflet.js") {
                FileHandle.standardError.write(Data("siteplan: warning: \(leaflet)/leaflet.js is missing (apt-get install libjs-leaflet); the page will not draw\n".utf8))
            }
            var workbench: Workbench?
            if let location = pipeline.record.location {
                do {
                    let desk = try StoreDesk(location: location)
                    if auth, try desk.users().isEmpty {
                        writeStderr("siteplan: warning: no accounts in \(desk.location) yet, so nobody can sign in; add one with siteplan users add NAME --role admin --store \(desk.location)\n")
                    }
                    workbench = Workbench(desk: desk, accounts: auth, sessionLifetime: sessionHours * 3600, secureCookies: tlsCert != nil)
                } catch {
                    throw report(error)
                }
            }
            let name = live.current.scenario.name, host = listen.contains(":") ? "[\(listen)]" : listen
            try await reportingErrors {
                try await WebMapServer(live: live, options: serverOptions, workbench: workbench, leafletFolder: leaflet).run(port: port) { bound in
                    FileHandle.standardOutput.write(Data("serving \(name) on \(tlsCert == nil ? "http" : "https")://\(host):\(bound)/ (Ctrl-C to stop)\n".utf8))
                }
            }
        }
    }
}
