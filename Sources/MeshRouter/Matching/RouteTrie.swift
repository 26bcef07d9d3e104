import MeshSyntax

/// A segment trie over the rules' literal path prefixes, in flat arrays so a lookup walks
/// it without allocating.
///
/// Node 0 is the root. A rule sits at the node its whole literal prefix segments lead to
/// (`/api/users/:id` at `api/users`, `/:tenant/x` and `/*` at the root), so a rule at
/// depth d can only match a path whose first d segments spell that node. Each node keeps
/// its rules sorted by position and the lowest rule position anywhere in its subtree,
/// which lets a walk stop as soon as nothing further down can come earlier in document
/// order than the best match found so far.
struct RouteTrie: Sendable {
    struct Node: Sendable, Equatable {
        /// The node's rules are `rules[ruleStart..<ruleEnd]`, ascending.
        var ruleStart: Int
        var ruleEnd: Int
        /// The lowest rule position in this node and all its descendants (Int.max if none).
        var subtreeMinimum: Int
    }

    /// One parent -> child edge in an open-addressing hash table keyed by
    /// (parent, segment bytes); the bytes live in `keys`.
    struct Edge: Sendable, Equatable {
        var hash: UInt64
        var parent: Int
        /// -1 marks an empty slot.
        var child: Int
        var keyStart: Int
        var keyLength: Int
    }

    private(set) var nodes: [Node]
    private(set) var rules: [Int]
    private(set) var edges: [Edge]
    private(set) var keys: [UInt8]
    private let mask: Int

    /// The number of edges, for tests and figures.
    var edgeCount: Int { nodes.count - 1 }

    /// Builds a trie edge by edge, without keying the edges by `String` in a `Dictionary`
    /// first (hashing and then copying them cost most of compiling a large table). Edges
    /// are found through a small table of positions in `edgeList`; the lookup's own table
    /// is laid out once, at the end, when the number of edges is known.
    struct Builder {
        private var parents = [0]
        /// The node each added rule sits at, by rule, in ascending position.
        private var placements: [(position: Int, node: Int)] = []
        private var edgeList: [Edge] = []
        /// The edges by (parent, segment bytes).
        private var index = SlotIndex()
        private var keys: [UInt8] = []

        init(ruleCapacity: Int = 0) {
            placements.reserveCapacity(ruleCapacity)
        }

        /// A builder holding what ``RouteTrie/shape`` gave of a built trie (a route plan
        /// carries it, docs/edge.md "The route plan"), so that ``build()`` lays out the same
        /// trie with this process's hash seed. The caller checked what
        /// ``RouteTrie/Shape`` requires.
        init(_ shape: Shape) {
            keys = shape.keys
            placements = shape.placements
            edgeList.reserveCapacity(shape.edges.count)
            parents.reserveCapacity(shape.edges.count + 1)
            for (position, edge) in shape.edges.enumerated() {
                let hash = keys.withUnsafeBufferPointer {
                    RouteTrie.hash(parent: edge.parent, UnsafeBufferPointer(rebasing: $0[edge.key]))
                }
                parents.append(edge.parent)
                edgeList.append(
                    Edge(
                        hash: hash, parent: edge.parent, child: position + 1, keyStart: edge.key.lowerBound,
                        keyLength: edge.key.count))
            }
        }

        /// The child of `parent` along `segment`, created when it does not exist yet.
        mutating func child(of parent: Int, _ segment: UnsafeBufferPointer<UInt8>) -> Int {
            let hash = RouteTrie.hash(parent: parent, segment)
            let found = edge(hash: hash, parent: parent, segment)
            if let position = found.entry { return edgeList[position].child }
            let child = parents.count
            parents.append(parent)
            edgeList.append(
                Edge(hash: hash, parent: parent, child: child, keyStart: keys.count, keyLength: segment.count))
            keys.append(contentsOf: segment)
            // A second reference only until the function returns, after the last append.
            let edges = edgeList
            index.insert(edges.count - 1, at: found.slot, count: edges.count) { edges[$0].hash }
            return child
        }

