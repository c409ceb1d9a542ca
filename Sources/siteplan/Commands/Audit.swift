import ArgumentParser
import SiteAudit
import SiteProjection
import SiteVocabulary
import SiteFiles
import SiteReports
import DriverGeoJSON
import DriverGeoPackage
import SiteDrivers
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension Siteplan {
    /// `siteplan audit`: the coverage and connection audit of WORKLOAD.md, files to files; in one
    /// process (`audit run`, the default) or in tiles (`audit tile`, `run-tile`, `merge`).
    struct Audit: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "audit",
            abstract: "Audit every building's parcel and utility connections, and every parcel's coverage and network.",
            discussion: """
            siteplan audit --parcels … runs the whole audit in one process (audit run, the default). For inputs larger than one machine, audit tile cuts them into region tiles with a halo, audit run-tile runs one tile (a task of a distributed engine; see distributed/README.md) and audit merge finishes the few buildings whose nearest line lies beyond the halo and writes the same buildings.csv and parcels.csv, byte for byte.

            Examples:
              siteplan audit --parcels parcels.geojson \\
                --buildings buildings.geojson \\
                --network network.geojson --out report
              siteplan audit tile --plan . --tile-buildings 20 --out tiles
              siteplan audit run-tile tiles/tile-00000.bin --parts parts
            """,
            subcommands: [Run.self, Tile.self, RunTile.self, Merge.self],
            defaultSubcommand: Run.self
        )
    }
}

/// The audit's inputs and measuring choices, shared by `audit run` and `audit tile`.
struct AuditInputOptions: ParsableArguments {
    @Option(help: "Parcels: Polygon features with properties.id.")
    var parcels: String?
    @Option(help: "Building footprints: Polygon features with properties.id.")
    var buildings: String?
    @Option(help: "Network segments: LineString features with properties.id, utility and status.")
    var network: String?
    @Option(help: ArgumentHelp("A folder written by siteplan plan --out: its parcels, buildings and network layers are the inputs (any of --parcels, --buildings, --network given replaces that one).", valueName: "dir"))
    var plan: String?
    @Option(help: ArgumentHelp("A plan of record (PATH.gpkg or postgresql://user@host:port/db): its latest revision's parcels, buildings and network are the inputs, each segment's status from its works history. Its geometries are in its planning CRS; they are taken to lon/lat as plan --out writes them, then measured in --crs.", valueName: "store"))
    var store: String?
    @Option(name: .customLong("as-of"), help: ArgumentHelp("With --store: count works as they stood on this date (YYYY-MM-DD; default: every recorded event).", valueName: "date"))
    var asOf: String?
    @Option(help: ArgumentHelp("The planar CRS to measure in: EPSG:N, or auto for the UTM zone of the parcels (Azerbaijan spans zones 38N and 39N).", valueName: "crs"))
    var crs: String = "EPSG:32638"
    @Option(name: .customLong("threshold-m"), parsing: .unconditional, help: ArgumentHelp("Connected within this distance of a built segment, metres.", valueName: "metres"))
    var thresholdMetres: Double = ConnectionAudit.defaultThresholdMetres

    /// The inputs as given: the store, or the three files (with --plan, those not given come
    /// from the plan folder).
    func source() throws -> AuditFiles.Source {
        if let store { return .store(location: store, asOf: asOf.flatMap(ISODate.init)) }
        if let plan {
            let fromPlan = try AuditFiles.planInputs(folder: plan)
            return .files(parcels: parcels ?? fromPlan.parcels, buildings: buildings ?? fromPlan.buildings, network: network ?? fromPlan.network)
        }
        return .files(parcels: parcels!, buildings: buildings!, network: network!)
    }

    func validate() throws {
        if store != nil {
            if plan != nil || parcels != nil || buildings != nil || network != nil {
                throw ValidationError("--store is the audit's whole input: give it alone, without --plan, --parcels, --buildings or --network")
            }
        } else if asOf != nil {
            throw ValidationError("--as-of dates the works history of a store: it needs --store (a plan folder's network carries its statuses)")
        }
        if let asOf, ISODate(asOf) == nil { throw ValidationError("--as-of \"\(asOf)\" is not a date (YYYY-MM-DD)") }
        if store == nil && plan == nil && (parcels == nil || buildings == nil || network == nil) { throw ValidationError("give --parcels, --buildings and --network, or --plan DIR (a folder written by siteplan plan), or --store (a plan of record)") }
        if !(thresholdMetres > 0 && thresholdMetres.isFinite) { throw ValidationError("--threshold-m must be a distance in metres, more than 0") }
        if let planar = auditCRS {
            do { try planar.validate() } catch { throw ValidationError("--crs \(crs): not a CRS PROJ knows: \(error.message)") }
            guard (try? planar.isProjectedInMetres()) == true else {
                throw ValidationError("--crs \(crs): not a projected CRS in metres; the audit measures distances and areas in metres (try --crs auto, the UTM zone of the parcels)")
            }
        }
    }

