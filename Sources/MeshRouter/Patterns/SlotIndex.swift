/// An open-addressing index over entries that its owner keeps densely, in the order they
/// were added: the route trie's edges while it is built and the shadow analysis's segment
/// keys. Only this index of positions must stay half empty, not the entries themselves,
/// so a large table touches few fresh pages (a large config's analysis spent much of its
/// time faulting them in).
///
/// The owner hashes its keys (seeded per process, ``HashSeed``) and says which entry
/// matches; the index only places positions and probes linearly from a hash's slot.
struct SlotIndex: Sendable {
    /// Positions of entries; -1 marks an empty slot. The count is a power of two.
    private var slots = [Int](repeating: -1, count: 16)

    /// The entry with `hash` for which `isMatch` holds, if any, and its slot; without one,
    /// the empty slot where an entry with this hash goes (``insert(_:at:count:hash:)``).
    @inline(__always)
    func find(_ hash: UInt64, where isMatch: (Int) -> Bool) -> (slot: Int, entry: Int?) {
        let mask = slots.count - 1
        var slot = Int(truncatingIfNeeded: hash) & mask
        while slots[slot] >= 0 {
            if isMatch(slots[slot]) { return (slot, slots[slot]) }
            slot = (slot + 1) & mask
        }
        return (slot, nil)
    }

    /// Places entry `position` at `slot`, the empty slot ``find(_:where:)`` gave for its
    /// hash. The owner now has `count` entries, and `hash` gives each one's hash: past half
    /// full, the index doubles and places them all again.
    mutating func insert(_ position: Int, at slot: Int, count: Int, hash: (Int) -> UInt64) {
        slots[slot] = position
        guard count * 2 > slots.count else { return }
        slots = [Int](repeating: -1, count: slots.count * 2)
        let mask = slots.count - 1
        for entry in 0..<count {
            var free = Int(truncatingIfNeeded: hash(entry)) & mask
            while slots[free] >= 0 { free = (free + 1) & mask }
            slots[free] = entry
        }
    }
}
