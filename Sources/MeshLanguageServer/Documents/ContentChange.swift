import MeshSyntax

/// One entry of `didChange`'s `contentChanges`.
enum ContentChange: Sendable, Equatable {
    /// The whole new text.
    case full(String)
    /// `text` replaces the range between two positions (in the negotiated encoding).
    case incremental(start: LinePosition, end: LinePosition, text: String)

    /// Applies `changes` in order to `bytes`; each range refers to the text as left by the
    /// changes before it, as LSP specifies.
    static func apply(_ changes: [ContentChange], to source: SourceText, encoding: PositionEncoding) -> SourceText {
        var bytes = source.bytes
        var lineIndex = source.lineIndex
        for (position, change) in changes.enumerated() {
            switch change {
            case .full(let text):
                bytes = Array(text.utf8)
            case .incremental(let start, let end, let text):
                let converter = PositionConverter(lineIndex: lineIndex, encoding: encoding)
                let range = converter.range(of: (start, end))
                bytes.replaceSubrange(range.start..<range.end, with: text.utf8)
            }
            // The next change's positions need the index of the text as it is now.
            if position + 1 < changes.count { lineIndex = LineIndex(bytes: bytes) }
        }
        return SourceText(bytes: bytes)
    }
}
