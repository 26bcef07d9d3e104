extension JSONCFormatter {
    /// The edit that formats `tree`, or nil when there is nothing to change.
    public static func edit(for tree: SyntaxTree, options: JSONCFormatter.Options) -> TextEdit? {
        guard let formatted = JSONCFormatter.format(tree, options: options),
            !Array(formatted.utf8).elementsEqual(tree.source.bytes)
        else { return nil }
        return TextEdit(range: ByteRange(start: 0, end: tree.source.count), newText: formatted)
    }
}
