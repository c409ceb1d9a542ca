import Foundation
import SitePlanning
import SiteVocabulary

/// Where the served plan comes from, and how to tell that it changed: `mark` is cheap and
/// polled (a store's `changeMark`, the scenario files' sizes and times); `load` runs the whole
/// pipeline again and is called only when the mark moved.
public struct WebMapSource: Sendable {
    public let mark: @Sendable () throws -> String
    public let load: @Sendable () throws -> WebMapData
    /// Adopts the current proposal into the store (admins, `POST /api/revisions`): given the
    /// base revision, the author and the message; nil where the server cannot adopt.
    public let adopt: (@Sendable (_ base: Int?, _ author: String, _ message: String) throws -> RevisionInfo)?

    public init(mark: @escaping @Sendable () throws -> String, load: @escaping @Sendable () throws -> WebMapData,
                adopt: (@Sendable (_ base: Int?, _ author: String, _ message: String) throws -> RevisionInfo)? = nil) {
        self.mark = mark
        self.load = load
        self.adopt = adopt
    }

    /// A plan that never changes (tests, a one-off view).
    public static func fixed(_ data: WebMapData) -> WebMapSource {
        WebMapSource(mark: { "" }, load: { data })
    }
}

/// The plan the server shows now, and the pages that listen for a newer one.
///
/// `poll()` asks the source's mark; when it moved, the plan is read again and every listener
/// hears the new version. A failed reload keeps the plan that was served and tells the
/// listeners why (the page shows it), so a half-typed status file never takes the map down.
public final class LiveWebMap: @unchecked Sendable {
    public enum Event: Sendable, Equatable {
        /// The plan now served, numbered from 1 when the server starts.
        case version(Int)
        /// A reload failed; the previous version is still served.
        case failed(String)
        /// Nothing changed; keeps proxies from closing an idle stream.
        case heartbeat
    }

    let source: WebMapSource
    private let lock = NSLock()
    private let polling = NSLock()
    private var data: WebMapData
    private var mark: String
    private var number = 1
    private var lastFailure: String?
    private var listeners: [Int: AsyncStream<Event>.Continuation] = [:]
    private var nextListener = 0

    private let log: @Sendable (String) -> Void

    /// Reads the plan once; throws what the first load throws. `log` hears each reload and
    /// each failure, in one line.
    public init(source: WebMapSource, log: @escaping @Sendable (String) -> Void = { _ in }) throws {
        self.source = source
        self.log = log
        mark = try source.mark()
        data = try source.load()
    }

    /// The plan served now.
    public var current: WebMapData { lock.withLock { data } }

    /// The plan served now with its version, read together.
    public var snapshot: (data: WebMapData, version: Int) { lock.withLock { (data, number) } }

    /// Its version: 1 at start, one more per reload.
    public var version: Int { lock.withLock { number } }

    /// How many pages listen now.
    public var listenerCount: Int { lock.withLock { listeners.count } }

    /// A stream of events for one page: the current version first, then each change. The stream
    /// ends when the caller stops iterating (the connection closed).
    public func listen() -> AsyncStream<Event> {
        let (stream, continuation) = AsyncStream<Event>.makeStream(bufferingPolicy: .bufferingNewest(8))
        let id: Int = lock.withLock {
            let id = nextListener
            nextListener += 1
            listeners[id] = continuation
            continuation.yield(.version(number))
            if let lastFailure { continuation.yield(.failed(lastFailure)) }
            return id
        }
        continuation.onTermination = { [weak self] _ in
            guard let self else { return }
            _ = self.lock.withLock { self.listeners.removeValue(forKey: id) }
        }
        return stream
    }

    /// Checks the source once; reloads and tells the listeners when it changed. Returns
    /// whether a new version is served.
    @discardableResult
    public func poll() -> Bool {
        // One poll at a time (the watcher's and one after a write may meet): the second sees
        // the mark the first left.
        polling.lock()
        defer { polling.unlock() }
        let seen = lock.withLock { mark }
        let now: String
        do {
            now = try source.mark()
        } catch {
            fail(Self.message(error))
            return false
        }
        guard now != seen else { return false }
        let started = ContinuousClock.now
        do {
            let fresh = try source.load()
            // Said before the new version is served, so whoever sees it served has the line
            // already (a client polling the layers, then stopping the server, raced the log).
            // Only a poll changes the number, and polls take turns.
            let version = lock.withLock { number + 1 }
            let took = ContinuousClock.now - started
            log("the plan changed: version \(version) served (read again in \(took.formatted(.units(allowed: [.seconds, .milliseconds], width: .narrow))))")
            let listening = lock.withLock {
                data = fresh
                mark = now
                number = version
                lastFailure = nil
                return Array(listeners.values)
            }
            for listener in listening { listener.yield(.version(version)) }
            return true
        } catch {
            // The mark is kept as it was, so the next poll tries again once the input is mended.
            fail(Self.message(error))
            return false
        }
    }

    private let pollQueue = DispatchQueue(label: "siteplan.live.poll")
    private var pollPending = false

    /// Asks for a poll soon, off the request threads (a reload runs the whole pipeline). Polls
    /// asked for while one waits are one poll.
    public func pollSoon() {
        let start: Bool = lock.withLock {
            if pollPending { return false }
            pollPending = true
            return true
        }
        guard start else { return }
        pollQueue.async {
            self.lock.withLock { self.pollPending = false }
            self.poll()
        }
    }

    /// Sends a heartbeat to every listener.
    public func heartbeat() {
        for listener in lock.withLock({ Array(listeners.values) }) { listener.yield(.heartbeat) }
    }

    private func fail(_ message: String) {
        let listening: [AsyncStream<Event>.Continuation]? = lock.withLock {
            guard lastFailure != message else { return nil }
            lastFailure = message
            return Array(listeners.values)
        }
        guard let listening else { return }
        log("the plan could not be read again; still serving the previous version: \(message)")
        for listener in listening { listener.yield(.failed(message)) }
    }

    /// Our errors say what is wrong in words; anything else is named by its kind only.
    static func message(_ error: any Error) -> String {
        if let known = error as? any SiteplanError { return known.description }
        return "the plan could not be read again (\(type(of: error)))"
    }

    /// Polls every `interval` until the task is cancelled, with a heartbeat every
    /// `heartbeatEvery` polls.
    public func watch(every interval: Duration, heartbeatEvery: Int = 15) async {
        var polls = 0
        while !Task.isCancelled {
            do { try await Task.sleep(for: interval) } catch { return }
            // The reload runs the pipeline (CPU-bound): off the cooperative pool's threads.
            pollSoon()
            polls += 1
            if polls % heartbeatEvery == 0 { heartbeat() }
        }
    }
}
