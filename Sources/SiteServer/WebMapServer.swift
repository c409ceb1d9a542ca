import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdCore
import HummingbirdTLS
import NIOSSL
import NIOCore
import SitePlanning
import SiteVocabulary
import SiteFiles
import SiteReports
import DriverGeoJSON
import DriverGeoPackage
import SiteDrivers

/// The web map: an HTTP server (Hummingbird) serving a Leaflet page, the layers as GeoJSON at
/// stable URLs, the report, point queries, and a stream of changes.
///
///     GET /                          the page (Leaflet, every layer, toggles, legend, popups)
///     GET /layers                    [{"name", "count", "url"}] in drawing order
///     GET /layers/buildings.geojson  one layer, RFC 7946
///     GET /report                    the plan report (as `siteplan plan --format json`)
///     GET /query?at=LON,LAT          as `siteplan query --at LON,LAT --format json`
///     GET /events                    server-sent events: `version` when the plan changed
///     GET /static/leaflet/...        Leaflet, from Debian's libjs-leaflet
///
/// The map's read routes (page, layers, report, query, static files, /api/ forms) answer HEAD too. The page, the layers, the index and the report carry an
/// ETag and answer `If-None-Match` with 304. GET is open to other origins (CORS), to the
/// origins configured. Requests naming another host than the configured names are refused
/// (DNS rebinding). A client that does not finish its request head within the header timeout
/// is disconnected, as is an idle keep-alive connection, and one client address may hold at
/// most `maxConnectionsPerClient` connections.
///
/// Bad requests get a 4xx with a JSON body `{"error": "..."}`; the server keeps running.
public struct WebMapServer: Sendable {
    public struct Options: Sendable {
        /// The interface to listen on. Only loopback without accounts (`siteplan serve`
        /// refuses others).
        public var host: String = "127.0.0.1"
        /// Names the Host header may carry (with any port). Loopback names are always allowed.
        public var allowedHosts: [String] = []
        /// Origins allowed to read by GET from scripts of other sites; "*" for any.
        public var corsOrigins: [String] = ["*"]
        /// How long a client may take to send a request head, and how long an idle keep-alive
        /// connection is kept.
        public var headerTimeout: Duration = .seconds(10)
        /// Connections one client address may hold at once.
        public var maxConnectionsPerClient: Int = 256
        /// How often the source is asked whether the plan changed.
        public var pollInterval: Duration = .seconds(1)
        /// HTTPS with this certificate chain and key (PEM files); nil: plain HTTP.
        public var tls: TLSFiles?

        public init() {}

        static let loopbackNames = ["127.0.0.1", "localhost", "::1", "[::1]"]

        /// Whether `authority` (a Host header: name, or name:port, or [v6]:port) is ours.
        func allows(authority: String?) -> Bool {
            guard let authority, !authority.isEmpty else { return false }
            var name = authority.lowercased()
            if name.hasPrefix("[") {
                if let close = name.firstIndex(of: "]") { name = String(name[...close]) }
            } else if let colon = name.lastIndex(of: ":"), name.firstIndex(of: ":") == colon {
                name = String(name[..<colon])
            }
            if name.hasSuffix(".") { name.removeLast() }
            return (Self.loopbackNames + allowedHosts.map { $0.lowercased() }).contains(name)
        }
    }

    public let live: LiveWebMap
    public let options: Options
    /// Accounts and writes (`--auth`); nil: read-only, open to whoever reaches the port.
    public let workbench: Workbench?
    /// Where Leaflet's files are (Debian's libjs-leaflet).
    public let leafletFolder: String

    public static let defaultLeafletFolder = "/usr/share/javascript/leaflet"

    public init(live: LiveWebMap, options: Options = Options(), workbench: Workbench? = nil, leafletFolder: String = WebMapServer.defaultLeafletFolder) {
        self.live = live
        self.options = options
        self.workbench = workbench
        self.leafletFolder = leafletFolder
    }

    /// A server of a plan that does not change.
    public init(data: WebMapData, leafletFolder: String = WebMapServer.defaultLeafletFolder) throws {
        self.init(live: try LiveWebMap(source: .fixed(data)), leafletFolder: leafletFolder)
    }

