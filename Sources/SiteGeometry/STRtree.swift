import CGEOS

/// A read-only Sort-Tile-Recursive R-tree over geometries with an item each.
///
/// Built once from all entries (GEOS 3.11 silently drops inserts made after the first query,
/// so this type never inserts after construction) and forced to build before `init` returns,
/// so concurrent queries afterwards only read. The entries' geometries are kept alive with it.
/// Wraps `GEOSSTRtree_create_r`, `GEOSSTRtree_query_r` and `GEOSSTRtree_nearest_generic_r`.
///
///     let tree = try STRtree(parcels.map { ($0.boundaryUTM, $0.id) })
///     let hits = try tree.query(intersecting: buildingEnvelope)   // indices, ascending
public final class STRtree<Item>: @unchecked Sendable {
    public let items: [Item]
    public let geometries: [Geometry]
    private let handle: OpaquePointer

    public init(_ entries: [(Geometry, Item)], nodeCapacity: Int = 10) throws(GEOSError) {
        let ctx = GEOSContext.current
        guard let handle = GEOSSTRtree_create_r(ctx.handle, max(2, nodeCapacity)) else { throw ctx.takeError("GEOSSTRtree_create_r") }
        self.handle = handle
        self.geometries = entries.map(\.0)
        self.items = entries.map(\.1)
        for (index, geometry) in geometries.enumerated() {
            // The item pointer is the entry index + 1 (never NULL).
            GEOSSTRtree_insert_r(ctx.handle, handle, geometry.handle, UnsafeMutableRawPointer(bitPattern: index + 1))
        }
        // Build now: the first query sorts the tree; afterwards queries are read-only.
        if !geometries.isEmpty { _ = try query(intersecting: Envelope(minX: 0, minY: 0, maxX: 0, maxY: 0)) }
    }

    deinit { GEOSSTRtree_destroy_r(GEOSContext.current.handle, handle) }

    public var count: Int { items.count }

    /// Indices of the entries whose envelopes intersect `envelope`, ascending.
    public func query(intersecting envelope: Envelope) throws(GEOSError) -> [Int] {
        let box = try Geometry.rectangle(envelope)
        return try query(intersectingEnvelopeOf: box)
    }

    /// Indices of the entries whose envelopes intersect the envelope of `geometry`, ascending.
    public func query(intersectingEnvelopeOf geometry: Geometry) throws(GEOSError) -> [Int] {
        let ctx = GEOSContext.current
        var hits: [Int] = []
        withUnsafeMutablePointer(to: &hits) { hitsPointer in
            GEOSSTRtree_query_r(ctx.handle, handle, geometry.handle, { item, userdata in
                guard let item, let userdata else { return }
                userdata.assumingMemoryBound(to: [Int].self).pointee.append(Int(bitPattern: item) - 1)
            }, hitsPointer)
        }
        hits.sort()
        return hits
    }

    /// The index of the entry nearest to `geometry` by `distance` (given an entry index, the
    /// exact distance from `geometry` to that entry). The tree prunes by envelope distance,
    /// so `distance` must never be smaller than the envelope distance: planar Euclidean
    /// distance qualifies. Nil for an empty tree.
    public func nearest(to geometry: Geometry, distance: (Int) throws -> Double) throws -> Int? {
        if items.isEmpty { return nil }
        let ctx = GEOSContext.current
        return try withoutActuallyEscaping(distance) { distance in
        var state = NearestState(distance: distance)
        let result: UnsafeRawPointer? = withUnsafeMutablePointer(to: &state) { statePointer in
            GEOSSTRtree_nearest_generic_r(ctx.handle, handle, UnsafeRawPointer(bitPattern: nearestQuerySentinel), geometry.handle, { a, b, out, userdata in
                guard let userdata, let out else { return 0 }
                let state = userdata.assumingMemoryBound(to: NearestState.self)
                // One argument is the query sentinel, the other a tree item.
                let item = (a == UnsafeRawPointer(bitPattern: nearestQuerySentinel)) ? b : a
                guard let item else { return 0 }
                do {
                    out.pointee = try state.pointee.distance(Int(bitPattern: item) - 1)
                    return 1
                } catch {
                    state.pointee.error = error
                    return 0
                }
            }, statePointer)
        }
        if let error = state.error { throw error }
        guard let result else { throw ctx.takeError("GEOSSTRtree_nearest_generic_r") }
        return Int(bitPattern: result) - 1
        }
    }

    /// The index of the entry whose geometry is nearest (planar GEOS distance) to `geometry`.
    public func nearest(to geometry: Geometry) throws -> Int? {
        try nearest(to: geometry) { index in try geometry.distance(to: self.geometries[index]) }
    }

}

private struct NearestState {
    let distance: (Int) throws -> Double
    var error: Error?
}

/// The query item's pointer value in nearest searches; no entry index maps to it.
private let nearestQuerySentinel = Int.max
