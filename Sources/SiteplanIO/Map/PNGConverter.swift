import Foundation
import SiteplanCore

/// Turns an SVG into a PNG with librsvg's `rsvg-convert`, when it is installed.
public enum PNGConverter {
    /// The `rsvg-convert` executable on PATH, or nil.
    public static func rsvgConvert() -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        for dir in path.split(separator: ":") {
            let candidate = "\(dir)/rsvg-convert"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return nil
    }

    /// Renders `svg` (the document text) to a PNG file at `path`, atomically.
    public static func write(svg: String, to path: String) throws {
        guard let tool = rsvgConvert() else {
            throw InputError(source: path, "writing PNG needs rsvg-convert (Debian package librsvg2-bin); write an .svg instead")
        }
        let url = URL(fileURLWithPath: path)
        let folder = url.deletingLastPathComponent()
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let pid = ProcessInfo.processInfo.processIdentifier
        let svgTemp = folder.appendingPathComponent(".\(url.lastPathComponent).svg.tmp-\(pid)")
        let pngTemp = folder.appendingPathComponent(".\(url.lastPathComponent).tmp-\(pid)")
        defer {
            try? FileManager.default.removeItem(at: svgTemp)
            try? FileManager.default.removeItem(at: pngTemp)
        }
        try Data(svg.utf8).write(to: svgTemp)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: tool)
        process.arguments = ["--format", "png", "--background-color", "white", "--output", pngTemp.path, svgTemp.path]
        let err = Pipe()
        process.standardError = err
        try process.run()
        let message = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw InputError(source: path, "rsvg-convert failed (\(process.terminationStatus)): \(message.trimmingCharacters(in: .whitespacesAndNewlines))")
        }
        if rename(pngTemp.path, url.path) != 0 {
            throw InputError(source: path, "cannot rename the temporary file into place: \(String(cString: strerror(errno)))")
        }
    }
}
