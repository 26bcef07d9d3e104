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
    let trie: RouteTrie
    /// What a lookup reads for each rule, as plain integers: its path program's span in
    /// `ops`, its method bits, and whether host/header/geo checks remain.
    let hot: [HotRule]
    let ops: [PathOp]
    let arena: [UInt8]

    struct HotRule: Sendable, Equatable {
        var opStart: Int
        var opEnd: Int
        var methodMask: UInt32
        var hasConditions: Bool
    }

    /// Compiles `rules`, which must be in document order.
    public convenience init(rules: [Rule]) {
        let compiled = rules.map(CompiledRule.init)
        let programs = Programs(compiled)
        // The trie is keyed by the literal prefix segments read off the flat programs, as
        // byte ranges: the patterns' `literalPrefixSegments` strings would be hashed again.
        var builder = RouteTrie.Builder(ruleCapacity: compiled.count)
        var segments: [SegmentShape] = []
        let hot = programs.hot
        programs.ops.withUnsafeBufferPointer { ops in
            programs.arena.withUnsafeBufferPointer { arena in
                // A rule without a program (its path is missing or invalid) never matches.
                for position in hot.indices where hot[position].opEnd > hot[position].opStart {
                    SegmentShape.segments(
                        ops: UnsafeBufferPointer(rebasing: ops[hot[position].opStart..<hot[position].opEnd]),
                        arena: arena, into: &segments)
                    var node = 0
                    for segment in segments.prefix(SegmentShape.literalPrefixCount(segments)) {
                        node = builder.child(
                            of: node,
                            UnsafeBufferPointer(rebasing: arena[segment.start..<(segment.start + segment.length)]))
                    }
                    builder.add(position: position, at: node)
                }
            }
        }
        self.init(compiled: compiled, programs: programs, trie: builder.build())
    }

    /// A table of rules compiled already and the trie over their literal prefixes, as a
    /// route plan carries them (docs/edge.md, "The route plan"): nothing is parsed or keyed.
    convenience init(compiled: [CompiledRule], trie: RouteTrie) {
        self.init(compiled: compiled, programs: Programs(compiled), trie: trie)
    }

    private init(compiled: [CompiledRule], programs: Programs, trie: RouteTrie) {
        self.compiled = compiled
        self.hot = programs.hot
        self.ops = programs.ops
        self.arena = programs.arena
        self.trie = trie
    }

    /// Every rule's path program copied into one flat arena, with what a lookup reads of
    /// each rule beside it.
    private struct Programs {
        var hot: [HotRule] = []
        var ops: [PathOp] = []
        var arena: [UInt8] = []

        init(_ compiled: [CompiledRule]) {
            hot.reserveCapacity(compiled.count)
            var opCount = 0
            var byteCount = 0
            for rule in compiled {
                opCount += rule.pathOps.count
                byteCount += rule.pathArena.count
            }
            ops.reserveCapacity(opCount)
            arena.reserveCapacity(byteCount)
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
            }
        }
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

    /// Runs `body` on every rule's path program at once: the ops and the byte arena their
    /// literals point into; rule `position`'s ops are ``pathProgram(of:)``.
    func withPathPrograms<Result>(
        _ body: (_ ops: UnsafeBufferPointer<PathOp>, _ arena: UnsafeBufferPointer<UInt8>) -> Result
    ) -> Result {
        ops.withUnsafeBufferPointer { ops in arena.withUnsafeBufferPointer { body(ops, $0) } }
    }

    /// Where the path program of the rule at `position` is among the ops of
    /// ``withPathPrograms(_:)``; empty when its path is missing or invalid.
    func pathProgram(of position: Int) -> Range<Int> {
        hot[position].opStart..<hot[position].opEnd
    }

    /// How many trie nodes the table built, root included (for figures and tests).
    public var nodeCount: Int { trie.nodes.count }
}
