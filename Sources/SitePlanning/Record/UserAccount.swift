import SiteVocabulary

/// What a person may do with the plan of record through the server.
///
/// Viewers read; editors also record works events; admins also adopt revisions and manage
/// users. Each role includes the ones before it.
public enum Role: String, Sendable, CaseIterable, Comparable {
    case viewer, editor, admin

    public static func < (a: Role, b: Role) -> Bool { a.rank < b.rank }
    private var rank: Int { switch self { case .viewer: 0; case .editor: 1; case .admin: 2 } }

    public static let wordList = allCases.map(\.rawValue).joined(separator: ", ")
}

/// A person who may sign in to the server: the name they sign in with, their role, and their
/// password as a memory-hard hash (never the password itself; `PasswordHash` in SiteServer).
public struct UserAccount: Sendable, Equatable {
    public var name: String
    public var role: Role
    /// `scrypt$N$r$p$SALT$HASH` (base64).
    public var passwordHash: String
    public var createdAt: String
    public var createdBy: String

    public init(name: String, role: Role, passwordHash: String, createdAt: String, createdBy: String) {
        self.name = name
        self.role = role
        self.passwordHash = passwordHash
        self.createdAt = createdAt
        self.createdBy = createdBy
    }

    /// A user name: 1 to 64 letters, digits, '.', '_' or '-' (it appears in the works history
    /// as `recorded_by`).
    public static func checkName(_ name: String) throws {
        guard (1...64).contains(name.count), name.unicodeScalars.allSatisfy({ $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || "._-".unicodeScalars.contains($0)) }) else {
            throw InputError("user name \"\(name)\": use 1 to 64 letters, digits, '.', '_' or '-'")
        }
    }
}
