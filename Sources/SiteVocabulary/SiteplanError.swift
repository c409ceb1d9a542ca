import SiteGeometry
import SiteProjection

/// The root of every error siteplan reports to a person: one line of text and the kind of
/// failure, which decides the exit code. Every command, the audit and the server included,
/// reports through it the same way (`siteplan: error: <description>`).
public protocol SiteplanError: Error, CustomStringConvertible, Sendable {
    var kind: SiteplanErrorKind { get }
}

/// What failed, and so who can fix it.
public enum SiteplanErrorKind: Sendable, Equatable {
    /// The input data or a request is wrong: the user fixes the data (exit 1).
    case input
    /// An output could not be written (no space, no permission, a port in use): the user fixes
    /// the place (exit 1).
    case output
    /// A library (GEOS, PROJ, SQLite) failed on input it accepted: a bug or a broken install (exit 2).
    case library

    /// The process exit code for this kind of failure.
    public var exitCode: Int32 {
        switch self {
        case .input, .output: 1
        case .library: 2
        }
    }
}

/// An output could not be written: names the file (or port) and the reason in words, from the
/// operating system's own message (strerror), never Foundation's error-domain text.
///
///     out/khojaly/report.json: cannot write: No space left on device
public struct OutputError: SiteplanError, Equatable {
    /// The file or folder that could not be written; nil when the problem names its own place
    /// ("port 8080 is in use").
    public var target: String?
    public var problem: String
    public var kind: SiteplanErrorKind { .output }

    public init(_ target: String?, _ problem: String) {
        self.target = target
        self.problem = problem
    }

    public var description: String { target.map { "\($0): \(problem)" } ?? problem }
}

extension InputError: SiteplanError {
    public var kind: SiteplanErrorKind { .input }
}

extension GEOSError: SiteplanError {
    public var kind: SiteplanErrorKind { .library }
}

extension ProjectionError: SiteplanError {
    public var kind: SiteplanErrorKind { .library }
}
