import MeshConfig

/// The routing rules compiled once into a structure whose lookup cost does not grow with
/// the number of rules for literal-prefix tables, with exact first-match semantics.
///
/// Rules are indexed in a segment trie (``RouteTrie``) on their leading literal path
/// segments; a lookup walks the request path's segments down the trie, tries only the
/// rules sitting on that walk in document order, and stops once no rule further down can
/// come before the best match found. Every candidate is confirmed by all of the rule's
/// matchers (the ones ``CompiledRule/matches(_:)`` runs, with the path program copied into
/// one flat arena for the whole table), so the trie only ever narrows the search and the
/// answer is the same as trying every rule in order. Rules whose path is missing or
/// invalid are left out of the trie because they never match.
///
/// Tables whose rules mostly start with a parameter or wildcard (`/:tenant/...`) sit at
/// the root and are tried one by one, as in any first-match router.
public final class RouteTable: Sendable {
    /// The compiled rules in document order; ``firstMatch(_:)`` returns a position in it.
    public let compiled: [CompiledRule]
    private let trie: RouteTrie
    /// What a lookup reads for each rule, as plain integers: its path program's span in
    /// `ops`, its method bits, and whether host/header/geo checks remain.
    private let hot: [HotRule]
    private let ops: [PathOp]
    private let arena: [UInt8]

    private struct HotRule: Sendable {
        var opStart: Int
        var opEnd: Int
        var methodMask: UInt32
        var hasConditions: Bool
    }

    /// Compiles `rules`, which must be in document order.
    public init(rules: [Rule]) {
        let compiled = rules.map(CompiledRule.init)
        var entries: [(position: Int, prefix: [String])] = []
        entries.reserveCapacity(compiled.count)
        var hot: [HotRule] = []
        hot.reserveCapacity(compiled.count)
        var ops: [PathOp] = []
        var arena: [UInt8] = []
        // Fields are read in place (`compiled[position].x`): binding whole rules would
        // copy every rule's strings and arrays, which is most of the compile time.
        for position in compiled.indices {
            let opStart = ops.count
            let base = arena.count
            for op in compiled[position].pathOps {
                ops.append(PathOp(kind: op.kind, start: op.start + base, length: op.length))
            }
            arena.append(contentsOf: compiled[position].pathArena)
            hot.append(
                HotRule(
                    opStart: opStart, opEnd: ops.count, methodMask: compiled[position].methodMask,
                    hasConditions: compiled[position].hasConditions))
            if let prefix = compiled[position].pattern?.literalPrefixSegments { entries.append((position, prefix)) }
        }
        self.compiled = compiled
        self.hot = hot
        self.ops = ops
        self.arena = arena
        self.trie = RouteTrie(entries: entries)
    }

    /// Compiles the rules of `config.routing`.
    public convenience init(config: MeshConfig) {
        self.init(rules: config.routing.rules)
    }

    /// The position in ``compiled`` of the first rule, in document order, that matches
    /// `request`; nil when none does (then `routing.default` applies). The position equals
    /// the rule's `index` whenever every entry of `routing.rules` is an object.
    /// Allocates nothing.
    public func firstMatch(_ request: RouteRequest) -> Int? {
        let methodBit = MethodBits.bit(request.method)
        var path = request.path
        return path.withUTF8 { bytes in
            hot.withUnsafeBufferPointer { hot in
                ops.withUnsafeBufferPointer { ops in
                    arena.withUnsafeBufferPointer { arena in
                        compiled.withUnsafeBufferPointer { compiled in
                            trie.firstMatch(path: bytes) { position in
                                // The same matchers as CompiledRule.matches; the method bit
                                // goes first here because it is a single AND.
                                let rule = hot[position]
                                guard rule.methodMask & methodBit != 0,
                                    PathProgram.matches(
                                        UnsafeBufferPointer(rebasing: ops[rule.opStart..<rule.opEnd]), arena,
                                        path: bytes)
                                else {
                                    return false
                                }
                                if methodBit == MethodBits.other,
                                    !compiled[position].allowsMethod(request, bit: methodBit)
                                {
                                    return false
                                }
                                return !rule.hasConditions || compiled[position].matchesConditions(request)
                            }
                        }
                    }
                }
            }
        }
    }

    /// How many trie nodes the table built, root included (for figures and tests).
    public var nodeCount: Int { trie.nodes.count }
}
