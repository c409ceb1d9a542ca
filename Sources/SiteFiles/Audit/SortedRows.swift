import SiteDrivers
import SiteVocabulary
import DriverCSV
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// CSV rows sorted by their first field (a part's `rows.csv`, or rows in memory), read in
/// blocks: the current row and its key are ranges of the block, so merging a million rows
/// allocates nothing per row. The row is valid until the next `next()`.
final class SortedRows {
    let path: String?
    private let fd: Int32
    private var buffer: UnsafeMutablePointer<UInt8>
    private var capacity: Int
    private var filled = 0, at = 0
    private var atEnd: Bool
    private var rowStart = 0, rowEnd = 0, keyStart = 0, keyEnd = 0
    /// The key of a quoted first field, unquoted (RFC 4180 `""` escapes); nil for a plain one.
    private var unquoted: [UInt8]? = nil

    /// A part's rows file.
    init(path: String) throws {
        self.path = path
        fd = open(path, O_RDONLY)
        guard fd >= 0 else { throw InputError(source: path, "cannot be read (\(systemMessage())): the tile has no results; run it again") }
        capacity = 1 << 20
        buffer = .allocate(capacity: capacity)
        atEnd = false
    }

    /// Rows already in memory, each ending in `\n`.
    init(bytes: [UInt8]) {
        path = nil
        fd = -1
        capacity = max(1, bytes.count)
        let copy = UnsafeMutablePointer<UInt8>.allocate(capacity: capacity)
        bytes.withUnsafeBufferPointer { if let base = $0.baseAddress { copy.update(from: base, count: bytes.count) } }
        buffer = copy
        atEnd = true
        filled = bytes.count
    }

    deinit {
        if fd >= 0 { close(fd) }
        buffer.deallocate()
    }

    /// The current row, with its `\n`.
    var row: UnsafeRawBufferPointer { UnsafeRawBufferPointer(start: buffer + rowStart, count: rowEnd - rowStart) }

    /// The current row's first field, unquoted.
    @inline(__always)
    func withKey<R>(_ body: (UnsafeRawBufferPointer) -> R) -> R {
        if let unquoted { return unquoted.withUnsafeBytes(body) }
        return body(UnsafeRawBufferPointer(start: buffer + keyStart, count: keyEnd - keyStart))
    }

    /// Moves to the next row; false after the last.
    func next() throws -> Bool {
        while true {
            if at < filled, let nl = memchr(buffer + at, Int32(UInt8(ascii: "\n")), filled - at) {
                rowStart = at
                rowEnd = buffer.distance(to: nl.assumingMemoryBound(to: UInt8.self)) + 1
                at = rowEnd
                findKey()
                return true
            }
            if atEnd {
                if at < filled {
                    throw InputError(source: path, "ends in the middle of a row: written by a run that did not finish")
                }
                return false
            }
            // Keep the unfinished row, make room, read on.
            let rest = filled - at
            if at > 0 { memmove(buffer, buffer + at, rest) }
            filled = rest; at = 0
            if filled == capacity {
                let bigger = UnsafeMutablePointer<UInt8>.allocate(capacity: 2 * capacity)
                bigger.update(from: buffer, count: filled)
                buffer.deallocate()
                buffer = bigger; capacity *= 2
            }
            let n = read(fd, buffer + filled, capacity - filled)
            if n < 0 { throw InputError(source: path, "cannot be read: \(systemMessage())") }
            if n == 0 { atEnd = true }
            filled += n
        }
    }

    private func findKey() {
        let quote = UInt8(ascii: "\""), comma = UInt8(ascii: ","), newline = UInt8(ascii: "\n")
        keyStart = rowStart
        guard buffer[rowStart] == quote else {
            unquoted = nil
            var i = rowStart
            while i < rowEnd && buffer[i] != comma && buffer[i] != newline { i += 1 }
            keyEnd = i
            return
        }
        var key: [UInt8] = []
        var i = rowStart + 1
        while i < rowEnd {
            if buffer[i] == quote {
                if i + 1 < rowEnd && buffer[i + 1] == quote { key.append(quote); i += 2; continue }
                break
            }
            key.append(buffer[i]); i += 1
        }
        unquoted = key
    }

    /// Byte order of two keys (UTF-8 byte order, as the single run sorts ids).
    @inline(__always)
    static func precedes(_ a: UnsafeRawBufferPointer, _ b: UnsafeRawBufferPointer) -> Int {
        let n = min(a.count, b.count)
        if n > 0 {
            let c = memcmp(a.baseAddress!, b.baseAddress!, n)
            if c != 0 { return Int(c) }
        }
        return a.count - b.count
    }

    /// Writes the header and the rows of `sources` (each sorted by key), merged by key, into
    /// `path`; returns the number of rows. A key in two sources is refused, naming the later source.
    static func writeMerged(to path: String, target: String, sources: [SortedRows]) throws -> Int {
        guard let out = fopen(path, "w") else { throw OutputError(target, "cannot create: \(systemMessage())") }
        var closed = false
        defer { if !closed { fclose(out) } }
        var buffer = Array(AuditCSVWriter.buildingsHeader.utf8)
        buffer.reserveCapacity(1 << 21)
        func flush() throws {
            if buffer.isEmpty { return }
            let n = buffer.withUnsafeBytes { fwrite($0.baseAddress, 1, $0.count, out) }
            guard n == buffer.count else { throw OutputError(target, "cannot write: \(systemMessage())") }
            buffer.removeAll(keepingCapacity: true)
        }
        func order(_ a: Int, _ b: Int) -> Int {
            let c = sources[a].withKey { ka in sources[b].withKey { kb in precedes(ka, kb) } }
            return c != 0 ? c : a - b
        }
        // A binary heap of source numbers, by their current key.
        var heap: [Int] = []
        func siftDown(_ start: Int) {
            var i = start
            while true {
                let l = 2 * i + 1, r = l + 1
                var m = i
                if l < heap.count && order(heap[l], heap[m]) < 0 { m = l }
                if r < heap.count && order(heap[r], heap[m]) < 0 { m = r }
                if m == i { return }
                heap.swapAt(i, m); i = m
            }
        }
        for (k, source) in sources.enumerated() where try source.next() {
            heap.append(k)
            var i = heap.count - 1
            while i > 0 && order(heap[i], heap[(i - 1) / 2]) < 0 { heap.swapAt(i, (i - 1) / 2); i = (i - 1) / 2 }
        }
        var rows = 0
        var previous: [UInt8] = [], hasPrevious = false
        while let top = heap.first {
            let source = sources[top]
            let repeated = source.withKey { key in
                defer { previous.removeAll(keepingCapacity: true); previous.append(contentsOf: key) }
                return hasPrevious && previous.withUnsafeBytes { precedes($0, key) } == 0
            }
            if repeated {
                throw InputError(source: source.path,
                                 "building \(String(decoding: previous, as: UTF8.self)) is in two tiles' results: the parts come from different cuts; run the tiles again")
            }
            hasPrevious = true
            buffer.append(contentsOf: source.row)
            rows += 1
            if try source.next() {
                siftDown(0)
            } else {
                heap[0] = heap[heap.count - 1]
                heap.removeLast()
                if !heap.isEmpty { siftDown(0) }
            }
            if buffer.count >= 1 << 20 { try flush() }
        }
        try flush()
        guard fflush(out) == 0, fsync(fileno(out)) == 0 else { throw OutputError(target, "cannot write: \(systemMessage())") }
        closed = true
        guard fclose(out) == 0 else { throw OutputError(target, "cannot write: \(systemMessage())") }
        return rows
    }
}
