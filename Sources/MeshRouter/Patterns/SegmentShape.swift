import MeshSyntax

/// One segment of a path pattern, as shadow analysis and the route table index it: a kind
/// and, for a literal or a tail, the bytes `arena[start ..< start + length]` of the path
/// program it was read from, so splitting a pattern copies no bytes.
struct SegmentShape: Hashable {
    enum Kind: UInt8, Hashable {
        /// Exactly these bytes (possibly none: `//` or a trailing `/`).
        case literal
        /// One non-empty segment (`:name` or a middle `*`).
        case parameter
        /// The last segment: these bytes, then anything (`/` included): a trailing `*`.
        case tail
    }

    var kind: Kind
    var start: Int
    var length: Int

    /// The segments of the path program `ops` over `arena` (``PathProgram``), replacing
    /// the contents of `segments`: `/api/:id/x*` is literal `api`, parameter, tail `x`.
    /// An empty program (no valid pattern) gives no segments.
    static func segments(
        ops: UnsafeBufferPointer<PathOp>, arena: UnsafeBufferPointer<UInt8>, into segments: inout [SegmentShape]
    ) {
        segments.removeAll(keepingCapacity: true)
        guard !ops.isEmpty else { return }
        // Every literal op starts with a '/' and a segment op is always a whole segment, so
        // the current segment's bytes are `arena[start ..< end]`, within one literal op.
        var start = 0
        var end = 0
        var isParameter = false
        var started = false
        for op in ops {
            switch op.kind {
            case .literal:
                end = op.start + op.length
                for offset in op.start..<end where arena[offset] == UInt8(ascii: "/") {
                    if started {
                        segments.append(
                            isParameter
                                ? SegmentShape(kind: .parameter, start: 0, length: 0)
                                : SegmentShape(kind: .literal, start: start, length: offset - start))
                    }
                    started = true
                    start = offset + 1
                    isParameter = false
                }
            case .segment:
                isParameter = true
            case .rest:
                segments.append(SegmentShape(kind: .tail, start: start, length: end - start))
                return
            }
        }
        segments.append(
            isParameter
                ? SegmentShape(kind: .parameter, start: 0, length: 0)
                : SegmentShape(kind: .literal, start: start, length: end - start))
    }

    /// How many of `segments` (a pattern's, from ``segments(ops:arena:into:)``) are its
    /// ``PathPattern/literalPrefixSegments``: the leading literal ones, except an empty
    /// last one (the trailing `/` of `/api/`), which a route table cannot index on.
    static func literalPrefixCount(_ segments: [SegmentShape]) -> Int {
        var count = 0
        while count < segments.count, segments[count].kind == .literal { count += 1 }
        if count > 0, count == segments.count, segments[count - 1].length == 0 { count -= 1 }
        return count
    }
}

/// An index of earlier rules' path patterns by segment shape, answering "which of them
/// can cover this pattern?" without comparing against every rule.
///
/// Structural coverage, for an outer pattern A = a1..ap and an inner pattern B = b1..bq:
/// - without a tail, A covers B when B has no tail, p == q, and each ai covers bi: a
///   literal covers the same literal; a parameter covers a parameter or a non-empty literal;
/// - with a tail `t*` as ap, a1..a(p-1) cover b1..b(p-1) as above (none of them a tail),
///   q >= p, and t is empty or a prefix of bp's literal bytes (bp a literal or a tail).
///
/// For every inner pattern that matches at least one normalized path this is exactly path
/// inclusion (a parameter or tail of B can always be filled with a byte no literal of A
/// uses), so the index never drops a shadowing candidate; the automata of
/// ``PatternInclusion`` still decide each candidate.
///
/// A walk visits only trie nodes whose shape covers B's prefix, at most two children per
/// level (the literal edge equal to bi and the parameter edge), so a lookup costs
/// O(q + visited nodes + candidates) and never more than the size of the trie.
struct SegmentTrie {
    /// Per node: the child along a parameter segment, or -1.
    private var parameterChild = [-1]
    /// Per node: whether any rule's tail segment sits there.
    private var hasTails = [false]
    /// Per node: the first of the rules whose pattern ends there without a tail, or -1;
    /// the rest follow through `next`.
    private var ends = [-1]
    /// The lists of rule positions, as links: `positions[i]`, then `next[i]` (or -1).
    private var positions: [Int] = []
    private var next: [Int] = []
    /// Literal edges (node, bytes) -> child, and tail lists (node, bytes) -> first link,
    /// keyed by bytes so that neither an insert nor a lookup copies a segment, stored
    /// densely in `entries` and found through `index`.
    private var entries: [Entry] = []
    private var index = SlotIndex()
    private var keys: [UInt8] = []

    private struct Entry {
        var hash: UInt64
        var node: Int
        var isTail: Bool
        /// The child node (literal edge) or the first link (tail list).
        var value: Int
        var keyStart: Int
        var keyLength: Int
    }

    /// Adds the rule at `position` with the given pattern segments, whose bytes are in `arena`.
    mutating func insert(_ segments: [SegmentShape], arena: UnsafeBufferPointer<UInt8>, position: Int) {
        var node = 0
        for segment in segments {
            let bytes = UnsafeBufferPointer(rebasing: arena[segment.start..<(segment.start + segment.length)])
            switch segment.kind {
            case .literal:
                let hash = Self.finish(Self.hash(bytes), node: node, isTail: false)
                let found = find(hash, node: node, isTail: false, bytes)
                if let entry = found.entry {
                    node = entries[entry].value
                } else {
                    let child = newNode()
                    fill(found.slot, hash: hash, node: node, isTail: false, value: child, bytes)
                    node = child
                }
            case .parameter:
                if parameterChild[node] >= 0 {
                    node = parameterChild[node]
                } else {
                    let child = newNode()
                    parameterChild[node] = child
                    node = child
                }
            case .tail:
                hasTails[node] = true
                let hash = Self.finish(Self.hash(bytes), node: node, isTail: true)
                let found = find(hash, node: node, isTail: true, bytes)
                if let entry = found.entry {
                    entries[entry].value = link(position, before: entries[entry].value)
                } else {
                    fill(found.slot, hash: hash, node: node, isTail: true, value: link(position, before: -1), bytes)
                }
                return
            }
        }
        ends[node] = link(position, before: ends[node])
    }

