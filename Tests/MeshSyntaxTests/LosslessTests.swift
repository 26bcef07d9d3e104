import MeshSyntax
import MeshTestSupport
import Testing

/// The tree is lossless and well nested for any input, broken or not.
@Suite("Lossless trees")
struct LosslessTests {
    /// Parses `bytes` in every dialect and requires every structural promise to hold.
    static func check(_ bytes: [UInt8], sourceLocation: SourceLocation = #_sourceLocation) {
        for dialect in [JSONDialect.strict, .json, .jsonc] {
            let tree = JSONParser.parse(SourceText(bytes: bytes), options: ParseOptions(dialect: dialect))
            let problems = TreeInvariants.problems(in: tree)
            #expect(
                problems.isEmpty,
                Comment(
                    rawValue: "\(dialect) for \(String(decoding: bytes.prefix(80), as: UTF8.self).debugDescription): "
                        + "\(problems.prefix(5))"),
                sourceLocation: sourceLocation)
        }
    }

    static let inputs: [String] = [
        "",
        " \n\t\r\n ",
        "{}",
        "[]",
        "\"lonely\"",
        "-12.5e+3",
        "{\"a\": [1, 2, {\"b\": null}], \"c\": true, \"d\": \"e\\n\\u00e9😀\"}",
        "// lead\n{ /* in */ \"a\" /* before colon */ : /* before value */ 1 /* after */, } // tail",
        "\u{FEFF}{\"bom\": true}",
        "{\r\n  \"crlf\": 1,\r\n  \"cr\": 2\r}",
        "{\"a\": 1 \"b\": 2}",
        "{\"a\" 1, \"b\": }",
        "{a: 1, 'b': 'c', \"d\": tru, \"e\": .5, \"f\": +1, \"g\": 01}",
        "[1, 2,, 3 4 ; 5}",
        "{\"a\": [1, 2}, \"b\": {\"c\": 3]}",
        "[\"unterminated\n, \"x\"]",
        "[\"unterminated at end",
        "{\"a\": 1 /* unterminated comment",
        "}{][",
        "[[[[[[",
        "{\"a\":{\"a\":{\"a\":",
        "]]]]}}}}",
        "[1] [2] {\"three\": 3}",
        "\u{0}\u{1}\u{1F}",
        "{\"a\":: 1, \"b\" = 2, , \"c\": 3,}",
        "['single', 'it\\'s', 'open\n]",
        "[é, ⁠, 😀]",
        "{\"k\": \"v\"} trailing words here",
        "/",
        "[/]",
        "{\"a\":1,\"a\":2,\"a\":3}",
    ]

    @Test("tokens and gaps rebuild the source; nodes nest", arguments: inputs)
    func text(input: String) {
        Self.check(Array(input.utf8))
    }

    @Test(
        "invalid UTF-8 inside and outside strings",
        arguments: [
            [0xFF],
            [0x5B, 0x22, 0xFF, 0x22, 0x5D],
            [0x7B, 0x22, 0xC0, 0xAF, 0x22, 0x3A, 0x31, 0x7D],
            [0x5B, 0xE6, 0xBC, 0x5D],
            [0xEF, 0xBB],
            [0xEF, 0xBB, 0xBF],
            [0x22, 0xED, 0xA0, 0x80, 0x22],
            [0x5B, 0x31, 0x80, 0x80, 0x80, 0x5D],
        ] as [[UInt8]])
    func invalidUTF8(bytes: [UInt8]) {
        Self.check(bytes)
    }

    @Test("random mutations of a config keep every promise")
    func randomMutations() {
        let base = Array(
            """
            {
              // mesh
              "version": 1, "mesh": {"name": "prod", "tags": ["a", "b"]},
              "services": {"api": {"endpoints": [{"url": "https://a", "weight": 2.5e0}]}},
              /* rules */ "routing": {"rules": [{"path": "/x/*", "service": "api"}]}
            }
            """.utf8)
        let alphabet = Array("{}[]:,\"'\\/*\n\r\t 0123456789.-+eEtrufalsn".utf8) + [0x00, 0xFF, 0xC3]
        var generator = SeededGenerator(seed: 0x5EED_1055)
        for _ in 0..<300 {
            var bytes = base
            for _ in 0..<Int.random(in: 1...6, using: &generator) {
                let index = Int.random(in: 0...bytes.count, using: &generator)
                switch Int.random(in: 0..<3, using: &generator) {
                case 0 where index < bytes.count: bytes.remove(at: index)
                case 1 where index < bytes.count: bytes[index] = alphabet.randomElement(using: &generator) ?? 0
                default: bytes.insert(alphabet.randomElement(using: &generator) ?? 0, at: index)
                }
            }
            Self.check(bytes)
        }
    }

    @Test("node(at:) finds the deepest node, and path(to:) names it")
    func nodeLookup() throws {
        let input = Marked(#"{"a": {"b": [10, ⟨20⟩]}, "c": ⟨"x"⟩}"#)
        let tree = JSONParser.parse(input.text)
        let twenty = tree.node(at: input.expected[0].start)
        #expect(tree.kind(twenty) == .number && tree.range(twenty) == input.expected[0])
        #expect(tree.path(to: twenty) == [.key("a"), .key("b"), .index(1)])
        let string = tree.node(at: input.expected[1].start + 1)
        #expect(tree.string(string) == "x")
        #expect(tree.path(to: string) == [.key("c")])
    }
}
