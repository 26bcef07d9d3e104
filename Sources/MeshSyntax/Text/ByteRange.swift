/// A half-open range of UTF-8 byte offsets into a ``SourceText``.
///
/// Ranges are byte offsets everywhere inside the library; conversion to lines and
/// columns in a particular encoding happens only at the edge, through ``LineIndex``.
///
/// The offsets are stored in 32 bits, as the syntax tree's are (a document is under 2 GiB):
/// every value of the model carries a range, and 64-bit offsets made a service's model a
/// third larger. An offset outside 32 bits is clamped, which keeps it past the end of any
/// document rather than wrapping it to a valid-looking one.
public struct ByteRange: Hashable, Sendable, Comparable, CustomStringConvertible {
    private var storedStart: Int32
    private var storedEnd: Int32

    /// The offset of the first byte in the range.
    public var start: Int {
        get { Int(storedStart) }
        set { storedStart = Int32(clamping: newValue) }
    }

    /// The offset one past the last byte in the range.
    public var end: Int {
        get { Int(storedEnd) }
        set { storedEnd = Int32(clamping: newValue) }
    }

    /// Creates a range; an `end` before `start` is clamped so the range is never negative.
    public init(start: Int, end: Int) {
        storedStart = Int32(clamping: start)
        storedEnd = Int32(clamping: max(start, end))
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
        (lhs.storedStart, lhs.storedEnd) < (rhs.storedStart, rhs.storedEnd)
    }

    public var description: String { "\(start)..<\(end)" }
}
