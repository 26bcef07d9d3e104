/// A half-open range of UTF-8 byte offsets into a ``SourceText``.
///
/// Ranges are byte offsets everywhere inside the library; conversion to lines and
/// columns in a particular encoding happens only at the edge, through ``LineIndex``.
public struct ByteRange: Hashable, Sendable, Comparable, CustomStringConvertible {
    /// The offset of the first byte in the range.
    public var start: Int
    /// The offset one past the last byte in the range.
    public var end: Int

    /// Creates a range; an `end` before `start` is clamped so the range is never negative.
    public init(start: Int, end: Int) {
        self.start = start
        self.end = max(start, end)
    }

    /// An empty range at `offset`, used for insertions and end-of-input positions.
    public static func empty(at offset: Int) -> ByteRange {
        ByteRange(start: offset, end: offset)
    }

    /// The number of bytes in the range.
    public var length: Int { end - start }

    /// The same range `delta` bytes later (earlier when negative), for a result reused
    /// after text before it changed length.
    public func shifted(by delta: Int) -> ByteRange {
        ByteRange(start: start + delta, end: end + delta)
    }

    /// Whether `offset` lies inside the range; the end offset counts as inside so that
    /// a cursor placed right after a token still finds it.
    public func contains(_ offset: Int) -> Bool {
        offset >= start && offset <= end
    }

    /// The smallest range covering both ranges.
    public func union(_ other: ByteRange) -> ByteRange {
        ByteRange(start: min(start, other.start), end: max(end, other.end))
    }

    public static func < (lhs: ByteRange, rhs: ByteRange) -> Bool {
        (lhs.start, lhs.end) < (rhs.start, rhs.end)
    }

    public var description: String { "\(start)..<\(end)" }
}
