#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import SiteVocabulary

/// Output files written as one set: all new or all old, never mixed.
///
/// Each file is staged under a hidden temporary name in its target's folder
/// (`.NAME.siteplan-PID.tmp`), written and flushed to disk. `commit()` then writes a journal
/// listing every rename, flushes it, renames every file into place (each rename is atomic)
/// and removes the journal. A run killed before the journal is complete leaves the old set
/// (its temporary files are removed by the next commit into the same folder); a run killed
/// while renaming leaves a complete journal, which the next commit into the same folder, or
/// `FileSet.recover(folder:)`, finishes. A failed write throws an `OutputError` naming the
/// target file and the system's reason, and removes what was staged.
///
///     let files = FileSet()
///     try files.add("out/report.json", text: report)
///     try GeoPackageSink(...).write(layers, to: "out/plan.gpkg", in: files)
///     try files.commit()
public final class FileSet {
    /// Target path → staged temporary path, in the order added.
    public private(set) var staged: [(target: String, temporary: String)] = []
    private var committed = false
    /// Whether each file is flushed to disk (fsync) before the commit. Work files that a run
    /// writes for itself (the tiled audit's tiles and parts) skip it: they stay all new or all
    /// old, and a power cut only means running that step again.
    public let flushes: Bool

    public init(flushes: Bool = true) { self.flushes = flushes }

    deinit { if !committed { discard() } }

    /// The journal of a set committing into `folder`.
    static func journalPath(_ folder: String) -> String { folder + "/.siteplan-commit.journal" }

    /// A temporary path beside `target` for a writer that needs a file of its own (SQLite).
    /// The file is part of the set: renamed into place on commit.
    public func stage(_ target: String) throws -> String {
        precondition(!committed, "the file set is committed")
        let asked = target
        let target = try Self.resolve(asked)
        if let i = staged.firstIndex(where: { $0.target == target }) { return staged[i].temporary }
        let (folder, base) = Self.split(target)
        try Self.makeFolders(folder, for: asked)
        try Self.recover(folder: folder)
        let temporary = "\(folder)/.\(base).siteplan-\(getpid()).tmp"
        unlink(temporary)
        staged.append((target, temporary))
        return temporary
    }

    /// The file `path` names: itself, or where its symbolic links lead (a link is written
    /// through, not replaced). An existing folder, device, pipe or socket is refused: only
    /// regular files are written.
    static func resolve(_ path: String) throws -> String {
        var current = path
        for _ in 0..<40 {
            var st = stat()
            guard lstat(current, &st) == 0 else { return current }
            switch st.st_mode & S_IFMT {
            case S_IFREG:
                return current
            case S_IFLNK:
                var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
                let n = readlink(current, &buffer, buffer.count - 1)
                guard n >= 0 else { throw OutputError(path, "cannot read the symbolic link: \(systemMessage())") }
                let destination = String(decoding: buffer[0..<n].map { UInt8(bitPattern: $0) }, as: UTF8.self)
                current = destination.hasPrefix("/") ? destination : split(current).folder + "/" + destination
            case S_IFDIR:
                throw OutputError(path, "is a folder; name a file to write")
            default:
                throw OutputError(path, "is not a regular file (a device, a pipe or a socket); siteplan writes only regular files")
            }
        }
        throw OutputError(path, "too many levels of symbolic links")
    }

    /// Stages `bytes` as the file `target`.
    public func add(_ target: String, bytes: [UInt8]) throws {
        let temporary = try stage(target)
        try Self.writeFile(temporary, parts: [bytes], target: target, flush: flushes)
    }

    /// Stages the concatenation of `parts` as the file `target` (large outputs built in chunks,
    /// written without joining them first).
    public func add(_ target: String, parts: [[UInt8]]) throws {
        let temporary = try stage(target)
        try Self.writeFile(temporary, parts: parts, target: target, flush: flushes)
    }

    /// Stages `text` (UTF-8) as the file `target`, written from the string's own storage
    /// (no copy of a large layer's text).
    public func add(_ target: String, text: String) throws {
        let temporary = try stage(target)
        var text = text
        try text.withUTF8 { try Self.writeFile(temporary, buffers: [UnsafeRawBufferPointer($0)], target: target, flush: flushes) }
    }

    /// Renames every staged file into place, through the journal described above.
    public func commit() throws {
        precondition(!committed, "the file set is committed")
        guard let first = staged.first else { committed = true; return }
        for (target, temporary) in staged {
            // A writer that staged a path but never wrote it: nothing to commit for it.
            guard FileIO.exists(temporary) else { throw OutputError(target, "was not written") }
        }
        let folder = Self.split(first.target).folder
        let journal = Self.journalPath(folder)
        var text = ""
        for (target, temporary) in staged { text += "\(Self.absolute(temporary))\t\(Self.absolute(target))\n" }
        text += "end\n"
        let journalTemporary = journal + ".siteplan-\(getpid()).tmp"
        try Self.writeFile(journalTemporary, bytes: Array(text.utf8), target: journal)
        guard rename(journalTemporary, journal) == 0 else {
            let message = systemMessage()
            unlink(journalTemporary)
            throw OutputError(folder, "cannot write the commit journal: \(message)")
        }
        Self.syncFolder(folder)
        committed = true
        try Self.applyJournal(journal)
    }

    /// Removes every staged file; the targets keep their old contents.
    public func discard() {
        for (_, temporary) in staged { unlink(temporary) }
        staged = []
        committed = true
    }

