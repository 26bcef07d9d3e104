/// The unit in which a column is counted.
///
/// LSP negotiates one of these; SARIF and the CLI's JSON output use UTF-16, the
/// defaults of both protocols.
public enum PositionEncoding: String, Sendable, CaseIterable {
    /// Columns count UTF-8 bytes.
    case utf8 = "utf-8"
    /// Columns count UTF-16 code units (LSP's and SARIF's default).
    case utf16 = "utf-16"
    /// Columns count Unicode scalars.
    case utf32 = "utf-32"
}

/// A zero-based line and a zero-based column counted in some ``PositionEncoding``.
public struct LinePosition: Hashable, Sendable, Comparable, CustomStringConvertible {
    /// The zero-based line number.
    public var line: Int
    /// The zero-based column, in the units of the encoding it was computed for.
    public var character: Int

    /// Creates a position.
    public init(line: Int, character: Int) {
        self.line = line
        self.character = character
    }

    public static func < (lhs: LinePosition, rhs: LinePosition) -> Bool {
        (lhs.line, lhs.character) < (rhs.line, rhs.character)
    }

    public var description: String { "\(line + 1):\(character + 1)" }
}

/// The one place where byte offsets become line/column positions and back.
///
/// Lines end at `\n`, `\r\n` or a lone `\r`, as LSP defines them. A conversion costs
/// O(log n), however long the line: in an ASCII document a column is a byte difference,
/// and otherwise the index keeps ``UnitCheckpoints`` (how many UTF-16 and UTF-32 units
/// precede every 512th byte), so a column is a difference of two such counts plus a scan
/// of at most one chunk. A minified 10 MB config with thousands of findings on its one
/// line therefore converts each finding's position in microseconds.
public struct LineIndex: Sendable {
    /// The byte offset at which each line starts; the first entry is always 0.
    public let lineStarts: [Int]
    private let bytes: [UInt8]
    private let checkpoints: UnitCheckpoints?

    /// Builds the index of `bytes` in one pass.
    public init(bytes: [UInt8]) {
        self.bytes = bytes
        var starts = [0]
        starts.reserveCapacity(bytes.count / 32 + 1)
        var ascii = true
        bytes.withUnsafeBufferPointer { buffer in
            guard let base = buffer.baseAddress else { return }
            let raw = UnsafeRawPointer(base)
            var index = 0
            let count = buffer.count
            while index < count {
                // Eight bytes at a time while none of them ends a line (or, until the
                // first one is found, is non-ASCII): most bytes of a config are neither,
                // and a byte at a time was most of an edit's line index.
                while index + 8 <= count,
                    Self.isPlain(raw.loadUnaligned(fromByteOffset: index, as: UInt64.self), ascii: ascii)
                {
                    index += 8
                }
                guard index < count else { break }
                let byte = buffer[index]
                if byte == UInt8(ascii: "\n") {
                    starts.append(index + 1)
                } else if byte == UInt8(ascii: "\r") {
                    if index + 1 < count, buffer[index + 1] == UInt8(ascii: "\n") {
                        index += 1
                    }
                    starts.append(index + 1)
                } else if byte >= 0x80 {
                    ascii = false
                }
                index += 1
            }
        }
        self.lineStarts = starts
        self.checkpoints = ascii ? nil : UnitCheckpoints(bytes)
    }

    /// Whether none of the eight bytes of `word` is `\n` or `\r` and, while `ascii`
    /// holds, none is non-ASCII. A byte is found by the exact "has a zero byte" test on
    /// `word` XOR that byte repeated.
    @inline(__always)
    private static func isPlain(_ word: UInt64, ascii: Bool) -> Bool {
        let ones: UInt64 = 0x0101_0101_0101_0101
        let highs: UInt64 = 0x8080_8080_8080_8080
        if ascii, word & highs != 0 { return false }
        let newline = word ^ (ones &* 0x0A)
        let carriageReturn = word ^ (ones &* 0x0D)
        return (newline &- ones) & ~newline & highs == 0 && (carriageReturn &- ones) & ~carriageReturn & highs == 0
    }

