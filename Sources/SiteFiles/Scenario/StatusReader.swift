import SiteGeometry
import SiteProjection
import DriverGeoPackage
import DriverGeoJSON
import DriverCSV
import SiteDrivers
import SitePlanning
import SiteVocabulary

/// A works status file, read and checked line by line before the plan runs: CSV with the header
/// `segment_id,status,date`.
///
/// `status` is one of planned, under_construction, laid, commissioned; `date` is the day the
/// status was reached (YYYY-MM-DD; may be empty for `planned`). Every id must name a segment
/// of the generated network (`siteplan network --segments` lists them), which the plan run
/// checks through `statusBook(for:)`, naming the file and line; a segment the file does not
/// name is `planned`.
public struct StatusFile: WorksStatusProvider {
    public static let columns = ["segment_id", "status", "date"]

    /// The file as messages name it.
    public let path: String
    /// The records with the line each came from, in file order.
    public let lines: [(line: Int, segmentID: String, record: StatusRecord)]

    /// Reads the status file at `path`.
    public init(path: String) throws { try self.init(file: ScenarioFile(path: path)) }

    /// Reads a status file of a scenario (on disk or embedded).
    public init(file: ScenarioFile) throws {
        let path = file.source
        let table = try CSVTable(bytes: file.bytes, source: path, required: Self.columns)
        var seen = Set<String>()
        var lines: [(Int, String, StatusRecord)] = []
        for (line, f) in table.records {
            let id = f["segment_id"] ?? ""
            guard seen.insert(id).inserted else { throw InputError(source: path, "line \(line) (segment \"\(id)\"): the segment is listed twice") }
            let (status, date) = try Self.statusAndDate(f, line: line, id: id, source: path)
            lines.append((line, id, StatusRecord(status: status, date: date)))
        }
        self.path = path
        self.lines = lines
    }

    /// A works row's `status` and `date` (YYYY-MM-DD; may be empty only for `planned`), checked,
    /// errors naming the file, line and segment: for status files and works imports alike.
    static func statusAndDate(_ f: [String: String], line: Int, id: String, source: String) throws -> (WorksStatus, ISODate?) {
        let where_ = "line \(line) (segment \"\(id)\")"
        let word = f["status"] ?? ""
        guard let status = WorksStatus(rawValue: word) else {
            throw InputError(source: source, "\(where_): unknown status \"\(word)\" (expected one of \(WorksStatus.allCases.map(\.rawValue).joined(separator: ", ")))")
        }
        let dateText = f["date"] ?? ""
        if dateText.isEmpty {
            guard status == .planned else { throw InputError(source: source, "\(where_): a \(status.rawValue) segment needs the date it was reached") }
            return (status, nil)
        }
        guard let date = ISODate(dateText) else { throw InputError(source: source, "\(where_): the date \"\(dateText)\" does not parse (expected YYYY-MM-DD)") }
        return (status, date)
    }

    public var isEmpty: Bool { lines.isEmpty }

    public var source: String? { path }

    public func statusBook(for network: UtilityNetwork, asOf: ISODate? = nil) throws -> StatusBook {
        var records: [String: StatusRecord] = [:]
        for (line, id, record) in lines {
            guard network.segmentIndex(id: id) != nil else {
                throw InputError(source: path, "line \(line) (segment \"\(id)\"): unknown segment id; ids come from the generated network (see siteplan network --segments)")
            }
            records[id] = record
        }
        return StatusBook(records: records)
    }
}

/// Reads the returning families: CSV with the header `family_id,group,size`, and optionally
/// `return_date` (YYYY-MM-DD, the day the family's group returns).
public enum HouseholdsReader {
    public static func read(_ path: String) throws -> [Family] { try read(ScenarioFile(path: path)) }

    public static func read(_ file: ScenarioFile) throws -> [Family] {
        let path = file.source
        let table = try CSVTable(bytes: file.bytes, source: path, required: ["family_id", "group", "size"])
        var seen = Set<String>()
        return try table.records.map { line, f in
            let id = f["family_id"] ?? ""
            guard !id.isEmpty else { throw InputError(source: path, "line \(line): empty family_id") }
            guard seen.insert(id).inserted else { throw InputError(source: path, "line \(line) (family \"\(id)\"): duplicate family_id") }
            guard let size = Int(f["size"] ?? ""), size >= 1 else {
                throw InputError(source: path, "line \(line) (family \"\(id)\"): size \"\(f["size"] ?? "")\" must be a whole number of people, 1 or more")
            }
            var returnDate: ISODate?
            if let text = f["return_date"], !text.isEmpty {
                guard let day = ISODate(text) else {
                    throw InputError(source: path, "line \(line) (family \"\(id)\"): return_date \"\(text)\" does not parse (expected YYYY-MM-DD)")
                }
                returnDate = day
            }
            return Family(id: id, group: f["group"] ?? "", size: size, returnDate: returnDate)
        }
    }
}
