import MeshSyntax
import Testing

@testable import MeshCommands

/// `check --fix`: which fixes apply unasked, and that passes reach a fixed point.
@Suite("check --fix: safe fixes")
struct SafeFixerTests {
    /// Fixes `input` (as a file named `path`) and expects `expected`, with `applied` fixes.
    private func check(
        _ input: String, _ expected: String, applied: Int, path: String = "mesh.jsonc",
        sourceLocation: SourceLocation = #_sourceLocation
    ) {
        let outcome = SafeFixer.fix(Array(input.utf8), path: path)
        #expect(String(decoding: outcome.bytes, as: UTF8.self) == expected, sourceLocation: sourceLocation)
        #expect(outcome.applied == applied, sourceLocation: sourceLocation)
        let again = SafeFixer.fix(outcome.bytes, path: path)
        #expect(again.applied == 0, "a fixed file has nothing left to fix", sourceLocation: sourceLocation)
    }

    static let services =
        #""services": {"a": {"endpoints": ["https://a.example"]}, "b": {"endpoints": ["https://b.example"]}}"#

    @Test("a trailing comma in a .json config goes")
    func trailingComma() {
        check(
            #"{"services": {"a": {"endpoints": ["https://a.example",]}}, "routing": {"default": "a"},}"#,
            #"{"services": {"a": {"endpoints": ["https://a.example"]}}, "routing": {"default": "a"}}"#, applied: 2,
            path: "mesh.json")
    }

    @Test("rules that never match go, several in one pass and the rest in the next")
    func neverMatchingRules() {
        check(
            """
            {\(Self.services), "routing": {"rules": [
              {"path": "/a/*", "service": "a"},
              {"path": "/a/b", "service": "b"},
              {"path": "/a/*", "service": "b"},
              {"path": "/b/*", "service": "b"}
            ]}}
            """,
            """
            {\(Self.services), "routing": {"rules": [
              {"path": "/a/*", "service": "a"},
              {"path": "/b/*", "service": "b"}
            ]}}
            """, applied: 2)
    }

    @Test("an unused suppression goes; a used one stays, and what it suppresses is not fixed")
    func suppressions() {
        check(
            """
            {\(Self.services), "routing": {"rules": [
              {"path": "/a/*", "service": "a"},
              // diddy-mesh-ignore DM402: kept while clients move to /a/*
              {"path": "/a/b", "service": "b"},
              // diddy-mesh-ignore DM403: nothing here any more
              {"path": "/b/*", "service": "b"}
            ]}}
            """,
            """
            {\(Self.services), "routing": {"rules": [
              {"path": "/a/*", "service": "a"},
              // diddy-mesh-ignore DM402: kept while clients move to /a/*
              {"path": "/a/b", "service": "b"},
              {"path": "/b/*", "service": "b"}
            ]}}
            """, applied: 1)
    }

    @Test("guesses and choices stay in the editor: did-you-mean, https or insecure, renames")
    func unsafeFixesStay() {
        let text = """
            {"services": {"users": {"endpoints": ["http://u.example"], "timout": 5}, "Bad_Name": {}},
             "routing": {"default": "user"}}
            """
        check(text, text, applied: 0)
    }

    @Test("fixes whose edits touch wait for the next pass")
    func touchingEdits() {
        let removal = TextEditFixture.fix(start: 0, end: 4)
        let insertion = TextEditFixture.fix(start: 4, end: 4)
        let apart = TextEditFixture.fix(start: 6, end: 8)
        #expect(SafeFixer.nonOverlapping([insertion, removal, apart]) == [removal, apart])
    }
}

/// Fixes with one edit, for the overlap rule.
enum TextEditFixture {
    static func fix(start: Int, end: Int) -> MeshSyntax.Fix {
        MeshSyntax.Fix(
            title: "\(start)-\(end)", edits: [MeshSyntax.TextEdit(range: .init(start: start, end: end), newText: "")],
            isSafe: true)
    }
}
