import Foundation
import SiteDrivers
import SiteVocabulary

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

    /// Renders `svg` (the document text) as the PNG file `path`, staged in `files`.
    public static func write(svg: String, to path: String, in files: FileSet) throws {
        guard let tool = rsvgConvert() else {
            throw OutputError(path, "writing PNG needs rsvg-convert (Debian package librsvg2-bin); write an .svg instead")
        }
        let pngTemp = try files.stage(path)
        let svgTemp = pngTemp + ".svg"
        defer { unlink(svgTemp) }
        try FileSet.writeFile(svgTemp, bytes: Array(svg.utf8), target: path)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: tool)
        process.arguments = ["--format", "png", "--background-color", "white", "--output", pngTemp, svgTemp]
        let err = Pipe()
        process.standardError = err
        do { try process.run() } catch { throw OutputError(path, "cannot start rsvg-convert") }
        let message = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            unlink(pngTemp)
            throw OutputError(path, "rsvg-convert failed (\(process.terminationStatus)): \(message.trimmingCharacters(in: .whitespacesAndNewlines))")
        }
    }
}
