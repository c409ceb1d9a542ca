#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import SiteVocabulary

/// Reading input files, with errors that name the file and say what is wrong in words.
public enum FileIO {
    /// The bytes of `path`, or an `InputError` naming it ("no such file", "is a folder, ...").
    public static func readBytes(_ path: String) throws(InputError) -> [UInt8] {
        var st = stat()
        guard stat(path, &st) == 0 else {
            throw InputError(source: path, errno == ENOENT ? "no such file" : "cannot be read: \(systemMessage())")
        }
        if st.st_mode & S_IFMT == S_IFDIR { throw InputError(source: path, "is a folder, expected a file") }
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw InputError(source: path, "cannot be read: \(systemMessage())") }
        defer { close(fd) }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(Int(st.st_size))
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let n = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if n < 0 {
                if errno == EINTR { continue }
                throw InputError(source: path, "cannot be read: \(systemMessage())")
            }
            if n == 0 { break }
            bytes.append(contentsOf: chunk[0..<n])
        }
        return bytes
    }

    /// At most the first `count` bytes of `path` (a format sniff without reading a large file).
    public static func readPrefix(_ path: String, count: Int) throws(InputError) -> [UInt8] {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw InputError(source: path, errno == ENOENT ? "no such file" : "cannot be read: \(systemMessage())") }
        defer { close(fd) }
        var bytes = [UInt8](repeating: 0, count: count)
        var filled = 0
        while filled < count {
            let n = bytes.withUnsafeMutableBytes { read(fd, $0.baseAddress! + filled, count - filled) }
            if n < 0 { if errno == EINTR { continue }; throw InputError(source: path, "cannot be read: \(systemMessage())") }
            if n == 0 { break }
            filled += n
        }
        return Array(bytes[0..<filled])
    }

    /// Whether `path` names an existing folder.
    public static func isFolder(_ path: String) -> Bool {
        var st = stat()
        return stat(path, &st) == 0 && st.st_mode & S_IFMT == S_IFDIR
    }

    /// Whether something exists at `path`.
    public static func exists(_ path: String) -> Bool {
        var st = stat()
        return stat(path, &st) == 0
    }
}

/// The operating system's text for the current `errno`, e.g. "No space left on device".
public func systemMessage(_ code: Int32 = errno) -> String { String(cString: strerror(code)) }
