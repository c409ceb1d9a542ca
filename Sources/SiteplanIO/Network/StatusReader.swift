import SiteplanCore

/// Reads a works status file: CSV with the header `segment_id,status,date`.
///
/// `status` is one of planned, under_construction, laid, commissioned; `date` is the day the
/// status was reached (YYYY-MM-DD; may be empty for `planned`). Every id must name a segment
/// of the generated network (`siteplan network --segments` lists them); a segment the file
/// does not name is `planned`.
public enum StatusReader {
    public static let columns = ["segment_id", "status", "date"]

    public static func read(_ path: String, network: UtilityNetwork) throws -> StatusBook {
        try read(ScenarioFile(path: path), network: network)
    }

    public static func read(_ file: ScenarioFile, network: UtilityNetwork) throws -> StatusBook {
        let path = file.source
        let table = try CSVTable(file: file, required: columns)
        var records: [String: StatusRecord] = [:]
        for (line, f) in table.records {
            let id = f["segment_id"] ?? ""
            let where_ = "line \(line) (segment \"\(id)\")"
            guard network.segmentIndex(id: id) != nil else {
                throw InputError(source: path, "\(where_): unknown segment id; ids come from the generated network (see siteplan network --segments)")
            }
            guard records[id] == nil else { throw InputError(source: path, "\(where_): the segment is listed twice") }
            let word = f["status"] ?? ""
            guard let status = WorksStatus(rawValue: word) else {
                throw InputError(source: path, "\(where_): unknown status \"\(word)\" (expected one of \(WorksStatus.allCases.map(\.rawValue).joined(separator: ", ")))")
            }
            let dateText = f["date"] ?? ""
            var date: ISODate?
            if !dateText.isEmpty {
                guard let parsed = ISODate(dateText) else { throw InputError(source: path, "\(where_): the date \"\(dateText)\" does not parse (expected YYYY-MM-DD)") }
                date = parsed
            } else if status != .planned {
                throw InputError(source: path, "\(where_): a \(status.rawValue) segment needs the date it was reached")
            }
            records[id] = StatusRecord(status: status, date: date)
        }
        return StatusBook(records: records)
    }
}

/// Reads the returning families: CSV with the header `family_id,group,size`.
public enum HouseholdsReader {
    public static func read(_ path: String) throws -> [Family] { try read(ScenarioFile(path: path)) }

    public static func read(_ file: ScenarioFile) throws -> [Family] {
        let path = file.source
        let table = try CSVTable(file: file, required: ["family_id", "group", "size"])
        var seen = Set<String>()
        return try table.records.map { line, f in
            let id = f["family_id"] ?? ""
            guard !id.isEmpty else { throw InputError(source: path, "line \(line): empty family_id") }
            guard seen.insert(id).inserted else { throw InputError(source: path, "line \(line) (family \"\(id)\"): duplicate family_id") }
            guard let size = Int(f["size"] ?? ""), size >= 1 else {
                throw InputError(source: path, "line \(line) (family \"\(id)\"): size \"\(f["size"] ?? "")\" must be a whole number of people, 1 or more")
            }
            return Family(id: id, group: f["group"] ?? "", size: size)
        }
    }
}