        /// The edge from `parent` along `segment` in `index`, or the slot for a new one.
        private func edge(hash: UInt64, parent: Int, _ segment: UnsafeBufferPointer<UInt8>) -> (
            slot: Int, entry: Int?
        ) {
            index.find(hash) { position in
                let edge = edgeList[position]
                return edge.hash == hash && edge.parent == parent && edge.keyLength == segment.count
                    && keys[edge.keyStart..<(edge.keyStart + edge.keyLength)].elementsEqual(segment)
            }
        }

        /// Places the rule at `position`, which must be above every position placed before.
        mutating func add(position: Int, at node: Int) {
            placements.append((position, node))
        }

        func build() -> RouteTrie {
            // Each node's rules are consecutive in `rules`, in ascending position: a counting
            // sort by node keeps the placements' order within a node.
            var nodes = [Node](repeating: Node(ruleStart: 0, ruleEnd: 0, subtreeMinimum: Int.max), count: parents.count)
            for placement in placements { nodes[placement.node].ruleEnd += 1 }
            var start = 0
            for node in nodes.indices {
                let count = nodes[node].ruleEnd
                nodes[node].ruleStart = start
                nodes[node].ruleEnd = start
                start += count
            }
            var rules = [Int](repeating: 0, count: placements.count)
            for placement in placements {
                rules[nodes[placement.node].ruleEnd] = placement.position
                if nodes[placement.node].ruleEnd == nodes[placement.node].ruleStart {
                    nodes[placement.node].subtreeMinimum = placement.position
                }
                nodes[placement.node].ruleEnd += 1
            }
            // Children are always created after their parents, so one pass from the last node
            // back carries every subtree's minimum up to the root.
            for node in stride(from: nodes.count - 1, to: 0, by: -1) {
                let parent = parents[node]
                nodes[parent].subtreeMinimum = min(nodes[parent].subtreeMinimum, nodes[node].subtreeMinimum)
            }
            // The lookup's table: at most half full, as its probe sequence assumes.
            var capacity = 8
            while capacity < edgeList.count * 2 { capacity <<= 1 }
            var table = [Edge](
                repeating: Edge(hash: 0, parent: 0, child: -1, keyStart: 0, keyLength: 0), count: capacity)
            for edge in edgeList {
                var slot = Int(truncatingIfNeeded: edge.hash) & (capacity - 1)
                while table[slot].child >= 0 { slot = (slot + 1) & (capacity - 1) }
                table[slot] = edge
            }
            return RouteTrie(nodes: nodes, rules: rules, edges: table, keys: keys)
        }
    }

    /// A trie without its lookup table: what a route plan carries of it.
    struct Shape {
        /// Edge `i` leads from node `parent` (below `i + 1`) to node `i + 1` along the
        /// segment `keys[key]`, in the order the builder made the nodes.
        var edges: [(parent: Int, key: Range<Int>)]
        /// The segments' bytes.
        var keys: [UInt8]
        /// The node each rule with a path program sits at, by ascending rule position.
        var placements: [(position: Int, node: Int)]
    }

    /// What ``Builder/init(_:)`` needs to build this trie again.
    var shape: Shape {
        var edgesByChild = [(parent: Int, key: Range<Int>)](repeating: (0, 0..<0), count: max(0, nodes.count - 1))
        for edge in edges where edge.child > 0 && edge.child <= edgesByChild.count {
            edgesByChild[edge.child - 1] = (edge.parent, edge.keyStart..<(edge.keyStart + edge.keyLength))
        }
        var placements: [(position: Int, node: Int)] = []
        placements.reserveCapacity(rules.count)
        for node in nodes.indices {
            for index in nodes[node].ruleStart..<nodes[node].ruleEnd { placements.append((rules[index], node)) }
        }
        placements.sort { $0.position < $1.position }
        return Shape(edges: edgesByChild, keys: keys, placements: placements)
    }

