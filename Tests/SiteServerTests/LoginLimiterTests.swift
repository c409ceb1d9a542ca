import Foundation
import XCTest
@testable import SiteServer

/// The log-in limiter's three counters, on a clock the test moves.
final class LoginLimiterTests: XCTestCase {
    let t0 = Date(timeIntervalSince1970: 1_800_000_000)

    func testOneAddressIsStoppedByItsOwnCountersBeforeItCanLockAnAccount() {
        let limiter = LoginLimiter(maxFailures: 5, maxFailuresPerAddress: 20, maxFailuresPerName: 50, window: 900)
        for _ in 0..<5 { limiter.fail(name: "alice", address: "10.0.0.1", now: t0) }
        XCTAssertEqual(limiter.wait(name: "alice", address: "10.0.0.1", now: t0.addingTimeInterval(60)), 840, "alice from the guessing address waits out the window")
        XCTAssertNil(limiter.wait(name: "alice", address: "10.0.0.2", now: t0), "alice herself, from elsewhere, may log in")
        XCTAssertNil(limiter.wait(name: "bob", address: "10.0.0.1", now: t0), "another name from that address has its own counter")
        XCTAssertNil(limiter.wait(name: "alice", address: "10.0.0.1", now: t0.addingTimeInterval(900)), "the window passes")

        // The address's own limit: 20 failures over any names (one each), in the next window.
        let t1 = t0.addingTimeInterval(900)
        for i in 0..<19 { limiter.fail(name: "user\(i)", address: "10.0.0.1", now: t1) }
        XCTAssertNil(limiter.wait(name: "carol", address: "10.0.0.1", now: t1))
        limiter.fail(name: "user19", address: "10.0.0.1", now: t1)
        XCTAssertNotNil(limiter.wait(name: "carol", address: "10.0.0.1", now: t1))
        XCTAssertNil(limiter.wait(name: "carol", address: "10.0.0.3", now: t1))
    }

    func testAnAccountGuessedFromManyAddressesIsLockedAtItsOwnLimit() {
        let limiter = LoginLimiter(maxFailures: 5, maxFailuresPerAddress: 20, maxFailuresPerName: 50, window: 900)
        for a in 0..<9 { for _ in 0..<5 { limiter.fail(name: "alice", address: "10.1.0.\(a)", now: t0) } }
        XCTAssertNil(limiter.wait(name: "alice", address: "10.2.0.1", now: t0), "45 failures: under the per-name limit")
        for _ in 0..<5 { limiter.fail(name: "alice", address: "10.1.0.9", now: t0) }
        XCTAssertNotNil(limiter.wait(name: "alice", address: "10.2.0.1", now: t0), "50 failures from 10 addresses lock the account everywhere")
        XCTAssertNil(limiter.wait(name: "bob", address: "10.2.0.1", now: t0))
    }

    func testASuccessfulLogInClearsOnlyItsOwnCounter() {
        let limiter = LoginLimiter(maxFailures: 5, maxFailuresPerAddress: 6, maxFailuresPerName: 50, window: 900)
        for _ in 0..<4 { limiter.fail(name: "alice", address: "10.0.0.1", now: t0) }
        limiter.succeed(name: "mallory", address: "10.0.0.1")
        limiter.fail(name: "alice", address: "10.0.0.1", now: t0)
        XCTAssertNotNil(limiter.wait(name: "alice", address: "10.0.0.1", now: t0), "mallory's own log-in does not reset the guesses at alice")
        limiter.succeed(name: "dave", address: "10.0.0.4")
        for _ in 0..<4 { limiter.fail(name: "dave", address: "10.0.0.4", now: t0) }
        limiter.succeed(name: "dave", address: "10.0.0.4")
        for _ in 0..<2 { limiter.fail(name: "dave", address: "10.0.0.4", now: t0) }
        XCTAssertNotNil(limiter.wait(name: "dave", address: "10.0.0.4", now: t0), "the address counter (6) still holds all of dave's failures")
    }
}
