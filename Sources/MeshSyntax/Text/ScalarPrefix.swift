extension StringProtocol {
    /// The first `count` Unicode scalars of the text, for quoting a piece of input in a
    /// message. `prefix(_:)` counts characters, which needs grapheme breaking and so links
    /// the Unicode tables into the edge router's module (docs/edge.md, "What is left"); a
    /// scalar boundary is enough for a quote, and never splits a UTF-8 sequence.
    package func prefix(scalars count: Int) -> String {
        var kept = String.UnicodeScalarView()
        for scalar in unicodeScalars.prefix(Swift.max(0, count)) { kept.append(scalar) }
        return String(kept)
    }
}