    /// Serves on `options.host`:`port` until the process gets SIGINT or SIGTERM, polling the
    /// source for changes. `onRunning` is called with the port once the server listens.
    public func run(port: Int, onRunning: @escaping @Sendable (Int) async -> Void = { _ in }) async throws {
        let limiter = ConnectionLimiter(maxPerClient: options.maxConnectionsPerClient)
        let http1 = HTTPServerBuilder.http1(configuration: .init(additionalChannelHandlers: [limiter.handler()],
                                                                 idleTimeout: .nanoseconds(Int64(options.headerTimeout.components.seconds) * 1_000_000_000
                                                                     + options.headerTimeout.components.attoseconds / 1_000_000_000)))
        let server = try options.tls.map { try HTTPServerBuilder.tls(http1, tlsConfiguration: try $0.configuration()) } ?? http1
        let app = Application(
            router: makeRouter(),
            server: server,
            configuration: .init(address: .hostname(options.host, port: port), serverName: "siteplan"),
            onServerRunning: { channel in await onRunning(channel.localAddress?.port ?? port) }
        )
        let live = self.live
        let interval = options.pollInterval
        let watcher = Task.detached { await live.watch(every: interval) }
        defer { watcher.cancel() }
        do {
            try await app.runService()
        } catch {
            if Self.isAddressInUse(error) {
                throw OutputError(nil, "port \(port) is in use (another server is listening there); choose another with --port, or --port 0 for any free port")
            }
            throw error
        }
    }

    /// Whether `error` (NIO's, possibly wrapped by the service group) is a bind to a taken port.
    static func isAddressInUse(_ error: any Error) -> Bool {
        if let io = error as? IOError { return io.errnoCode == EADDRINUSE }
        return String(describing: error).contains("Address already in use")
    }

