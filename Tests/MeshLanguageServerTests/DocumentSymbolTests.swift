import MeshSyntax
import MeshTestSupport
import Testing
import WireJSON

@testable import MeshLanguageServer

/// The outline of `text` as `name(children)` text.
private func check(_ text: String, _ expected: String, sourceLocation: SourceLocation = #_sourceLocation) {
    func render(_ symbols: [OutlineSymbol]) -> String {
        symbols.map { $0.children.isEmpty ? $0.name : "\($0.name)(\(render($0.children)))" }.joined(separator: ", ")
    }
    #expect(render(DocumentOutline.symbols(in: Marked(text).analysis())) == expected, sourceLocation: sourceLocation)
}

@Suite("document symbols")
struct DocumentSymbolTests {
    @Test("services with endpoints, rules by name or path")
    func hierarchy() {
        check(
            Sample.mesh,
            "services(user-service(https://users.example.com), orders(https://orders.example.com)), routing(users, "
                + "/orders/*)"
        )
        check("{\"services\": {\"a\": {}}}", "services(a)")
        check("{\"routing\": {\"rules\": [{\"service\": \"a\"}]}}", "routing(rule #0)")
        check("[]", "")
        check(
            "{\"services\": {\"a\": {\"endpoints\": [\"https://x\", {\"region\": \"WEU\"}]}}, \"routing\": {",
            "services(a(https://x, endpoint)), routing")
        let rules = DocumentOutline.symbols(in: Marked(Sample.mesh).analysis()).last?.children ?? []
        #expect(rules.map(\.detail) == ["/users/* -> user-service", "-> split orders"])
    }

    @Test("every selection range lies inside its range, children inside parents")
    func nesting() {
        func check(_ symbol: OutlineSymbol, in parent: OutlineSymbol?) {
            #expect(
                symbol.range.start <= symbol.selection.start && symbol.selection.end <= symbol.range.end,
                "\(symbol.name)")
            if let parent {
                #expect(
                    parent.range.start <= symbol.range.start && symbol.range.end <= parent.range.end, "\(symbol.name)")
            }
            for child in symbol.children { check(child, in: symbol) }
        }
        for symbol in DocumentOutline.symbols(in: Marked(Sample.mesh).analysis()) { check(symbol, in: nil) }
    }

    @Test("clients without hierarchy get flat symbols with container names")
    func flat() async {
        let fixture = Fixture(Sample.mesh)
        let flat = await fixture.call(DocumentSymbolHandler.self, fixture.documentParams())
        #expect(flat.arrayValue?.count == 8)
        #expect(flat[1]?["containerName"] == "services")
        var client = ClientCapabilities()
        client.hierarchicalSymbols = true
        let tree = Fixture(Sample.mesh, client: client)
        let nested = await tree.call(DocumentSymbolHandler.self, tree.documentParams())
        #expect(nested.arrayValue?.count == 2)
        #expect(nested[0]?["children"]?[0]?["name"] == "user-service")
    }
}
