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
                    failure.withLock { if $0 == nil { $0 = error } }
                    next.store(chunks, ordering: .relaxed)
                    return
                }
            }
        }
    }
    if let error = failure.withLock({ $0 }) { throw error }
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
