/// Path searches for rule witnesses: a shortest normalized path that every pattern of one
/// list matches and no pattern of another list matches, on the same automata as
/// ``PatternInclusion``, and saying whether the search ran out of budget (so that "no
/// such path" is only ever claimed when it was proven).
enum WitnessPathSearch {
    /// What a search found.
    enum Outcome: Sendable, Hashable {
        /// A shortest path with the asked properties.
        case found(String)
        /// There is no such path: the search explored every product state.
        case none
        /// The budget ran out first; nothing is known.
        case exhausted
    }

    /// A shortest normalized path that every pattern of `required` matches and none of
    /// `excluded` does. With no required pattern, any normalized path qualifies.
    static func path(in required: [PathPattern], avoiding excluded: [PathPattern], budget: Int) -> Outcome {
        let alphabet = PathAlphabet(patterns: required + excluded)
        var search = ProductSearch(
            alphabet: alphabet,
            automata: [PathShape.dfa(over: alphabet)]
                + required.map { PatternNFA.determinize($0, over: alphabet) }
                + excluded.map { PatternNFA.determinize($0, over: alphabet) })
        search.budget = budget
        let automata = search.automata
        let requiredEnd = 1 + required.count
        let outcome = search.run(
            prune: { states in
                // A dead shape or a dead required pattern can never reach an accepted word.
                for position in 0..<requiredEnd where automata[position].dead[Int(states[position])] { return true }
                return false
            },
            stopAt: { accepts in
                for position in 0..<requiredEnd where !accepts[position] { return false }
                for position in requiredEnd..<accepts.count where accepts[position] { return false }
                return true
            }
        )
        if let stopped = outcome.stopped { return .found(String(decoding: stopped, as: UTF8.self)) }
        return outcome.exhausted ? .exhausted : .none
    }

    /// Whether some normalized path matches both patterns. Two patterns whose leading
    /// literal segments differ are answered without a search; an exhausted search counts
    /// as "maybe", so callers only ever skip pairs that truly cannot meet.
    static func mayIntersect(_ first: PathPattern, _ second: PathPattern, budget: Int) -> Bool {
        for (mine, theirs) in zip(first.literalPrefixSegments, second.literalPrefixSegments) where mine != theirs {
            return false
        }
        return path(in: [first, second], avoiding: [], budget: budget) != .none
    }

    /// A pattern matching exactly `path` (a normalized path), to keep a later search from
    /// finding the same path again.
    static func exactly(_ path: String) -> PathPattern {
        PathPattern(source: path, items: [.literal(Array(path.utf8))], literalPrefixSegments: [])
    }
}