    /// The number of lines (a document always has at least one).
    public var lineCount: Int { lineStarts.count }

    /// The zero-based line that contains `offset` (clamped to the document).
    public func line(containing offset: Int) -> Int {
        let offset = min(max(0, offset), bytes.count)
        var low = 0
        var high = lineStarts.count - 1
        while low < high {
            let mid = (low + high + 1) / 2
            if lineStarts[mid] <= offset {
                low = mid
            } else {
                high = mid - 1
            }
        }
        return low
    }

    /// The byte range of `line` without its line terminator.
    public func contentRange(ofLine line: Int) -> ByteRange {
        guard line >= 0, line < lineStarts.count else { return .empty(at: bytes.count) }
        let start = lineStarts[line]
        var end = line + 1 < lineStarts.count ? lineStarts[line + 1] : bytes.count
        while end > start, bytes[end - 1] == UInt8(ascii: "\n") || bytes[end - 1] == UInt8(ascii: "\r") {
            end -= 1
        }
        return ByteRange(start: start, end: end)
    }

    /// The position of byte `offset` with its column counted in `encoding`.
    ///
    /// An offset inside a multi-byte character is moved back to the character's start, in
    /// every encoding; an offset between the `\r` and `\n` of a line break counts as the
    /// end of the line's content.
    public func position(of offset: Int, in encoding: PositionEncoding) -> LinePosition {
        var offset = min(max(0, offset), bytes.count)
        let line = line(containing: offset)
        let start = lineStarts[line]
        offset = min(offset, contentRange(ofLine: line).end)
        guard let checkpoints else { return LinePosition(line: line, character: offset - start) }
        let units = bytes.withUnsafeBufferPointer { buffer in
            checkpoints.units(before: offset, in: buffer, encoding: encoding)
                - checkpoints.units(before: start, in: buffer, encoding: encoding)
        }
        return LinePosition(line: line, character: units)
    }

    /// The byte offset of `position`, whose column is counted in `encoding`.
    ///
    /// Positions past the end of a line clamp to the line's end and positions past the
    /// last line clamp to the end of the document, as LSP asks. A column inside a
    /// character (half a surrogate pair, a byte inside a UTF-8 sequence) resolves to the
    /// character's start.
    public func offset(of position: LinePosition, in encoding: PositionEncoding) -> Int {
        guard position.line >= 0 else { return 0 }
        guard position.line < lineStarts.count else { return bytes.count }
        let content = contentRange(ofLine: position.line)
        let column = max(0, position.character)
        guard let checkpoints else { return min(content.start + column, content.end) }
        return bytes.withUnsafeBufferPointer { buffer in
            let target = checkpoints.units(before: content.start, in: buffer, encoding: encoding) + column
            return checkpoints.offset(ofUnits: target, within: content, in: buffer, encoding: encoding)
        }
    }

    /// The range of `range` converted to positions in `encoding`.
    public func positions(of range: ByteRange, in encoding: PositionEncoding) -> (
        start: LinePosition, end: LinePosition
    ) {
        (position(of: range.start, in: encoding), position(of: range.end, in: encoding))
    }

    /// The byte length of the UTF-8 sequence at `index` and how many units it counts
    /// for; a byte that does not start a valid sequence (by the same rules the lexer
    /// applies) counts as one byte and one unit, as the U+FFFD an editor shows for it does.
    static func scalarInfo(_ buffer: UnsafeBufferPointer<UInt8>, at index: Int, encoding: PositionEncoding) -> (
        length: Int, units: Int
    ) {
        let length = Lexer.validUTF8Length(buffer, at: index)
        guard length > 0 else { return (1, 1) }
        switch encoding {
        case .utf8: return (length, length)
        case .utf16: return (length, length == 4 ? 2 : 1)
        case .utf32: return (length, 1)
        }
    }
}
