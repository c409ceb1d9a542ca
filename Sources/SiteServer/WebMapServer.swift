import Foundation
import Hummingbird
import NIOCore
import SitePlanning
import SiteVocabulary
import SiteFiles
import SiteReports
import DriverGeoJSON
import DriverGeoPackage
import SiteDrivers

/// The web map: an HTTP server on loopback (Hummingbird) serving a Leaflet page, the layers
/// as GeoJSON at stable URLs, the report, and point queries.
///
///     GET /                          the page (Leaflet, every layer, toggles, legend, popups)
///     GET /layers                    [{"name", "count", "url"}] in drawing order
///     GET /layers/buildings.geojson  one layer, RFC 7946
///     GET /report                    the plan report (as `siteplan plan --format json`)
///     GET /query?at=LON,LAT          as `siteplan query --at LON,LAT --format json`
///     GET /static/leaflet/...        Leaflet, from Debian's libjs-leaflet
///
/// Bad requests get a 4xx with a JSON body `{"error": "..."}`; the server keeps running.
public struct WebMapServer: Sendable {
    public let data: WebMapData
    /// Where Leaflet's files are (Debian's libjs-leaflet).
    public let leafletFolder: String

    public static let defaultLeafletFolder = "/usr/share/javascript/leaflet"

    public init(data: WebMapData, leafletFolder: String = WebMapServer.defaultLeafletFolder) {
        self.data = data
        self.leafletFolder = leafletFolder
    }

    /// Serves on 127.0.0.1:`port` until the process gets SIGINT or SIGTERM. `onRunning` is
    /// called with the port once the server listens.
    public func run(port: Int, onRunning: @escaping @Sendable (Int) async -> Void = { _ in }) async throws {
        let app = Application(
            router: makeRouter(),
            configuration: .init(address: .hostname("127.0.0.1", port: port), serverName: "siteplan"),
            onServerRunning: { channel in await onRunning(channel.localAddress?.port ?? port) }
        )
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

    func makeRouter() -> Router<BasicRequestContext> {
        let router = Router()
        let data = self.data
        let leaflet = self.leafletFolder
        let page = WebMapPage.html(data: data)
        router.get("/") { _, _ in Self.response(.ok, page, type: "text/html; charset=utf-8") }
        router.get("/layers") { _, _ in Self.response(.ok, data.layerIndexJSON, type: "application/json") }
        router.get("/layers/:file") { _, context in
            let file = context.parameters.get("file") ?? ""
            guard file.hasSuffix(".geojson") else {
                return Self.error(.notFound, "layers are served as /layers/<name>.geojson; layers: \(data.layers.map(\.name).joined(separator: ", "))")
            }
            let name = String(file.dropLast(".geojson".count))
            guard let text = data.layer(name) else {
                return Self.error(.notFound, "unknown layer \"\(name)\" (layers: \(data.layers.map(\.name).joined(separator: ", ")))")
            }
            return Self.response(.ok, text, type: "application/geo+json")
        }
        router.get("/report") { _, _ in Self.response(.ok, data.reportJSON, type: "application/json") }
        router.get("/query") { request, _ in
            guard let at = request.uri.queryParameters.get("at") else {
                return Self.error(.badRequest, "missing ?at=LON,LAT (longitude first, WGS84 degrees)")
            }
            do {
                return Self.response(.ok, try data.query(at), type: "application/json")
            } catch let error as InputError {
                return Self.error(.badRequest, "at=\(at): \(error.problem)")
            }
        }
        router.get("/static/leaflet/:file") { _, context in Self.file(leaflet, context.parameters.get("file")) }
        router.get("/static/leaflet/images/:file") { _, context in Self.file(leaflet + "/images", context.parameters.get("file")) }
        router.get("**") { request, _ in Self.error(.notFound, "no such page: \(request.uri.path) (see /, /layers, /report, /query?at=LON,LAT)") }
        return router
    }

    static func response(_ status: HTTPResponse.Status, _ text: String, type: String) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = type
        headers[.cacheControl] = "no-store"
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(string: text)))
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
