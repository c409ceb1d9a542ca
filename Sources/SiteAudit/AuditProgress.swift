import SiteGeometry
import SiteVocabulary
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// What the audit is doing, for a progress display: the step, how many items of it are done
/// and how many there are. Updated by the workers, read by any thread.
public final class AuditProgress: Sendable {
    private let state = Mutex<(step: String, total: Int)>(("", 0))
    private let done = Atomic<Int>(0)

    public init() {}

    /// Starts a step with `total` items.
    public func begin(_ step: String, total: Int) {
        state.withLock { $0 = (step, total) }
        done.store(0, ordering: .relaxed)
    }

    /// Counts `n` more items of the current step as done.
    public func advance(_ n: Int) { done.add(n, ordering: .relaxed) }

    /// The current step, items done and total.
    public var snapshot: (step: String, done: Int, total: Int) {
        let s = state.withLock { $0 }
        return (s.step, done.load(ordering: .relaxed), s.total)
    }
}

/// Wall-clock and CPU seconds (all threads of the process) per step, in the order the steps ran.
public struct StepTimings: Sendable, CustomStringConvertible {
    public private(set) var steps: [(name: String, seconds: Double, cpuSeconds: Double)] = []
    private var last = monotonicSeconds()
    private var lastCPU = processCPUSeconds()

    public init() {}

    /// Ends the running step as `name` (added to a step of that name if there is one).
    public mutating func lap(_ name: String) {
        let now = monotonicSeconds(), cpu = processCPUSeconds()
        if let i = steps.firstIndex(where: { $0.name == name }) {
            steps[i].seconds += now - last; steps[i].cpuSeconds += cpu - lastCPU
        } else {
            steps.append((name, now - last, cpu - lastCPU))
        }
        last = now; lastCPU = cpu
    }

    public mutating func append(_ other: StepTimings) {
        for s in other.steps {
            if let i = steps.firstIndex(where: { $0.name == s.name }) {
                steps[i].seconds += s.seconds; steps[i].cpuSeconds += s.cpuSeconds
            } else {
                steps.append(s)
            }
        }
        last = monotonicSeconds(); lastCPU = processCPUSeconds()
    }

    public var total: Double { steps.reduce(0) { $0 + $1.seconds } }
    public var totalCPU: Double { steps.reduce(0) { $0 + $1.cpuSeconds } }

    /// `parse=0.961s(cpu 1.902s) ...`: wall seconds, with the CPU seconds of all threads.
    public var description: String {
        (steps.map { "\($0.name)=\(fixedNotation($0.seconds, decimals: 3))s(cpu \(fixedNotation($0.cpuSeconds, decimals: 3))s)" }
            + ["total=\(fixedNotation(total, decimals: 3))s(cpu \(fixedNotation(totalCPU, decimals: 3))s)"]).joined(separator: " ")
    }
}

/// User + system CPU seconds used so far by all threads of the process.
public func processCPUSeconds() -> Double {
    var usage = rusage()
    getrusage(__rusage_who_t(RUSAGE_SELF.rawValue), &usage)
    return Double(usage.ru_utime.tv_sec) + Double(usage.ru_utime.tv_usec) * 1e-6
        + Double(usage.ru_stime.tv_sec) + Double(usage.ru_stime.tv_usec) * 1e-6
}

/// Seconds on a monotonic clock.
public func monotonicSeconds() -> Double {
    var ts = timespec()
    clock_gettime(CLOCK_MONOTONIC, &ts)
    return Double(ts.tv_sec) + Double(ts.tv_nsec) * 1e-9
}
