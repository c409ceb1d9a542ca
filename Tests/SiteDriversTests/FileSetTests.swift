import Foundation
import SiteVocabulary
import XCTest
@testable import SiteDrivers

/// A file set is all new or all old: staged files appear together on commit, nothing appears
/// without it, a failed write names the file, and a commit cut short is finished by the next.
final class FileSetTests: XCTestCase {
    func folder() throws -> String {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("siteplan-fileset-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(at: url) }
        return url.path
    }

    func contents(_ dir: String) throws -> [String] { try FileManager.default.contentsOfDirectory(atPath: dir).sorted() }
    func read(_ path: String) throws -> String { try String(contentsOfFile: path, encoding: .utf8) }

    /// Commits one set of text files.
    func commit(_ files: [(String, String)]) throws {
        let set = FileSet()
        for (path, text) in files { try set.add(path, text: text) }
        try set.commit()
    }

    func testCommitPutsEveryFileInPlaceTogether() throws {
        let dir = try folder()
        try commit([(dir + "/a.txt", "old a"), (dir + "/sub/b.txt", "old b")])
        XCTAssertEqual(try read(dir + "/a.txt"), "old a")

        let new = FileSet()
        try new.add(dir + "/a.txt", text: "new a")
        try new.add(dir + "/sub/b.txt", text: "new b")
        XCTAssertEqual(try read(dir + "/a.txt"), "old a", "nothing visible before the commit")
        XCTAssertEqual(try read(dir + "/sub/b.txt"), "old b")
        try new.commit()
        XCTAssertEqual(try read(dir + "/a.txt"), "new a")
        XCTAssertEqual(try read(dir + "/sub/b.txt"), "new b")
        XCTAssertEqual(try contents(dir), ["a.txt", "sub"], "no temporary file or journal left")
        XCTAssertEqual(try contents(dir + "/sub"), ["b.txt"])
    }

    func testASetNotCommittedLeavesTheOldFilesAndNoTemporaryFile() throws {
        let dir = try folder()
        try FileSet.writeFile(dir + "/a.txt", bytes: Array("old".utf8), target: dir + "/a.txt")
        do {
            let files = FileSet()
            try files.add(dir + "/a.txt", text: "new")
            try files.add(dir + "/b.txt", text: "new")
            // Dropped without commit, as when a later step of the run throws.
        }
        XCTAssertEqual(try read(dir + "/a.txt"), "old")
        XCTAssertEqual(try contents(dir), ["a.txt"])
    }

    func testAFailedWriteNamesTheTargetAndStagesNothing() throws {
        let dir = try folder()
        try FileSet.writeFile(dir + "/taken", bytes: [1], target: dir + "/taken")
        let files = FileSet()
        try files.add(dir + "/ok.txt", text: "fine")
        XCTAssertThrowsError(try files.add(dir + "/taken/report.json", text: "{}")) { error in
            let e = error as? OutputError
            XCTAssertEqual(e?.target, dir + "/taken/report.json")
            XCTAssertEqual(e?.kind, .output)
            XCTAssertFalse("\(error)".contains("NSCocoaErrorDomain"), "\(error)")
        }
        files.discard()
        XCTAssertEqual(try contents(dir), ["taken"], "the set is all old: ok.txt never appeared")
    }

    func testACommitCutShortIsFinishedByTheNextOne() throws {
        let dir = try folder()
        try commit([(dir + "/a.txt", "old a"), (dir + "/b.txt", "old b")])
        // What a run killed between its renames leaves: a complete journal, one file renamed.
        let files = FileSet()
        try files.add(dir + "/a.txt", text: "new a")
        try files.add(dir + "/b.txt", text: "new b")
        let staged = files.staged
        var journal = ""
        for (target, temporary) in staged { journal += "\(temporary)\t\(target)\n" }
        journal += "end\n"
        try FileSet.writeFile(FileSet.journalPath(dir), bytes: Array(journal.utf8), target: dir)
        XCTAssertEqual(rename(staged[0].temporary, staged[0].target), 0)
        XCTAssertEqual(try read(dir + "/a.txt"), "new a")
        XCTAssertEqual(try read(dir + "/b.txt"), "old b", "mixed, until recovered")

        try FileSet.recover(folder: dir)
        XCTAssertEqual(try read(dir + "/b.txt"), "new b")
        XCTAssertEqual(try contents(dir), ["a.txt", "b.txt"])
    }

    func testAnUnfinishedJournalAndADeadRunsFilesAreRemoved() throws {
        let dir = try folder()
        try FileSet.writeFile(dir + "/a.txt", bytes: Array("old".utf8), target: dir + "/a.txt")
        // A run that died while writing its journal, and the staged file of a dead process.
        try FileSet.writeFile(FileSet.journalPath(dir), bytes: Array("/x\t/y\n".utf8), target: dir)
        let deadPID = 999_999
        try FileSet.writeFile(dir + "/.a.txt.siteplan-\(deadPID).tmp", bytes: Array("half".utf8), target: dir + "/a.txt")
        try FileSet.recover(folder: dir)
        XCTAssertEqual(try contents(dir), ["a.txt"])
        XCTAssertEqual(try read(dir + "/a.txt"), "old")
    }

    func testReadingNamesTheFileAndWhatIsWrong() throws {
        let dir = try folder()
        XCTAssertThrowsError(try FileIO.readBytes(dir + "/missing.geojson")) { error in
            XCTAssertEqual("\(error)", "\(dir)/missing.geojson: no such file")
        }
        XCTAssertThrowsError(try FileIO.readBytes(dir)) { error in
            XCTAssertEqual("\(error)", "\(dir): is a folder, expected a file")
        }
        try FileSet.writeFile(dir + "/x", bytes: Array(repeating: 7, count: 200_000), target: dir + "/x")
        XCTAssertEqual(try FileIO.readBytes(dir + "/x"), Array(repeating: 7, count: 200_000))
    }

    func testALinkIsWrittenThroughAndDevicesAreRefused() throws {
        let dir = try folder()
        try commit([(dir + "/real.geojson", "old")])
        XCTAssertEqual(symlink("real.geojson", dir + "/link.geojson"), 0)
        try commit([(dir + "/link.geojson", "new")])
        XCTAssertEqual(try read(dir + "/real.geojson"), "new", "written through the link")
        XCTAssertEqual(try FileManager.default.destinationOfSymbolicLink(atPath: dir + "/link.geojson"), "real.geojson", "the link stays a link")
        for device in ["/dev/null", "/dev/full", dir] {
            XCTAssertThrowsError(try commit([(device, "x")])) { error in
                XCTAssertEqual((error as? OutputError)?.target, device)
            }
        }
        var st = stat()
        XCTAssertEqual(stat("/dev/full", &st), 0)
        XCTAssertEqual(st.st_mode & S_IFMT, S_IFCHR, "/dev/full is still a device")
        XCTAssertEqual(try contents(dir), ["link.geojson", "real.geojson"])
    }

    /// Found by AddressSanitizer: recovery read each directory entry's whole 256-byte name field,
    /// past the end of readdir's buffer in a folder of several hundred entries. Under
    /// tools/asan_test.sh this test fails on such a read.
    func testRecoveryReadsAFolderOfManyEntries() throws {
        let dir = try folder()
        for k in 0..<700 { try FileSet.writeFile(dir + "/layer-\(k)-" + String(repeating: "x", count: k % 200) + ".geojson", bytes: [], target: dir) }
        try FileSet.writeFile(dir + "/.a.geojson.siteplan-999999.tmp", bytes: [1], target: dir)
        try FileSet.recover(folder: dir)
        XCTAssertEqual(try contents(dir).count, 700, "the dead run's temporary file is gone, the rest kept")
    }
}
