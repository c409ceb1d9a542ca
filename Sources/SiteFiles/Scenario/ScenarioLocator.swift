import SiteGeometry
import SiteProjection
import DriverGeoPackage
import DriverGeoJSON
import DriverCSV
import SiteDrivers
import SiteVocabulary
import Foundation

/// Finds the default scenario (Khojaly) when none is named.
public enum ScenarioLocator {
    /// The embedded default scenario's folder, relative to the repository.
    public static let defaultRelativePath = "geodata/khojaly"

    /// `$SITEPLAN_SCENARIO`, else `geodata/khojaly` under the working folder, else under the
    /// first ancestor of the executable that has it (a build inside the repository).
    public static func defaultFolder(executablePath: String = CommandLine.arguments.first ?? "") -> String {
        if let env = ProcessInfo.processInfo.environment["SITEPLAN_SCENARIO"], !env.isEmpty { return env }
        let fm = FileManager.default
        if fm.fileExists(atPath: defaultRelativePath) { return defaultRelativePath }
        var url = URL(fileURLWithPath: executablePath).resolvingSymlinksInPath().deletingLastPathComponent()
        while url.path != "/" {
            let candidate = url.appendingPathComponent(defaultRelativePath)
            if fm.fileExists(atPath: candidate.path) { return candidate.path }
            url.deleteLastPathComponent()
        }
        return defaultRelativePath
    }
}
