import SiteVocabulary
/// A returning family.
public struct Family: Sendable, Equatable {
    public let id: String
    /// The return group, e.g. "1".
    public let group: String
    /// People in the family.
    public let size: Int
    /// The day the family returns (its group's date); nil when not given.
    public let returnDate: ISODate?

    public init(id: String, group: String, size: Int, returnDate: ISODate? = nil) {
        self.id = id
        self.group = group
        self.size = size
        self.returnDate = returnDate
    }
}

/// Where the families were housed, and who could not be.
public struct HouseholdAllocation: Sendable {
    public struct Assignment: Sendable, Equatable {
        public let familyID: String
        public let buildingID: String
        /// 1-based dwelling unit in the building.
        public let unit: Int
        public let capacity: Int
    }

    public struct Unhoused: Sendable, Equatable {
        public let familyID: String
        public let size: Int
        public let reason: String
    }

    /// How many dwellings the plan has, how many are fully connected, and how many a family
    /// lives in: for the town and per parcel.
    public struct Occupancy: Sendable, Equatable {
        public let scope: String
        public let dwellings: Int
        public let connectedDwellings: Int
        public let occupiedDwellings: Int
    }

    public let assignments: [Assignment]
    public let unhoused: [Unhoused]
    /// Families whose return date is after the day of the run: not back yet.
    public let awaiting: [Family]
    /// The town first, then each parcel in scenario order.
    public let occupancy: [Occupancy]
    /// Fully connected dwellings left without a family.
    public let freeConnectedDwellings: Int
    public let families: [Family]

    public var familiesHoused: Int { assignments.count }
    public var peopleHoused: Int {
        let sizes = Dictionary(uniqueKeysWithValues: families.map { ($0.id, $0.size) })
        return assignments.reduce(0) { $0 + (sizes[$1.familyID] ?? 0) }
    }
}

/// Allocates families to dwellings that are fully connected (every utility, by tracing).
///
/// Capacity rule: a dwelling unit holds one family of at most its building type's
/// `personsPerUnit` people. Families are taken in file order (group by group, as they
/// return); each gets the free connected dwelling with the smallest capacity that fits it
/// (best fit, so large dwellings stay for large families); ties go to the lower building id,
/// then the lower unit.
///
/// Families already housed (`housed`, from the plan of record) stay in their dwelling when the
/// plan still has it: a re-plan does not move anyone.
public enum HouseholdAllocator {
    /// Families returning after `asOf` are not back yet (`awaiting`); the others are housed.
    public static func allocate(_ families: [Family], plan: SitePlan, connections: [String: Set<Utility>],
                                housed: [HouseholdRecord] = [], asOf: ISODate? = nil) -> HouseholdAllocation {
        struct Dwelling { let building: String; let unit: Int; let capacity: Int }
        let everyUtility = Set(Utility.allCases)
        let buildings = Dictionary(plan.buildings.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        var assignments: [HouseholdAllocation.Assignment] = []
        var taken = Set<String>()
        var stayed = Set<String>()
        let familyIDs = Set(families.map(\.id))
        for h in housed {
            guard familyIDs.contains(h.familyID), let id = h.buildingID, let unit = h.unit, let b = buildings[id], unit >= 1, unit <= max(1, b.units),
                  taken.insert("\(id)#\(unit)").inserted else { continue }
            assignments.append(.init(familyID: h.familyID, buildingID: id, unit: unit, capacity: b.type.personsPerUnit))
            stayed.insert(h.familyID)
        }
        // Facility buildings (a school, ...) have no dwellings: nobody is housed there.
        var free: [Dwelling] = plan.housingBuildings.filter { connections[$0.id] == everyUtility }
            .sorted { $0.id < $1.id }
            .flatMap { b in (1...max(1, b.units)).map { Dwelling(building: b.id, unit: $0, capacity: b.type.personsPerUnit) } }
            .filter { !taken.contains("\($0.building)#\($0.unit)") }
        let largestAnywhere = plan.buildings.map(\.type.personsPerUnit).max() ?? 0
        var unhoused: [HouseholdAllocation.Unhoused] = []
        let back = families.filter { f in asOf.map { day in f.returnDate.map { $0 <= day } ?? true } ?? true }
        let awaiting = families.filter { f in !back.contains { $0.id == f.id } && !stayed.contains(f.id) }
        for family in back where !stayed.contains(family.id) {
            let fitting = free.indices.filter { free[$0].capacity >= family.size }
            if let best = fitting.min(by: { (free[$0].capacity, free[$0].building, free[$0].unit) < (free[$1].capacity, free[$1].building, free[$1].unit) }) {
                let d = free.remove(at: best)
                assignments.append(.init(familyID: family.id, buildingID: d.building, unit: d.unit, capacity: d.capacity))
            } else if family.size > largestAnywhere {
                unhoused.append(.init(familyID: family.id, size: family.size,
                                      reason: "a family of \(family.size) is larger than any dwelling in the plan (the largest holds \(largestAnywhere))"))
            } else {
                unhoused.append(.init(familyID: family.id, size: family.size,
                                      reason: "no free fully connected dwelling holds \(family.size) people (\(free.count) connected dwellings free, the largest for \(free.map(\.capacity).max() ?? 0))"))
            }
        }
        var occupancy: [HouseholdAllocation.Occupancy] = []
        let occupied = Dictionary(grouping: assignments, by: \.buildingID).mapValues(\.count)
        var parcels: [String] = []
        for b in plan.housingBuildings where !parcels.contains(b.parcelID) { parcels.append(b.parcelID) }
        for scope in ["town"] + parcels {
            let here = plan.housingBuildings.filter { scope == "town" || $0.parcelID == scope }
            occupancy.append(.init(scope: scope, dwellings: here.reduce(0) { $0 + max(1, $1.units) },
                                   connectedDwellings: here.filter { connections[$0.id] == everyUtility }.reduce(0) { $0 + max(1, $1.units) },
                                   occupiedDwellings: here.reduce(0) { $0 + (occupied[$1.id] ?? 0) }))
        }
        return HouseholdAllocation(assignments: assignments, unhoused: unhoused, awaiting: awaiting, occupancy: occupancy,
                                   freeConnectedDwellings: free.count, families: families)
    }
}
