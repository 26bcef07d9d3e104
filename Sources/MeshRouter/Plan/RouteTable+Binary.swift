import MeshConfig

/// The compiled route table in the route plan (docs/edge.md, "The route plan"): each rule's
/// path program and the node of the trie it sits at, and the trie's edges, so that the edge
/// router reads its table instead of parsing every pattern and keying every segment again.
/// The write and the read sit side by side, in the same order.
///
/// The read checks every position and range against what it read before (a literal within
/// its rule's bytes, a parent before its child, a node that exists, a rule on a node if and
/// only if it has a program), so that no damaged plan makes a lookup index out of bounds; it
/// does not check that the trie is the one the programs would give, which only costs a
/// damaged plan its answers, as a damaged model would.
extension RouteTable {
    /// Writes the table: the trie's edges, then each rule's program and node.
    func write(into writer: inout BinaryWriter) {
        let shape = trie.shape
        writer.array(shape.edges) { writer, edge in
            writer.count(edge.parent)
            writer.count(edge.key.count)
            writer.raw(shape.keys[edge.key])
        }
        var nodes = [Int](repeating: 0, count: compiled.count)
        for placement in shape.placements where nodes.indices.contains(placement.position) {
            nodes[placement.position] = placement.node + 1
        }
        writer.count(compiled.count)
        for position in compiled.indices {
            let arena = compiled[position].pathArena
            writer.array(compiled[position].pathOps) { writer, op in
                writer.count(Int(op.kind.rawValue))
                guard op.kind == .literal else { return }
                writer.count(op.length)
                writer.raw(arena[op.start..<(op.start + op.length)])
            }
            writer.count(nodes[position])
        }
    }

    /// Reads a table of `rules` (the model's `routing.rules`, one compiled rule each); after
    /// a failure `reader` holds it and the table is empty of programs.
    static func read(from reader: inout BinaryReader, rules: [Rule]) -> RouteTable {
        var keys: [UInt8] = []
        var edges: [(parent: Int, key: Range<Int>)] = []
        let edgeCount = reader.elementCount()
        edges.reserveCapacity(edgeCount)
        for index in 0..<edgeCount where reader.failure == nil {
            // Edge `index` leads to node `index + 1`, whose parent was made before it.
            let parent = reader.count(limit: index)
            let start = keys.count
            keys.append(contentsOf: reader.raw(reader.count()))
            edges.append((parent, start..<keys.count))
        }
        let start = reader.offset
        if reader.count() != rules.count {
            reader.fail("the route table does not have the model's \(rules.count) rules", at: start)
        }
        var compiled: [CompiledRule] = []
        compiled.reserveCapacity(rules.count)
        var placements: [(position: Int, node: Int)] = []
        for position in rules.indices {
            var ops: [PathOp] = []
            var arena: [UInt8] = []
            let opCount = reader.elementCount()
            for _ in 0..<opCount where reader.failure == nil {
                // A kind is its raw value, as the writer writes it: 0 to 2 (`rest`).
                let kind = PathOp.Kind(rawValue: UInt8(reader.count(limit: Int(PathOp.Kind.rest.rawValue)))) ?? .literal
                let literal = kind == .literal ? reader.raw(reader.count()) : []
                ops.append(PathOp(kind: kind, start: kind == .literal ? arena.count : 0, length: literal.count))
                arena.append(contentsOf: literal)
            }
            let at = reader.offset
            let node = reader.count(limit: edges.count + 1)
            if (node > 0) == ops.isEmpty {
                reader.fail("rule \(position) has a path program without a place in the trie, or the reverse", at: at)
            }
            if reader.failure != nil {
                ops = []
            } else if node > 0 {
                placements.append((position, node - 1))
            }
            compiled.append(CompiledRule(rules[position], pathOps: ops, pathArena: arena))
        }
        if reader.failure != nil {
            edges = []
            placements = []
        }
        let trie = RouteTrie.Builder(RouteTrie.Shape(edges: edges, keys: keys, placements: placements)).build()
        return RouteTable(compiled: compiled, trie: trie)
    }
}