    func makeRouter() -> Router<SiteRequestContext> {
        let router = Router(context: SiteRequestContext.self)
        let live = self.live
        let leaflet = self.leafletFolder
        router.add(middleware: GuardMiddleware(options: options, workbench: workbench))
        workbench?.addRoutes(to: router, live: live)
        router.getAndHead("/api/openapi.json") { _, _ in Self.response(.ok, OpenAPIDocument.json, type: "application/json") }
        router.getAndHead("/api/layers") { request, _ in
            let (data, version) = live.snapshot
            return Self.entity(request, data.entities["index"]!, version: version, type: "application/json")
        }
        router.getAndHead("/api/layers/:name") { request, context in
            let (data, version) = live.snapshot
            let name = (context.parameters.get("name") ?? "").replacingOccurrences(of: ".geojson", with: "")
            guard let entity = data.entities["layers/" + name] else {
                return Self.error(.notFound, "unknown layer \"\(Self.printable(name))\" (layers: \(data.layers.map(\.name).joined(separator: ", ")))")
            }
            return Self.entity(request, entity, version: version, type: "application/geo+json")
        }
        router.getAndHead("/api/features/:id") { _, context in
            let id = context.parameters.get("id") ?? ""
            guard let found = try live.current.feature(id: id) else { return Self.error(.notFound, "no feature has the id \"\(Self.printable(id))\"") }
            return Self.json(.ok, found)
        }
        router.getAndHead("/api/progress") { _, _ in Self.json(.ok, live.current.progressJSON) }
        router.getAndHead("/api/query") { request, _ in
            guard let at = request.uri.queryParameters.get("at") else { return Self.error(.badRequest, "missing ?at=LON,LAT (longitude first, WGS84 degrees)") }
            do { return Self.response(.ok, try live.current.query(at), type: "application/json") } catch let error as InputError {
                return Self.error(.badRequest, "at=\(Self.printable(at)): \(error.problem)")
            }
        }
        router.getAndHead("/api/measure") { request, _ in
            guard let path = request.uri.queryParameters.get("path") else {
                return Self.error(.badRequest, "missing ?path=LON,LAT;LON,LAT;… (WGS84 degrees, longitude first)")
            }
            do { return Self.json(.ok, try Measure.answer(String(path))) } catch let error as InputError {
                return Self.error(.badRequest, "path: \(error.problem)")
            }
        }
        if let workbench {
            router.getAndHead("/api/diff") { request, _ in
                let revisions = try workbench.desk.revisions().map(\.number)
                guard let latest = revisions.last, revisions.count >= 2 else {
                    return Self.error(.notFound, "a diff needs two adopted revisions; the store has \(revisions.count)")
                }
                let a = request.uri.queryParameters.get("a").flatMap { Int($0) } ?? latest - 1
                let b = request.uri.queryParameters.get("b").flatMap { Int($0) } ?? latest
                guard revisions.contains(a), revisions.contains(b) else {
                    return Self.error(.notFound, "no revision \(revisions.contains(a) ? b : a) (revisions 1 to \(latest))")
                }
                let desk = workbench.desk
                let layer = try await Workbench.offPool { try desk.changes(from: a, to: b).projected(to: .wgs84) }
                return Self.response(.ok, try GeoJSONWriter().featureCollection(layer), type: "application/geo+json")
            }
            router.getAndHead("/api/revisions") { _, _ in
                Self.json(.ok, .array(try workbench.desk.revisions().map { r in
                    .object(JSONObject([("number", .number(Double(r.number))), ("author", .string(r.author)), ("adopted_at", .string(r.adoptedAt)),
                                        ("message", .string(r.message)), ("scenario", .string(r.scenario)), ("seed", .string(String(r.seed)))]))
                }))
            }
        }
        router.getAndHead("/") { request, _ in
            let (data, version) = live.snapshot
            return Self.entity(request, data.entities["page"]!, version: version, type: "text/html; charset=utf-8")
        }
        router.getAndHead("/layers") { request, _ in
            let (data, version) = live.snapshot
            return Self.entity(request, data.entities["index"]!, version: version, type: "application/json")
        }
        router.getAndHead("/layers/:file") { request, context in
            let (data, version) = live.snapshot
            let file = context.parameters.get("file") ?? ""
            guard file.hasSuffix(".geojson") else {
                return Self.error(.notFound, "layers are served as /layers/<name>.geojson; layers: \(data.layers.map(\.name).joined(separator: ", "))")
            }
            let name = String(file.dropLast(".geojson".count))
            guard let entity = data.entities["layers/" + name] else {
                return Self.error(.notFound, "unknown layer \"\(name)\" (layers: \(data.layers.map(\.name).joined(separator: ", ")))")
            }
            return Self.entity(request, entity, version: version, type: "application/geo+json")
        }
        router.getAndHead("/report") { request, _ in
            let (data, version) = live.snapshot
            return Self.entity(request, data.entities["report"]!, version: version, type: "application/json")
        }
        router.getAndHead("/query") { request, _ in
            guard let at = request.uri.queryParameters.get("at") else {
                return Self.error(.badRequest, "missing ?at=LON,LAT (longitude first, WGS84 degrees)")
            }
            do {
                return Self.response(.ok, try live.current.query(at), type: "application/json")
            } catch let error as InputError {
                return Self.error(.badRequest, "at=\(Self.printable(at)): \(error.problem)")
            }
        }
        router.get("/events") { _, _ in Self.eventStream(live) }
        router.getAndHead("/static/leaflet/:file") { _, context in Self.file(leaflet, context.parameters.get("file")) }
        router.getAndHead("/static/leaflet/images/:file") { _, context in Self.file(leaflet + "/images", context.parameters.get("file")) }
        router.getAndHead("**") { request, _ in Self.error(.notFound, "no such page: \(Self.printable(request.uri.path)) (see /, /layers, /report, /query?at=LON,LAT, /events)") }
        return router
    }

    /// `text` as typed, with anything not printable ASCII escaped, for echoing in messages.
    static func printable(_ text: String) -> String {
        let cut = text.count > 200 ? String(text.prefix(200)) + "…" : text
        return cut.unicodeScalars.map { $0.value >= 0x20 && $0.value < 0x7f ? String($0) : "\\u{\(String($0.value, radix: 16))}" }.joined()
    }

    /// `X-Plan-Version`: the version of the plan a response belongs to (as /events counts).
    static let planVersion = HTTPField.Name("X-Plan-Version")!