    /// Finishes a commit into `folder` that a killed run left half done (a complete journal),
    /// or removes what an unfinished one staged. Also removes temporary files of runs that
    /// are no longer alive.
    public static func recover(folder: String) throws {
        let journal = journalPath(folder)
        if FileIO.exists(journal) {
            if let bytes = try? FileIO.readBytes(journal), String(decoding: bytes, as: UTF8.self).hasSuffix("end\n") {
                try applyJournal(journal)
            } else {
                unlink(journal)
            }
        }
        // Stale temporary files of dead runs: `.NAME.siteplan-PID.tmp`, and their side files.
        guard let dir = opendir(folder) else { return }
        defer { closedir(dir) }
        while let entry = readdir(dir) {
            // Read the name in place, up to its NUL: a directory record is only as long as its
            // name, so copying the whole 256-byte `d_name` field reads past the last record of
            // readdir's buffer (AddressSanitizer caught it in a folder of 600 entries).
            let name = withUnsafePointer(to: &entry.pointee.d_name) { field in
                field.withMemoryRebound(to: CChar.self, capacity: 256) { String(cString: $0) }
            }
            // Also the side files a writer may leave beside its staged file (SQLite's -journal).
            guard name.hasPrefix("."), let ending = [".tmp", ".tmp-journal", ".tmp-wal", ".tmp-shm"].first(where: name.hasSuffix) else { continue }
            let stem = name.dropLast(ending.count)
            guard let dash = stem.lastIndex(of: "-"), stem[..<dash].hasSuffix(".siteplan"),
                  let pid = Int32(stem[stem.index(after: dash)...]), pid != getpid() else { continue }
            if kill(pid, 0) != 0 && errno == ESRCH { unlink(folder + "/" + name) }
        }
    }

    static func applyJournal(_ journal: String) throws {
        let text = String(decoding: try FileIO.readBytes(journal), as: UTF8.self)
        for line in text.split(separator: "\n") where line != "end" {
            let parts = line.split(separator: "\t", maxSplits: 1).map(String.init)
            guard parts.count == 2 else { continue }
            // Already renamed by an earlier, interrupted pass: nothing left to do for it.
            if !FileIO.exists(parts[0]) { continue }
            guard rename(parts[0], parts[1]) == 0 else {
                throw OutputError(parts[1], "cannot move the new file into place: \(systemMessage())")
            }
        }
        let folder = split(journal).folder
        syncFolder(folder)
        unlink(journal)
    }

    // MARK: Files

    /// Writes and flushes `bytes` to `path`; failures name `target`, the file the user asked for.
    public static func writeFile(_ path: String, bytes: [UInt8], target: String) throws {
        try writeFile(path, parts: [bytes], target: target)
    }

    /// Writes and flushes the concatenation of `parts` to `path`; failures name `target`.
    public static func writeFile(_ path: String, parts: [[UInt8]], target: String, flush: Bool = true) throws {
        try writeFile(path, chunks: parts.count, target: target, flush: flush) { i, body in try parts[i].withUnsafeBytes { try body($0) } }
    }

    /// Writes and flushes the concatenation of `buffers` to `path`; failures name `target`.
    static func writeFile(_ path: String, buffers: [UnsafeRawBufferPointer], target: String, flush: Bool) throws {
        try writeFile(path, chunks: buffers.count, target: target, flush: flush) { i, body in try body(buffers[i]) }
    }

    /// Writes chunk 0, 1, … (each lent by `chunk` to the writer) to `path`, then flushes.
    private static func writeFile(_ path: String, chunks: Int, target: String, flush: Bool,
                                  _ chunk: (Int, (UnsafeRawBufferPointer) throws -> Void) throws -> Void) throws {
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw OutputError(target, "cannot write: \(systemMessage())") }
        for i in 0..<chunks {
            try chunk(i) { bytes in
                var offset = 0
                while offset < bytes.count {
                    let n = write(fd, bytes.baseAddress! + offset, bytes.count - offset)
                    if n < 0 {
                        if errno == EINTR { continue }
                        let message = systemMessage()
                        close(fd)
                        unlink(path)
                        throw OutputError(target, "cannot write: \(message)")
                    }
                    offset += n
                }
            }
        }
        if (flush && fsync(fd) != 0) || close(fd) != 0 {
            let message = systemMessage()
            unlink(path)
            throw OutputError(target, "cannot write: \(message)")
        }
    }

    /// Creates `folder` and its missing parents (mkdir -p); failures name `target`.
    public static func makeFolders(_ folder: String, for target: String) throws {
        if FileIO.isFolder(folder) { return }
        var path = folder.hasPrefix("/") ? "" : "."
        for part in folder.split(separator: "/") {
            path += "/" + part
            if FileIO.isFolder(path) { continue }
            if mkdir(path, 0o755) != 0 && errno != EEXIST {
                throw OutputError(target, "cannot create the folder \(path): \(systemMessage())")
            }
        }
        guard FileIO.isFolder(folder) else { throw OutputError(target, "\(folder) is not a folder") }
    }

    static func syncFolder(_ folder: String) {
        let fd = open(folder, O_RDONLY | O_CLOEXEC)
        if fd >= 0 { fsync(fd); close(fd) }
    }

    static func split(_ path: String) -> (folder: String, base: String) {
        guard let slash = path.lastIndex(of: "/") else { return (".", path) }
        let folder = String(path[..<slash])
        return (folder.isEmpty ? "/" : folder, String(path[path.index(after: slash)...]))
    }

    static func absolute(_ path: String) -> String {
        if path.hasPrefix("/") { return path }
        var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        guard getcwd(&buffer, buffer.count) != nil else { return path }
        let cwd = String(decoding: buffer.prefix(while: { $0 != 0 }).map { UInt8(bitPattern: $0) }, as: UTF8.self)
        return cwd + "/" + path
    }
}
