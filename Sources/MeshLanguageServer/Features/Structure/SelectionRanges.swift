import MeshSyntax

/// `textDocument/selectionRange`: "expand selection" from a position outwards through the
/// syntax: a string's text, the string with its quotes, the `"key": value` member, the
/// object or array around it, and so on up to the whole document.
enum SelectionRanges {
    /// The ranges around `offset`, innermost first, each strictly larger than the last.
    static func chain(at offset: Int, in tree: SyntaxTree) -> [ByteRange] {
        var ranges: [ByteRange] = []
        func add(_ range: ByteRange) {
            guard range.start <= offset, offset <= range.end else { return }
            if let last = ranges.last, last.start <= range.start, range.end <= last.end { return }
            ranges.append(range)
        }
        var node: NodeID? = tree.node(at: offset)
        if let current = node, tree.kind(current) == .string {
            let range = tree.range(current)
            if range.end - range.start >= 2, range.start < offset, offset < range.end {
                add(ByteRange(start: range.start + 1, end: range.end - 1))
            }
        }
        while let current = node {
            add(tree.range(current))
            node = tree.parent(current)
        }
        add(ByteRange(start: 0, end: tree.source.count))
        return ranges
    }
}
