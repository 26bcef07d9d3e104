import MeshConfig

/// The path patterns of one version that parsed, kept for the next (``AnalysisMemo``): an
/// unchanged rule's pattern is not parsed again only to find it valid, which was the
/// largest part of the router's checks on an edit. A pattern's validity depends on its
/// text alone, so a set of texts is exact; invalid ones are parsed again, for their message.
public struct PatternMemo: Sendable {
    /// The pattern texts that parsed.
    private(set) var valid: Set<String> = []

    /// An empty memo.
    public init() {}

    /// Whether `path` parses, from the previous version's memo when it knew the text;
    /// the answer is recorded in this version's.
    mutating func isValid(_ path: String, previous: PatternMemo?) -> Bool {
        if previous?.valid.contains(path) == true || valid.contains(path) {
            valid.insert(path)
            return true
        }
        guard case .success = PathPattern.parse(path) else { return false }
        valid.insert(path)
        return true
    }
}
