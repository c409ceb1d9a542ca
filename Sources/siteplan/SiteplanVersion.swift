import SiteGeometry
import SiteProjection
import SiteGDAL

/// The one place siteplan's version is written: `siteplan --version` prints `text`, with the
/// GEOS, PROJ and GDAL libraries it runs against.
enum SiteplanVersion {
    /// siteplan's own version (semantic versioning).
    static let string = "0.4.0"

    /// "siteplan 0.4.0 (GEOS 3.11.1-CAPI-1.17.1, PROJ 9.1.1, GDAL 3.6.2)": the versions of the C
    /// libraries are read at run time (`GEOSversion`, `proj_info`, `GDALVersionInfo`), so a
    /// copied binary reports the ones it actually loaded.
    static var text: String { "siteplan \(string) (GEOS \(geosVersion), PROJ \(projVersion), GDAL \(GDALLibrary.version))" }
}
