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
    /// `siteplan audit`: the coverage and connection audit of WORKLOAD.md, files to files.
    struct Audit: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "audit",
            abstract: "Audit every building's parcel and utility connections, and every parcel's coverage and network.",
            discussion: """
            Reads three RFC 7946 FeatureCollections (WGS84 lon/lat), projects them to --crs (EPSG:32638, as WORKLOAD.md defines it, unless told otherwise) and writes buildings.csv and parcels.csv into --out. Bad input stops the run with the file, feature and reason; no CSV is left half-written.

            A building is connected when a laid or commissioned segment of every utility lies within --threshold-m of its footprint ("within 30 m of a built line"); siteplan progress instead traces each building's service line to the source.

            Examples:
              siteplan audit --parcels parcels.geojson \\
                --buildings buildings.geojson \\
                --network network.geojson --out report
              siteplan plan --out out/khojaly
              siteplan audit --plan out/khojaly --out out/audit
              siteplan audit --plan out/khojaly --crs auto \\
                --threshold-m 50 --out out/audit-50
            """
        )

        @Option(help: "Parcels: Polygon features with properties.id.")
        var parcels: String?
        @Option(help: "Building footprints: Polygon features with properties.id.")
        var buildings: String?
        @Option(help: "Network segments: LineString features with properties.id, utility and status.")
        var network: String?
        @Option(help: ArgumentHelp("A folder written by siteplan plan --out: its parcels, buildings and network layers are the inputs (any of --parcels, --buildings, --network given replaces that one).", valueName: "dir"))
        var plan: String?
        @Option(help: "Output directory for buildings.csv and parcels.csv (created if missing).")
        var out: String
        @Option(help: ArgumentHelp("The planar CRS to measure in: EPSG:N, or auto for the UTM zone of the parcels (Azerbaijan spans zones 38N and 39N).", valueName: "crs"))
        var crs: String = "EPSG:32638"
        @Option(name: .customLong("threshold-m"), parsing: .unconditional, help: ArgumentHelp("Connected within this distance of a built segment, metres.", valueName: "metres"))
        var thresholdMetres: Double = ConnectionAudit.defaultThresholdMetres
        @Option(help: "Worker threads (default: all cores).")
        var threads: Int?
        @Flag(help: "No progress display.")
        var quiet = false
        @Flag(help: "Print the time of each step (parse, project, index, assign, nearest, clip, aggregate, write) on stderr.")
        var verbose = false

        /// The three inputs as given; with --plan, those not given come from the plan folder.
        func inputs() throws -> (parcels: String, buildings: String, network: String)? {
            if let plan {
                let fromPlan = try AuditFiles.planInputs(folder: plan)
                return (parcels ?? fromPlan.parcels, buildings ?? fromPlan.buildings, network ?? fromPlan.network)
            }
            guard let parcels, let buildings, let network else { return nil }
            return (parcels, buildings, network)
        }

        func validate() throws {
            if plan == nil && (parcels == nil || buildings == nil || network == nil) { throw ValidationError("give --parcels, --buildings and --network, or --plan DIR (a folder written by siteplan plan)") }
            if let threads, threads < 1 { throw ValidationError("--threads must be at least 1.") }
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

        func run() throws {
            let threads = self.threads ?? availableCores
            let progress = AuditProgress()
            let display = (!quiet && isatty(STDERR_FILENO) == 1) ? ProgressDisplay(progress) : nil
            display?.start()
            let summary: AuditFiles.Summary
            do {
                let (parcels, buildings, network) = try inputs()!
                summary = try AuditFiles.run(parcels: parcels, buildings: buildings, network: network,
                                             outputDirectory: out, options: options(), threads: threads, progress: progress)
                display?.stop()
            } catch {
                display?.stop()
                throw report(error)
            }
            if verbose { printError("siteplan audit: \(summary.crs), threads=\(threads) \(summary.timings)") }
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
