import Foundation
import MeshSyntax
import Testing

/// Hostile and degenerate input: the parser never crashes, stays bounded in time, stack
/// and output, and says something sensible.
@Suite("Bad input")
struct BadInputTests {
    /// What a bad input must produce.
    struct Expected: Sendable {
        /// The codes of the diagnostics, in order; nil when only the bounds are checked.
        var codes: [DiagnosticCode]?
        /// Whether errors are required (true), forbidden (false) or not checked (nil).
        var hasErrors: Bool? = true
        /// A bound on the parse time that only catches hangs and quadratic paths.
        var seconds: Double = 10
    }

    /// Parses `bytes` and checks the expectation, the structural invariants and the
    /// diagnostic cap; returns the tree for further checks.
    @discardableResult
    static func check(
        _ bytes: [UInt8], _ expected: Expected, options: ParseOptions = ParseOptions(dialect: .jsonc),
        sourceLocation: SourceLocation = #_sourceLocation
    ) -> SyntaxTree {
        let (tree, seconds) = measure { JSONParser.parse(SourceText(bytes: bytes), options: options) }
        if let codes = expected.codes {
            #expect(
                tree.diagnostics.map(\.code) == codes, "\(tree.diagnostics.prefix(10).map(\.summary))",
                sourceLocation: sourceLocation)
        }
        if let hasErrors = expected.hasErrors {
            #expect(
                tree.hasErrors == hasErrors, "\(tree.diagnostics.prefix(10).map(\.summary))",
                sourceLocation: sourceLocation)
        }
        #expect(
            tree.diagnostics.count <= options.maxDiagnostics + 1, "\(tree.diagnostics.count) diagnostics",
            sourceLocation: sourceLocation)
        #expect(
            seconds < expected.seconds, "took \(seconds) s for \(bytes.count) bytes", sourceLocation: sourceLocation)
        let problems = TreeInvariants.problems(in: tree)
        #expect(problems.isEmpty, "\(problems.prefix(5))", sourceLocation: sourceLocation)
        return tree
    }

    static func repeated(_ text: String, _ count: Int) -> [UInt8] {
        Array(String(repeating: text, count: count).utf8)
    }

    @Test("100,000 opening brackets: one DM104 and one unclosed error")
    func deepArrays() throws {
        let tree = Self.check(Self.repeated("[", 100_000), Expected(codes: [.nestingTooDeep, .syntaxError]))
        #expect(
            tree.diagnostics.first?.range == ByteRange(start: 256, end: 257), "the 257th bracket is the first too deep")
        #expect(
            tree.diagnostics.last?.message == "expected ']' to close the array opened at line 1, found end of input")
    }

    @Test("100,000 nested objects, closed and unclosed")
    func deepObjects() {
        let open = Self.repeated(#"{"a":"#, 100_000)
        Self.check(open, Expected(codes: [.nestingTooDeep, .syntaxError]))
        Self.check(open + Array("1".utf8) + Self.repeated("}", 100_000), Expected(codes: [.nestingTooDeep]))
        // Mixed arrays and objects, closed: only the depth is wrong.
        Self.check(
            Self.repeated(#"[{"a":"#, 50_000) + Array("null".utf8) + Self.repeated("}]", 50_000),
            Expected(codes: [.nestingTooDeep]))
    }

    /// The limit counts containers: exactly `maxDepth` levels are fine, one more is not.
    @Test("the depth limit is exact", arguments: [(256, false), (257, true), (1, false), (2, true)])
    func depthLimit(levels: Int, tooDeep: Bool) {
        let maxDepth = levels <= 2 ? 1 : 256
        let bytes =
            Self.repeated(#"{"k":["#, levels / 2) + Self.repeated("[", levels % 2)
            + Array("0".utf8) + Self.repeated("]", levels % 2) + Self.repeated("]}", levels / 2)
        Self.check(
            bytes, Expected(codes: tooDeep ? [.nestingTooDeep] : [], hasErrors: tooDeep),
            options: ParseOptions(dialect: .strict, maxDepth: maxDepth))
    }

    @Test("a 50 MB string parses")
    func hugeString() throws {
        let length = 50 * 1024 * 1024
        var bytes = [UInt8](repeating: UInt8(ascii: "a"), count: length + 2)
        bytes[0] = UInt8(ascii: "\"")
        bytes[length + 1] = UInt8(ascii: "\"")
        let (tree, parseSeconds) = measure {
            JSONParser.parse(SourceText(bytes: bytes), options: ParseOptions(dialect: .strict))
        }
        #expect(tree.diagnostics.isEmpty, "\(tree.diagnostics.map(\.summary))")
        #expect(TreeInvariants.problems(in: tree).isEmpty)
        let (decoded, decodeSeconds) = measure { tree.rootValue.flatMap(tree.string) }
        #expect(decoded?.utf8.count == length)
        // Timing is printed, not asserted tightly: the generous bound only catches a
        // parse that is not linear (a debug build takes a few seconds).
        print(
            "50 MB string: parse \(String(format: "%.2f", parseSeconds)) s, decode "
                + "\(String(format: "%.2f", decodeSeconds)) s"
        )
        #expect(parseSeconds < 120)
    }

    @Test("random binary input", arguments: [0, 1, 7, 64, 1_000, 65_536, 1_000_000])
    func randomBytes(size: Int) {
        var generator = SeededGenerator(seed: UInt64(size) &* 0x9E37_79B9 &+ 17)
        let bytes = (0..<size).map { _ in UInt8.random(in: 0...255, using: &generator) }
        // A byte or a few may happen to be valid JSON (a lone digit), so errors are only
        // required once the input is long enough that it cannot be.
        let tree = Self.check(bytes, Expected(codes: nil, hasErrors: size >= 64 ? true : nil))
        if size >= 1_000 {
            // So much junk must hit the cap, and the last diagnostic then says how much was left out.
            #expect(tree.diagnostics.count == 101)
            #expect(tree.diagnostics.last?.message.hasPrefix("too many syntax errors: ") == true)
        }
    }

    @Test(
        "invalid UTF-8",
        arguments: [
            // Inside a string: one error naming the byte.
            ([0x5B, 0x22, 0x61, 0xFF, 0x62, 0x22, 0x5D], "invalid UTF-8 byte 0xFF in string"),
            ([0x22, 0xC0, 0xAF, 0x22], "invalid UTF-8 byte 0xC0 in string"),
            ([0x22, 0xED, 0xA0, 0x80, 0x22], "invalid UTF-8 byte 0xED in string"),
            ([0x22, 0xF4, 0x90, 0x80, 0x80, 0x22], "invalid UTF-8 byte 0xF4 in string"),
            ([0x22, 0xE6, 0xBC, 0x22], "invalid UTF-8 byte 0xE6 in string"),
            // Outside a string: one error for the run.
            ([0x5B, 0x31, 0x2C, 0x80, 0x81, 0x5D], "invalid UTF-8 byte 0x80: the file must be UTF-8"),
            ([0xFE, 0xFF, 0x00, 0x7B], "invalid UTF-8 byte 0xFE: the file must be UTF-8"),
            ([0x7B, 0xC3, 0xA9, 0xFF, 0x7D], "invalid UTF-8 byte 0xFF: the file must be UTF-8"),
        ] as [([UInt8], String)])
    func invalidUTF8(bytes: [UInt8], message: String) {
        let tree = Self.check(bytes, Expected(codes: nil))
        #expect(tree.diagnostics.first?.message == message, "\(tree.diagnostics.map(\.summary))")
    }

    @Test(
        "degenerate documents",
        arguments: [
            ("", [DiagnosticCode.syntaxError]),
            ("   \n\t\r\n  ", [.syntaxError]),
            ("// only a comment", [.syntaxError]),
            ("/* only a comment */", [.syntaxError]),
            ("\u{FEFF}", [.syntaxError]),
            ("\u{0}", [.syntaxError]),
            ("\u{0}\u{0}\u{0}", [.syntaxError]),
            ("{\"a\": \"b\u{0}c\"}", [.syntaxError]),
            ("{\"a\": 1}\u{0}", [.syntaxError]),
            ("[1,\u{0}2]", [.syntaxError]),
        ])
    func degenerate(input: String, codes: [DiagnosticCode]) {
        Self.check(Array(input.utf8), Expected(codes: codes))
    }

    /// The cap keeps the first diagnostics in document order and a final count of the rest.
    @Test("diagnostics are capped", arguments: [0, 1, 10, 100])
    func cap(limit: Int) throws {
        // 500 stray characters, each its own error, mixed with lexer and parser errors.
        let bytes = Array(("[" + String(repeating: "@ 01, tru, ", count: 250) + "]").utf8)
        let options = ParseOptions(dialect: .jsonc, maxDiagnostics: limit)
        let tree = Self.check(bytes, Expected(codes: nil), options: options)
        let uncapped = JSONParser.parse(
            SourceText(bytes: bytes), options: ParseOptions(dialect: .jsonc, maxDiagnostics: .max))
        #expect(uncapped.diagnostics.count == 750)
        #expect(tree.diagnostics.count == limit + 1)
        #expect(Array(tree.diagnostics.prefix(limit)) == Array(uncapped.diagnostics.prefix(limit)))
        let note = try #require(tree.diagnostics.last)
        #expect(note.message == "too many syntax errors: \(750 - limit) more were not reported")
        // Whatever the cap, the diagnostics come out in document order.
        #expect(uncapped.diagnostics.map(\.range.start) == uncapped.diagnostics.map(\.range.start).sorted())
    }
}
