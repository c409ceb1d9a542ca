// swift-tools-version:6.0
import PackageDescription

// Layers, arrows pointing down only:
//   siteplan (CLI) -> SiteplanServer (web map, Hummingbird) -> SiteplanIO (GeoJSON/GeoPackage/SVG/CSV adapters)
//   -> SiteplanCore, SiteplanAudit (domain) -> SiteGeometry (GEOS binding), SiteProjection (PROJ binding)
//   -> CGEOS, CPROJ (system C APIs); SiteplanIO's GeoPackage adapter -> CSQLite (system libsqlite3)
let package = Package(
    name: "siteplan",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "siteplan", targets: ["siteplan"]),
        .library(name: "SiteplanCore", targets: ["SiteplanCore"]),
        .library(name: "SiteGeometry", targets: ["SiteGeometry"]),
        .library(name: "SiteProjection", targets: ["SiteProjection"]),
        .library(name: "SiteplanAudit", targets: ["SiteplanAudit"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
    ],
    targets: [
        .systemLibrary(name: "CGEOS", pkgConfig: "geos", providers: [.apt(["libgeos-dev"])]),
        .systemLibrary(name: "CPROJ", pkgConfig: "proj", providers: [.apt(["libproj-dev"])]),
        .systemLibrary(name: "CSQLite", pkgConfig: "sqlite3", providers: [.apt(["libsqlite3-dev"])]),
        .target(name: "SiteGeometry", dependencies: ["CGEOS"]),
        .target(name: "SiteProjection", dependencies: ["CPROJ", "SiteGeometry"]),
        .target(name: "SiteplanCore", dependencies: ["SiteGeometry", "SiteProjection"]),
        .target(name: "SiteplanAudit", dependencies: ["SiteGeometry", "SiteProjection"]),
        .target(name: "SiteplanIO", dependencies: ["SiteplanCore", "SiteplanAudit", "SiteGeometry", "SiteProjection", "CSQLite"]),
        .target(
            name: "SiteplanServer",
            dependencies: [
                "SiteplanIO", "SiteplanCore",
                .product(name: "Hummingbird", package: "hummingbird"),
            ]
        ),
        .executableTarget(
            name: "siteplan",
            dependencies: [
                "SiteplanIO", "SiteplanCore", "SiteplanAudit", "SiteplanServer",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            // The default scenario, built into the executable so that a copied binary plans
            // Khojaly from any folder: Resources/khojaly is a link to geodata/khojaly.
            exclude: ["Resources/khojaly/README.md"],
            resources: [.embedInCode("Resources/khojaly")]
        ),
        .testTarget(name: "SiteGeometryTests", dependencies: ["SiteGeometry"]),
        .testTarget(name: "SiteProjectionTests", dependencies: ["SiteProjection", "SiteGeometry"]),
        .testTarget(name: "SiteplanCoreTests", dependencies: ["SiteplanCore", "SiteplanIO"]),
        // "siteplan": HelpExamplesTests parses the examples that would serve forever in-process.
        .testTarget(name: "SiteplanCLITests", dependencies: ["SiteplanIO", "siteplan"]),
        .testTarget(name: "SiteplanAuditTests", dependencies: ["SiteplanAudit", "SiteplanIO", "SiteGeometry", "SiteProjection"]),
    ],
    swiftLanguageModes: [.v6]
)
