import MeshConfig
import MeshSyntax
import Testing

@testable import MeshRouter

/// With nothing to reuse, DM401 takes each pattern's error from the route table the
/// shadow analysis compiles, instead of parsing the pattern again; with a previous
/// version's memo (or syntax errors) it still parses. These hold the two ways to the same
/// findings and the same memo of valid patterns.
@Suite("DM401 from the compiled table")
struct PatternErrorSourceTests {
    /// Valid and invalid patterns, written plainly and with escapes, and paths that the
    /// schema reports instead (no leading `/`).
    static let paths = [
        "/api/*", "/api/:id", "/api/:id/:id", "/api/x*/y", "/a:b", "/a/*/b", "/a/b*", "/:1x", "/:", "/?q", "/#f",
        "api", "", "/", "/\\u0061pi/:id", "/caf\\u00e9/*", "/a b/:c", "/a\\\\b/*", "/*/*/*",
    ]

    /// The router's findings and memo of `text` both ways: nothing to reuse, and an empty
    /// previous memo, which makes every pattern be parsed.
    static func bothWays(_ text: String) -> (fresh: [Diagnostic], parsed: [Diagnostic], same: Bool) {
        let document = MeshDocument.analyze(SourceText(text), path: "mesh.jsonc")
        var shadowing: ShadowMemo?
        var fromTable: PatternMemo?
        let fresh = RouterChecks.diagnostics(
            for: document.config, tree: document.tree, shadowing: &shadowing, patterns: &fromTable)
        var shadowingAgain: ShadowMemo?
        var fromParsing: PatternMemo? = PatternMemo()
        let parsed = RouterChecks.diagnostics(
            for: document.config, tree: document.tree, shadowing: &shadowingAgain, patterns: &fromParsing)
        return (fresh, parsed, fromTable?.valid == fromParsing?.valid)
    }

    static func config(_ paths: [String], broken: Bool = false) -> String {
        let rules = paths.enumerated().map { index, path in
            "{\"name\": \"r\(index)\", \"path\": \"\(path)\", \"service\": \"s\"}"
        }
        return "{\"services\": {\"s\": {\"endpoints\": [\"https://s.example.com\"]}},\n\"routing\": {\"rules\": [\n"
            + rules.joined(separator: ",\n") + "\n]}}" + (broken ? "\n," : "")
    }

    @Test("each pattern alone and all together give the same findings and memo", arguments: [false, true])
    func samePatterns(broken: Bool) {
        for path in Self.paths {
            let result = Self.bothWays(Self.config([path], broken: broken))
            #expect(result.fresh == result.parsed, "\(path)")
            #expect(result.same, "memo of \(path)")
        }
        let all = Self.bothWays(Self.config(Self.paths + Self.paths.reversed(), broken: broken))
        #expect(all.fresh == all.parsed)
        #expect(all.same)
        #expect(all.fresh.contains { $0.code == .invalidPathPattern })
    }

    @Test("random tables give the same findings and memo")
    func randomTables() {
        var random = SeededRandom(seed: 401)
        for _ in 0..<200 {
            let count = Int(random.next() % 8) + 1
            let paths = (0..<count).map { _ in
                random.next() % 4 == 0
                    ? Self.paths[Int(random.next() % UInt64(Self.paths.count))]
                    : ShadowSupport.randomPattern(&random)
            }
            let result = Self.bothWays(Self.config(paths))
            #expect(result.fresh == result.parsed, "\(paths)")
            #expect(result.same, "memo of \(paths)")
        }
    }
}
