import CGEOS

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The root of every error the geometry layer throws when GEOS itself fails.
///
/// Bad *input* (a malformed file, an unclosed ring) is reported by the IO layer with its own
/// error type; `GEOSError` means the library refused or failed an operation, and carries
/// GEOS's own message.
public struct GEOSError: Error, CustomStringConvertible, Sendable, Equatable {
    /// The GEOS C function that failed, e.g. `GEOSIntersection_r`.
    public let function: String
    /// GEOS's own message (from the context's error handler), or a note when GEOS gave none.
    public let message: String

    public var description: String { "GEOS \(function) failed: \(message)" }
}

/// One GEOS context handle with its error collector.
///
/// Never shared between threads: `GEOSContext.current` hands each thread its own, created on
/// first use and finished when the thread exits. A GEOS geometry is not tied to a context, but
/// it is not safe to read from two threads at once either: GEOS 3.11 computes a geometry's
/// envelope on first use and caches it without a lock (`Geometry::getEnvelopeInternal`), so two
/// threads running an operation on the same fresh geometry can free the envelope the other is
/// reading. Keep each `Geometry` on the thread that made it while operations run on it; hand
/// other threads coordinates, and let them build their own.
final class GEOSContext {
    let handle: GEOSContextHandle_t
    /// Collects the last message GEOS reported through the error handler.
    private let errorBox = MessageBox()

    private init() {
        guard let handle = GEOS_init_r() else {
            fatalError("GEOS_init_r returned NULL: out of memory")
        }
        self.handle = handle
        let box = Unmanaged.passUnretained(errorBox).toOpaque()
        GEOSContext_setErrorMessageHandler_r(handle, { message, userdata in
            guard let userdata else { return }
            let box = Unmanaged<MessageBox>.fromOpaque(userdata).takeUnretainedValue()
            box.last = message.map { String(cString: $0) }
        }, box)
        // Notices (e.g. "Self-intersection at ...") are informative; validity reasons are
        // fetched explicitly, so they are not kept.
        GEOSContext_setNoticeMessageHandler_r(handle, { _, _ in }, nil)
    }

    deinit { GEOS_finish_r(handle) }

    /// The calling thread's context.
    static var current: GEOSContext {
        if let raw = pthread_getspecific(contextKey) {
            return Unmanaged<GEOSContext>.fromOpaque(raw).takeUnretainedValue()
        }
        let context = GEOSContext()
        pthread_setspecific(contextKey, Unmanaged.passRetained(context).toOpaque())
        return context
    }

    /// Takes (and clears) the last error message GEOS reported on this context.
    func takeError(_ function: String) -> GEOSError {
        let message = errorBox.last ?? "no message from GEOS"
        errorBox.last = nil
        return GEOSError(function: function, message: message)
    }

    /// Checks a call that returns an owned geometry pointer, NULL on failure.
    func checkGeometry(_ pointer: OpaquePointer?, _ function: String) throws(GEOSError) -> OpaquePointer {
        guard let pointer else { throw takeError(function) }
        return pointer
    }

    /// Checks a predicate's `char` result: 1 true, 0 false, 2 exception.
    func checkPredicate(_ value: CChar, _ function: String) throws(GEOSError) -> Bool {
        switch value {
        case 1: return true
        case 0: return false
        default: throw takeError(function)
        }
    }

    /// Checks a call returning 0 on exception (most measurement functions).
    func checkStatus(_ status: Int32, _ function: String) throws(GEOSError) {
        if status == 0 { throw takeError(function) }
    }
}

private final class MessageBox { var last: String? }

/// The thread-local key holding each thread's retained `GEOSContext`; its destructor releases it.
private let contextKey: pthread_key_t = {
    var key = pthread_key_t()
    let status = pthread_key_create(&key) { raw in
        #if canImport(Glibc)
        guard let raw else { return }
        #endif
        Unmanaged<GEOSContext>.fromOpaque(raw).release()
    }
    precondition(status == 0, "pthread_key_create failed: \(status)")
    return key
}()

/// The GEOS library version, e.g. "3.11.1-CAPI-1.17.1".
public var geosVersion: String { String(cString: GEOSversion()) }
