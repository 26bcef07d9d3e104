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
public struct BinaryReader: Sendable {
    private let bytes: [UInt8]
    /// The offset of the next byte to read.
    public private(set) var offset: Int

    /// A reader at `offset` of `bytes`.
    public init(_ bytes: [UInt8], at offset: Int = 0) {
        self.bytes = bytes
        self.offset = min(max(0, offset), bytes.count)
    }

    /// Whether every byte has been read.
    public var isAtEnd: Bool { offset == bytes.count }

    /// The bytes not read yet.
    public var remaining: Int { bytes.count - offset }

    /// The next `count` bytes, raw.
    public mutating func raw(_ count: Int) throws(BinaryFormatError) -> ArraySlice<UInt8> {
        guard count >= 0, count <= remaining else { throw BinaryFormatError("the input ends early", at: offset) }
        defer { offset += count }
        return bytes[offset..<(offset + count)]
    }

    /// An unsigned LEB128 integer of at most ten bytes that fits in 64 bits.
    public mutating func unsigned() throws(BinaryFormatError) -> UInt64 {
        let start = offset
        var value: UInt64 = 0
        var shift: UInt64 = 0
        while true {
            guard offset < bytes.count else { throw BinaryFormatError("the input ends early", at: offset) }
            let byte = bytes[offset]
            offset += 1
            let bits = UInt64(byte & 0x7F)
            // The tenth byte holds the 64th bit only; anything above it overflows.
            guard shift < 64, shift < 63 || bits <= 1 else {
                throw BinaryFormatError("an integer does not fit in 64 bits", at: start)
            }
            value |= bits << shift
            if byte < 0x80 { return value }
            shift += 7
        }
    }

    /// A zigzag-encoded signed integer, as 64 bits on every platform.
    public mutating func wideInteger() throws(BinaryFormatError) -> Int64 {
        let encoded = try unsigned()
        return Int64(bitPattern: encoded >> 1) ^ -Int64(bitPattern: encoded & 1)
    }

    /// A zigzag-encoded signed integer that fits in `Int` (32 bits on wasm32).
    public mutating func integer() throws(BinaryFormatError) -> Int {
        let start = offset
        let wide = try wideInteger()
        guard let value = Int(exactly: wide) else {
            throw BinaryFormatError("the integer \(wide) does not fit this platform's Int", at: start)
        }
        return value
    }

    /// A count or offset: an unsigned integer no larger than `limit`.
    public mutating func count(limit: Int = Int(Int32.max)) throws(BinaryFormatError) -> Int {
        let start = offset
        let value = try unsigned()
        guard value <= UInt64(max(0, limit)) else {
            throw BinaryFormatError("the count \(value) is larger than \(limit)", at: start)
        }
        return Int(value)
    }

    /// A count of elements that take at least one byte each, so never more than the bytes
    /// left: a damaged count cannot make a reader reserve memory the input does not back.
    public mutating func elementCount() throws(BinaryFormatError) -> Int {
        let start = offset
        let value = try count()
        guard value <= remaining else {
            throw BinaryFormatError("a count of \(value) elements runs past the end of the input", at: start)
        }
        return value
    }

    /// A double from its bit pattern.
    public mutating func double() throws(BinaryFormatError) -> Double {
        var pattern: UInt64 = 0
        for (shift, byte) in try raw(8).enumerated() { pattern |= UInt64(byte) << UInt64(shift * 8) }
        return Double(bitPattern: pattern)
    }

    /// A flag, 0 or 1.
    public mutating func bool() throws(BinaryFormatError) -> Bool {
        let start = offset
        let byte = try raw(1).first ?? 0
        guard byte <= 1 else { throw BinaryFormatError("a flag is \(byte), not 0 or 1", at: start) }
        return byte == 1
    }

    /// A string; bytes that are not UTF-8 read as U+FFFD, as everywhere text is decoded.
    public mutating func string() throws(BinaryFormatError) -> String {
        let length = try count()
        return String(decoding: try raw(length), as: UTF8.self)
    }

    /// A range written as its start and length.
    public mutating func range() throws(BinaryFormatError) -> ByteRange {
        let start = offset
        let from = try count()
        let length = try count()
        guard from <= Int(Int32.max) - length else {
            throw BinaryFormatError("a range ends past \(Int32.max)", at: start)
        }
        return ByteRange(start: from, end: from + length)
    }

    /// nil for 0; else the value `read` reads.
    public mutating func optional<Value>(
        _ read: (inout BinaryReader) throws(BinaryFormatError) -> Value
    ) throws(BinaryFormatError) -> Value? {
        try bool() ? try read(&self) : nil
    }

    /// A count, then that many values read by `read`.
    public mutating func array<Value>(
        _ read: (inout BinaryReader) throws(BinaryFormatError) -> Value
    ) throws(BinaryFormatError) -> [Value] {
        let count = try elementCount()
        var values: [Value] = []
        // A value in memory is larger than its bytes; reserving for a count the bytes only
        // claim would let a small input ask for a large allocation up front.
        values.reserveCapacity(min(count, 4096))
        for _ in 0..<count { values.append(try read(&self)) }
        return values
    }
}
