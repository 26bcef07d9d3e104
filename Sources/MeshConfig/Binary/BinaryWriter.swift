import MeshSyntax

/// Writes the primitives of the route plan's binary form (docs/edge.md, "The route plan"):
/// unsigned integers as LEB128, signed ones zigzag-encoded first, doubles as the eight
/// bytes of their bit pattern (little-endian, so a value reads back bit for bit), strings
/// as a byte count and their UTF-8, a range relative to the one before it, and an optional as
/// a byte, 0 or 1, before its value.
/// ``BinaryReader`` reads each back.
public struct BinaryWriter: Sendable {
    /// What has been written.
    public private(set) var bytes: [UInt8] = []
    /// The start of the last range written, which the next is written relative to.
    private var previousRangeStart = 0

    /// An empty writer.
    public init() {}

    /// Raw bytes, as they are (a magic number).
    public mutating func raw(_ values: some Sequence<UInt8>) {
        bytes.append(contentsOf: values)
    }

    /// An unsigned integer in LEB128: seven bits a byte, low bits first.
    public mutating func unsigned(_ value: UInt64) {
        var rest = value
        while rest >= 0x80 {
            bytes.append(UInt8(truncatingIfNeeded: rest) | 0x80)
            rest >>= 7
        }
        bytes.append(UInt8(truncatingIfNeeded: rest))
    }

    /// A count or another value that is never negative.
    public mutating func count(_ value: Int) {
        unsigned(UInt64(clamping: max(0, value)))
    }

    /// A signed integer, zigzag-encoded so that small negative values stay short.
    public mutating func integer(_ value: Int) {
        let wide = Int64(value)
        unsigned(UInt64(bitPattern: (wide << 1) ^ (wide >> 63)))
    }

    /// A double's bit pattern, little-endian.
    public mutating func double(_ value: Double) {
        var pattern = value.bitPattern
        for _ in 0..<8 {
            bytes.append(UInt8(truncatingIfNeeded: pattern))
            pattern >>= 8
        }
    }

    /// A flag: 0 or 1.
    public mutating func bool(_ value: Bool) {
        bytes.append(value ? 1 : 0)
    }

    /// A string's UTF-8 byte count, then its bytes.
    public mutating func string(_ value: String) {
        var text = value
        text.withUTF8 { utf8 in
            count(utf8.count)
            bytes.append(contentsOf: utf8)
        }
    }

    /// A range as its start, less the start of the range written before it (zigzag: ranges
    /// mostly follow each other through the source, so the difference is a byte or two where
    /// the start itself takes up to four), and its length.
    public mutating func range(_ value: ByteRange) {
        integer(value.start - previousRangeStart)
        count(value.end - value.start)
        previousRangeStart = value.start
    }

    /// 0 for nil; else 1 and the value, written by `write`.
    public mutating func optional<Value>(_ value: Value?, _ write: (inout BinaryWriter, Value) -> Void) {
        guard let value else {
            bool(false)
            return
        }
        bool(true)
        write(&self, value)
    }

    /// The count of `values`, then each written by `write`.
    public mutating func array<Value>(_ values: [Value], _ write: (inout BinaryWriter, Value) -> Void) {
        count(values.count)
        for value in values { write(&self, value) }
    }
}
