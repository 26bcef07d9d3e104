import MeshSyntax
import MeshTestSupport
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

extension SafeFixerTests {
    /// The fixes to apply together, found by comparing each fix with every one taken: the
    /// definition ``SafeFixer/nonOverlapping(_:)`` must agree with.
    static func referenceNonOverlapping(_ fixes: [Fix]) -> [Fix] {
        let ordered = fixes.filter { !$0.edits.isEmpty }.sorted {
            ($0.edits.map(\.range.start).min() ?? 0) < ($1.edits.map(\.range.start).min() ?? 0)
        }
        var taken: [ByteRange] = []
        var chosen: [Fix] = []
        for fix in ordered {
            let clashes = fix.edits.contains { edit in
                taken.contains { $0.start <= edit.range.end && edit.range.start <= $0.end }
            }
            guard !clashes else { continue }
            chosen.append(fix)
            taken += fix.edits.map(\.range)
        }
        return chosen
    }

    @Test("the fixes taken together are those a pairwise comparison takes", arguments: [1, 2, 3, 4, 5, 6, 7, 8])
    func nonOverlappingMatchesPairwise(seed: UInt64) {
        var generator = SplitMix(seed: seed)
        var fixes: [Fix] = []
        for index in 0..<200 {
            // One or two edits (a fix's edits never overlap each other), insertions included.
            let first = generator.next(below: 2_000)
            var edits = [
                MeshSyntax.TextEdit(range: ByteRange(start: first, end: first + generator.next(below: 6)), newText: "")
            ]
            if generator.next(below: 3) == 0 {
                let second = first + 10 + generator.next(below: 300)
                let range = ByteRange(start: second, end: second + generator.next(below: 4))
                edits.append(MeshSyntax.TextEdit(range: range, newText: ""))
            }
            fixes.append(Fix(title: "fix \(index)", edits: edits))
        }
        #expect(SafeFixer.nonOverlapping(fixes).map(\.title) == Self.referenceNonOverlapping(fixes).map(\.title))
    }
}
