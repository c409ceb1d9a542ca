import CGDAL

/// The root of every error the GDAL/OGR binding throws when GDAL itself fails or refuses:
/// a file it cannot open, a driver that cannot create a layer, a feature it cannot write.
/// Carries GDAL's own messages, collected on the calling thread while the call ran.
public struct GDALError: Error, CustomStringConvertible, Sendable, Equatable {
    /// The GDAL C function that failed, e.g. `GDALOpenEx`.
    public let function: String
    /// GDAL's own message(s) (from the thread's error handler), or a note when GDAL gave none.
    public let message: String

    public init(function: String, message: String) {
        self.function = function
        self.message = message
    }

    public var description: String { "GDAL \(function) failed: \(message)" }
}

/// The messages GDAL reports on this thread while an `ErrorScope` is open.
///
/// GDAL keeps its error handlers on a per-thread stack (`CPLPushErrorHandlerEx`): a scope pushes
/// a handler with its own collector and pops it when it ends, so two threads reading two files
/// never see each other's messages, and nothing global is changed.
final class ErrorScope {
    private(set) var failures: [String] = []
    private(set) var warnings: [String] = []

    /// Runs `body` with this thread's GDAL messages collected into a fresh scope.
    static func run<T, E: Error>(_ body: (ErrorScope) throws(E) -> T) throws(E) -> T {
        GDALLibrary.registerOnce()
        let scope = ErrorScope()
        CPLPushErrorHandlerEx({ level, _, message in
            guard let raw = CPLGetErrorHandlerUserData() else { return }
            let scope = Unmanaged<ErrorScope>.fromOpaque(raw).takeUnretainedValue()
            let text = message.map { String(cString: $0) } ?? "(no message)"
            if level == CE_Failure || level == CE_Fatal { scope.failures.append(text) } else if level == CE_Warning { scope.warnings.append(text) }
        }, Unmanaged.passUnretained(scope).toOpaque())
        defer {
            CPLPopErrorHandler()
            withExtendedLifetime(scope) {}
        }
        return try body(scope)
    }

    /// The error for a failed `function`: GDAL's failure messages, else its warnings, else the
    /// last error GDAL recorded, else `fallback`. Clears what was collected.
    func error(_ function: String, fallback: String = "no message from GDAL") -> GDALError {
        var text = failures.joined(separator: "; ")
        if text.isEmpty { text = warnings.joined(separator: "; ") }
        if text.isEmpty, let last = CPLGetLastErrorMsg(), last.pointee != 0 { text = String(cString: last) }
        if text.isEmpty { text = fallback }
        failures.removeAll()
        warnings.removeAll()
        return GDALError(function: function, message: text)
    }

    /// Throws when GDAL reported a failure since the last check (for calls without a status).
    func check(_ function: String) throws(GDALError) {
        if !failures.isEmpty { throw error(function) }
    }

    /// Checks an `OGRErr` status (OGRERR_NONE is success).
    func check(_ status: OGRErr, _ function: String) throws(GDALError) {
        if status != OGRERR_NONE { throw error(function, fallback: "OGRErr \(status)") }
    }

    /// Checks a `CPLErr` status (CE_None is success, a warning is not a failure).
    func check(_ status: CPLErr, _ function: String) throws(GDALError) {
        if status == CE_Failure || status == CE_Fatal { throw error(function) }
    }

    /// Forgets what was collected (after a call whose failure is an answer, not an error).
    func clear() {
        failures.removeAll()
        warnings.removeAll()
    }

    /// Takes the warnings collected so far (for messages that explain a later refusal).
    func takeWarnings() -> [String] {
        defer { warnings.removeAll() }
        return warnings
    }
}
