import ArgumentParser
import SiteplanAudit
import SiteplanIO
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
            Reads three RFC 7946 FeatureCollections (WGS84 lon/lat), projects them to EPSG:32638 \
            and writes buildings.csv and parcels.csv into --out, as defined in WORKLOAD.md. Bad \
            input stops the run with the file, feature and reason; no CSV is left half-written.

            Example:
              siteplan audit --parcels parcels.geojson \\
                --buildings buildings.geojson \\
                --network network.geojson --out report
            """
        )

        @Option(help: "Parcels: Polygon features with properties.id.")
        var parcels: String
        @Option(help: "Building footprints: Polygon features with properties.id.")
        var buildings: String
        @Option(help: "Network segments: LineString features with properties.id, utility and status.")
        var network: String
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
            let timings: StepTimings
            do {
                timings = try AuditFiles.run(parcels: parcels, buildings: buildings, network: network,
                                             outputDirectory: out, threads: threads, progress: progress)
                display?.stop()
            } catch {
                display?.stop()
                printError("siteplan audit: \(error)")
                throw ExitCode.failure
            }
            if verbose { printError("siteplan audit: threads=\(threads) \(timings)") }
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
