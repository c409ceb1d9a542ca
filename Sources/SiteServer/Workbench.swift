import DriverGeoJSON
import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import SiteFiles
import SitePlanning
import SiteVocabulary

/// Accounts on the server (`siteplan serve --store S --auth`): who may read, who may write.
///
/// Viewers read, editors also record works events, admins also manage users. Every write
/// checks the role here, on the server, and for a cookie session also the CSRF token the page
/// got at log-in (`X-CSRF-Token`); an API token (`Authorization: Bearer …`) needs no CSRF token,
/// since a browser never sends it on its own. Log-ins are rate-limited per address and per name.
public struct Workbench: Sendable {
    public let desk: StoreDesk
    public let sessions: SessionBook
    public let limiter: LoginLimiter
    /// Cookies get `Secure` when the server speaks TLS.
    public let secureCookies: Bool
    /// Accounts on (`--auth`): reads need a session, writes a role. Off: the store's history
    /// and revisions are readable by anyone, and nothing can be written.
    public let accounts: Bool

    public init(desk: StoreDesk, accounts: Bool = true, sessionLifetime: TimeInterval = 12 * 3600, limiter: LoginLimiter = LoginLimiter(), secureCookies: Bool = false) {
        self.desk = desk
        self.accounts = accounts
        sessions = SessionBook(lifetime: sessionLifetime)
        self.limiter = limiter
        self.secureCookies = secureCookies
    }

    static let cookieName = "siteplan_session"
    static let csrfHeader = HTTPField.Name("X-CSRF-Token")!

    /// Who sends `request`: the session of its bearer token or of its cookie.
    func identify(_ request: Request) -> (session: Session, token: String, viaCookie: Bool)? {
        if let authorization = request.headers[.authorization], authorization.hasPrefix("Bearer ") {
            let token = String(authorization.dropFirst("Bearer ".count)).trimmingCharacters(in: .whitespaces)
            return sessions.session(token).map { ($0, token, false) }
        }
        for cookie in request.headers[values: .cookie].flatMap({ $0.split(separator: ";") }) {
            let pair = cookie.trimmingCharacters(in: .whitespaces)
            if pair.hasPrefix(Self.cookieName + "=") {
                let token = String(pair.dropFirst(Self.cookieName.count + 1))
                if let session = sessions.session(token) { return (session, token, true) }
            }
        }
        return nil
    }

    /// The session allowed to do what needs `role`; otherwise the 401 or 403 to answer. A write
    /// from a cookie session must carry the session's CSRF token.
    func authorize(_ request: Request, _ role: Role, write: Bool) -> Result<Session, Refusal> {
        guard let (session, _, viaCookie) = identify(request) else {
            return .failure(Refusal(status: .unauthorized, message: "sign in first: POST /api/login with {\"name\", \"password\"}, then send the session cookie or Authorization: Bearer TOKEN"))
        }
        guard session.role >= role else {
            return .failure(Refusal(status: .forbidden, message: "\(session.user) is a \(session.role.rawValue); this needs the \(role.rawValue) role"))
        }
        if write && viaCookie && request.headers[Self.csrfHeader] != session.csrf {
            return .failure(Refusal(status: .forbidden, message: "missing or wrong CSRF token (X-CSRF-Token, from the log-in answer or GET /api/session); reload the page"))
        }
        return .success(session)
    }

    struct Refusal: Error {
        let status: HTTPResponse.Status
        let message: String
        var response: Response { WebMapServer.error(status, message) }
    }

    // MARK: routes

