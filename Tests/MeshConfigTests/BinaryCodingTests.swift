import MeshConfig
import MeshSyntax
import MeshTestSupport
import Testing

/// The primitives of the route plan's binary form: each value reads back as written, bit
/// for bit, and each damaged input is an error naming where it stopped, never a trap.
@Suite("BinaryWriter and BinaryReader")
struct BinaryCodingTests {
    static let unsigned: [UInt64] = [0, 1, 127, 128, 255, 16_383, 16_384, 1 << 32, 1 << 63, .max - 1, .max]
    static let integers: [Int] = [0, 1, -1, 63, -64, 64, -65, Int(Int32.max), Int(Int32.min), .max, .min]
    /// Ranges forward and back through a source, each written relative to the one before.
    static let ranges = [
        ByteRange(start: 7, end: 19), ByteRange(start: 3, end: 4), ByteRange(start: 2_000_000, end: 2_000_100),
        ByteRange(start: 0, end: 0), ByteRange(start: Int(Int32.max) - 1, end: Int(Int32.max)),
    ]
    static let doubles: [Double] = [0, -0.0, 1.5, -2.25e-300, .infinity, -.infinity, .nan, .leastNonzeroMagnitude]

    @Test("integers, doubles, flags, strings and ranges read back as written")
    func roundTrip() {
        var writer = BinaryWriter()
        for value in Self.unsigned { writer.unsigned(value) }
        for value in Self.integers { writer.integer(value) }
        for value in Self.doubles { writer.double(value) }
        writer.bool(true)
        writer.bool(false)
        for text in ["", "a", "caf\u{E9} \u{1F600}", String(repeating: "x", count: 300)] { writer.string(text) }
        for range in Self.ranges { writer.range(range) }
        writer.optional(Optional<Int>.none) { $0.integer($1) }
        writer.optional(Optional(-5)) { $0.integer($1) }
        writer.array([3, 1, 2]) { $0.count($1) }

        var reader = BinaryReader(writer.bytes)
        for value in Self.unsigned { #expect(reader.unsigned() == value) }
        for value in Self.integers { #expect(reader.integer() == value) }
        for value in Self.doubles { #expect(reader.double().bitPattern == value.bitPattern) }
        #expect(reader.bool() == true)
        #expect(reader.bool() == false)
        for text in ["", "a", "caf\u{E9} \u{1F600}", String(repeating: "x", count: 300)] {
            #expect(reader.string() == text)
        }
        for range in Self.ranges { #expect(reader.range() == range) }
        #expect(reader.optional { $0.integer() } == nil)
        #expect(reader.optional { $0.integer() } == -5)
        #expect(reader.array { $0.count() } == [3, 1, 2])
        #expect(reader.isAtEnd)
        #expect(reader.failure == nil)
    }

    @Test("small values take one byte; a 64-bit value takes ten")
    func lengths() {
        for (value, length) in [(UInt64(0), 1), (127, 1), (128, 2), (.max, 10)] {
            var writer = BinaryWriter()
            writer.unsigned(value)
            #expect(writer.bytes.count == length, "\(value)")
        }
        var writer = BinaryWriter()
        writer.integer(-64)
        #expect(writer.bytes == [127])
        // A range a little after the one before takes a byte for its start, wherever it is.
        var ranges = BinaryWriter()
        ranges.range(ByteRange(start: 2_000_000, end: 2_000_010))
        let first = ranges.bytes.count
        ranges.range(ByteRange(start: 2_000_040, end: 2_000_050))
        #expect(first == 5 && ranges.bytes.count - first == 2)
    }

    /// Each damaged input, and the message and offset it must give.
    static let damaged:
        [(
            name: String, bytes: [UInt8], read: @Sendable (inout BinaryReader) -> Void, message: String,
            offset: Int
        )] = [
            ("empty", [], { _ = $0.unsigned() }, "the input ends early", 0),
            ("a continuation byte last", [0x80, 0x80], { _ = $0.unsigned() }, "the input ends early", 2),
            (
                "eleven bytes", Array(repeating: 0xFF, count: 10) + [0x01], { _ = $0.unsigned() },
                "an integer does not fit in 64 bits", 0
            ),
            (
                "a tenth byte above 1", Array(repeating: 0xFF, count: 9) + [0x02], { _ = $0.unsigned() },
                "an integer does not fit in 64 bits", 0
            ),
            ("a flag of 2", [2], { _ = $0.bool() }, "a flag is 2, not 0 or 1", 0),
            ("a string longer than the input", [5, 0x61], { _ = $0.string() }, "the input ends early", 1),
            (
                "a count past the input", [0x80, 0x80, 0x80, 0x80, 0x01, 0], { _ = $0.elementCount() },
                "a count of 268435456 elements runs past the end of the input", 0
            ),
            (
                "a count above the limit", [200, 1], { _ = $0.count(limit: 100) },
                "the count 200 is larger than 100", 0
            ),
            (
                "a double of seven bytes", Array(repeating: 0, count: 7), { _ = $0.double() },
                "the input ends early", 0
            ),
            (
                "a range past Int32", [0xFE, 0xFF, 0xFF, 0xFF, 0x0F, 0x02], { _ = $0.range() },
                "a range starts before 0 or ends past 2147483647", 0
            ),
            (
                "a range before 0", [0x02, 0x01, 0x05, 0x01],
                {
                    _ = $0.range()
                    _ = $0.range()
                },
                "a range starts before 0 or ends past 2147483647", 2
            ),
        ]

    @Test("damaged input is a failure with its offset; reads after it answer defaults", arguments: 0..<damaged.count)
    func damagedInput(_ index: Int) {
        let sample = Self.damaged[index]
        var reader = BinaryReader(sample.bytes)
        sample.read(&reader)
        #expect(reader.failure == BinaryFormatError(sample.message, at: sample.offset), "\(sample.name)")
        #expect(reader.isAtEnd)
        #expect(reader.unsigned() == 0 && reader.string() == "" && reader.array { $0.count() } == [])
        #expect(reader.failure == BinaryFormatError(sample.message, at: sample.offset), "the first failure is kept")
    }

    @Test("an integer too wide for a 32-bit Int is refused on wasm32, read natively")
    func platformWidth() {
        var writer = BinaryWriter()
        writer.integer(Int(Int32.max) + 1)
        var reader = BinaryReader(writer.bytes)
        #if _pointerBitWidth(_32)
            _ = reader.integer()
            #expect(reader.failure != nil)
        #else
            #expect(reader.integer() == Int(Int32.max) + 1)
        #endif
    }
}
