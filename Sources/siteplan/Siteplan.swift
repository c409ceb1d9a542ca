import ArgumentParser

/// The `siteplan` command: lists the subcommands; each lives in its own file under Commands/.
@main
struct Siteplan: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "siteplan",
        abstract: "Plan housing and utilities on reconstruction parcels, and track the works.",
        discussion: """
        The scenario defaults to geodata/khojaly (Khojaly, phase 1; planning CRS EPSG:32638).

        Examples:
          siteplan parcels
          siteplan query --at 46.79,39.91 --format json
          siteplan plan --gpkg out/khojaly.gpkg
          siteplan map --out out/khojaly.png
          siteplan serve --port 8080
        """,
        subcommands: [Plan.self, Progress.self, Network.self, Trace.self, Households.self, Parcels.self, Parcel.self, Query.self, Export.self,
                      Map.self, Serve.self, Audit.self]
    )
}
