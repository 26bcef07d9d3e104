import MeshSyntax
import MeshTestSupport
import Testing
import WireJSON

@testable import MeshLanguageServer

/// Semantic tokens and inlay hints.
@Suite("semantic tokens and inlay hints")
struct EditorFeatureTests {
    /// The semantic tokens of `text` as `kind 'text'`, `kind* 'text'` for declarations.
    private func checkTokens(_ text: String, _ expected: [String], sourceLocation: SourceLocation = #_sourceLocation) {
        let marked = Marked(text)
        let tokens = SemanticTokens.tokens(in: marked.analysis())
        let found = tokens.map { "\($0.kind)\($0.isDeclaration ? "*" : "") '\(marked.text(in: $0.range))'" }
        #expect(found == expected, sourceLocation: sourceLocation)
    }

    @Test("services where defined and referenced, rule names, and the parts of path patterns")
    func tokens() {
        checkTokens(
            """
            {
              "services": { "users": {}, "orders": { "fallback": "users" } },
              "routing": {
                "rules": [
                  { "name": "by id", "path": "/users/:id/*", "service": "users" },
                  { "path": "/o/*/x", "split": [{ "service": "orders", "weight": 1 }] },
                  { "path": "/bad/:1", "service": "users" },
                  { "path": "/esc\\u0061ped", "service": "users" }
                ],
                "default": "orders"
              }
            }
            """,
            [
                "service* '\"users\"'", "service* '\"orders\"'", "service '\"users\"'", "rule '\"by id\"'",
                "literal '/users/'", "parameter ':id'", "literal '/'", "wildcard '*'", "service '\"users\"'",
                "literal '/o/'", "wildcard '*'", "literal '/x'", "service '\"orders\"'", "service '\"users\"'",
                "service '\"users\"'", "service '\"orders\"'",
            ])
    }

    @Test("tokens are encoded relative to the one before, in the client's units")
    func encoding() {
        let analysis = Marked("{\"routing\": {\"rules\": [\n{\"name\": \"n\u{E9}\", \"path\": \"/:id\"}]}}").analysis()
        let tokens = SemanticTokens.tokens(in: analysis)
        let lines = analysis.source.lineIndex
        #expect(
            SemanticTokens.encode(tokens, lineIndex: lines, encoding: .utf16) == [
                1, 9, 4, 1, 0, 0, 15, 1, 2, 0, 0, 1, 3, 3, 0,
            ])
        #expect(
            SemanticTokens.encode(tokens, lineIndex: lines, encoding: .utf8) == [
                1, 9, 5, 1, 0, 0, 16, 1, 2, 0, 0, 1, 3, 3, 0,
            ])
    }

    /// The hints of `marked` (for its whole text) as `text-before-hint|label`.
    private func checkHints(_ text: String, _ expected: [String], sourceLocation: SourceLocation = #_sourceLocation) {
        let marked = Marked(text)
        let hints = InlayHints.hints(
            in: marked.analysis(), range: ByteRange(start: 0, end: marked.text.utf8.count))
        let found = hints.map {
            marked.text(in: ByteRange(start: max(0, $0.offset - 8), end: $0.offset)) + "|" + $0.label
        }
        #expect(found == expected, sourceLocation: sourceLocation)
    }

    @Test("a rule's inherited timeout, retries and breaker, each with where it comes from")
    func policyHints() {
        let breaker = "breaker 5 failures / 10 s (mesh defaults)"
        checkHints(
            """
            {
              "mesh": { "defaults": { "retries": 2, "circuitBreaker": { "resetTimeout": 10000 } } },
              "services": { "users": { "timeout": 3000 }, "plain": {} },
              "routing": {
                "rules": [
                  { "path": "/u/*", "service": "users" },
                  { "path": "/p/*", "service": "plain", "timeout": 800, "retries": 0 }
                ],
                "default": "ghost"
              }
            }
            """,
            [
                " \"users\"|timeout 3000 ms (service) · 2 retries (mesh defaults) · " + breaker,
                " \"plain\"|timeout 800 ms · no retries · breaker 5 failures / 10 s (mesh defaults)",
                " \"ghost\"|timeout 5000 ms (default) · 2 retries (mesh defaults) · " + breaker,
            ])
    }

    @Test("a split's weights as shares of the traffic")
    func splitHints() {
        checkHints(
            """
            {"services": {"a": {}, "b": {}}, "routing": {"rules": [{"path": "/", "split": [
            {"service": "a", "weight": 1}, {"service": "b", "weight": 2}, {"service": "b", "weight": 0}]}]}}
            """,
            [
                "ce\": \"a\"|timeout 5000 ms (default) · no retries (default)", "ight\": 1|33.3%",
                "ce\": \"b\"|timeout 5000 ms (default) · no retries (default)", "ight\": 2|66.7%",
                "ce\": \"b\"|timeout 5000 ms (default) · no retries (default)",
            ])
        #expect(InlayHints.percent(50) == "50%")
        #expect(InlayHints.percent(12.345) == "12.3%")
    }

    @Test("only the rules in the range get hints")
    func rangeLimited() {
        let marked = Marked(
            """
            {"services": {"a": {}}, "routing": {"rules": [
            {"path": "/1", "service": "a"},
            «{"path": "/2", "service": "a"}»,
            {"path": "/3", "service": "a"}]}}
            """)
        #expect(InlayHints.hints(in: marked.analysis(), range: marked[0]).count == 1)
    }
}
