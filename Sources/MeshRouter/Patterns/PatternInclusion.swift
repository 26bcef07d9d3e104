/// The answer to "does every path that `inner` matches also match `outer`?".
public enum InclusionResult: Sendable, Hashable {
    /// Yes; `witness` is a shortest normalized path that `inner` matches (so `outer` too).
    case included(witness: String)
    /// No; `counterexample` is a shortest normalized path that `inner` matches and
    /// `outer` does not.
    case notIncluded(counterexample: String)
    /// `inner` matches no path the router can see (its literals contain a dot segment or
    /// a byte that normalization percent-encodes), so inclusion holds but has no witness.
    case vacuous

    /// Whether every path of `inner` is a path of `outer`.
    public var isIncluded: Bool {
        if case .notIncluded = self { return false }
        return true
    }
}

/// An exact decision procedure for path pattern inclusion, the heart of shadowing (DM402)
/// and duplicate (DM403) analysis.
///
/// Each pattern compiles to a finite automaton over an abstract alphabet (the bytes of
/// both patterns' literals, `/`, and one byte standing for every other byte); a third
/// automaton accepts exactly the normalized paths `PathNormalizer` produces. A
/// breadth-first search over the product looks for a path accepted by `inner` and the
/// normalization automaton but not by `outer`. Languages are therefore compared over the
/// paths the router can actually see, which differs from plain string inclusion only for
/// patterns whose literals contain dot segments or bytes that are never in a normalized
/// path; it makes every answer confirmable by routing the returned path.
///
/// Cost: O(|outer| x |inner| x S x |alphabet|), where |p| is the number of bytes of the
/// pattern and S = 15 the normalization automaton's states; patterns compile to nearly
/// deterministic automata, so the product stays that small.
public enum PatternInclusion {
    /// Decides whether every normalized path `inner` matches is matched by `outer`.
    public static func check(_ inner: PathPattern, within outer: PathPattern) -> InclusionResult {
        let alphabet = PathAlphabet(patterns: [inner, outer])
        let search = ProductSearch(
            alphabet: alphabet,
            automata: [
                PatternNFA.determinize(inner, over: alphabet),
                PathShape.dfa(over: alphabet),
                PatternNFA.determinize(outer, over: alphabet),
            ])
        let innerDFA = search.automata[0]
        let shape = search.automata[1]
        let outcome = search.run(
            prune: { innerDFA.dead[Int($0[0])] || shape.dead[Int($0[1])] },
            stopAt: { $0[0] && $0[1] && !$0[2] },
            record: { $0[0] && $0[1] }
        )
        if let counterexample = outcome.stopped {
            return .notIncluded(counterexample: String(decoding: counterexample, as: UTF8.self))
        }
        if let witness = outcome.recorded {
            return .included(witness: String(decoding: witness, as: UTF8.self))
        }
        return .vacuous
    }

    /// Whether the two patterns match exactly the same normalized paths (`/a/:id` and
    /// `/a/*/` do not; `/a/:id` and `/a/:name` do).
    public static func equivalent(_ first: PathPattern, _ second: PathPattern) -> Bool {
        check(first, within: second).isIncluded && check(second, within: first).isIncluded
    }

    /// A shortest normalized path that `pattern` matches and none of `excluded` does, or
    /// nil when there is none (or, with a `budget`, none was found within that many
    /// product states).
    public static func path(in pattern: PathPattern, avoiding excluded: [PathPattern], budget: Int? = nil) -> String? {
        let alphabet = PathAlphabet(patterns: [pattern] + excluded)
        var search = ProductSearch(
            alphabet: alphabet,
            automata: [
                PatternNFA.determinize(pattern, over: alphabet),
                PathShape.dfa(over: alphabet),
            ] + excluded.map { PatternNFA.determinize($0, over: alphabet) })
        search.budget = budget
        let innerDFA = search.automata[0]
        let shape = search.automata[1]
        let outcome = search.run(
            prune: { innerDFA.dead[Int($0[0])] || shape.dead[Int($0[1])] },
            stopAt: { accepts in accepts[0] && accepts[1] && !accepts.dropFirst(2).contains(true) }
        )
        return outcome.stopped.map { String(decoding: $0, as: UTF8.self) }
    }
}
