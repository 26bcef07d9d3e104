import MeshSyntax
import MeshTestSupport
import Testing

/// The checkpointed conversion (``LineIndex`` on non-ASCII text) against the definition:
/// count the units of every character from the line's start. Documents are random mixes
/// of ASCII, two-, three- and four-byte characters, invalid bytes and line breaks, with
/// lines far longer than a checkpoint's stride, so conversions start from checkpoints in
/// the middle of lines and of characters.
@Suite("Line index on long lines")
struct LineIndexLongLineTests {
    /// The pieces documents are made of: each is one character, one invalid byte or one
    /// line break.
    static let pieces: [[UInt8]] = [
        Array("a".utf8), Array("{".utf8), Array("é".utf8), Array("漢".utf8), Array("😀".utf8),
        [0xFF], [0xE6, 0xBC], Array("\n".utf8), Array("\r\n".utf8), Array("\r".utf8),
    ]

    /// A random document of about `length` bytes where a line break is rare (about one
    /// in `lineBreakOdds` pieces).
    static func document(seed: UInt64, length: Int, lineBreakOdds: Int) -> [UInt8] {
        var generator = SplitMix(seed: seed)
        var bytes: [UInt8] = []
        while bytes.count < length {
            let isBreak = generator.next(below: lineBreakOdds) == 0
            let piece = isBreak ? 7 + generator.next(below: 3) : generator.next(below: 7)
            bytes += pieces[piece]
        }
        return bytes
    }

    /// The column of `offset` counted from its line's start, one character at a time.
    static func referenceColumn(_ bytes: [UInt8], lineStart: Int, offset: Int, _ encoding: PositionEncoding) -> Int {
        var (index, units) = (lineStart, 0)
        while index < offset {
            let (length, scalarUnits) = characterInfo(bytes, at: index, encoding)
            if index + length > offset { break }
            (index, units) = (index + length, units + scalarUnits)
        }
        return units
    }

    /// Byte length and units of the character at `index`, by the lexer's rules restated.
    static func characterInfo(_ bytes: [UInt8], at index: Int, _ encoding: PositionEncoding) -> (Int, Int) {
        let lead = bytes[index]
        let expected = lead < 0x80 ? 1 : lead >= 0xF0 && lead <= 0xF4 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC2 ? 2 : 0
        let complete =
            expected > 0 && index + expected <= bytes.count
            && bytes[(index + 1)..<(index + expected)].allSatisfy { $0 & 0xC0 == 0x80 }
        guard complete else { return (1, 1) }
        switch encoding {
        case .utf8: return (expected, expected)
        case .utf16: return (expected, expected == 4 ? 2 : 1)
        case .utf32: return (expected, 1)
        }
    }

    @Test("positions and offsets match a scan from the line's start", arguments: [1, 2, 3, 4, 5, 6])
    func matchesReference(seed: UInt64) {
        let bytes = Self.document(seed: seed, length: 6_000, lineBreakOdds: seed % 2 == 0 ? 400 : 4_000)
        let index = SourceText(bytes: bytes).lineIndex
        var generator = SplitMix(seed: seed &* 31)
        for _ in 0..<400 {
            let offset = generator.next(below: bytes.count + 1)
            let line = index.line(containing: offset)
            let content = index.contentRange(ofLine: line)
            let clamped = min(offset, content.end)
            for encoding in PositionEncoding.allCases {
                let expected = Self.referenceColumn(bytes, lineStart: content.start, offset: clamped, encoding)
                let position = index.position(of: offset, in: encoding)
                #expect(position == LinePosition(line: line, character: expected), "\(encoding) at \(offset)")
                // Back again: the column leads to the start of the character it counts to.
                let back = index.offset(of: position, in: encoding)
                #expect(
                    Self.referenceColumn(bytes, lineStart: content.start, offset: back, encoding) == expected
                        && back <= clamped,
                    "\(encoding) round trip of \(offset) gave \(back)")
                // Past the line's end, a column clamps to the end.
                let far = index.offset(of: LinePosition(line: line, character: expected + 100_000), in: encoding)
                #expect(far == content.end, "\(encoding) clamp on line \(line)")
            }
        }
    }

    /// Line starts found one byte at a time, as LSP defines lines.
    static func referenceLineStarts(_ bytes: [UInt8]) -> [Int] {
        var starts = [0]
        var index = 0
        while index < bytes.count {
            if bytes[index] == UInt8(ascii: "\r"), index + 1 < bytes.count, bytes[index + 1] == UInt8(ascii: "\n") {
                index += 1
            }
            if bytes[index] == UInt8(ascii: "\n") || bytes[index] == UInt8(ascii: "\r") { starts.append(index + 1) }
            index += 1
        }
        return starts
    }

    @Test(
        "line starts match a byte-by-byte scan, with breaks at every place in the 8-byte words the index skips",
        arguments: [1, 2, 3, 4, 5, 6, 7, 8])
    func lineStartsMatchReference(seed: UInt64) {
        var generator = SplitMix(seed: seed)
        // Mostly ASCII runs of every length, so that `\r\n` and lone breaks fall on and
        // across word boundaries; odd seeds add non-ASCII characters part-way through.
        let alphabet: [[UInt8]] = [
            Array("a".utf8), Array("\"".utf8), Array("\n".utf8), Array("\r".utf8), Array("\r\n".utf8), [0x7F],
        ]
        var bytes: [UInt8] = []
        while bytes.count < 3_000 {
            let run = generator.next(below: 20)
            bytes += [UInt8](repeating: UInt8(ascii: "x"), count: run)
            bytes += alphabet[generator.next(below: alphabet.count)]
            if seed % 2 == 1, bytes.count > 1_500, generator.next(below: 10) == 0 { bytes += Array("é".utf8) }
        }
        let index = LineIndex(bytes: bytes)
        #expect(index.lineStarts == Self.referenceLineStarts(bytes))
    }
}
