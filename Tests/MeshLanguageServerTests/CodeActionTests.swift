import MeshTestSupport
import Testing
import WireJSON

@testable import MeshLanguageServer

/// Applies the code action titled `title` offered for marked range 0 and compares the text.
private func check(
    _ marked: String, title: String, _ expected: String?, name: String = "mesh.jsonc",
    sourceLocation: SourceLocation = #_sourceLocation
) async {
    let fixture = Fixture(marked, name: name)
    let actions = await fixture.call(
        CodeActionHandler.self,
        fixture.documentParams([
            ("range", fixture.range(0)), ("context", ["diagnostics": []]),
        ]))
    let action = actions.arrayValue?.first { $0["title"]?.stringValue == title }
    guard let expected else {
        #expect(action == nil, sourceLocation: sourceLocation)
        return
    }
    guard let action, let edit = action["edit"] else {
        Issue.record("no action '\(title)' among \(actions)", sourceLocation: sourceLocation)
        return
    }
    #expect(action["kind"] == "quickfix", sourceLocation: sourceLocation)
    #expect(action["diagnostics"]?[0]?["source"] == "diddy-mesh", sourceLocation: sourceLocation)
    #expect(fixture.applying(edit) == expected, sourceLocation: sourceLocation)
}

@Suite("code actions")
struct CodeActionTests {
    @Test("did-you-mean for an undefined service")
    func didYouMean() async {
        await check(
            "{\"services\": {\"user-service\": {}}, \"routing\": {\"default\": «\"user-servce\"»}}",
            title: "Replace with 'user-service'",
            "{\"services\": {\"user-service\": {}}, \"routing\": {\"default\": \"user-service\"}}")
    }

    @Test("did-you-mean for an unknown key, when the range only touches the diagnostic")
    func unknownKey() async {
        await check(
            "{\"services\": {\"a\": {\"timeot\"«»: 1}}, \"routing\": {\"default\": \"a\"}}",
            title: "Replace with 'timeout'",
            "{\"services\": {\"a\": {\"timeout\": 1}}, \"routing\": {\"default\": \"a\"}}")
    }

    @Test("https for an http endpoint")
    func https() async {
        await check(
            "{\"services\": {\"a\": {\"endpoints\": [«\"http://a.example\"»]}}, \"routing\": {\"default\": \"a\"}}",
            title: "Use https://",
            "{\"services\": {\"a\": {\"endpoints\": [\"https://a.example\"]}}, \"routing\": {\"default\": \"a\"}}")
    }

    @Test("suppress a finding on its line, at the line's indentation")
    func suppress() async {
        await check(
            "{\n  \"services\": {\n    \"a\": {\"endpoints\": [«\"http://a.example\"»]}\n  },\n"
                + "  \"routing\": {\"default\": \"a\"}\n}",
            title: "Suppress DM502 on this line",
            "{\n  \"services\": {\n    // diddy-mesh-ignore DM502\n    \"a\": {\"endpoints\": [\"http://a.example\"]}\n"
                + "  },\n  \"routing\": {\"default\": \"a\"}\n}")
    }

    @Test("remove an unused suppression")
    func removeUnusedSuppression() async {
        await check(
            "{\n  \"services\": {\n    «// diddy-mesh-ignore DM502: gone»\n    \"a\": {}\n  },\n"
                + "  \"routing\": {\"default\": \"a\"}\n}",
            title: "Remove the unused suppression",
            "{\n  \"services\": {\n    \"a\": {}\n  },\n  \"routing\": {\"default\": \"a\"}\n}")
    }

    @Test("a syntax error offers no suppression")
    func noSuppressingSyntaxErrors() async {
        await check(
            "{\"services\": {\"a\": {}} «x» }", title: "Suppress DM101 on this line", nil)
    }

    @Test("no actions away from the diagnostic or when only other kinds are asked for")
    func nothing() async {
        await check(
            "{«\"services\"»: {\"user-service\": {}}, \"routing\": {\"default\": \"user-servce\"}}",
            title: "Replace with 'user-service'", nil)
        let fixture = Fixture("{\"services\": {\"user-service\": {}}, \"routing\": {\"default\": «\"user-servce\"»}}")
        let refactors = await fixture.call(
            CodeActionHandler.self,
            fixture.documentParams([
                ("range", fixture.range(0)), ("context", ["diagnostics": [], "only": ["refactor"]]),
            ]))
        #expect(refactors == [])
    }
}
