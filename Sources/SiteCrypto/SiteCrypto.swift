import CCrypto

/// What libcrypto reports when a call fails: its own error queue, oldest first.
public struct CryptoError: Error, CustomStringConvertible, Sendable {
    public let call: String
    public let message: String
    public var description: String { "\(call) failed: \(message)" }

    /// Drains libcrypto's per-thread error queue into one message.
    static func drain(_ call: String) -> CryptoError {
        var messages: [String] = []
        while true {
            let code = ERR_get_error()
            if code == 0 { break }
            var buffer = [CChar](repeating: 0, count: 256)
            ERR_error_string_n(code, &buffer, buffer.count)
            messages.append(String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self))
        }
        return CryptoError(call: call, message: messages.isEmpty ? "no reason given" : messages.joined(separator: "; "))
    }
}

/// Cryptographic primitives from the system's OpenSSL libcrypto. Bytes in, bytes out: no
/// pointer leaves this module.
public enum SiteCrypto {
    /// `count` bytes from the operating system's cryptographically secure generator.
    public static func randomBytes(_ count: Int) throws -> [UInt8] {
        precondition(count >= 0 && count <= Int(Int32.max))
        var bytes = [UInt8](repeating: 0, count: count)
        guard RAND_bytes(&bytes, Int32(count)) == 1 else { throw CryptoError.drain("RAND_bytes") }
        return bytes
    }

    /// The SHA-256 digest of `data` (32 bytes).
    public static func sha256(_ data: [UInt8]) throws -> [UInt8] {
        var digest = [UInt8](repeating: 0, count: 32)
        var size: UInt32 = 0
        guard EVP_Digest(data, data.count, &digest, &size, EVP_sha256(), nil) == 1, size == 32 else {
            throw CryptoError.drain("EVP_Digest(SHA-256)")
        }
        return digest
    }

    /// scrypt (RFC 7914): a `length`-byte key from `password` and `salt`, with cost `n` (a power
    /// of two), block size `r` and parallelism `p`; memory about 128 · n · r bytes.
    public static func scrypt(password: [UInt8], salt: [UInt8], n: UInt64, r: UInt64, p: UInt64, length: Int) throws -> [UInt8] {
        var key = [UInt8](repeating: 0, count: length)
        let maxMemory = 128 * n * r * p + (1 << 20)
        let status = password.withUnsafeBufferPointer { pw in
            pw.withMemoryRebound(to: CChar.self) { chars in
                EVP_PBE_scrypt(chars.baseAddress, chars.count, salt, salt.count, n, r, p, maxMemory, &key, length)
            }
        }
        guard status == 1 else { throw CryptoError.drain("EVP_PBE_scrypt") }
        return key
    }

    /// Whether `a` and `b` are equal, in time that depends only on their length.
    public static func constantTimeEqual(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        guard a.count == b.count else { return false }
        if a.isEmpty { return true }
        return CRYPTO_memcmp(a, b, a.count) == 0
    }
}