    func addRoutes(to router: Router<SiteRequestContext>, live: LiveWebMap) {
        router.post("/api/login") { request, context in try await self.login(request, context) }
        router.post("/api/logout") { request, _ in
            var headers = HTTPFields()
            if let (_, token, _) = self.identify(request) { self.sessions.close(token) }
            headers[.setCookie] = self.cookie("", maxAge: 0)
            return Response(status: .noContent, headers: headers)
        }
        router.get("/api/session") { request, _ in
            guard self.accounts else { return WebMapServer.json(.ok, .object(JSONObject([("accounts", .bool(false))]))) }
            guard let (session, _, _) = self.identify(request) else { return WebMapServer.error(.unauthorized, "not signed in") }
            return WebMapServer.json(.ok, .object(JSONObject([("name", .string(session.user)), ("role", .string(session.role.rawValue)),
                                                             ("csrf", .string(session.csrf)), ("expires", .string(Self.timestamp(session.expires)))])))
        }
        router.post("/api/works/events") { request, context in
            switch self.authorize(request, .editor, write: true) {
            case .failure(let refusal): return refusal.response
            case .success(let session): return try await self.recordEvent(request, context, by: session, live: live)
            }
        }
        router.get("/api/works/events") { request, _ in
            if self.accounts, case .failure(let refusal) = self.authorize(request, .viewer, write: false) { return refusal.response }
            do {
                let events = try self.desk.events(of: request.uri.queryParameters.get("asset_id"))
                return WebMapServer.json(.ok, .array(events.map(Self.json)))
            } catch let error as InputError {
                return WebMapServer.error(.notFound, error.problem)
            }
        }
        router.get("/api/progress/history") { request, _ in
            if self.accounts, case .failure(let refusal) = self.authorize(request, .viewer, write: false) { return refusal.response }
            let desk = self.desk, sources = live.current.scenario.utilitySources
            let days = try await Self.offPool { try desk.progressOverTime(sources: sources) }
            return WebMapServer.json(.ok, .array(days.map { day, f in
                .object(JSONObject([("date", .string(day.description)), ("works_complete_pct", .number(f.worksCompletePercent, decimals: 2)),
                                    ("dwellings", .number(Double(f.dwellings))), ("dwellings_fully_connected", .number(Double(f.dwellingsFullyConnected))),
                                    ("buildings_fully_connected", .number(Double(f.buildingsFullyConnected)))]))
            }))
        }
        router.post("/api/revisions") { request, context in
            switch self.authorize(request, .admin, write: true) {
            case .failure(let refusal): return refusal.response
            case .success(let session):
                guard let adopt = live.source.adopt else { return WebMapServer.error(.notFound, "this server cannot adopt revisions") }
                let body = (try? await Self.jsonBody(request, context)) ?? JSONObject()
                guard let message = body["message"]?.string, !message.isEmpty else {
                    return WebMapServer.error(.badRequest, "message: say what the revision is (a JSON body {\"message\", \"base\"})")
                }
                let base = body["base"]?.number.map { Int($0) }
                do {
                    let revision = try await Self.offPool { try adopt(base, session.user, message) }
                    live.pollSoon()
                    return WebMapServer.json(.created, .object(JSONObject([("number", .number(Double(revision.number))), ("author", .string(revision.author)),
                                                                           ("adopted_at", .string(revision.adoptedAt)), ("message", .string(revision.message))])))
                } catch let error as InputError {
                    return WebMapServer.error(.conflict, error.problem)
                }
            }
        }
        router.get("/api/users") { request, _ in
            if case .failure(let refusal) = self.authorize(request, .admin, write: false) { return refusal.response }
            return WebMapServer.json(.ok, .array(try self.desk.users().map { .object(JSONObject([("name", .string($0.name)), ("role", .string($0.role.rawValue)), ("created_at", .string($0.createdAt)), ("created_by", .string($0.createdBy))])) }))
        }
        router.post("/api/users") { request, context in
            switch self.authorize(request, .admin, write: true) {
            case .failure(let refusal): return refusal.response
            case .success(let session): return try await self.addUser(request, context, by: session)
            }
        }
    }

    /// `POST /api/login` `{"name", "password"}` → `{"token", "name", "role", "csrf", "expires"}`
    /// and the session cookie (HttpOnly, SameSite=Strict, Secure with TLS).
    func login(_ request: Request, _ context: SiteRequestContext) async throws -> Response {
        guard let body = try? await Self.jsonBody(request, context), let name = body["name"]?.string, let password = body["password"]?.string else {
            return WebMapServer.error(.badRequest, "expected a JSON body {\"name\": \"…\", \"password\": \"…\"}")
        }
        let address = context.remoteAddress?.ipAddress ?? "unknown"
        if let wait = limiter.wait(name: name, address: address) {
            var response = WebMapServer.error(.tooManyRequests, "too many failed log-ins; try again in \(wait) s")
            response.headers[HTTPField.Name("Retry-After")!] = String(wait)
            return response
        }
        let desk = self.desk
        let account = try await Self.offPool { try desk.user(named: name) }
        // A name that does not exist costs the same as a wrong password, and says the same.
        let hash = account?.passwordHash ?? Self.decoyHash
        let matches = try await Self.offPool { PasswordHash.verify(password, against: hash) }
        guard let account, matches else {
            limiter.fail(name: name, address: address)
            return WebMapServer.error(.unauthorized, "wrong name or password")
        }
        limiter.succeed(name: name, address: address)
        let (token, session) = try sessions.open(user: account.name, role: account.role)
        var response = WebMapServer.json(.ok, .object(JSONObject([
            ("token", .string(token)), ("name", .string(account.name)), ("role", .string(account.role.rawValue)),
            ("csrf", .string(session.csrf)), ("expires", .string(Self.timestamp(session.expires))),
        ])))
        response.headers[.setCookie] = cookie(token, maxAge: Int(sessions.lifetime))
        return response
    }

