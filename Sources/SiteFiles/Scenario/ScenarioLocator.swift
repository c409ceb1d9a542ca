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
    /// The default scenario's folder, relative to the repository (and to the working folder).
    public static let defaultRelativePath = "geodata/khojaly"

    /// `$SITEPLAN_SCENARIO`, else `geodata/khojaly` under the working folder; nil when neither
    /// is there (the CLI then reads the copy built into it).
    public static func defaultFolder() -> String? {
        if let env = ProcessInfo.processInfo.environment["SITEPLAN_SCENARIO"], !env.isEmpty { return env }
        if FileManager.default.fileExists(atPath: defaultRelativePath) { return defaultRelativePath }
        return nil
    }
}