    private init(nodes: [Node], rules: [Int], edges: [Edge], keys: [UInt8]) {
        self.nodes = nodes
        self.rules = rules
        self.edges = edges
        self.keys = keys
        self.mask = edges.count - 1
    }

    /// FNV-1a over the segment, mixed with the parent node so one table serves all nodes.
    @inline(__always)
    static func hash(parent: Int, _ segment: UnsafeBufferPointer<UInt8>) -> UInt64 {
        // Seeded per process, so that no config can be written to make its segments collide.
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325 ^ HashSeed.value
        for byte in segment {
            hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01B3
        }
        hash = (hash ^ UInt64(truncatingIfNeeded: parent)) &* 0x9E37_79B9_7F4A_7C15
        return hash ^ (hash >> 29)
    }

    /// The lowest rule position for which `matches` holds, considering only rules whose
    /// literal prefix agrees with `path`; nil if none. Allocates nothing.
    @inline(__always)
    func firstMatch(path: UnsafeBufferPointer<UInt8>, _ matches: (Int) -> Bool) -> Int? {
        nodes.withUnsafeBufferPointer { nodes in
            rules.withUnsafeBufferPointer { rules in
                edges.withUnsafeBufferPointer { edges in
                    keys.withUnsafeBufferPointer { keys in
                        walk(path, nodes, rules, edges, keys, matches)
                    }
                }
            }
        }
    }

    @inline(__always)
    private func walk(
        _ path: UnsafeBufferPointer<UInt8>, _ nodes: UnsafeBufferPointer<Node>, _ rules: UnsafeBufferPointer<Int>,
        _ edges: UnsafeBufferPointer<Edge>, _ keys: UnsafeBufferPointer<UInt8>, _ matches: (Int) -> Bool
    ) -> Int? {
        var best = Int.max
        var node = 0
        // `slash` is the offset of the '/' before the next unread segment. Every pattern
        // starts with '/', so a path that does not can only reach the root's rules, which
        // then reject it themselves.
        var slash = 0
        while true {
            let current = nodes[node]
            if current.subtreeMinimum >= best { break }
            var position = current.ruleStart
            while position < current.ruleEnd {
                let rule = rules[position]
                if rule >= best { break }
                if matches(rule) {
                    best = rule
                    break
                }
                position += 1
            }
            guard slash < path.count, path[slash] == UInt8(ascii: "/") else { break }
            let start = slash + 1
            var end = start
            while end < path.count, path[end] != UInt8(ascii: "/") { end += 1 }
            guard let child = child(of: node, UnsafeBufferPointer(rebasing: path[start..<end]), edges, keys) else {
                break
            }
            node = child
            slash = end
        }
        return best == Int.max ? nil : best
    }

    @inline(__always)
    private func child(
        of parent: Int, _ segment: UnsafeBufferPointer<UInt8>, _ edges: UnsafeBufferPointer<Edge>,
        _ keys: UnsafeBufferPointer<UInt8>
    ) -> Int? {
        let hash = Self.hash(parent: parent, segment)
        var slot = Int(truncatingIfNeeded: hash) & mask
        while true {
            let edge = edges[slot]
            if edge.child < 0 { return nil }
            if edge.hash == hash, edge.parent == parent, edge.keyLength == segment.count,
                Self.equal(keys, from: edge.keyStart, segment)
            {
                return edge.child
            }
            slot = (slot + 1) & mask
        }
    }

    @inline(__always)
    private static func equal(
        _ keys: UnsafeBufferPointer<UInt8>, from start: Int, _ segment: UnsafeBufferPointer<UInt8>
    ) -> Bool {
        var offset = 0
        while offset < segment.count {
            if keys[start + offset] != segment[offset] { return false }
            offset += 1
        }
        return true
    }
}
