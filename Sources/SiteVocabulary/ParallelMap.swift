import Dispatch
import Synchronization

/// `body(0) … body(count - 1)` on up to `threads` threads, the results in index order: the
/// one parallel map of the layout, the options study and the GeoJSON writer.
///
/// Each index runs whole on one thread, so every GEOS and PROJ object its work makes is made,
/// used and released on that thread (each thread has its own GEOS and PROJ contexts:
/// `GEOSContext.current`, `ProjContext.current`). A GEOS geometry `body` reads must be its
/// own: one geometry is never for two threads at once. When some indices fail, the error of
/// the lowest one is rethrown, as a loop over the indices would.
public func parallelMap<T: Sendable>(_ count: Int, threads: Int, _ body: @Sendable (Int) throws -> T) throws -> [T] {
    let workers = max(1, min(threads, count))
    if workers == 1 { return try (0..<count).map { try body($0) } }
    let next = Atomic<Int>(0)
    let results = Mutex<[Result<T, any Error>?]>(Array(repeating: nil, count: count))
    DispatchQueue.concurrentPerform(iterations: workers) { _ in
        while true {
            let i = next.add(1, ordering: .relaxed).oldValue
            if i >= count { return }
            let result = Result<T, any Error> { try body(i) }
            results.withLock { $0[i] = result }
        }
    }
    return try results.withLock { $0 }.map { try $0!.get() }
}
