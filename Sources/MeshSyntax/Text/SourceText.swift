/// The text of one document as UTF-8 bytes, with its line index.
///
/// The bytes are kept exactly as read, even when they are not valid UTF-8, so that
/// diagnostics can point at the offending byte and nothing the user wrote is lost.
public final class SourceText: Sendable {
    /// The raw UTF-8 bytes of the document.
    public let bytes: [UInt8]
    /// The line index, built on first use (``LineIndexCell``).
    private let lineIndexCell: LineIndexCell

    /// The line index used to convert byte offsets to positions and back.
    public var lineIndex: LineIndex { lineIndexCell.value }

    /// Creates a source text from raw bytes.
    public init(bytes: [UInt8]) {
        self.bytes = bytes
        lineIndexCell = LineIndexCell(bytes: bytes)
    }

    /// A source text with the same bytes and line index, which shares their storage.
    init(sharing other: SourceText) {
        bytes = other.bytes
        lineIndexCell = other.lineIndexCell
    }

    /// Creates a source text from a string.
    public convenience init(_ text: String) {
        self.init(bytes: Array(text.utf8))
    }

    /// The number of bytes in the document.
    public var count: Int { bytes.count }

    /// The text of `range`, decoded as UTF-8 with invalid bytes replaced by U+FFFD.
    public func text(in range: ByteRange) -> String {
        let lower = min(max(0, range.start), bytes.count)
        let upper = min(max(lower, range.end), bytes.count)
        return String(decoding: bytes[lower..<upper], as: UTF8.self)
    }

    /// The whole document as a string (invalid UTF-8 replaced by U+FFFD).
    public var text: String { String(decoding: bytes, as: UTF8.self) }
}
