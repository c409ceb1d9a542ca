import Foundation
import SiteAudit
import SiteVocabulary

/// Redraws one stderr line with the audit's step and count, from 2 s into the run (shorter
/// runs show nothing), a few times a second. Only used when stderr is a terminal.
final class ProgressDisplay: @unchecked Sendable {
    private let progress: AuditProgress
    private let lock = NSLock()
    private var running = false
    private var drawn = false
    private var thread: Thread?

    init(_ progress: AuditProgress) { self.progress = progress }

    func start() {
        lock.withLock { running = true }
        let start = Date()
        let t = Thread { [self] in
            while lock.withLock({ running }) {
                Thread.sleep(forTimeInterval: 0.2)
                guard Date().timeIntervalSince(start) >= 2 else { continue }
                let s = progress.snapshot
                let line = "\r\u{1B}[K\(s.step): \(s.done) / \(s.total)" + (s.total > 0 ? " (\(min(100, 100 * s.done / max(s.total, 1)))%)" : "")
                lock.withLock {
                    if running { writeStderr(line); drawn = true }
                }
            }
        }
        thread = t
        t.start()
    }

    func stop() {
        lock.withLock {
            running = false
            if drawn { writeStderr("\r\u{1B}[K") }
        }
    }
}
