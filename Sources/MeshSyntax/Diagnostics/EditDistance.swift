/// Levenshtein distance, used for "did you mean" suggestions at every layer.
public enum EditDistance {
    /// The edit distance between `a` and `b`, or `limit + 1` as soon as it must exceed `limit`.
    public static func distance(_ a: String, _ b: String, limit: Int = .max) -> Int {
        distance(Array(a.unicodeScalars), Array(b.unicodeScalars), limit: limit)
    }

    /// The edit distance between two scalar sequences, or `limit + 1` as soon as it must
    /// exceed `limit` (a row of the table whose every cell is over the limit ends it).
    static func distance(_ lhs: [Unicode.Scalar], _ rhs: [Unicode.Scalar], limit: Int = .max) -> Int {
        if abs(lhs.count - rhs.count) > limit { return limit == .max ? limit : limit + 1 }
        if lhs.isEmpty { return rhs.count }
        if rhs.isEmpty { return lhs.count }
        var previous = Array(0...rhs.count)
        var row = [Int](repeating: 0, count: rhs.count + 1)
        for i in 1...lhs.count {
            row[0] = i
            var rowMinimum = row[0]
            for j in 1...rhs.count {
                let cost = lhs[i - 1] == rhs[j - 1] ? 0 : 1
                row[j] = Swift.min(previous[j] + 1, row[j - 1] + 1, previous[j - 1] + cost)
                rowMinimum = Swift.min(rowMinimum, row[j])
            }
            if rowMinimum > limit { return limit + 1 }
            swap(&previous, &row)
        }
        return previous[rhs.count]
    }

    /// The closest candidate within `maxDistance` (ties go to the earlier candidate), for
    /// "did you mean" messages. Case differences count as cheaper than other edits, and a
    /// candidate that shares nothing with the word (as many edits as the word is long) is
    /// never suggested.
    ///
    /// For a few candidates (a schema's keys); many names, or many words against the same
    /// names, go through one ``SuggestionIndex``, which this builds for each call.
    public static func suggestion<S: Sequence>(for word: String, among candidates: S, maxDistance: Int = 2) -> String?
    where S.Element == String {
        SuggestionIndex(Array(candidates)).suggestion(for: word, maxDistance: maxDistance)
    }
}
