import MeshConfig

/// The path patterns of one version that parsed, kept for the next (``AnalysisMemo``): an
/// unchanged rule's pattern is not parsed again only to find it valid, which was the
/// largest part of the router's checks on an edit. A pattern's validity depends on its
/// text alone, so a set of texts is exact; invalid ones are parsed again, for their error.
public struct PatternMemo: Sendable {
    /// The pattern texts that parsed.
    private(set) var valid: Set<String> = []

    /// An empty memo.
    public init() {}

    /// Why `path` does not parse, or nil when it does: from the previous version's memo
    /// when it knew the text as valid. A valid text is recorded in this version's when
    /// `recording`.
    mutating func error(in path: String, previous: PatternMemo?, recording: Bool = true) -> PatternError? {
        if previous?.valid.contains(path) == true || valid.contains(path) {
            if recording { valid.insert(path) }
            return nil
        }
        switch PathPattern.parse(path) {
        case .success:
            if recording { valid.insert(path) }
            return nil
        case .failure(let error):
            return error
        }
    }

    /// Records `path` as a text that parsed.
    mutating func recordValid(_ path: String) {
        valid.insert(path)
    }
}
