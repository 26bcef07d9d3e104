import MeshSyntax
import MeshTestSupport
import Testing

/// What each dialect says about comments, trailing commas and duplicate keys.
@Suite("Dialects")
struct DialectTests {
    /// One expected diagnostic: code and severity; its range is the next `⟨…⟩` marker and
    /// its related information (if any) the `«…»` marker with the given index.
    struct Expected: Sendable, CustomStringConvertible {
        let code: DiagnosticCode
        let severity: Severity
        let related: Int?

        init(_ code: DiagnosticCode, _ severity: Severity, related: Int? = nil) {
            self.code = code
            self.severity = severity
            self.related = related
        }

        var description: String { "\(code.rawValue) \(severity)\(related.map { " related #\($0)" } ?? "")" }
    }

    /// Parses `marked` in `dialect` and compares every diagnostic's code, severity, range
    /// and related range with the row.
    static func check(
        _ marked: String, _ dialect: JSONDialect, _ expected: [Expected],
        sourceLocation: SourceLocation = #_sourceLocation
    ) {
        let input = Marked(marked)
        let tree = JSONParser.parse(input.text, options: ParseOptions(dialect: dialect))
        let actual = tree.diagnostics.map {
            "\($0.code.rawValue) \($0.severity) \($0.range) related \($0.related.map(\.range))"
        }
        let wanted = zip(expected, input.expected).map { expected, range in
            let related =
                expected.related.flatMap { input.ranges.indices.contains($0) ? [input.ranges[$0]] : nil } ?? []
            return "\(expected.code.rawValue) \(expected.severity) \(range) related \(related)"
        }
        #expect(
            input.expected.count == expected.count,
            "row has \(input.expected.count) ranges but \(expected.count) diagnostics",
            sourceLocation: sourceLocation)
        #expect(
            actual == wanted, "\(dialect) for \(input.text.debugDescription): \(tree.diagnostics.map(\.summary))",
            sourceLocation: sourceLocation)
    }

    static let cases: [(String, JSONDialect, [Expected])] = [
        // Comments: errors only in strict JSON.
        ("⟨// note⟩\n{}", .strict, [Expected(.syntaxError, .error)]),
        ("// note\n{}", .json, []),
        ("// note\n{}", .jsonc, []),
        ("{\"a\": ⟨/* note */⟩ 1}", .strict, [Expected(.syntaxError, .error)]),
        ("{\"a\": /* note */ 1}", .json, []),
        ("{\"a\": /* note */ 1}", .jsonc, []),
        ("[1] ⟨// after⟩", .strict, [Expected(.syntaxError, .error)]),
        ("[1] // after", .jsonc, []),
        ("[1, /* a */ /* b */ 2]", .jsonc, []),
        // Trailing commas: DM101 in strict, a DM103 hint in .json, nothing in .jsonc.
        ("[1⟨,⟩]", .strict, [Expected(.syntaxError, .error)]),
        ("[1⟨,⟩]", .json, [Expected(.trailingComma, .hint)]),
        ("[1,]", .jsonc, []),
        ("{\"a\": 1⟨,⟩\n}", .strict, [Expected(.syntaxError, .error)]),
        ("{\"a\": 1⟨,⟩\n}", .json, [Expected(.trailingComma, .hint)]),
        ("{\"a\": 1,\n}", .jsonc, []),
        (
            "{\"a\": [1⟨,⟩ /* c */]⟨,⟩ // c\n}", .json,
            [Expected(.trailingComma, .hint), Expected(.trailingComma, .hint)]
        ),
        // Duplicate keys: allowed by RFC 8259 (strict), a DM102 error in .json and a
        // warning in .jsonc, with the first occurrence as related information.
        ("{\"a\": 1, \"a\": 2}", .strict, []),
        ("{«\"a\"»: 1, ⟨\"a\"⟩: 2}", .json, [Expected(.duplicateKey, .error, related: 0)]),
        ("{«\"a\"»: 1, ⟨\"a\"⟩: 2}", .jsonc, [Expected(.duplicateKey, .warning, related: 0)]),
        // Keys are compared decoded, so an escape does not hide a duplicate.
        ("{«\"a\"»: 1, ⟨\"\\u0061\"⟩: 2}", .json, [Expected(.duplicateKey, .error, related: 0)]),
        // Three times the same key: both repeats point at the first.
        (
            "{«\"k\"»: 1, ⟨\"k\"⟩: 2, ⟨\"k\"⟩: 3}", .json,
            [Expected(.duplicateKey, .error, related: 0), Expected(.duplicateKey, .error, related: 0)]
        ),
        // The same key in different objects is not a duplicate.
        ("{\"a\": {\"a\": 1}, \"b\": {\"a\": 2}}", .json, []),
        // Objects large enough to switch the key tracker to a dictionary still find duplicates.
        (
            "{" + (0..<40).map { $0 == 7 ? "«\"k7\"»: 7" : "\"k\($0)\": \($0)" }.joined(separator: ", ")
                + ", ⟨\"k7\"⟩: 2}", .json,
            [Expected(.duplicateKey, .error, related: 0)]
        ),
        // In a large object, every repeat points at the first occurrence, and an escaped
        // repeat arriving after the switch is still found (compared decoded).
        (
            "{" + (0..<40).map { $0 == 3 ? "«\"k3\"»: 3" : "\"k\($0)\": \($0)" }.joined(separator: ", ")
                + ", ⟨\"k3\"⟩: 1, ⟨\"k3\"⟩: 2, ⟨\"\\u006b3\"⟩: 3, \"k40\": 40}", .json,
            [
                Expected(.duplicateKey, .error, related: 0), Expected(.duplicateKey, .error, related: 0),
                Expected(.duplicateKey, .error, related: 0),
            ]
        ),
    ]

    @Test("comments, trailing commas and duplicate keys", arguments: cases)
    func dialect(input: String, dialect: JSONDialect, expected: [Expected]) {
        Self.check(input, dialect, expected)
    }

    @Test("the duplicate key message names the key and the related entry its first occurrence")
    func duplicateKeyMessage() throws {
        let tree = JSONParser.parse("{\"port\": 1, \"port\": 2}", options: ParseOptions(dialect: .json))
        let diagnostic = try #require(tree.diagnostics.first)
        #expect(diagnostic.message == "duplicate key 'port': the later value wins; remove one of them")
        #expect(diagnostic.related.map(\.message) == ["'port' is first defined here"])
        // The model keeps the later value.
        let root = try #require(tree.rootValue)
        #expect(tree.member("port", of: root).flatMap { $0.value }.flatMap(tree.integer) == 2)
    }

    @Test(
        "the dialect follows the file name",
        arguments: [
            ("diddy-mesh.json", JSONDialect.json),
            ("diddy-mesh.jsonc", .jsonc),
            ("conf/prod.mesh.JSONC", .jsonc),
            ("prod.mesh.json", .json),
            ("notes.txt", .json),
        ])
    func dialectForFile(name: String, dialect: JSONDialect) {
        #expect(JSONDialect.forFile(named: name) == dialect)
    }
}