    /// A hash no password matches, checked when the name is unknown so the answer takes as long.
    static let decoyHash: String = (try? PasswordHash.make("decoy password \(UUID().uuidString)")) ?? "scrypt$2$1$1$AA==$AA=="

    func cookie(_ token: String, maxAge: Int) -> String {
        "\(Self.cookieName)=\(token); Path=/; Max-Age=\(maxAge); HttpOnly; SameSite=Strict" + (secureCookies ? "; Secure" : "")
    }

    /// `POST /api/works/events` `{"asset_id", "status", "date", "note", "photo"}` → 201 with the
    /// event as stored. Checked as `siteplan works record` checks it; nothing is written when
    /// it is refused.
    func recordEvent(_ request: Request, _ context: SiteRequestContext, by session: Session, live: LiveWebMap) async throws -> Response {
        guard let body = try? await Self.jsonBody(request, context) else {
            return WebMapServer.error(.badRequest, "expected a JSON body {\"asset_id\", \"status\", \"date\", \"note\"}")
        }
        guard let id = body["asset_id"]?.string, !id.isEmpty else { return WebMapServer.error(.badRequest, "asset_id: the segment's id is missing") }
        guard let word = body["status"]?.string, let status = WorksStatus(rawValue: word) else {
            return WebMapServer.error(.badRequest, "status: expected one of \(WorksStatus.wordList), got \(body["status"].map { JSONWriter.write($0) } ?? "nothing")")
        }
        let dayText = body["date"]?.string ?? UTCClock.today().description
        guard let day = ISODate(dayText) else { return WebMapServer.error(.badRequest, "date: \"\(WebMapServer.printable(dayText))\" is not a date (YYYY-MM-DD)") }
        var note = body["note"]?.string ?? ""
        if let photo = body["photo"]?.string, !photo.isEmpty { note += (note.isEmpty ? "" : " ") + "[photo: \(photo)]" }
        guard note.count <= 2000 else { return WebMapServer.error(.badRequest, "note: at most 2000 characters") }
        let event = WorksEvent(assetID: id, status: status, date: day, recordedBy: session.user, note: note, origin: "the event")
        do {
            let desk = self.desk
            let stored = try await Self.offPool { try desk.record(event) }
            // The open pages hear of it now, not at the next poll.
            live.pollSoon()
            return WebMapServer.json(.created, Self.json(stored))
        } catch let error as InputError {
            return WebMapServer.error(.unprocessableContent, error.problem)
        }
    }

    /// `POST /api/users` `{"name", "role", "password"}` (admins) → 201.
    func addUser(_ request: Request, _ context: SiteRequestContext, by session: Session) async throws -> Response {
        guard let body = try? await Self.jsonBody(request, context), let name = body["name"]?.string,
              let word = body["role"]?.string, let password = body["password"]?.string else {
            return WebMapServer.error(.badRequest, "expected a JSON body {\"name\", \"role\", \"password\"}")
        }
        guard let role = Role(rawValue: word) else { return WebMapServer.error(.badRequest, "role: expected one of \(Role.wordList)") }
        do {
            try UserAccount.checkName(name)
            let hash = try await Self.offPool { try PasswordHash.make(password) }
            try desk.saveUser(UserAccount(name: name, role: role, passwordHash: hash, createdAt: UTCClock.timestamp(), createdBy: session.user))
            sessions.closeAll(of: name)
        } catch let error as InputError {
            return WebMapServer.error(.badRequest, error.problem)
        }
        return WebMapServer.json(.created, .object(JSONObject([("name", .string(name)), ("role", .string(role.rawValue))])))
    }

    /// Runs blocking work (the store, under its lock; scrypt) on a thread of its own, so the
    /// request threads keep serving while it waits.
    static func offPool<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global().async { continuation.resume(with: Result { try body() }) }
        }
    }

    static func json(_ e: WorksEvent) -> JSONValue {
        .object(JSONObject([("asset_id", .string(e.assetID)), ("status", .string(e.status.rawValue)), ("date", .string(e.date.description)),
                            ("recorded_by", .string(e.recordedBy)), ("note", .string(e.note)), ("row", .string(e.origin))]))
    }

    static func jsonBody(_ request: Request, _ context: SiteRequestContext) async throws -> JSONObject {
        let buffer = try await request.body.collect(upTo: 64 * 1024)
        guard let object = try JSONParser.parse(Array(buffer.readableBytesView)).object else { throw InputError("not a JSON object") }
        return object
    }

    static func timestamp(_ date: Date) -> String {
        let f = ISO8601DateFormatter()
        f.formatOptions = [.withInternetDateTime]
        return f.string(from: date)
    }
}
