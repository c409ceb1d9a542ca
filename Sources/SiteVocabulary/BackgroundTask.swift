import Dispatch
import Synchronization

/// `body` run on a serial queue of its own, beside the caller, and joined with `value()`: the
/// one background step of the progress ranking and the GeoJSON writing. A queue of its own,
/// not the global pool, so the body gets a thread even when every pool thread is busy (as in
/// the options study's concurrent runs). The GEOS thread rule of `parallelMap` holds: `body`
/// reads no geometry the caller still uses.
///
///     let ranking = BackgroundTask("siteplan.progress.ranking") { rank(tracer) }
///     defer { ranking.wait() }
///     ... // the caller's own work
///     let packages = try ranking.value()
public final class BackgroundTask<Value: Sendable>: Sendable {
    private let done = DispatchGroup()
    private let result = Mutex<Result<Value, any Error>?>(nil)

    public init(_ label: String, _ body: @escaping @Sendable () throws -> Value) {
        // The queue holds the task until the body has ended.
        DispatchQueue(label: label).async(group: done) { [self] in
            let outcome = Result { try body() }
            result.withLock { $0 = outcome }
        }
    }

    /// Waits for the body to end.
    public func wait() { done.wait() }

    /// Waits for the body to end and returns its value or rethrows its error.
    public func value() throws -> Value {
        done.wait()
        return try result.withLock { $0! }.get()
    }
}
