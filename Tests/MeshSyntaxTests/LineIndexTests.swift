import MeshSyntax
import MeshTestSupport
import Testing

/// Byte offsets to line/column positions in UTF-8, UTF-16 and UTF-32 and back.
@Suite("Line index")
struct LineIndexTests {
    /// An expected position: the line and the column in each encoding.
    struct Column: Sendable, CustomStringConvertible {
        let line: Int
        let utf8: Int
        let utf16: Int
        let utf32: Int

        init(_ line: Int, utf8: Int, utf16: Int, utf32: Int) {
            self.line = line
            self.utf8 = utf8
            self.utf16 = utf16
            self.utf32 = utf32
        }

        var description: String { "line \(line) utf8 \(utf8) utf16 \(utf16) utf32 \(utf32)" }
    }

    /// The empty `⟨⟩` marker in `marked` is the offset; checks its position in every
    /// encoding, and that each position leads back to the same offset.
    static func check(_ marked: String, _ expected: Column, sourceLocation: SourceLocation = #_sourceLocation) {
        let input = Marked(marked)
        guard let offset = input.expected.first?.start else {
            Issue.record("row has no ⟨⟩ marker", sourceLocation: sourceLocation)
            return
        }
        let index = SourceText(input.text).lineIndex
        let columns: [(PositionEncoding, Int)] = [
            (.utf8, expected.utf8), (.utf16, expected.utf16), (.utf32, expected.utf32),
        ]
        for (encoding, column) in columns {
            let position = index.position(of: offset, in: encoding)
            #expect(
                position == LinePosition(line: expected.line, character: column),
                "\(encoding) position of \(offset) in \(input.text.debugDescription)", sourceLocation: sourceLocation)
            #expect(
                index.offset(of: position, in: encoding) == offset,
                "\(encoding) round trip of \(offset) in \(input.text.debugDescription)", sourceLocation: sourceLocation)
        }
    }

    static let positions: [(String, Column)] = [
        ("⟨⟩abc", Column(0, utf8: 0, utf16: 0, utf32: 0)),
        ("abc⟨⟩", Column(0, utf8: 3, utf16: 3, utf32: 3)),
        // An emoji is 4 UTF-8 bytes, 2 UTF-16 units (a surrogate pair) and 1 scalar.
        ("a😀⟨⟩b", Column(0, utf8: 5, utf16: 3, utf32: 2)),
        ("😀😀⟨⟩", Column(0, utf8: 8, utf16: 4, utf32: 2)),
        // CJK is 3 UTF-8 bytes and 1 UTF-16 unit.
        ("漢字⟨⟩x", Column(0, utf8: 6, utf16: 2, utf32: 2)),
        ("{\"名前\": ⟨⟩1}", Column(0, utf8: 11, utf16: 7, utf32: 7)),
        // A combining mark is a scalar of its own even though it draws on the letter before.
        ("e\u{301}⟨⟩x", Column(0, utf8: 3, utf16: 2, utf32: 2)),
        ("e⟨⟩\u{301}x", Column(0, utf8: 1, utf16: 1, utf32: 1)),
        // Flags are two regional-indicator scalars, each a surrogate pair.
        ("🇨🇭⟨⟩", Column(0, utf8: 8, utf16: 4, utf32: 2)),
        // Line breaks: \n, \r\n and a lone \r each end a line.
        ("ab\n⟨⟩cd", Column(1, utf8: 0, utf16: 0, utf32: 0)),
        ("ab\r\n⟨⟩cd", Column(1, utf8: 0, utf16: 0, utf32: 0)),
        ("ab\r⟨⟩cd", Column(1, utf8: 0, utf16: 0, utf32: 0)),
        ("ab\r\nc😀⟨⟩d", Column(1, utf8: 5, utf16: 3, utf32: 2)),
        ("a\r\rb\n⟨⟩c", Column(3, utf8: 0, utf16: 0, utf32: 0)),
        ("a\n\r\n\r⟨⟩", Column(3, utf8: 0, utf16: 0, utf32: 0)),
        ("😀\r\n漢⟨⟩\r\n", Column(1, utf8: 3, utf16: 1, utf32: 1)),
        ("ab⟨⟩\r\ncd", Column(0, utf8: 2, utf16: 2, utf32: 2)),
    ]

    @Test("positions in every encoding", arguments: positions)
    func position(marked: String, expected: Column) {
        Self.check(marked, expected)
    }

    /// Offsets that are not where a position can point: inside a character, or between
    /// the `\r` and `\n` of one line break. Each resolves to the start of the character
    /// or the end of the line, in every encoding.
    @Test(
        "offsets inside a character or a line break",
        arguments: [
            ("a😀b", 2, Column(0, utf8: 1, utf16: 1, utf32: 1)),
            ("a😀b", 4, Column(0, utf8: 1, utf16: 1, utf32: 1)),
            ("漢字", 4, Column(0, utf8: 3, utf16: 1, utf32: 1)),
            ("é", 1, Column(0, utf8: 0, utf16: 0, utf32: 0)),
            ("ab\r\ncd", 3, Column(0, utf8: 2, utf16: 2, utf32: 2)),
        ])
    func insideCharacter(text: String, offset: Int, expected: Column) {
        let index = SourceText(text).lineIndex
        #expect(index.position(of: offset, in: .utf8) == LinePosition(line: expected.line, character: expected.utf8))
        #expect(index.position(of: offset, in: .utf16) == LinePosition(line: expected.line, character: expected.utf16))
        #expect(index.position(of: offset, in: .utf32) == LinePosition(line: expected.line, character: expected.utf32))
    }

    /// Positions that point past the end of a line, past the last line, into half a
    /// surrogate pair, or before the document clamp as LSP asks.
    @Test(
        "clamping",
        arguments: [
            ("abc\ndef", LinePosition(line: 0, character: 99), PositionEncoding.utf16, 3),
            ("abc\r\ndef", LinePosition(line: 0, character: 4), PositionEncoding.utf8, 3),
            ("abc\rdef", LinePosition(line: 0, character: 4), PositionEncoding.utf32, 3),
            ("abc\ndef", LinePosition(line: 1, character: 99), PositionEncoding.utf8, 7),
            ("abc\ndef", LinePosition(line: 5, character: 0), PositionEncoding.utf16, 7),
            ("abc\ndef\n", LinePosition(line: 2, character: 3), PositionEncoding.utf16, 8),
            ("abc", LinePosition(line: -1, character: 2), PositionEncoding.utf16, 0),
            ("abc", LinePosition(line: 0, character: -5), PositionEncoding.utf16, 0),
            // Half an emoji in UTF-16 is the emoji's start.
            ("a😀b", LinePosition(line: 0, character: 2), PositionEncoding.utf16, 1),
            // A UTF-8 column inside a character is the character's start.
            ("a漢b", LinePosition(line: 0, character: 3), PositionEncoding.utf8, 1),
            ("", LinePosition(line: 0, character: 3), PositionEncoding.utf8, 0),
        ])
    func clamping(text: String, position: LinePosition, encoding: PositionEncoding, offset: Int) {
        #expect(SourceText(text).lineIndex.offset(of: position, in: encoding) == offset)
    }

    @Test("offsets outside the document clamp to its ends")
    func offsetClamping() {
        let index = SourceText("ab\ncd").lineIndex
        #expect(index.position(of: -4, in: .utf16) == LinePosition(line: 0, character: 0))
        #expect(index.position(of: 99, in: .utf16) == LinePosition(line: 1, character: 2))
        #expect(index.line(containing: 99) == 1)
    }

    @Test(
        "line starts and content ranges",
        arguments: [
            ("", [0], [ByteRange(start: 0, end: 0)]),
            ("a", [0], [ByteRange(start: 0, end: 1)]),
            ("a\n", [0, 2], [ByteRange(start: 0, end: 1), ByteRange(start: 2, end: 2)]),
            (
                "a\r\nb\rc\n\nd", [0, 3, 5, 7, 8],
                [
                    ByteRange(start: 0, end: 1), ByteRange(start: 3, end: 4), ByteRange(start: 5, end: 6),
                    ByteRange(start: 7, end: 7), ByteRange(start: 8, end: 9),
                ]
            ),
        ])
    func lines(text: String, starts: [Int], contents: [ByteRange]) {
        let index = SourceText(text).lineIndex
        #expect(index.lineStarts == starts)
        #expect(index.lineCount == starts.count)
        #expect((0..<index.lineCount).map { index.contentRange(ofLine: $0) } == contents)
    }

    /// Every character boundary of texts mixing all the hard cases survives
    /// offset -> position -> offset in every encoding, and positions grow with offsets.
    @Test(
        "round trips at every character boundary",
        arguments: [
            "plain ascii\nsecond line",
            "😀a漢e\u{301}🇨🇭\r\n\u{10FFFF}\r\u{7F}\u{80}x\n",
            "{\n  \"名前\": \"値😀\",\r\n  \"e\u{301}\": [1, 2]\r}",
            "\r\r\n\n\r",
        ])
    func roundTrips(text: String) {
        let source = SourceText(text)
        let index = source.lineIndex
        var boundaries: [Int] = []
        var offset = 0
        for scalar in text.unicodeScalars {
            boundaries.append(offset)
            offset += String(scalar).utf8.count
        }
        boundaries.append(offset)
        // Offsets between the `\r` and `\n` of one break are not positions of their own.
        boundaries.removeAll { $0 > 0 && $0 < source.count && source.bytes[$0 - 1] == 0x0D && source.bytes[$0] == 0x0A }
        for encoding in PositionEncoding.allCases {
            var previous: LinePosition?
            for offset in boundaries {
                let position = index.position(of: offset, in: encoding)
                #expect(
                    index.offset(of: position, in: encoding) == offset, "\(encoding) offset \(offset) via \(position)")
                if let previous {
                    #expect(
                        previous < position,
                        "\(encoding) positions must grow: \(previous) then \(position) at \(offset)")
                }
                previous = position
            }
        }
    }

    /// Invalid UTF-8 counts one unit per bad byte, the same way the lexer splits it.
    @Test("invalid UTF-8 bytes count as one unit each")
    func invalidBytes() {
        // 0xFF is never valid, 0xE6 0xBC starts a CJK character that is cut short, and
        // 0xC0 0xAF is an overlong slash.
        let bytes: [UInt8] = [0x61, 0xFF, 0xE6, 0xBC, 0xC0, 0xAF, 0x62]
        let index = SourceText(bytes: bytes).lineIndex
        for encoding in PositionEncoding.allCases {
            #expect(index.position(of: 6, in: encoding) == LinePosition(line: 0, character: 6), "\(encoding)")
            #expect(index.offset(of: LinePosition(line: 0, character: 6), in: encoding) == 6, "\(encoding)")
        }
    }
}
