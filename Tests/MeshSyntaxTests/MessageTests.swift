import MeshSyntax
import MeshTestSupport
import Testing

/// The messages and ranges users see for common mistakes.
///
/// Each row is an input with `⟨…⟩` around the range of every expected diagnostic, in
/// document order, and the messages expected there. The whole list must match: a
/// mistake must be reported once, not once by the lexer and again by the parser.
@Suite("Messages for common mistakes")
struct MessageTests {
    /// One expected diagnostic: its message and, optionally, the replacement its first fix makes.
    struct Expected: Sendable, CustomStringConvertible {
        let message: String
        let fix: String?

        init(_ message: String, fix: String? = nil) {
            self.message = message
            self.fix = fix
        }

        var description: String { fix.map { "\(message) [fix: \($0)]" } ?? message }
    }

    /// Parses `marked` (markers removed) as a `.json` file and compares every diagnostic's
    /// message, range and first fix with the table row.
    static func check(_ marked: String, _ expected: [Expected], sourceLocation: SourceLocation = #_sourceLocation) {
        let input = Marked(marked)
        let tree = JSONParser.parse(input.text, options: ParseOptions(dialect: .json))
        let actual = tree.diagnostics.map { diagnostic in
            "\(diagnostic.range) \(diagnostic.message)"
                + (diagnostic.fixes.first?.edits.first.map { " [fix: \($0.newText)]" } ?? "")
        }
        let wanted = zip(input.expected, expected).map { "\($0) \($1)" }
        #expect(
            input.expected.count == expected.count,
            "row has \(input.expected.count) ranges but \(expected.count) messages",
            sourceLocation: sourceLocation)
        #expect(actual == wanted, "for input \(input.text.debugDescription)", sourceLocation: sourceLocation)
    }

    static let cases: [(String, [Expected])] = [
        // Separators.
        (#"{"a": 1 ⟨"b"⟩: 2}"#, [Expected(#"expected ',' between properties, found string "b""#, fix: ",")]),
        ("{\"a\": 1\n  ⟨\"b\"⟩: 2\n}", [Expected(#"expected ',' between properties, found string "b""#, fix: ",")]),
        ("[1 ⟨2⟩]", [Expected("expected ',' between elements, found number 2", fix: ",")]),
        (#"{"a"⟨⟩ 1}"#, [Expected("expected ':' after the property name", fix: ":")]),
        (#"{"a" ⟨}⟩"#, [Expected("expected ':' and a value after the property name, found '}'")]),
        (#"{"a": ⟨}⟩"#, [Expected("expected a value, found '}'")]),
        (#"{"x":⟨:⟩"b"}"#, [Expected("expected a value, found ':'")]),
        (#"[""⟨:⟩ 1]"#, [Expected("expected ',' or ']' after an element, found ':'")]),
        ("[1⟨;⟩2]", [Expected("unexpected character ';'")]),
        ("[1,⟨,⟩2]", [Expected("expected a value, found ','")]),
        ("{⟨,⟩}", [Expected("expected a property, found ','")]),
        // Keys and strings.
        ("{⟨a⟩: 1}", [Expected("property names must be in double quotes: found 'a'", fix: "\"a\"")]),
        ("{⟨'a'⟩: 1}", [Expected("strings must be in double quotes: found 'a'", fix: "\"a\"")]),
        (#"[⟨'say "hi"'⟩]"#, [Expected(#"strings must be in double quotes: found 'say "hi"'"#, fix: #""say \"hi\"""#)]),
        (#"[⟨'it\'s'⟩]"#, [Expected(#"strings must be in double quotes: found 'it\'s'"#, fix: #""it's""#)]),
        ("[⟨'open⟩\n]", [Expected("unterminated single-quoted string: JSON strings use double quotes")]),
        // A string or comment left open at the end swallowed the closing brackets, so the
        // open containers are not reported again; a string cut at a line end did not.
        ("[⟨\"abc]⟩", [Expected("unterminated string: add the closing '\"'")]),
        (
            "[⟨\"abc⟩\n⟨⟩",
            [
                Expected("unterminated string: add the closing '\"'"),
                Expected("expected ']' to close the array opened at line 1, found end of input"),
            ]
        ),
        ("{\"a\": ⟨\"abc⟩\n}", [Expected("unterminated string: add the closing '\"'")]),
        (#"["a⟨\x⟩"]"#, [Expected(#"invalid escape '\x' in string"#)]),
        (#"["⟨\u12⟩"]"#, [Expected(#"invalid unicode escape: '\u' must be followed by four hex digits"#)]),
        ("[\"a⟨\t⟩b\"]", [Expected("control character U+0009 must be escaped in a string")]),
        ("[\"a⟨\u{1}⟩b\"]", [Expected("control character U+0001 must be escaped in a string")]),
        // Literals.
        ("[⟨tru⟩]", [Expected("unexpected 'tru'; did you mean 'true'?", fix: "true")]),
        ("[⟨nul⟩]", [Expected("unexpected 'nul'; did you mean 'null'?", fix: "null")]),
        ("[⟨True⟩]", [Expected("unexpected 'True': JSON literals are lower case", fix: "true")]),
        ("{\"a\": ⟨NULL⟩}", [Expected("unexpected 'NULL': JSON literals are lower case", fix: "null")]),
        ("[⟨NaN⟩]", [Expected("unexpected 'NaN': JSON has no NaN or Infinity")]),
        ("[⟨-Infinity⟩]", [Expected("unexpected '-Infinity': JSON has no NaN or Infinity")]),
        ("[⟨undefined⟩]", [Expected("unexpected 'undefined': JSON has no undefined")]),
        ("[⟨hello⟩]", [Expected("unexpected 'hello': strings must be in double quotes", fix: "\"hello\"")]),
        // Numbers.
        ("[⟨01⟩]", [Expected("invalid number '01': leading zeros are not allowed")]),
        ("[⟨-01⟩]", [Expected("invalid number '-01': leading zeros are not allowed")]),
        ("[⟨.5⟩]", [Expected("invalid number '.5': a number cannot start with '.'", fix: "0.5")]),
        ("[⟨+1⟩]", [Expected("invalid number '+1': a number cannot start with '+'", fix: "1")]),
        ("[⟨1.⟩]", [Expected("invalid number '1.': a digit must follow the decimal point")]),
        ("[⟨-⟩]", [Expected("invalid number '-': a digit must follow '-'")]),
        ("[⟨1e⟩]", [Expected("invalid number '1e': the exponent needs at least one digit")]),
        ("[⟨1.5.3⟩]", [Expected("invalid number '1.5.3': unexpected '.' in number")]),
        ("[⟨0x1F⟩]", [Expected("invalid number '0x1F': unexpected 'x' in number")]),
        // Comments (accepted in .json files, but must be closed).
        ("{⟨/*⟩ note }", [Expected("unterminated block comment: add '*/'")]),
        // Brackets.
        // A wrong closer is a typo when the brackets after it close everything else...
        ("[1⟨}⟩", [Expected("expected ']' to close the array opened at line 1, found '}'", fix: "]")]),
        ("{\n\"a\": 1⟨]⟩", [Expected("expected '}' to close the object opened at line 1, found ']'", fix: "}")]),
        (
            "{\"a\": [1⟨}⟩, \"b\": 2}",
            [Expected("expected ']' to close the array opened at line 1, found '}'", fix: "]")]
        ),
        // ...and otherwise closes an enclosing container, leaving this one unclosed.
        ("{\"a\": [1⟨}⟩", [Expected("expected ']' to close the array opened at line 1, found '}'")]),
        ("[{\"a\": 1⟨]⟩", [Expected("expected '}' to close the object opened at line 1, found ']'")]),
        ("{\"a\": [1⟨⟩", [Expected("expected ']' to close the array opened at line 1, found end of input")]),
        ("⟨}⟩", [Expected("expected a JSON value, found '}'")]),
        ("⟨⟩", [Expected("expected a JSON value, found end of input")]),
        ("  \n ⟨⟩", [Expected("expected a JSON value, found end of input")]),
        // Trailing garbage.
        ("{} ⟨x⟩", [Expected("unexpected 'x' after the end of the document")]),
        ("[1] ⟨[⟩2]", [Expected("unexpected '[' after the end of the document")]),
        // Other characters.
        ("⟨@⟩", [Expected("unexpected character '@'")]),
        ("[⟨é⟩]", [Expected("unexpected character 'é' (U+00E9)")]),
        ("[⟨\u{2060}⟩1]", [Expected("unexpected character '\u{2060}' (U+2060)")]),
        ("[⟨\u{0}⟩]", [Expected("unexpected control character U+0000")]),
        ("{\"a\" ⟨=⟩ 1}", [Expected("unexpected character '='")]),
    ]

    @Test("common mistake", arguments: cases)
    func commonMistake(input: String, expected: [Expected]) {
        Self.check(input, expected)
    }

    @Test("a long offending token is cut short in the message")
    func longTokensAreTruncated() throws {
        let word = String(repeating: "x", count: 10_000)
        let tree = JSONParser.parse("[\(word)]", options: ParseOptions(dialect: .json))
        let diagnostic = try #require(tree.diagnostics.first)
        #expect(diagnostic.range == ByteRange(start: 1, end: 10_001))
        #expect(diagnostic.message.count < 120, "message has \(diagnostic.message.count) characters")
        #expect(diagnostic.message.contains("..."))
    }

    @Test(
        "separators from other languages get help",
        arguments: [
            ("[1;2]", "JSON separates values with ','"),
            ("{\"a\" = 1}", "JSON separates a property name from its value with ':'"),
            ("[\"a\\q\"]", #"valid escapes are \" \\ \/ \b \f \n \r \t and \uXXXX"#),
            ("[\"\t\"]", #"write it as \t"#),
            ("[\"\u{1}\"]", #"write it as \u0001"#),
        ])
    func helpText(input: String, help: String) {
        let tree = JSONParser.parse(input, options: ParseOptions(dialect: .json))
        #expect(
            tree.diagnostics.flatMap(\.help) == [help],
            "for \(input.debugDescription): \(tree.diagnostics.map(\.summary))")
    }
}
