import MeshSyntax

extension String {
    /// The text with `edits` (which must not overlap) applied to its UTF-8 bytes, the way
    /// an editor applies a quick fix, a rename or a formatting edit. Ranges past the end
    /// are clamped, so a wrong edit fails the test's comparison instead of trapping.
    public func applying(_ edits: [TextEdit]) -> String {
        var bytes = Array(utf8)
        for edit in edits.sorted(by: { $0.range.start > $1.range.start }) {
            let start = min(max(0, edit.range.start), bytes.count)
            let end = min(max(start, edit.range.end), bytes.count)
            bytes.replaceSubrange(start..<end, with: Array(edit.newText.utf8))
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
