/// The Khojaly scenario built into the library, and so into the executable
/// (`resources: [.embedInCode("Resources/khojaly")]` in Package.swift; Resources/khojaly links to
/// geodata/khojaly), read when no scenario is named and there is no geodata/khojaly in the
/// working folder.
public enum EmbeddedScenario {
    /// The files by the names scenario.json gives them.
    public static let khojaly = ScenarioFiles(embedded: [
        "scenario.json": PackageResources.scenario_json,
        "parcels.geojson": PackageResources.parcels_geojson,
        "exclusions.geojson": PackageResources.exclusions_geojson,
        "status.csv": PackageResources.status_csv,
        "households.csv": PackageResources.households_csv,
    ], name: "khojaly")
}
