import Foundation
import SiteplanCore

/// File reading and atomic writing. Writes go to a temporary file in the target's folder,
/// then a rename, so a failed run never leaves a half-written output.
public enum FileIO {
    /// The bytes of `path`, or an `InputError` naming it.
    public static func readBytes(_ path: String) throws -> [UInt8] {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw InputError(source: path, "no such file")
        }
        if isDirectory.boolValue { throw InputError(source: path, "is a folder, expected a file") }
        guard let data = FileManager.default.contents(atPath: path) else { throw InputError(source: path, "cannot be read (permission?)") }
        return [UInt8](data)
    }

    /// Writes `text` to `path` atomically (temporary file in the same folder, then rename).
    public static func writeAtomically(_ text: String, to path: String) throws {
        try writeAtomically(Data(text.utf8), to: path)
    }

    public static func writeAtomically(_ data: Data, to path: String) throws {
        let url = URL(fileURLWithPath: path)
        let folder = url.deletingLastPathComponent()
        let temporary = folder.appendingPathComponent(".\(url.lastPathComponent).tmp-\(ProcessInfo.processInfo.processIdentifier)")
        do {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            try data.write(to: temporary)
            // rename(2) replaces the target atomically.
            if rename(temporary.path, url.path) != 0 {
                throw InputError(source: path, "cannot rename the temporary file into place: \(String(cString: strerror(errno)))")
            }
        } catch {
            try? FileManager.default.removeItem(at: temporary)
            throw InputError(source: path, "cannot write: \(error.localizedDescription)")
        }
    }
}
