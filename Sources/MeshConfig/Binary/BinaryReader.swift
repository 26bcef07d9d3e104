import MeshSyntax

/// Why bytes are not the binary form ``BinaryReader`` expected: truncated, a value out of
/// range, an unknown tag. The bytes come from outside the process (a KV record), so every
/// read is checked and a failure is this error, never a trap.
public struct BinaryFormatError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What was wrong, as a sentence fragment (`a count of 5 elements past the end`).
    public let message: String
    /// The offset of the byte where reading stopped.
    public let offset: Int

    /// An error at `offset`.
    public init(_ message: String, at offset: Int) {
        self.message = message
        self.offset = offset
    }

    public var description: String { "\(message) (at byte \(offset))" }
}

/// Reads what ``BinaryWriter`` writes, checking each read against the bytes left, so that
/// no input, however damaged or hostile, makes it trap or reserve more memory than the
/// input's own size.
///
/// A failed read does not throw: it records the first ``failure``, moves to the end of the
/// input and answers a default (0, `false`, an empty string), and so does every read after
/// it. A caller reads a whole structure straight through and checks ``failure`` once at the
/// end, discarding what it built. (Throwing from each of the model's hundred reads made the
/// edge router's module 13 KB larger, and every read a `try`.)
public struct BinaryReader: Sendable {
    private let bytes: [UInt8]
    /// The offset of the next byte to read.
    public private(set) var offset: Int
    /// The first failed read, if any.
    public private(set) var failure: BinaryFormatError?
    /// The start of the last range read, which the next is relative to.
    private var previousRangeStart = 0

    /// A reader at `offset` of `bytes`.
    public init(_ bytes: [UInt8], at offset: Int = 0) {
        self.bytes = bytes
        self.offset = min(max(0, offset), bytes.count)
    }

    /// Whether every byte has been read.
    public var isAtEnd: Bool { offset == bytes.count }

    /// The bytes not read yet.
    public var remaining: Int { bytes.count - offset }

    /// Records `message` as the failure at `at` (unless one came first) and stops reading.
    public mutating func fail(_ message: String, at: Int) {
        if failure == nil { failure = BinaryFormatError(message, at: at) }
        offset = bytes.count
    }

    /// The next `count` bytes, raw; empty after a failure.
    public mutating func raw(_ count: Int) -> ArraySlice<UInt8> {
        guard count >= 0, count <= remaining else {
            fail("the input ends early", at: offset)
            return []
        }
        defer { offset += count }
        return bytes[offset..<(offset + count)]
    }

    /// An unsigned LEB128 integer of at most ten bytes that fits in 64 bits.
    public mutating func unsigned() -> UInt64 {
        let start = offset
        var value: UInt64 = 0
        var shift: UInt64 = 0
        while offset < bytes.count {
            let byte = bytes[offset]
            offset += 1
            let bits = UInt64(byte & 0x7F)
            // The tenth byte holds the 64th bit only; anything above it overflows.
            guard shift < 63 || (shift == 63 && bits <= 1) else {
                fail("an integer does not fit in 64 bits", at: start)
                return 0
            }
            value |= bits << shift
            if byte < 0x80 { return value }
            shift += 7
        }
        fail("the input ends early", at: offset)
        return 0
    }

    /// A zigzag-encoded signed integer, as 64 bits on every platform.
    public mutating func wideInteger() -> Int64 {
        let encoded = unsigned()
        return Int64(bitPattern: encoded >> 1) ^ -Int64(bitPattern: encoded & 1)
    }

    /// A zigzag-encoded signed integer that fits in `Int` (32 bits on wasm32).
    public mutating func integer() -> Int {
        let start = offset
        let wide = wideInteger()
        guard let value = Int(exactly: wide) else {
            fail("the integer \(wide) does not fit this platform's Int", at: start)
            return 0
        }
        return value
    }

    /// A count or offset: an unsigned integer no larger than `limit`.
    public mutating func count(limit: Int = Int(Int32.max)) -> Int {
        let start = offset
        let value = unsigned()
        guard value <= UInt64(max(0, limit)) else {
            fail("the count \(value) is larger than \(limit)", at: start)
            return 0
        }
        return Int(value)
    }

    /// A count of elements that take at least one byte each, so never more than the bytes
    /// left: a damaged count cannot make a reader reserve memory the input does not back.
    public mutating func elementCount() -> Int {
        let start = offset
        let value = count()
        guard value <= remaining else {
            fail("a count of \(value) elements runs past the end of the input", at: start)
            return 0
        }
        return value
    }

    /// A double from its bit pattern.
    public mutating func double() -> Double {
        var pattern: UInt64 = 0
        for (shift, byte) in raw(8).enumerated() { pattern |= UInt64(byte) << UInt64(shift * 8) }
        return Double(bitPattern: pattern)
    }

    /// A flag, 0 or 1.
    public mutating func bool() -> Bool {
        let start = offset
        let byte = raw(1).first ?? 0
        guard byte <= 1 else {
            fail("a flag is \(byte), not 0 or 1", at: start)
            return false
        }
        return byte == 1
    }

    /// A string; bytes that are not UTF-8 read as U+FFFD, as everywhere text is decoded.
    public mutating func string() -> String {
        let length = count()
        return String(decoding: raw(length), as: UTF8.self)
    }

    /// A range written as its start relative to the range read before it, and its length.
    public mutating func range() -> ByteRange {
        let start = offset
        let from = Int64(previousRangeStart) &+ wideInteger()
        let length = Int64(count())
        guard from >= 0, from <= Int64(Int32.max) - length else {
            fail("a range starts before 0 or ends past \(Int32.max)", at: start)
            return ByteRange(start: 0, end: 0)
        }
        previousRangeStart = Int(from)
        return ByteRange(start: Int(from), end: Int(from + length))
    }

    /// nil for 0; else the value `read` reads.
    public mutating func optional<Value>(_ read: (inout BinaryReader) -> Value) -> Value? {
        bool() ? read(&self) : nil
    }

    /// A count, then that many values read by `read`; fewer after a failure.
    public mutating func array<Value>(_ read: (inout BinaryReader) -> Value) -> [Value] {
        let count = elementCount()
        var values: [Value] = []
        // A value in memory is larger than its bytes; reserving for a count the bytes only
        // claim would let a small input ask for a large allocation up front.
        values.reserveCapacity(min(count, 4096))
        for _ in 0..<count where failure == nil { values.append(read(&self)) }
        return values
    }
}
