import SiteGeometry
import SiteVocabulary
import Dispatch
import Synchronization

/// A value shared with worker threads that only touch disjoint parts of it (raw buffers),
/// or only read it.
public struct Shared<T>: @unchecked Sendable {
    public let value: T
    public init(_ value: T) { self.value = value }
}

/// Runs `body(chunk, worker)` for chunks `0..<chunks` on `threads` workers, each taking the next
/// chunk from a shared counter. The first error thrown stops new chunks and is rethrown.
public func parallelChunks(_ chunks: Int, threads: Int, _ body: (Int, Int) throws -> Void) throws {
    if chunks == 0 { return }
    let workers = max(1, min(threads, chunks))
    if workers == 1 {
        for c in 0..<chunks { try body(c, 0) }
        return
    }
    let next = Atomic<Int>(0)
    let failure = Mutex<(any Error)?>(nil)
    withoutActuallyEscaping(body) { body in
        let shared = Shared(body)
        DispatchQueue.concurrentPerform(iterations: workers) { worker in
            while true {
                let c = next.add(1, ordering: .relaxed).oldValue
                if c >= chunks { return }
                do { try shared.value(c, worker) } catch {
                    // The first real error wins over a sibling's `CancelledError`.
                    failure.withLock { if $0 == nil || ($0 is CancelledError && !(error is CancelledError)) { $0 = error } }
                    next.store(chunks, ordering: .relaxed)
                    return
                }
            }
        }
    }
    if let error = failure.withLock({ $0 }) { throw error }
}

/// Set by the first worker that fails, so long-running siblings can stop early.
public final class CancellationFlag: Sendable {
    private let flag = Atomic<Bool>(false)
    public init() {}
    public func cancel() { flag.store(true, ordering: .relaxed) }
    public var isCancelled: Bool { flag.load(ordering: .relaxed) }
}

/// Thrown by work that stopped because a sibling failed; the sibling's error is the one reported.
public struct CancelledError: Error, Sendable {
    public init() {}
}

/// The number of cores available to this process.
public var availableCores: Int { max(1, ProcessInfoCores.count) }

private enum ProcessInfoCores {
    static var count: Int {
        #if canImport(Glibc)
        return Int(sysconf(Int32(_SC_NPROCESSORS_ONLN)))
        #else
        return 2
        #endif
    }
}

#if canImport(Glibc)
import Glibc
#endif
