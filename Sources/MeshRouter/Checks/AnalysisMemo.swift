import MeshConfig

/// What one version's analysis leaves for the next, so that an edit re-does work in
/// proportion to what it touched (docs/architecture.md, "Incremental analysis"): each
/// service's schema findings and model by its text, and the shadow analysis by rule.
/// Either part may come from an older version; reuse compares text and rules, not
/// versions, so an older memo is as exact as a newer one and only saves less.
public struct AnalysisMemo: Sendable {
    /// The shadow analysis; nil when no version so far could run it.
    public var shadowing: ShadowMemo?
    /// The services' and rules' findings and models.
    public var pieces: PieceCache?
    /// The path patterns that parsed.
    public var patterns: PatternMemo?

    /// A memo of the given parts.
    public init(shadowing: ShadowMemo? = nil, pieces: PieceCache? = nil, patterns: PatternMemo? = nil) {
        self.shadowing = shadowing
        self.pieces = pieces
        self.patterns = patterns
    }

    /// This memo, with `older`'s parts where this one has none.
    public func filled(from older: AnalysisMemo?) -> AnalysisMemo {
        AnalysisMemo(
            shadowing: shadowing ?? older?.shadowing, pieces: pieces ?? older?.pieces,
            patterns: patterns ?? older?.patterns)
    }
}
