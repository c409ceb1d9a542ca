// swift-tools-version:6.0
import PackageDescription

// The layers of siteplan. Arrows point down only; a target imports only targets below it.
//
//   siteplan (CLI: parses arguments, calls the library)
//     -> SiteServer (web map, Hummingbird)
//     -> SiteReports (tables, report JSON, SVG/PNG map, the PDF print sheet)
//     -> SiteFiles (file sets: the scenario folder, the plan's output folder, the audit's files)
//     -> DriverGeoJSON, DriverGeoPackage, DriverCSV (one target per format),
//        DriverOGR (Shapefile, DXF, KML, FlatGeobuf, XLSX, any OGR source, through GDAL),
//        StorePostGIS (the plan of record in PostGIS, over libpq)
//     -> SiteDrivers (FeatureSource / FeatureSink protocols, atomic file sets, file reading)
//     -> SitePlanning (the domain and its pipeline, PlanRun), SiteAudit (the national audit)
//     -> SiteVocabulary (utilities, works status, dates, features and layers with their CRS, errors)
//     -> SiteGeometry (GEOS binding, planar kernel), SiteProjection (PROJ binding), SiteGDAL (GDAL/OGR binding)
//     -> SiteCanvas (Cairo + librsvg binding: an SVG drawn onto a PDF or PNG surface, in memory)
//     -> CGEOS, CPROJ, CGDAL, CSQLite, CLibPQ, CCairo (module maps over the system C libraries)
//
// A new format or store is one new target beside the drivers, implementing the SiteDrivers
// protocols, with no change below it. Tests mirror Sources: one test target per source target.
let package = Package(
    name: "siteplan",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "siteplan", targets: ["siteplan"]),
        .library(name: "SiteGeometry", targets: ["SiteGeometry"]),
        .library(name: "SiteProjection", targets: ["SiteProjection"]),
        .library(name: "SiteVocabulary", targets: ["SiteVocabulary"]),
        .library(name: "SitePlanning", targets: ["SitePlanning"]),
        .library(name: "SiteAudit", targets: ["SiteAudit"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-http-types", from: "1.8.0"),
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.37.6"),
    ],
    targets: [
        // C module maps
        .systemLibrary(name: "CGEOS", pkgConfig: "geos", providers: [.apt(["libgeos-dev"])]),
        .systemLibrary(name: "CPROJ", pkgConfig: "proj", providers: [.apt(["libproj-dev"])]),
        .systemLibrary(name: "CSQLite", pkgConfig: "sqlite3", providers: [.apt(["libsqlite3-dev"])]),
        .systemLibrary(name: "CLibPQ", pkgConfig: "libpq", providers: [.apt(["libpq-dev"])]),
        // Cairo (with its PDF surface) and librsvg; librsvg-2.0's pkg-config brings Cairo's flags.
        .systemLibrary(name: "CCairo", pkgConfig: "librsvg-2.0", providers: [.apt(["libcairo2-dev", "librsvg2-dev"])]),
        .systemLibrary(name: "CGDAL", pkgConfig: "gdal", providers: [.apt(["libgdal-dev"])]),
        // The system's OpenSSL libcrypto: scrypt, SHA-256 and random bytes for accounts and sessions.
        .systemLibrary(name: "CCrypto", pkgConfig: "libcrypto", providers: [.apt(["libssl-dev"])]),
        // bindings
        .target(name: "SiteGeometry", dependencies: ["CGEOS"]),
        .target(name: "SiteProjection", dependencies: ["CPROJ", "SiteGeometry"]),
        .target(name: "SiteCanvas", dependencies: ["CCairo"]),
        .target(name: "SiteGDAL", dependencies: ["CGDAL", "SiteGeometry"]),
        .target(name: "SiteCrypto", dependencies: ["CCrypto"]),
        // vocabulary
        .target(name: "SiteVocabulary", dependencies: ["SiteGeometry", "SiteProjection"]),
        // domain
        .target(name: "SitePlanning", dependencies: ["SiteVocabulary", "SiteGeometry", "SiteProjection"]),
        .target(name: "SiteAudit", dependencies: ["SiteVocabulary", "SiteGeometry", "SiteProjection"]),
        // format drivers
        .target(name: "SiteDrivers", dependencies: ["SitePlanning", "SiteVocabulary", "SiteGeometry", "SiteProjection"]),
        .target(name: "DriverGeoJSON", dependencies: ["SiteDrivers", "SiteVocabulary", "SiteAudit", "SiteGeometry", "SiteProjection"]),
        .target(name: "DriverGeoPackage", dependencies: ["SiteDrivers", "SiteVocabulary", "SiteGeometry", "SiteProjection", "CSQLite"]),
        // Shapefile, FlatGeobuf, KML, DXF, XLSX, GML, ... through GDAL/OGR
        .target(name: "DriverOGR", dependencies: ["SiteDrivers", "SiteGDAL", "SiteVocabulary", "SiteGeometry", "SiteProjection"]),
        // stores of the plan of record (SiteDrivers.PlanStore)
        .target(name: "StoreGeoPackage", dependencies: ["DriverGeoPackage", "DriverGeoJSON", "SiteDrivers", "SitePlanning", "SiteVocabulary", "SiteGeometry", "SiteProjection"]),
        .target(name: "DriverCSV", dependencies: ["SiteDrivers", "SiteVocabulary", "SiteAudit", "SiteGeometry", "SiteProjection"]),
        // stores (the plan of record)
        .target(name: "StorePostGIS", dependencies: ["SiteDrivers", "SitePlanning", "SiteVocabulary", "SiteGeometry", "SiteProjection",
                                                     "DriverGeoJSON", "CLibPQ"]),
        // file sets
        // The default scenario is built into the library, and so into the executable: a copied
        // binary plans Khojaly from any folder. Resources/khojaly is a link to geodata/khojaly.
        .target(name: "SiteFiles", dependencies: ["SiteDrivers", "DriverGeoJSON", "DriverGeoPackage", "DriverCSV", "DriverOGR", "StoreGeoPackage", "StorePostGIS", "SitePlanning", "SiteAudit",
                                                  "SiteVocabulary", "SiteGeometry", "SiteProjection"],
                exclude: ["Resources/khojaly/README.md"],
                resources: [.embedInCode("Resources/khojaly")]),
        // reports
        .target(name: "SiteReports", dependencies: ["SiteFiles", "SiteCanvas", "DriverGeoJSON", "DriverCSV", "DriverOGR", "SitePlanning", "SiteVocabulary", "SiteGeometry", "SiteProjection"]),
        // server
        .target(name: "SiteServer", dependencies: ["SiteReports", "SiteFiles", "DriverGeoJSON", "SitePlanning", "SiteVocabulary", "SiteProjection",
                                                   .product(name: "Hummingbird", package: "hummingbird"),
                                                   .product(name: "NIOCore", package: "swift-nio"),
                                                   .product(name: "HTTPTypes", package: "swift-http-types"),
                                                   .product(name: "HummingbirdCore", package: "hummingbird"),
                                                   .product(name: "HummingbirdTLS", package: "hummingbird"),
                                                   .product(name: "NIOSSL", package: "swift-nio-ssl"), "SiteCrypto"]),
        // CLI
        .executableTarget(name: "siteplan", dependencies: [
            "SiteServer", "SiteReports", "SiteFiles", "DriverGeoJSON", "DriverGeoPackage", "DriverCSV", "DriverOGR", "SiteDrivers", "SiteGDAL",
            "SitePlanning", "SiteAudit", "SiteVocabulary", "SiteProjection", "SiteGeometry",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),

        .testTarget(name: "SiteGeometryTests", dependencies: ["SiteGeometry"]),
        .testTarget(name: "SiteCanvasTests", dependencies: ["SiteCanvas"]),
        .testTarget(name: "SiteCryptoTests", dependencies: ["SiteCrypto"]),
        .testTarget(name: "SiteProjectionTests", dependencies: ["SiteProjection", "SiteGeometry"]),
        .testTarget(name: "SiteVocabularyTests", dependencies: ["SiteVocabulary"]),
        .testTarget(name: "SitePlanningTests", dependencies: ["SitePlanning", "SiteVocabulary", "SiteGeometry", "SiteProjection"]),
        .testTarget(name: "SiteAuditTests", dependencies: ["SiteAudit", "SiteVocabulary", "SiteGeometry", "SiteProjection"]),
        .testTarget(name: "SiteDriversTests", dependencies: ["SiteDrivers", "SiteVocabulary"]),
        .testTarget(name: "DriverGeoJSONTests", dependencies: ["DriverGeoJSON", "SiteDrivers", "SiteVocabulary", "SiteAudit", "SiteGeometry", "SiteProjection"]),
        .testTarget(name: "DriverGeoPackageTests", dependencies: ["DriverGeoPackage", "SiteDrivers", "SiteVocabulary", "SiteGeometry", "SiteProjection"]),
        .testTarget(name: "SiteGDALTests", dependencies: ["SiteGDAL", "SiteGeometry"]),
        .testTarget(name: "DriverOGRTests", dependencies: ["DriverOGR", "SiteGDAL", "DriverGeoJSON", "DriverGeoPackage", "SiteDrivers", "SiteVocabulary", "SiteGeometry", "SiteProjection"]),
        .testTarget(name: "DriverCSVTests", dependencies: ["DriverCSV", "SiteDrivers", "SiteVocabulary", "SiteAudit", "SiteGeometry", "SiteProjection"]),
        // Against a real PostgreSQL + PostGIS: SITEPLAN_TEST_POSTGIS_URL (tools/pg_test_cluster.sh).
        .testTarget(name: "StoreGeoPackageTests", dependencies: ["StoreGeoPackage", "SiteDrivers", "SitePlanning", "SiteVocabulary", "SiteGeometry", "SiteProjection"]),
        .testTarget(name: "StorePostGISTests", dependencies: ["StorePostGIS", "SiteDrivers", "SitePlanning", "SiteVocabulary", "SiteGeometry", "SiteProjection"]),
        .testTarget(name: "SiteFilesTests", dependencies: ["SiteFiles", "DriverGeoJSON", "DriverOGR", "DriverCSV", "SiteDrivers", "SitePlanning", "SiteAudit", "SiteVocabulary", "SiteGeometry", "SiteProjection"]),
        .testTarget(name: "SiteReportsTests", dependencies: ["SiteReports", "SiteFiles", "SitePlanning", "SiteVocabulary", "DriverGeoJSON", "SiteDrivers", "SiteGeometry", "SiteProjection"]),
        .testTarget(name: "SiteServerTests", dependencies: ["SiteServer", "SiteFiles", "SitePlanning"]),
        // "siteplan": HelpExamplesTests parses the examples that would serve forever in-process.
        .testTarget(name: "siteplanTests", dependencies: ["siteplan", "SiteFiles", "SitePlanning", "SiteDrivers", "DriverGeoJSON", "DriverGeoPackage", "SiteVocabulary"]),
    ],
    swiftLanguageModes: [.v6]
)