    /// The positions of the indexed rules whose pattern structurally covers `segments`
    /// (with bytes in `arena`), in no particular order, replacing the contents of
    /// `result`; `stack` is scratch space.
    func coveringCandidates(
        of segments: [SegmentShape], arena: UnsafeBufferPointer<UInt8>, into result: inout [Int],
        stack: inout [(node: Int, depth: Int)]
    ) {
        result.removeAll(keepingCapacity: true)
        stack.removeAll(keepingCapacity: true)
        stack.append((0, 0))
        while let (node, depth) = stack.popLast() {
            guard depth < segments.count else {
                appendList(from: ends[node], to: &result)
                continue
            }
            let segment = segments[depth]
            let bytes = UnsafeBufferPointer(rebasing: arena[segment.start..<(segment.start + segment.length)])
            if hasTails[node] {
                switch segment.kind {
                case .literal, .tail:
                    // Every prefix of the bytes, the empty one included; the hash of each
                    // prefix extends the previous one's.
                    var state = Self.basis
                    for length in 0...bytes.count {
                        if length > 0 { state = Self.mix(state, bytes[length - 1]) }
                        let prefix = UnsafeBufferPointer(rebasing: bytes[0..<length])
                        let found = find(Self.finish(state, node: node, isTail: true), node: node, isTail: true, prefix)
                        if let entry = found.entry { appendList(from: entries[entry].value, to: &result) }
                    }
                case .parameter:
                    let empty = UnsafeBufferPointer(rebasing: bytes[0..<0])
                    let found = find(Self.finish(Self.basis, node: node, isTail: true), node: node, isTail: true, empty)
                    if let entry = found.entry { appendList(from: entries[entry].value, to: &result) }
                }
            }
            switch segment.kind {
            case .literal:
                let found = find(
                    Self.finish(Self.hash(bytes), node: node, isTail: false), node: node, isTail: false, bytes)
                if let entry = found.entry { stack.append((entries[entry].value, depth + 1)) }
                if !bytes.isEmpty, parameterChild[node] >= 0 { stack.append((parameterChild[node], depth + 1)) }
            case .parameter:
                if parameterChild[node] >= 0 { stack.append((parameterChild[node], depth + 1)) }
            case .tail:
                // Only a tail of A covers a tail of B, and those were collected above.
                break
            }
        }
    }

    private func appendList(from first: Int, to result: inout [Int]) {
        var link = first
        while link >= 0 {
            result.append(positions[link])
            link = next[link]
        }
    }

    private mutating func link(_ position: Int, before first: Int) -> Int {
        positions.append(position)
        next.append(first)
        return positions.count - 1
    }

    private mutating func newNode() -> Int {
        parameterChild.append(-1)
        hasTails.append(false)
        ends.append(-1)
        return ends.count - 1
    }

    /// The entry of the key and its slot in `index`, or the empty slot where it would go.
    private func find(_ hash: UInt64, node: Int, isTail: Bool, _ bytes: UnsafeBufferPointer<UInt8>) -> (
        slot: Int, entry: Int?
    ) {
        index.find(hash) { position in
            let candidate = entries[position]
            return candidate.hash == hash && candidate.node == node && candidate.isTail == isTail
                && candidate.keyLength == bytes.count
                && keys[candidate.keyStart..<(candidate.keyStart + candidate.keyLength)].elementsEqual(bytes)
        }
    }

    private mutating func fill(
        _ slot: Int, hash: UInt64, node: Int, isTail: Bool, value: Int, _ bytes: UnsafeBufferPointer<UInt8>
    ) {
        entries.append(
            Entry(hash: hash, node: node, isTail: isTail, value: value, keyStart: keys.count, keyLength: bytes.count))
        keys.append(contentsOf: bytes)
        // A second reference only until the function returns, after the last append.
        let all = entries
        index.insert(all.count - 1, at: slot, count: all.count) { all[$0].hash }
    }

    /// The FNV-1a state of no bytes, seeded per process (``HashSeed``), so that no config
    /// can be written to make its segments collide.
    private static let basis: UInt64 = 0xcbf2_9ce4_8422_2325 ^ HashSeed.value

    /// FNV-1a over `bytes`, before ``finish(_:node:isTail:)``.
    @inline(__always)
    private static func hash(_ bytes: UnsafeBufferPointer<UInt8>) -> UInt64 {
        var state = basis
        for byte in bytes { state = mix(state, byte) }
        return state
    }

    @inline(__always)
    private static func mix(_ state: UInt64, _ byte: UInt8) -> UInt64 {
        (state ^ UInt64(byte)) &* 0x0000_0100_0000_01B3
    }

    /// The key's hash: the bytes' with the node and the kind mixed in, so one table serves
    /// every node and both kinds of key.
    @inline(__always)
    private static func finish(_ state: UInt64, node: Int, isTail: Bool) -> UInt64 {
        var hash = (state ^ UInt64(truncatingIfNeeded: node &* 2 &+ (isTail ? 1 : 0))) &* 0x9E37_79B9_7F4A_7C15
        hash ^= hash >> 29
        return hash
    }
}
