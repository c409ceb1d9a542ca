import SiteVocabulary
import SiteGeometry

/// A uniform grid of buckets over envelopes: which items may lie near an envelope, without
/// looking at every item. Items are added one by one (an STRtree must be built at once), so
/// the layout can ask about footprints it has just placed. Cell size in metres.
struct EnvelopeGrid {
    private let cell: Double
    private var buckets: [Int64: [Int]] = [:]
    private(set) var envelopes: [Envelope] = []

    init(cellMetres: Double = 64) { cell = cellMetres }

    private func range(_ e: Envelope) -> (Int64, Int64, Int64, Int64) {
        (Int64((e.minX / cell).rounded(.down)), Int64((e.maxX / cell).rounded(.down)),
         Int64((e.minY / cell).rounded(.down)), Int64((e.maxY / cell).rounded(.down)))
    }

    private static func key(_ x: Int64, _ y: Int64) -> Int64 { (x &* 73_856_093) ^ (y &* 19_349_663) &+ (y << 32) }

    /// Adds an item; returns its index (items are numbered in the order they are added).
    @discardableResult
    mutating func insert(_ envelope: Envelope) -> Int {
        let index = envelopes.count
        envelopes.append(envelope)
        let (x0, x1, y0, y1) = range(envelope)
        for x in x0...x1 { for y in y0...y1 { buckets[Self.key(x, y), default: []].append(index) } }
        return index
    }

    /// The items whose envelope intersects `envelope`, in the order they were added.
    func query(_ envelope: Envelope) -> [Int] {
        let (x0, x1, y0, y1) = range(envelope)
        // A query wider than the items are many: look at every item instead of every bucket.
        if Double(x1 - x0 + 1) * Double(y1 - y0 + 1) > Double(max(envelopes.count, 16)) {
            return envelopes.indices.filter { envelopes[$0].intersects(envelope) }
        }
        var found: [Int] = []
        for x in x0...x1 {
            for y in y0...y1 {
                for i in buckets[Self.key(x, y)] ?? [] where envelopes[i].intersects(envelope) { found.append(i) }
            }
        }
        if x0 == x1 && y0 == y1 { return found }
        return Array(Set(found)).sorted()
    }

    var count: Int { envelopes.count }
}
