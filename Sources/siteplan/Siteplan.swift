import ArgumentParser

/// The `siteplan` command: lists the subcommands; each lives in its own file under Commands/.
///
/// Help texts: each discussion paragraph is one line (the `\` continuations), which
/// argument-parser wraps at the terminal width itself; example lines stay under 80 columns so
/// they never wrap. Options with a default value get "(default: …)" from argument-parser, so
/// their help does not state it again.
@main
struct Siteplan: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "siteplan",
        abstract: "Plan housing and utilities on reconstruction parcels, and track the works.",
        discussion: """
        Every command reads the scenario named by --scenario, else $SITEPLAN_SCENARIO, else \
        geodata/khojaly in the working folder, else the Khojaly scenario built into siteplan \
        (Khojaly, phase 1; planning CRS EPSG:32638). Positions are longitude, latitude in WGS84 \
        degrees, as in GeoJSON.

        Examples:
          siteplan plan
          siteplan parcels
          siteplan query --at 46.7954,39.9188 --format json
          siteplan plan --gpkg out/khojaly.gpkg
          siteplan map --out out/khojaly.png
          siteplan serve --port 8080
        """,
        version: SiteplanVersion.text,
        subcommands: [Plan.self, Progress.self, Network.self, Trace.self, Households.self, Parcels.self, Parcel.self, Query.self, Export.self, Import.self,
                      Map.self, Serve.self, Audit.self, Adopt.self, Works.self, Log.self, Diff.self, Users.self]
    )
}
