import MeshSyntax
import WireJSON

/// Converts between byte offsets and LSP positions in the negotiated encoding.
///
/// The server keeps byte offsets everywhere; this is the edge where they become
/// `{line, character}` and back, always through the document's one ``LineIndex``.
struct PositionConverter: Sendable {
    /// The document's line index.
    let lineIndex: LineIndex
    /// The negotiated position encoding.
    let encoding: PositionEncoding

    /// The byte offset of a client position (clamped to the document as LSP asks).
    func offset(of position: LinePosition) -> Int {
        lineIndex.offset(of: position, in: encoding)
    }

    /// The byte range of a client range; an end before the start is read as empty.
    func range(of range: (start: LinePosition, end: LinePosition)) -> ByteRange {
        let start = offset(of: range.start)
        return ByteRange(start: start, end: max(start, offset(of: range.end)))
    }

    /// The position of `offset` as a `Position`.
    func position(_ offset: Int) -> JSONValue {
        let position = lineIndex.position(of: offset, in: encoding)
        return ["line": .int(Int64(position.line)), "character": .int(Int64(position.character))]
    }

    /// `range` as a `Range`.
    func range(_ range: ByteRange) -> JSONValue {
        ["start": position(range.start), "end": position(range.end)]
    }
}
