import MeshSyntax
import Testing

/// ``ByteRange`` stores 32-bit offsets; these pin what that means at the edges.
@Suite("byte ranges")
struct ByteRangeTests {
    @Test(
        "offsets round-trip inside 32 bits and clamp outside them, never wrapping to a valid offset",
        arguments: [
            (0, 0, 0, 0),
            (3, 9, 3, 9),
            (9, 3, 9, 9),
            (Int(Int32.max), Int(Int32.max), Int(Int32.max), Int(Int32.max)),
            (Int(Int32.max) + 5, Int(Int32.max) + 10, Int(Int32.max), Int(Int32.max)),
            (1 << 40, 1 << 41, Int(Int32.max), Int(Int32.max)),
            (-1, 4, -1, 4),
            (Int(Int32.min) - 7, 0, Int(Int32.min), 0),
        ])
    func storage(start: Int, end: Int, expectedStart: Int, expectedEnd: Int) {
        let range = ByteRange(start: start, end: end)
        #expect(range.start == expectedStart)
        #expect(range.end == expectedEnd)
    }

    @Test("shifting past 32 bits clamps to past the end of any document")
    func shiftClamps() {
        let range = ByteRange(start: 10, end: 20).shifted(by: 1 << 40)
        #expect(range.start == Int(Int32.max) && range.end == Int(Int32.max))
    }

    @Test("order and equality follow start, then end")
    func order() {
        let ranges = [ByteRange(start: 5, end: 9), ByteRange(start: 1, end: 8), ByteRange(start: 5, end: 6)]
        #expect(ranges.sorted().map(\.description) == ["1..<8", "5..<6", "5..<9"])
        #expect(ByteRange(start: 2, end: 3) == ByteRange(start: 2, end: 3))
    }
}
