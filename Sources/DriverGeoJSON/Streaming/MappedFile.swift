import SiteDrivers
import SiteGeometry
#if canImport(Glibc)
import SiteVocabulary
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A read-only memory map of a whole file. The bytes are read by the kernel on demand and
/// never copied into a Swift string; `release(upTo:)` hands the pages already parsed back.
final class MappedFile {
    let path: String
    let bytes: UnsafePointer<UInt8>
    let count: Int
    private let mapping: UnsafeMutableRawPointer?
    private var released = 0

    init(path: String) throws(InputError) {
        self.path = path
        let fd = open(path, O_RDONLY)
        if fd < 0 {
            throw InputError(source: path, featureIndex: nil, featureID: nil, "cannot open: \(systemMessage())")
        }
        defer { close(fd) }
        var st = stat()
        if fstat(fd, &st) != 0 {
            throw InputError(source: path, featureIndex: nil, featureID: nil, "cannot stat: \(systemMessage())")
        }
        count = Int(st.st_size)
        if count == 0 {
            throw InputError(source: path, featureIndex: nil, featureID: nil, "the file is empty")
        }
        guard let m = mmap(nil, count, PROT_READ, MAP_PRIVATE, fd, 0), m != MAP_FAILED else {
            throw InputError(source: path, featureIndex: nil, featureID: nil, "cannot map: \(systemMessage())")
        }
        madvise(m, count, Int32(MADV_SEQUENTIAL))
        mapping = m
        bytes = UnsafePointer(m.assumingMemoryBound(to: UInt8.self))
    }

    /// Drops the pages before `offset` from memory (they are re-read from the file if touched).
    func release(upTo offset: Int) {
        let page = Int(sysconf(Int32(_SC_PAGESIZE)))
        let end = (offset / page) * page
        if end > released, let mapping {
            madvise(mapping + released, end - released, Int32(MADV_DONTNEED))
            released = end
        }
    }

    deinit { if let mapping { munmap(mapping, count) } }
}
