import Crypto
import _CryptoExtras
import Foundation
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
        let salt = SymmetricKey(size: .bits128).withUnsafeBytes { Data($0) }
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
        return SymmetricKey(data: key) == SymmetricKey(data: expected)
    }

    static func derive(_ password: String, salt: Data, n: Int, r: Int, p: Int, bytes: Int) throws -> Data {
        let key = try KDF.Scrypt.deriveKey(from: Array(password.utf8), salt: salt, outputByteCount: bytes, rounds: n, blockSize: r,
                                           parallelism: p, maxMemory: 128 * n * r * p + 1 << 20)
        return key.withUnsafeBytes { Data($0) }
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

    static func randomToken() -> String {
        SymmetricKey(size: .bits256).withUnsafeBytes { Data($0) }.base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
    }

    static func digest(_ token: String) -> String {
        SHA256.hash(data: Array(token.utf8)).map { String(format: "%02x", $0) }.joined()
    }

    /// Opens a session; returns its token (given once, to the client).
    public func open(user: String, role: Role, now: Date = Date()) -> (token: String, session: Session) {
        let token = Self.randomToken()
        let session = Session(user: user, role: role, csrf: Self.randomToken(), expires: now.addingTimeInterval(lifetime))
        lock.withLock {
            sessions = sessions.filter { $0.value.expires > now }
            sessions[Self.digest(token)] = session
        }
        return (token, session)
    }

    /// The live session of `token`, nil when unknown or expired.
    public func session(_ token: String, now: Date = Date()) -> Session? {
        lock.withLock {
            let key = Self.digest(token)
            guard let s = sessions[key] else { return nil }
            guard s.expires > now else { sessions.removeValue(forKey: key); return nil }
            return s
        }
    }

    public func close(_ token: String) { _ = lock.withLock { sessions.removeValue(forKey: Self.digest(token)) } }

    /// Ends every session of `user` (after a password or role change).
    public func closeAll(of user: String) { lock.withLock { sessions = sessions.filter { $0.value.user != user } } }
}

/// Failed log-ins, per client address and per user name: after `maxFailures` in `window`
/// seconds, further attempts are refused until the window has passed, right password or not.
public final class LoginLimiter: @unchecked Sendable {
    private let lock = NSLock()
    private var failures: [String: [Date]] = [:]
    public let maxFailures: Int
    public let window: TimeInterval

    public init(maxFailures: Int = 5, window: TimeInterval = 15 * 60) {
        self.maxFailures = maxFailures
        self.window = window
    }

    /// Seconds until `keys` may try again; nil when they may now.
    public func wait(_ keys: [String], now: Date = Date()) -> Int? {
        lock.withLock {
            var longest: TimeInterval?
            for key in keys {
                let recent = (failures[key] ?? []).filter { now.timeIntervalSince($0) < window }
                failures[key] = recent
                if recent.count >= maxFailures, let oldest = recent.first {
                    longest = max(longest ?? 0, window - now.timeIntervalSince(oldest))
                }
            }
            return longest.map { Int($0.rounded(.up)) }
        }
    }

    public func fail(_ keys: [String], now: Date = Date()) {
        lock.withLock { for key in keys { failures[key, default: []].append(now) } }
    }

    public func succeed(_ keys: [String]) { lock.withLock { for key in keys { failures.removeValue(forKey: key) } } }
}
