import MeshSyntax
import Testing

/// The value the config parser gives a string token: escapes decoded, lone surrogates and
/// bytes that are not UTF-8 replaced by U+FFFD, also when they touch an escape.
struct StringDecodingTests {
    /// Parses `token` (a JSON string with its quotes, as bytes) and expects the value `expected`.
    func check(_ token: [UInt8], _ expected: String, sourceLocation: SourceLocation = #_sourceLocation) {
        let tree = JSONParser.parse(SourceText(bytes: token))
        let value = tree.rootValue.flatMap { tree.string($0) }
        #expect(
            value.map { Array($0.unicodeScalars) } == Array(expected.unicodeScalars), sourceLocation: sourceLocation)
    }

    static let quote = UInt8(ascii: "\"")

    @Test(
        "escapes, surrogate pairs and lone surrogates",
        arguments: [
            (#""a\u00e9b""#, "a\u{E9}b"),
            (#""\ud83d\ude00!""#, "\u{1F600}!"),
            (#""\ud800x""#, "\u{FFFD}x"),
            (#""\udc00\ud800""#, "\u{FFFD}\u{FFFD}"),
            (#""\ud83d\u0041""#, "\u{FFFD}A"),
            (#""tab\there\n""#, "tab\there\n"),
            (#""e\u0301""#, "e\u{301}"),
        ])
    func escapes(token: String, expected: String) {
        check(Array(token.utf8), expected)
    }

    @Test("bytes that are not UTF-8 next to an escape are replaced as they would be alone")
    func badBytesBesideEscapes() {
        let escapedA = Array(#"\u0041"#.utf8)
        let escapedNot = Array(#"\u00ac"#.utf8)
        // A lone lead byte, then an escaped letter.
        check([Self.quote, 0xC3] + escapedA + [Self.quote], "\u{FFFD}A")
        // The first two bytes of a three-byte sequence, then an escape whose own UTF-8 starts
        // with a lead byte: the escape cannot complete the broken sequence.
        check([Self.quote, 0xE2, 0x82] + escapedNot + [Self.quote], "\u{FFFD}\u{AC}")
        // An escape, then a stray continuation byte.
        check([Self.quote] + escapedA + [0x80, Self.quote], "A\u{FFFD}")
    }
}
