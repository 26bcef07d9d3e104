import MeshTestSupport
import Testing
import WireJSON

@testable import MeshLanguageServer

/// `textDocument/formatting` through the handler; the layout itself is MeshSyntax's
/// ``JSONCFormatter``, tested in MeshSyntaxTests.
@Suite("formatting handler")
struct FormattingHandlerTests {
    @Test("the handler answers one whole-document edit, or none when already formatted")
    func handler() async {
        let fixture = Fixture("{\"a\":1}")
        let edits = await fixture.call(
            FormattingHandler.self, fixture.documentParams([("options", ["tabSize": 4, "insertSpaces": true])]))
        #expect(fixture.applying(edits) == "{ \"a\": 1 }\n")
        let formatted = Fixture("{ \"a\": 1 }\n")
        #expect(
            await formatted.call(
                FormattingHandler.self, formatted.documentParams([("options", ["tabSize": 2, "insertSpaces": true])]))
                == [])
    }
}
