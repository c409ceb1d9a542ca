import SiteVocabulary

/// Part of a program the compact layout could not place, checked against the spread layout
/// (issue 11: "a program that fits only with --spread: say so").
public enum SpreadFit {
    /// Buildings of `typeKey` placed in `parcelID`, play areas (open lots) included.
    static func placed(_ plan: SitePlan, parcelID: String, typeKey: String) -> Int {
        plan.buildings.filter { $0.parcelID == parcelID && $0.type.key == typeKey }.count
            + plan.facilities.filter { $0.buildingID == nil && $0.parcelID == parcelID && $0.typeKey == typeKey }.count
    }

    /// `compact`'s unplaced entries, each told how many of its buildings `spread` (the same
    /// scenario laid out with `development: spread`) places beyond the compact layout.
    public static func annotate(compact: SitePlan, spread: SitePlan) -> [Unplaced] {
        compact.unplaced.map { u in
            let more = min(u.count, placed(spread, parcelID: u.parcelID, typeKey: u.typeKey) - placed(compact, parcelID: u.parcelID, typeKey: u.typeKey))
            guard more > 0 else { return u }
            let fit = more == u.count ? "all \(u.count) fit" : "\(more) of the \(u.count) fit"
            return Unplaced(parcelID: u.parcelID, typeKey: u.typeKey, count: u.count,
                            reason: "\(u.reason); \(fit) with --spread (the street grid over the whole parcel, rules.development: spread)")
        }
    }
}
