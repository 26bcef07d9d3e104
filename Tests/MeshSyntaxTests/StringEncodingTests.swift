import MeshSyntax
import Testing

@Suite("string literals")
struct StringEncodingTests {
    @Test(
        "short escapes where JSON has them, \\u00XX for the other control characters",
        arguments: [
            ("plain", #""plain""#),
            ("a\"b\\c", #""a\"b\\c""#),
            ("\n\r\t\u{8}\u{C}", #""\n\r\t\b\f""#),
            ("\u{0}\u{1F}", #""\u0000\u001f""#),
            ("é 😀 /", "\"é 😀 /\""),
        ])
    func literals(text: String, expected: String) {
        #expect(StringEncoding.literal(text) == expected)
    }

    @Test("every literal parses back, in the strict dialect, to the text it encodes")
    func roundTrip() throws {
        var texts = (0..<0x80).map { String(UnicodeScalar(UInt8($0))) }
        texts += ["", "\u{7F}", "\u{2028}", "a\u{0}b", "\"\\\"", "日本語", "👩‍💻"]
        for text in texts {
            let tree = JSONParser.parse(
                SourceText(StringEncoding.literal(text)), options: ParseOptions(dialect: .strict))
            #expect(tree.diagnostics.isEmpty, "\(text.unicodeScalars.map(\.value))")
            let root = try #require(tree.rootValue)
            #expect(tree.string(root) == text)
        }
    }
}
