import Foundation
import SiteCrypto
import SitePlanning
import SiteVocabulary

/// Passwords as scrypt hashes (RFC 7914, memory-hard): `scrypt$N$r$p$SALT$HASH`, salt and hash
/// in base64. N = 2^15, r = 8, p = 1 take 32 MiB and about 0.1 s per check, which is what makes
/// guessing expensive; the parameters are stored with each hash, so they can grow later.
public enum PasswordHash {
    public static let defaultN = 1 << 15
    static let r = 8, p = 1, keyBytes = 32

    /// The hash of `password` with a fresh random salt.
    public static func make(_ password: String, n: Int = defaultN) throws -> String {
        guard password.count >= 8 else { throw InputError("a password needs at least 8 characters") }
        let salt = Data(try SiteCrypto.randomBytes(16))
        let key = try derive(password, salt: salt, n: n, r: r, p: p, bytes: keyBytes)
        return "scrypt$\(n)$\(r)$\(p)$\(salt.base64EncodedString())$\(key.base64EncodedString())"
    }

    /// Whether `password` matches `hash` (compared in constant time). A hash this build cannot
    /// read matches nothing.
    public static func verify(_ password: String, against hash: String) -> Bool {
        let parts = hash.split(separator: "$", omittingEmptySubsequences: false).map(String.init)
        guard parts.count == 6, parts[0] == "scrypt", let n = Int(parts[1]), let r = Int(parts[2]), let p = Int(parts[3]),
              n >= 2, n <= 1 << 20, n & (n - 1) == 0, (1...32).contains(r), (1...16).contains(p),
              let salt = Data(base64Encoded: parts[4]), let expected = Data(base64Encoded: parts[5]), !expected.isEmpty,
              let key = try? derive(password, salt: salt, n: n, r: r, p: p, bytes: expected.count) else { return false }
        return SiteCrypto.constantTimeEqual(Array(key), Array(expected))
    }

    static func derive(_ password: String, salt: Data, n: Int, r: Int, p: Int, bytes: Int) throws -> Data {
        Data(try SiteCrypto.scrypt(password: Array(password.utf8), salt: Array(salt), n: UInt64(n), r: UInt64(r), p: UInt64(p), length: bytes))
    }
}

/// A signed-in person: who, with what role, until when, and the CSRF token their page must send
/// with each write.
public struct Session: Sendable {
    public let user: String
    public let role: Role
    public let csrf: String
    public let expires: Date
}

/// Sessions and API tokens, held in memory (a restart signs everyone out). A token is 32 random
/// bytes; only its SHA-256 is kept, so a memory dump gives no usable token.
public final class SessionBook: @unchecked Sendable {
    private let lock = NSLock()
    private var sessions: [String: Session] = [:]
    public let lifetime: TimeInterval

    public init(lifetime: TimeInterval) { self.lifetime = lifetime }

    static func randomToken() throws -> String {
        Data(try SiteCrypto.randomBytes(32)).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
    }

    static func digest(_ token: String) throws -> String {
        try SiteCrypto.sha256(Array(token.utf8)).map { String(format: "%02x", $0) }.joined()
    }

    /// Opens a session; returns its token (given once, to the client).
    public func open(user: String, role: Role, now: Date = Date()) throws -> (token: String, session: Session) {
        let token = try Self.randomToken()
        let key = try Self.digest(token)
        let session = Session(user: user, role: role, csrf: try Self.randomToken(), expires: now.addingTimeInterval(lifetime))
        lock.withLock {
            sessions = sessions.filter { $0.value.expires > now }
            sessions[key] = session
        }
        return (token, session)
    }

    /// The live session of `token`, nil when unknown or expired.
    public func session(_ token: String, now: Date = Date()) -> Session? {
        guard let key = try? Self.digest(token) else { return nil }
        return lock.withLock {
            guard let s = sessions[key] else { return nil }
            guard s.expires > now else { sessions.removeValue(forKey: key); return nil }
            return s
        }
    }

    public func close(_ token: String) {
        guard let key = try? Self.digest(token) else { return }
        _ = lock.withLock { sessions.removeValue(forKey: key) }
    }

    /// Ends every session of `user` (after a password or role change).
    public func closeAll(of user: String) { lock.withLock { sessions = sessions.filter { $0.value.user != user } } }
}

/// Failed log-ins. Three counters, each over the last `window` seconds:
/// - per user name from one address: `maxFailures` (someone guessing one account);
/// - per client address: `maxFailuresPerAddress` (one address guessing many names; higher, as an
///   office behind one address has many users who mistype);
/// - per user name from all addresses: `maxFailuresPerName` (one account guessed from many
///   addresses), set well above the others so that one address cannot lock somebody else out
///   of their account: it is stopped by its own counters first.
/// Past a limit, attempts are refused until the window has passed, right password or not. A
/// successful log-in clears only its own name-from-address counter: logging in to one's own
/// account does not buy more guesses at another's.
public final class LoginLimiter: @unchecked Sendable {
    private let lock = NSLock()
    private var failures: [String: [Date]] = [:]
    public let maxFailures: Int
    public let maxFailuresPerAddress: Int
    public let maxFailuresPerName: Int
    public let window: TimeInterval

    public init(maxFailures: Int = 5, maxFailuresPerAddress: Int = 20, maxFailuresPerName: Int = 50, window: TimeInterval = 15 * 60) {
        self.maxFailures = maxFailures
        self.maxFailuresPerAddress = max(maxFailures, maxFailuresPerAddress)
        self.maxFailuresPerName = max(self.maxFailuresPerAddress, maxFailuresPerName)
        self.window = window
    }

    /// The counters a log-in of `name` from `address` is held to, with their limits.
    func counters(name: String, address: String) -> [(key: String, limit: Int)] {
        [("name \(name) from \(address)", maxFailures), ("address \(address)", maxFailuresPerAddress), ("name \(name)", maxFailuresPerName)]
    }

    /// Seconds until `name` may try again from `address`; nil when it may now.
    public func wait(name: String, address: String, now: Date = Date()) -> Int? {
        lock.withLock {
            var longest: TimeInterval?
            for (key, limit) in counters(name: name, address: address) {
                let recent = (failures[key] ?? []).filter { now.timeIntervalSince($0) < window }
                failures[key] = recent.isEmpty ? nil : recent
                if recent.count >= limit, let oldest = recent.first {
                    longest = max(longest ?? 0, window - now.timeIntervalSince(oldest))
                }
            }
            return longest.map { Int($0.rounded(.up)) }
        }
    }

    public func fail(name: String, address: String, now: Date = Date()) {
        lock.withLock { for (key, _) in counters(name: name, address: address) { failures[key, default: []].append(now) } }
    }

    public func succeed(name: String, address: String) {
        lock.withLock { _ = failures.removeValue(forKey: counters(name: name, address: address)[0].key) }
    }
}
