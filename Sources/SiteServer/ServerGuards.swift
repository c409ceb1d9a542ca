import Foundation
import Hummingbird
import NIOCore
import SiteVocabulary

/// The context of each request: Hummingbird's, with the client's address (for the log-in
/// limiter).
public struct SiteRequestContext: RequestContext, RemoteAddressRequestContext {
    public var coreContext: CoreRequestContextStorage
    public let remoteAddress: SocketAddress?

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        remoteAddress = source.channel.remoteAddress
    }
}

/// What every request passes before its route: the Host check (a page of another site that
/// rebinds its DNS name to 127.0.0.1 would otherwise read the plan), the allowed methods, and
/// CORS for GET and HEAD.
struct GuardMiddleware<Context: RequestContext>: RouterMiddleware {
    let options: WebMapServer.Options
    let workbench: Workbench?

    /// What anyone may read with accounts on: the page and its scripts, the log-in, the API's
    /// description. Everything else needs a viewer's session.
    static func isPublic(_ path: String) -> Bool {
        path == "/" || path.hasPrefix("/static/") || path == "/api/login" || path == "/api/session" || path == "/api/openapi.json"
    }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard options.allows(authority: request.head.authority) else {
            let named = request.head.authority.map { "\"\(WebMapServer.printable($0))\"" } ?? "no Host header"
            return WebMapServer.error(.misdirectedRequest, "this server answers to \((["127.0.0.1", "localhost", "[::1]"] + options.allowedHosts).joined(separator: ", ")), not \(named) (siteplan serve --allow-host NAME adds one)")
        }
        let origin = request.headers[.origin]
        let allowedOrigin: String? = origin.flatMap { origin in
            if options.corsOrigins.contains("*") { return "*" }
            return options.corsOrigins.contains(origin) ? origin : nil
        }
        switch request.method {
        case .get, .head:
            if let workbench, workbench.accounts, !Self.isPublic(request.uri.path), case .failure(let refusal) = workbench.authorize(request, .viewer, write: false) {
                var response = refusal.response
                if let allowedOrigin { Self.addCORS(&response.headers, allowedOrigin) }
                return response
            }
            var response = try await next(request, context)
            if let allowedOrigin { Self.addCORS(&response.headers, allowedOrigin) }
            return response
        case .options:
            // The CORS preflight: GET and HEAD only, with If-None-Match.
            var headers = HTTPFields()
            headers[.allow] = "GET, HEAD, OPTIONS"
            if let allowedOrigin {
                Self.addCORS(&headers, allowedOrigin)
                headers[.accessControlAllowMethods] = "GET, HEAD"
                headers[.accessControlAllowHeaders] = "If-None-Match"
                headers[.accessControlMaxAge] = "600"
            }
            return Response(status: .noContent, headers: headers)
        case .post where workbench?.accounts == true && request.uri.path.hasPrefix("/api/"):
            // Writes are same-origin only (no CORS); each route checks the role and the CSRF token.
            return try await next(request, context)
        case .post where request.uri.path.hasPrefix("/api/"):
            return WebMapServer.error(.forbidden, "this server is read-only: it runs without accounts (siteplan serve --store S --auth turns them on)")
        default:
            var response = WebMapServer.error(.methodNotAllowed, "\(WebMapServer.printable(request.method.rawValue)) is not served here; this server is read-only (GET, HEAD)")
            response.headers[.allow] = "GET, HEAD, OPTIONS"
            return response
        }
    }

    static func addCORS(_ headers: inout HTTPFields, _ origin: String) {
        headers[.accessControlAllowOrigin] = origin
        headers[.accessControlExposeHeaders] = "ETag, X-Plan-Version"
        if origin != "*" { headers[.vary] = "Origin" }
    }
}

extension Router {
    /// Registers `handler` for GET and for HEAD; HEAD answers the same status and headers
    /// (Content-Length among them) without the body.
    @discardableResult
    func getAndHead(_ path: RouterPath, use handler: @escaping @Sendable (Request, Context) async throws -> Response) -> Self {
        get(path, use: handler)
        head(path) { request, context in
            var response = try await handler(request, context)
            let length = response.body.contentLength
            response.body = ResponseBody()
            if let length { response.headers[.contentLength] = String(length) }
            return response
        }
        return self
    }
}

/// At most `maxPerClient` connections from one client address at once: a further one is
/// closed as soon as it opens. Slow clients are bounded by the header timeout; this bounds how
/// many one address can hold while it lasts.
final class ConnectionLimiter: @unchecked Sendable {
    let maxPerClient: Int
    private let lock = NSLock()
    private var open: [String: Int] = [:]

    init(maxPerClient: Int) { self.maxPerClient = maxPerClient }

    /// Counts a connection in; false when its address already holds the maximum.
    func admit(_ address: String) -> Bool {
        lock.withLock {
            let now = open[address, default: 0]
            guard now < maxPerClient else { return false }
            open[address] = now + 1
            return true
        }
    }

    func release(_ address: String) {
        lock.withLock {
            let now = open[address, default: 0]
            if now <= 1 { open.removeValue(forKey: address) } else { open[address] = now - 1 }
        }
    }

    var openConnections: Int { lock.withLock { open.values.reduce(0, +) } }

    func handler() -> Handler { Handler(limiter: self) }

    /// Inbound only so that NIO accepts it; it passes every message on untouched (never
    /// unwraps one, so the message type is nominal).
    final class Handler: ChannelInboundHandler, RemovableChannelHandler {
        typealias InboundIn = NIOAny
        let limiter: ConnectionLimiter
        private var admitted: String?

        init(limiter: ConnectionLimiter) { self.limiter = limiter }

        func handlerAdded(context: ChannelHandlerContext) {
            let address = context.channel.remoteAddress?.ipAddress ?? "unknown"
            if limiter.admit(address) {
                admitted = address
            } else {
                context.eventLoop.execute { context.close(promise: nil) }
            }
        }

        func handlerRemoved(context: ChannelHandlerContext) {
            if let admitted { limiter.release(admitted) }
            admitted = nil
        }
    }
}
