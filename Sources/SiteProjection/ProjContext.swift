import CPROJ

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Every error the projection layer throws when PROJ fails: an unknown CRS, a point outside
/// a projection's domain, a transformation PROJ cannot build.
public struct ProjectionError: Error, CustomStringConvertible, Sendable, Equatable {
    /// What was being done, e.g. `proj_create("EPSG:999999")`.
    public let operation: String
    /// PROJ's own message, taken from its log callback (PROJ reports details there, not
    /// through `proj_errno`), or the text of `proj_errno` when the log had nothing.
    public let message: String

    public var description: String { "PROJ \(operation) failed: \(message)" }
}

/// One PROJ context with a log collector; one per thread, never shared.
///
/// PROJ objects (`PJ`) belong to the context that made them, so a `Transformer` is made per
/// thread as well.
final class ProjContext {
    let handle: OpaquePointer
    private let log = LogBox()
    /// Transformers built on this thread, by "source|target", reused by `Transformer.shared`.
    var transformers: [String: Transformer] = [:]

    private init() {
        guard let handle = proj_context_create() else { fatalError("proj_context_create returned NULL: out of memory") }
        self.handle = handle
        proj_log_level(handle, PJ_LOG_ERROR)
        proj_log_func(handle, Unmanaged.passUnretained(log).toOpaque()) { userdata, _, message in
            guard let userdata, let message else { return }
            Unmanaged<LogBox>.fromOpaque(userdata).takeUnretainedValue().messages.append(String(cString: message))
        }
        // Reproducible results: grids come only from what is installed, never downloaded.
        proj_context_set_enable_network(handle, 0)
    }

    deinit { proj_context_destroy(handle) }

    static var current: ProjContext {
        if let raw = pthread_getspecific(projContextKey) {
            return Unmanaged<ProjContext>.fromOpaque(raw).takeUnretainedValue()
        }
        let context = ProjContext()
        pthread_setspecific(projContextKey, Unmanaged.passRetained(context).toOpaque())
        return context
    }

    /// Clears collected log messages before a call whose failure must be explained.
    func resetErrors() {
        log.messages.removeAll(keepingCapacity: true)
    }

    /// The error for a failed `operation`: PROJ's logged messages, else its errno text.
    func error(_ operation: String) -> ProjectionError {
        var text = log.messages.joined(separator: "; ")
        if text.isEmpty {
            let code = proj_context_errno(handle)
            text = code != 0 ? String(cString: proj_context_errno_string(handle, code)) : "no message from PROJ"
        }
        log.messages.removeAll()
        return ProjectionError(operation: operation, message: text)
    }
}

private final class LogBox { var messages: [String] = [] }

private let projContextKey: pthread_key_t = {
    var key = pthread_key_t()
    let status = pthread_key_create(&key) { raw in
        #if canImport(Glibc)
        guard let raw else { return }
        #endif
        let context = Unmanaged<ProjContext>.fromOpaque(raw)
        // Cached transformers hold their context: break that cycle before the release.
        context.takeUnretainedValue().transformers.removeAll()
        context.release()
    }
    precondition(status == 0, "pthread_key_create failed: \(status)")
    return key
}()

/// The PROJ library version, e.g. "9.1.1".
public var projVersion: String { String(cString: proj_info().version) }
