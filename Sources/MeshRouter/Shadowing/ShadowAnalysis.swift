import MeshConfig

/// A later rule that never receives a request because an earlier rule accepts every
/// request it accepts (DM402), or is identical to it in all matchers (DM403).
public struct ShadowFinding: Sendable, Hashable {
    /// Shadowed by a broader rule, or a duplicate of an identical one.
    public enum Kind: Sendable, Hashable {
        /// The earlier rule accepts every request of this one, and more (DM402).
        case shadowed
        /// The earlier rule has the same path language and the same matchers (DM403).
        case duplicate
    }

    /// Shadowed or duplicate.
    public var kind: Kind
    /// The later rule's position in the analysed `rules` (its `index` when every entry of
    /// `routing.rules` is an object).
    public var rule: Int
    /// The first earlier rule that accepts every request of ``rule``.
    public var earlierRule: Int
    /// A request that ``rule``'s matchers accept and that the router sends to
    /// ``witnessRoute``: `https://<host><path>` with the method, headers and geo fields it
    /// needs.
    public var witness: RouteRequest
    /// The rule the router sends ``witness`` to: ``earlierRule``, unless every request of
    /// ``rule`` that ``earlierRule`` would take is taken by rules even earlier (then ``rule``
    /// is still never reached, and this is one of those rules).
    public var witnessRoute: Int
}

/// Exact shadowing and duplicate analysis of routing rules (docs/guide/routing.md, DM402 and DM403).
///
/// Rule B is shadowed by an earlier rule A when every request matching B matches A: A's
/// path pattern covers B's (decided exactly by ``PatternInclusion``) and each of A's other
/// matchers is no narrower than B's (methods: A has none or a superset; host: A has none,
/// the same, or a `*.x` covering B's host or wildcard; headers: each of A's conditions
/// follows from B's; geo: per field, A has none or a superset). A finding names the
/// *first* such A and carries a witness request, confirmed on the ``RouteTable``, that B
/// accepts and the router sends to A. Rules whose path is missing or invalid, and rules
/// that match no request at all, are skipped.
///
/// Complexity: rules are indexed in a segment-shape trie (``SegmentTrie``) as they are
/// read, so B is compared only with earlier rules whose pattern has a shape that can
/// cover it (for literal-prefix tables, the few rules on B's prefix). Each candidate
/// costs O(1) for the matchers and O(|A| x |B| x alphabet) for the automata, so a
/// realistic table of n rules takes about O(n x L) for patterns of L segments;
/// adversarial tables whose rules all start with a parameter and differ only in other
/// matchers degrade to O(n^2) cheap matcher comparisons.
public enum ShadowAnalysis {
    /// The shadowed and duplicate rules among `rules` (in document order), at most one
    /// finding per rule, in the order of the later rule.
    public static func findings(rules: [Rule]) -> [ShadowFinding] {
        analyze(rules: rules, reusing: nil).findings
    }

    /// The findings of ``findings(rules:)`` with what the next version needs to reuse them:
    /// rules before the first one whose matchers differ from `previous` are not checked
    /// again (``ShadowMemo`` says why that is exact). `table`, when given, is `rules`
    /// already compiled (``RouteTable/init(rules:)``), which is then not done again.
    public static func analyze(rules: [Rule], reusing previous: ShadowMemo?, table: RouteTable? = nil) -> ShadowMemo {
        let matchers = rules.map(RuleMatchers.init)
        let unchanged = previous?.unchangedPrefix(matchers) ?? 0
        if let previous, unchanged == rules.count, previous.matchers.count == rules.count {
            // No rule reads differently (an edit elsewhere): nothing to index or check.
            return ShadowMemo(matchers: matchers, findings: previous.findings, checkedRules: 0)
        }
        var findings = previous?.findings.filter { $0.rule < unchanged } ?? []
        let table = table ?? RouteTable(rules: rules)
        let witnesses = ShadowWitness(table: table)
        var trie = SegmentTrie()
        var coverage: [MatcherCoverage?] = Array(repeating: nil, count: table.compiled.count)
        // Scratch buffers reused for every rule, so that indexing a rule allocates nothing
        // of its own.
        var segments: [SegmentShape] = []
        var candidates: [Int] = []
        var stack: [(node: Int, depth: Int)] = []
        table.withPathPrograms { ops, arena in
            for position in table.compiled.indices {
                // A rule has a path program exactly when its pattern is valid; the pattern
                // itself is only read for a candidate, as copying it costs three retains.
                let program = table.pathProgram(of: position)
                guard !program.isEmpty else { continue }
                let compiled = table.compiled[position]
                let matchers = MatcherCoverage(compiled)
                coverage[position] = matchers
                SegmentShape.segments(ops: UnsafeBufferPointer(rebasing: ops[program]), arena: arena, into: &segments)
                defer { trie.insert(segments, arena: arena, position: position) }
                // Earlier rules are indexed, but their findings are the previous version's.
                guard position >= unchanged, matchers.isSatisfiable else { continue }
                trie.coveringCandidates(of: segments, arena: arena, into: &candidates, stack: &stack)
                candidates.sort()
                for candidate in candidates {
                    guard let outer = coverage[candidate], matchers.isCovered(by: outer),
                        let pattern = compiled.pattern, let outerPattern = table.compiled[candidate].pattern
                    else { continue }
                    let inclusion = PatternInclusion.check(pattern, within: outerPattern)
                    if case .vacuous = inclusion { break }
                    guard inclusion.isIncluded else { continue }
                    // Only the first covering rule is reported: it is the one that takes B's
                    // requests, and naming more would repeat the same advice.
                    if let found = witnesses.find(shadowed: position, shadowing: candidate, pattern: pattern) {
                        let identical =
                            outer.isCovered(by: matchers)
                            && PatternInclusion.check(outerPattern, within: pattern).isIncluded
                        findings.append(
                            ShadowFinding(
                                kind: identical ? .duplicate : .shadowed, rule: position, earlierRule: candidate,
                                witness: found.request, witnessRoute: found.route))
                    }
                    break
                }
            }
        }
        return ShadowMemo(matchers: matchers, findings: findings, checkedRules: rules.count - unchanged)
    }
}