    /// A served text with its ETag; 304 when the client has it already.
    static func entity(_ request: Request, _ entity: WebMapData.Entity, version: Int, type: String) -> Response {
        var headers = HTTPFields()
        headers[.eTag] = entity.etag
        headers[Self.planVersion] = String(version)
        // Stored, but asked again each time: the ETag makes that a 304 while nothing changed.
        headers[.cacheControl] = "no-cache"
        if let seen = request.headers[.ifNoneMatch],
           seen.split(separator: ",").contains(where: { let tag = $0.trimmingCharacters(in: .whitespaces); return tag == entity.etag || tag == "W/" + entity.etag || tag == "*" }) {
            return Response(status: .notModified, headers: headers)
        }
        headers[.contentType] = type
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(string: entity.text)))
    }

    /// `text/event-stream`: `event: version` with `{"version": N}` now and after each change,
    /// `event: failed` with `{"error": "..."}` when a reload failed, a comment as heartbeat.
    static func eventStream(_ live: LiveWebMap) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = "text/event-stream; charset=utf-8"
        headers[.cacheControl] = "no-store"
        let stream = live.listen()
        return Response(status: .ok, headers: headers, body: ResponseBody { writer in
            // "retry" tells EventSource to reconnect after 1 s when the server restarts.
            try await writer.write(ByteBuffer(string: "retry: 1000\n\n"))
            for await event in stream {
                let text: String
                switch event {
                case .version(let n): text = "event: version\ndata: {\"version\": \(n)}\n\n"
                case .failed(let message):
                    text = "event: failed\ndata: " + JSONWriter.write(.object(JSONObject([("error", .string(message))]))) + "\n\n"
                case .heartbeat: text = ": heartbeat\n\n"
                }
                try await writer.write(ByteBuffer(string: text))
            }
            try await writer.finish(nil)
        })
    }

    static func response(_ status: HTTPResponse.Status, _ text: String, type: String) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = type
        headers[.cacheControl] = "no-store"
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(string: text)))
    }

    /// A JSON document.
    static func json(_ status: HTTPResponse.Status, _ value: JSONValue) -> Response {
        response(status, JSONWriter.write(value, indent: 2) + "\n", type: "application/json")
    }

    /// `{"error": message, "status": code}` with a 4xx status.
    static func error(_ status: HTTPResponse.Status, _ message: String) -> Response {
        let body = JSONWriter.write(.object(JSONObject([("error", .string(message)), ("status", .number(Double(status.code)))]))) + "\n"
        return response(status, body, type: "application/json")
    }

    /// A file of a fixed folder; the name must be plain (no folders, no "..").
    static func file(_ folder: String, _ name: String?) -> Response {
        guard let name, !name.hasPrefix("."), name.allSatisfy({ $0.isLetter || $0.isNumber || "._-".contains($0) }) else {
            return error(.badRequest, "bad file name")
        }
        guard let bytes = FileManager.default.contents(atPath: folder + "/" + name) else {
            return error(.notFound, "no such file: \(name) (is libjs-leaflet installed?)")
        }
        let type: String
        switch (name as NSString).pathExtension {
        case "js": type = "text/javascript; charset=utf-8"
        case "css": type = "text/css; charset=utf-8"
        case "png": type = "image/png"
        case "map": type = "application/json"
        default: type = "application/octet-stream"
        }
        var headers = HTTPFields()
        headers[.contentType] = type
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
    }
}

/// The PEM files of `serve --tls-cert --tls-key`.
public struct TLSFiles: Sendable {
    public let certificatePath: String
    public let keyPath: String

    public init(certificatePath: String, keyPath: String) {
        self.certificatePath = certificatePath
        self.keyPath = keyPath
    }

    /// The server's TLS configuration; an `InputError` naming the file and what NIOSSL (BoringSSL)
    /// said when a file cannot be read as PEM.
    func configuration() throws -> TLSConfiguration {
        let chain: [NIOSSLCertificate]
        do { chain = try NIOSSLCertificate.fromPEMFile(certificatePath) } catch {
            throw InputError(source: certificatePath, "not a PEM certificate chain (\(error))")
        }
        guard !chain.isEmpty else { throw InputError(source: certificatePath, "no certificate in the file") }
        let key: NIOSSLPrivateKey
        do { key = try NIOSSLPrivateKey(file: keyPath, format: .pem) } catch {
            throw InputError(source: keyPath, "not a PEM private key (\(error))")
        }
        var configuration = TLSConfiguration.makeServerConfiguration(certificateChain: chain.map { .certificate($0) }, privateKey: .privateKey(key))
        configuration.minimumTLSVersion = .tlsv12
        return configuration
    }
}
