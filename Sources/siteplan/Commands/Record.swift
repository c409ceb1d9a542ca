import ArgumentParser
import Foundation
import SiteFiles
import SitePlanning
import SiteReports
import SiteVocabulary

/// Who is recorded as the author of a revision or an event: --author, else $SITEPLAN_AUTHOR,
/// else $USER.
func authorName(_ given: String?) -> String {
    let env = ProcessInfo.processInfo.environment
    return given ?? env["SITEPLAN_AUTHOR"] ?? env["USER"] ?? "unknown"
}

extension Siteplan {
    struct Adopt: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Record the current proposal as the next revision of the plan of record.",
            discussion: """
            Plans the scenario on the store's latest revision (keeping every built asset where it is), \
            gives each feature its asset id (a feature within 1 m of a recorded one of the same role \
            keeps its id; a new one gets an id never used before), and records the result as the next \
            revision, in one transaction. The first adopt creates the store. If someone adopted on \
            top of the same revision meanwhile, nothing is written: plan again. --base N adopts only \
            while N is still the latest revision, the one your reviewed proposal was made on.

            Examples:
              siteplan adopt --store pr.gpkg --message "phase 1 as approved"
              siteplan adopt --store pr.gpkg --message "re-planned on what is built"
            """
        )

        @OptionGroup var scenario: ScenarioOptions
        @OptionGroup var pipeline: RunOptions

        @Option(name: .long, help: "Why: recorded with the revision.")
        var message: String = ""

        @Option(name: .long, help: "Who adopts (default: $SITEPLAN_AUTHOR, else $USER).")
        var author: String?

        @Option(name: .long, help: ArgumentHelp("Adopt only if the latest revision is still this one: the revision the reviewed proposal (diff --proposal) was made on.", valueName: "revision"))
        var base: Int?

        func run() throws {
            try reportingErrors {
                let location = try pipeline.record.required(command: "adopt")
                let package = try scenario.loadPackage()
                let store = try PlanStores.open(location, creatingWith: package.scenario.frame.crs)
                let record = try PlanStores.loadRecord(store)
                try PlanStores.checkBase(base, record: record)
                let result = try package.run(seed: pipeline.seed, asOf: pipeline.day, record: record)
                let (revision, changes) = try PlanStores.adopt(result, on: record, into: store, author: authorName(author), message: message,
                                                               adoptedAt: UTCClock.timestamp(), scenarioDigest: package.digest)
                for line in RecordReports.adoptSummary(result, revision: revision, changes: changes, location: store.location) { print(line) }
            }
        }
    }

    struct Log: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List the revisions of the plan of record.",
            discussion: """
            Examples:
              siteplan log --store pr.gpkg
            """
        )

        @OptionGroup var record: StoreOptions
        @OptionGroup var output: FormatOptions

        func run() throws {
            try reportingErrors {
                let store = try PlanStores.open(try record.required(command: "log"))
                let revisions = try store.revisions()
                emit(RecordReports.revisionTable(revisions), format: output.format, json: RecordReports.revisionsJSON(revisions))
            }
        }
    }

    struct Diff: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "What changed between two revisions, or between the latest revision and the current proposal.",
            discussion: """
            Per layer: features added, removed, moved (by their Hausdorff distance) and changed \
            (attributes); then every figure before and after: buildings, dwellings, coverage, street, \
            network and service line length, works complete and fully connected buildings and \
            dwellings (works as of --as-of). With --out, the changes as layers for QGIS. Without \
            revisions, the latest revision is compared with the one before it.

            Examples:
              siteplan diff --store pr.gpkg
              siteplan diff --store pr.gpkg 1 2 --format json
              siteplan diff --store pr.gpkg --proposal --seed 7
              siteplan diff --store pr.gpkg --proposal --seed 7 --out changes.gpkg
            """
        )

        @OptionGroup var scenario: ScenarioOptions
        @OptionGroup var pipeline: RunOptions
        @OptionGroup var output: FormatOptions

        @Argument(help: "The earlier revision (default: the one before the later).")
        var revisionA: Int?

        @Argument(help: "The later revision (default: the latest).")
        var revisionB: Int?

        @Flag(name: .long, help: "Compare with the current proposal (a plan on the latest revision) instead of a revision.")
        var proposal = false

        @Option(name: .long, help: ArgumentHelp("Write the changes as layers (<layer>_changes) to this GeoJSON or GeoPackage file, in the planning CRS for a GeoPackage.", valueName: "file"))
        var out: String?

        func validate() throws {
            if proposal && revisionB != nil { throw ValidationError("give a second revision or --proposal, not both") }
            for r in [revisionA, revisionB].compactMap({ $0 }) where r < 1 { throw ValidationError("revision \(r): revisions are numbered from 1 (siteplan log lists them)") }
        }

        func run() throws {
            try reportingErrors {
                if let out { try OutputFormats.geoJSONOrGeoPackage.check(out, option: "--out") }
                let store = try PlanStores.open(try pipeline.record.required(command: "diff"))
                let record = try PlanStores.loadRecord(store)
                let package = try scenario.loadPackage()
                let run = proposal ? try package.run(seed: pipeline.seed, asOf: pipeline.day, record: record) : nil
                let day = pipeline.day ?? package.scenario.asOf.flatMap(ISODate.init)
                let comparison = try PlanStores.compare(store, record: record, a: revisionA, b: revisionB, proposal: run,
                                                        scenario: package.scenario, asOf: day)
                if let out {
                    let layers = RecordReports.changeLayers(comparison, crs: package.scenario.frame.crs)
                    let format: ExportFormat = out.lowercased().hasSuffix(".gpkg") ? .gpkg : .geojson
                    try PlanOutputs.export(layers, name: "changes", scenario: package.scenario, to: out, format: format,
                                           crs: format == .gpkg ? .planning : .wgs84, decimals: 7)
                }
                emit(RecordReports.diffTable(comparison), format: output.format, json: RecordReports.diffJSON(comparison))
                if output.format == .table {
                    printSection("figures (\(comparison.beforeLabel) → \(comparison.afterLabel); works as of \(day?.description ?? "today")):", RecordReports.figuresTable(comparison))
                    for d in comparison.layers where !d.moved.isEmpty {
                        let top = d.moved.sorted { ($0.distanceMetres, $0.id) > ($1.distanceMetres, $1.id) }.prefix(5)
                        print("\(d.layer) moved: " + top.map { "\($0.id) \(fixedNotation($0.distanceMetres, decimals: 2)) m" }.joined(separator: ", ") + (d.moved.count > 5 ? ", …" : ""))
                    }
                    if let out { print("changes written to \(out)") }
                }
            }
        }
    }

    struct Works: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Record works events in the plan of record, import them, or list the history.",
            discussion: """
            Works are events on the plan of record's segments: (segment, status, date, who, note). \
            progress, network, map and plan with --store count, for each segment, its last event on or \
            before --as-of.

            Examples:
              siteplan works import geodata/khojaly/status.csv --store pr.gpkg
              siteplan works log --store pr.gpkg
            """,
            subcommands: [Record.self, Import.self, Log.self]
        )

        struct Record: ParsableCommand {
            static let configuration = CommandConfiguration(
                abstract: "Record one works event: a segment reached a status on a date.",
                discussion: """
                Examples:
                  siteplan works record water-P1-B-M012 laid --date 2026-11-30 --store pr.gpkg
                  siteplan works record gas-P1-A-H0031 laid --date 2026-12-01 \\
                    --note "relaid after a failed pressure test" --store pr.gpkg
                """
            )

            @OptionGroup var record: StoreOptions

            @Argument(help: "The segment's asset id.")
            var id: String

            @Argument(help: "planned, under_construction, laid or commissioned.")
            var status: String

            @Option(name: .long, help: ArgumentHelp("The day the status was reached (YYYY-MM-DD; not in the future).", valueName: "date"))
            var date: String

            @Option(name: .long, help: "A note (say why when a status goes backwards).")
            var note: String = ""

            @Option(name: .long, help: "Who records (default: $SITEPLAN_AUTHOR, else $USER).")
            var by: String?

            func run() throws {
                try reportingErrors {
                    guard let word = WorksStatus(rawValue: status) else {
                        throw InputError("unknown status \"\(status)\" (expected one of \(WorksStatus.wordList))")
                    }
                    guard let day = ISODate(date) else { throw InputError("--date \"\(date)\" is not a date (YYYY-MM-DD)") }
                    let store = try PlanStores.open(try record.required(command: "works record"))
                    let event = WorksEvent(assetID: id, status: word, date: day, recordedBy: authorName(by), note: note, origin: "the command line")
                    let (recorded, _) = try PlanStores.record([event], into: store, on: PlanStores.loadRecord(store), source: store.location)
                    print(recorded == 0 ? "already recorded: \(id) \(word.rawValue) on \(day); nothing written"
                                        : "recorded: \(id) \(word.rawValue) on \(day) in \(store.location)")
                }
            }
        }

        struct Import: ParsableCommand {
            static let configuration = CommandConfiguration(
                abstract: "Import works events from a CSV file (asset_id or segment_id, status, date[, recorded_by, note]).",
                discussion: """
                Every line is checked against the plan of record's latest revision first; one bad line \
                stops the import and nothing is recorded. The Khojaly status.csv is such a file.

                Examples:
                  siteplan works import geodata/khojaly/status.csv --store pr.gpkg
                """
            )

            @OptionGroup var record: StoreOptions

            @Argument(help: "The CSV file.")
            var file: String

            @Option(name: .long, help: "Who recorded lines without recorded_by (default: $SITEPLAN_AUTHOR, else $USER).")
            var by: String?

            func run() throws {
                try reportingErrors {
                    let store = try PlanStores.open(try record.required(command: "works import"))
                    let loaded = try PlanStores.loadRecord(store)
                    let (recorded, repeats) = try PlanStores.record(try PlanStores.readEvents(csv: file, recordedBy: authorName(by)),
                                                                    into: store, on: loaded, source: file)
                    print("imported \(recorded) works events from \(file) into \(store.location)" +
                          (repeats > 0 ? "; \(repeats) already recorded (same segment, status and date) were skipped" : ""))
                }
            }
        }

        struct Log: ParsableCommand {
            static let configuration = CommandConfiguration(
                abstract: "List the works history, of one asset or of all, with consistency warnings.",
                discussion: """
                Examples:
                  siteplan works log --store pr.gpkg
                  siteplan works log sewer-P1-A-M001 --store pr.gpkg
                """
            )

            @OptionGroup var scenario: ScenarioOptions
            @OptionGroup var pipeline: RunOptions
            @OptionGroup var output: FormatOptions

            @Argument(help: "Only this asset's events.")
            var id: String?

            func run() throws {
                try reportingErrors {
                    let store = try PlanStores.open(try pipeline.record.required(command: "works log"))
                    let loaded = try PlanStores.loadRecord(store)
                    let events = try PlanStores.events(of: id, in: store, record: loaded)
                    emit(RecordReports.eventTable(events), format: output.format, json: RecordReports.eventsJSON(events))
                    if output.format == .table {
                        printWorksNotes(try scenario.loadPackage().run(seed: pipeline.seed, asOf: pipeline.day, record: loaded))
                    }
                }
            }
        }
    }
}

/// The works notes and consistency warnings of a run on a plan of record (nothing without one).
func printWorksNotes(_ run: PlanRun) {
    for note in run.recordNotes { print("note: \(note)") }
    for w in WorksCheck.warnings(run) { print("warning: \(w)") }
}