    /// The CRS asked for; nil for `auto`.
    var auditCRS: CRS? { crs.lowercased() == "auto" ? nil : CRS.parse(crs) }

    func options() -> AuditFiles.Options { AuditFiles.Options(crs: auditCRS, thresholdMetres: thresholdMetres) }
}

extension Siteplan.Audit {
    /// `siteplan audit run` (the default): the whole audit in one process.
    struct Run: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "run",
            abstract: "The whole audit in one process: siteplan audit --parcels … runs this.",
            discussion: """
            Reads three RFC 7946 FeatureCollections (WGS84 lon/lat), projects them to --crs (EPSG:32638, as WORKLOAD.md defines it, unless told otherwise) and writes buildings.csv and parcels.csv into --out. Bad input stops the run with the file, feature and reason; no CSV is left half-written.

            With --store, the inputs are a plan of record's latest revision (a GeoPackage file or a PostGIS database), read in batches: its parcels, buildings and network, each segment's status from the works history (--as-of: as it stood that day). The store keeps them in its planning CRS; they are taken to lon/lat as plan --out writes them (7 decimals), so the reports are those of audit --plan on the folder plan --out writes from the same plan, byte for byte. Bad data names the store, the table and the asset id.

            A building is connected when a laid or commissioned segment of every utility lies within --threshold-m of its footprint ("within 30 m of a built line"); siteplan progress instead traces each building's service line to the source.

            Examples:
              siteplan audit --parcels parcels.geojson \\
                --buildings buildings.geojson \\
                --network network.geojson --out report
              siteplan plan --out out/khojaly
              siteplan audit --plan out/khojaly --out out/audit
              siteplan audit --plan out/khojaly --crs auto \\
                --threshold-m 50 --out out/audit-50
              siteplan audit run --store pr.gpkg --out out/audit-record
            """
        )

        @OptionGroup var input: AuditInputOptions
        @Option(help: "Output directory for buildings.csv and parcels.csv (created if missing).")
        var out: String
        @Option(help: "Worker threads (default: all cores).")
        var threads: Int?
        @Flag(help: "No progress display.")
        var quiet = false
        @Flag(help: "Print the time of each step (parse, project, index, assign, nearest, clip, aggregate, write) on stderr.")
        var verbose = false

        func validate() throws {
            if let threads, threads < 1 { throw ValidationError("--threads must be at least 1.") }
        }

        func run() throws {
            let threads = self.threads ?? availableCores
            let progress = AuditProgress()
            let display = (!quiet && isatty(STDERR_FILENO) == 1) ? ProgressDisplay(progress) : nil
            display?.start()
            let summary: AuditFiles.Summary
            do {
                summary = try AuditFiles.run(try input.source(), outputDirectory: out, options: input.options(), threads: threads, progress: progress)
                display?.stop()
            } catch {
                display?.stop()
                throw report(error)
            }
            if verbose { printError("siteplan audit: \(summary.crs), threads=\(threads) \(summary.timings)") }
        }
    }

    /// `siteplan audit tile`: cuts the audit into region tiles with a halo.
    struct Tile: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "tile",
            abstract: "Cut the audit's inputs into region tiles with a halo, for audit run-tile and audit merge.",
            discussion: """
            Reads, checks and projects the inputs as audit run does (files, a plan folder or a plan of record: --store), splits the buildings at the median of their footprint centroids until each region holds at most --tile-buildings, and writes one tile file per region into --out: its buildings, and every parcel and line within --halo-km of them. Also writes tiles.txt (the tile files, one per line) and what audit merge needs. Bad input stops here with the file, feature and reason, as audit run does.

            Examples:
              siteplan audit tile --plan . --tile-buildings 20 --out tiles
              siteplan audit run-tile tiles/tile-00000.bin --parts parts
              siteplan audit tile --plan . --tile-buildings 20 \\
                --halo-km 0.05 --out tiles-small
              siteplan audit tile --store pr.gpkg --tiles 4 --out tiles-record
            """
        )

        @OptionGroup var input: AuditInputOptions
        @Option(help: ArgumentHelp("Folder for the tiles (created if missing).", valueName: "dir"))
        var out: String
        @Option(name: .customLong("tile-buildings"), help: ArgumentHelp("At most this many buildings in a tile's region.", valueName: "count"))
        var tileBuildings: Int = 1_000_000
        @Option(help: ArgumentHelp("Share the buildings out into this many tiles instead (at most this many buildings each: the count divided by it, rounded up).", valueName: "count"))
        var tiles: Int?
        @Option(name: .customLong("halo-km"), help: ArgumentHelp("The halo around a region: lines and parcels this close are in its tile; buildings whose nearest line is farther go to the second pass (audit merge).", valueName: "km"))
        var haloKm: Double = AuditTiling.defaultHaloMetres / 1000
        @Option(help: "Worker threads (default: all cores).")
        var threads: Int?
        @Flag(help: "Print the time of each step on stderr.")
        var verbose = false

        func validate() throws {
            if let threads, threads < 1 { throw ValidationError("--threads must be at least 1.") }
            if tileBuildings < 1 { throw ValidationError("--tile-buildings must be at least 1.") }
            if let tiles, tiles < 1 { throw ValidationError("--tiles must be at least 1.") }
            if !(haloKm >= 0 && haloKm.isFinite) { throw ValidationError("--halo-km must be a distance in kilometres, 0 or more") }
        }

        func run() throws {
            let threads = self.threads ?? availableCores
            do {
                let summary = try AuditTiles.cut(try input.source(), tilesDirectory: out, options: input.options(), maxBuildings: tileBuildings,
                                                 tiles: tiles, haloMetres: haloKm * 1000, threads: threads)
                let sizes = summary.buildingsPerTile
                print("\(sizes.count) tiles in \(out) (buildings per tile: \(sizes.min() ?? 0) to \(sizes.max() ?? 0); features with halo: up to \(summary.featuresPerTile.max() ?? 0))")
                if verbose { printError("siteplan audit tile: \(summary.crs), threads=\(threads) \(summary.timings)") }
            } catch {
                throw report(error)
            }
        }
    }

    /// `siteplan audit run-tile`: one tile, one task.
    struct RunTile: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "run-tile",
            abstract: "Run one tile of audit tile; writes its part (final rows, rows for the second pass, its parcels' sums) into --parts.",
            discussion: """
            One task of a distributed run: reads a tile file, audits its region and writes --parts/part-NNNNN as one file set, so a task killed half-way leaves nothing and its retry writes the same bytes. Exit 1 is bad input (the file, feature and reason on stderr): retrying will not help.

            Examples:
              siteplan audit tile --plan . --tile-buildings 20 --out tiles
              siteplan audit run-tile tiles/tile-00000.bin --parts parts
            """
        )

        @Argument(help: ArgumentHelp("A tile file written by audit tile.", valueName: "tile"))
        var tile: String
        @Option(help: ArgumentHelp("Folder for the parts (created if missing).", valueName: "dir"))
        var parts: String
        @Option(help: "Worker threads (default: all cores).")
        var threads: Int?
        @Flag(help: "Print the time of each step on stderr.")
        var verbose = false

        func validate() throws {
            if let threads, threads < 1 { throw ValidationError("--threads must be at least 1.") }
        }

        func run() throws {
            let threads = self.threads ?? availableCores
            do {
                let summary = try AuditTiles.runTile(tile, partsDirectory: parts, threads: threads)
                if verbose {
                    printError("siteplan audit run-tile: tile \(summary.tile), \(summary.buildings) buildings, \(summary.secondPass) for the second pass, threads=\(threads) \(summary.timings)")
                }
            } catch {
                throw report(error)
            }
        }
    }

    /// `siteplan audit merge`: the second pass and the two reports.
    struct Merge: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "merge",
            abstract: "Finish a tiled audit: the second pass, then buildings.csv and parcels.csv as audit run writes them.",
            discussion: """
            Reads every tile's part, finds the nearest line of the whole input for the buildings whose nearest line lay beyond their tile's halo, and writes buildings.csv and parcels.csv into --out, byte for byte as audit run on the same inputs. A missing part, or parts of different cuts, stop it with the part named.

            Examples:
              siteplan audit tile --plan . --out tiles1
              siteplan audit run-tile tiles1/tile-00000.bin --parts parts1
              siteplan audit merge --tiles tiles1 --parts parts1 --out report
            """
        )

        @Option(help: ArgumentHelp("The folder audit tile wrote.", valueName: "dir"))
        var tiles: String
        @Option(help: ArgumentHelp("The folder audit run-tile wrote the parts into.", valueName: "dir"))
        var parts: String
        @Option(help: "Output directory for buildings.csv and parcels.csv (created if missing).")
        var out: String
        @Option(help: "Worker threads (default: all cores).")
        var threads: Int?
        @Flag(help: "Print the time of each step on stderr.")
        var verbose = false

        func validate() throws {
            if let threads, threads < 1 { throw ValidationError("--threads must be at least 1.") }
        }

        func run() throws {
            let threads = self.threads ?? availableCores
            do {
                let summary = try AuditTiles.merge(tilesDirectory: tiles, partsDirectory: parts, outputDirectory: out, threads: threads)
                if verbose {
                    printError("siteplan audit merge: \(summary.tiles) tiles, \(summary.buildings) buildings, \(summary.secondPass) in the second pass, threads=\(threads) \(summary.timings)")
                }
            } catch {
                throw report(error)
            }
        }
    }
}

/// Writes a line to stderr (fd 2, unbuffered).
func printError(_ text: String) {
    writeStderr(text + "\n")
}

func writeStderr(_ text: String) {
    var bytes = Array(text.utf8)
    bytes.withUnsafeMutableBytes { raw in _ = write(STDERR_FILENO, raw.baseAddress, raw.count) }
}
