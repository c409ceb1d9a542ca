import ArgumentParser
import SiteFiles
import SiteProjection

extension Siteplan {
    struct Import: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "import",
            abstract: "Import parcels or exclusion zones from any vector file GDAL reads into a scenario folder.",
            discussion: """
            Reads FILE through GDAL/OGR (Shapefile with its .prj, DXF, KML, FlatGeobuf, GeoPackage, \
            GML, CSV with a WKT column, GeoJSON with a legacy "crs" member, ...), in the CRS the file \
            gives, else --source-crs (a DXF has none). Checks every feature as a plan reads it \
            (polygons, valid, unique ids), then writes <as>.geojson (WGS84, every input attribute \
            kept) into the scenario folder and names it in its scenario.json, together. Parcels \
            imported into a folder without a scenario.json start a new scenario (planning CRS: the \
            file's own when it is projected in metres, else auto).

            Ids come from --id-field, else an "id" field, else a KML placemark's name, else a DXF \
            text label inside each area; else they are generated. DXF closed polylines become \
            polygons, with holes rebuilt from the rings nested inside them.

            Examples:
              siteplan export --layers parcels --crs planning --out /tmp/cadastre.shp
              siteplan import /tmp/cadastre.shp --id-field id --scenario /tmp/site
              siteplan export --layers exclusions --out /tmp/zones.kml
              siteplan import /tmp/zones.kml --as exclusions --scenario /tmp/site
              siteplan export --layers parcels --out /tmp/survey.dxf
              siteplan import /tmp/survey.dxf --source-crs EPSG:32638 --scenario /tmp/dxf
              siteplan parcels --scenario /tmp/dxf
            """
        )

        enum Kind: String, ExpressibleByArgument, CaseIterable { case parcels, exclusions }

        @Argument(help: ArgumentHelp("The vector file to read.", valueName: "file"))
        var file: String

        @Option(name: .long, help: ArgumentHelp("The layer of a file with several (a DXF drawing layer, a GeoPackage table).", valueName: "name"))
        var layer: String?

        @Option(name: .long, help: ArgumentHelp("The field holding each feature's id.", valueName: "field"))
        var idField: String?

        @Option(name: .customLong("as"), help: "The scenario layer it becomes.")
        var kind: Kind = .parcels

        @Option(name: .long, help: ArgumentHelp("The CRS of a file that names none, e.g. EPSG:32638 for a DXF.", valueName: "crs"))
        var sourceCRS: String?

        @Option(name: .long, help: ArgumentHelp("The scenario folder to write into (a new one for parcels when it has no scenario.json).", valueName: "dir"))
        var scenario: String

        func run() throws {
            try reportingErrors {
                let summary = try ScenarioImport.importLayer(file, layer: layer, idField: idField, sourceCRS: sourceCRS.map(CRS.parse),
                                                             as: ScenarioImport.Kind(rawValue: kind.rawValue)!, scenario: scenario)
                print("\(summary.features) \(kind.rawValue) from \(summary.source) (\(summary.crs)) written to \(summary.target)")
            }
        }
    }
}
