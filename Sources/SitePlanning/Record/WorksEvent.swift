import SiteVocabulary

/// One event in an asset's works history: on `date` the asset reached `status`.
public struct WorksEvent: Sendable, Equatable {
    public let assetID: String
    public let status: WorksStatus
    public let date: ISODate
    public let recordedBy: String
    public let note: String
    /// Where the event is, for messages: `works_events fid 12`, `status.csv line 5`.
    public let origin: String

    public init(assetID: String, status: WorksStatus, date: ISODate, recordedBy: String = "", note: String = "", origin: String = "") {
        self.assetID = assetID
        self.status = status
        self.date = date
        self.recordedBy = recordedBy
        self.note = note
        self.origin = origin
    }
}
