import MeshConfig
import MeshSyntax
import MeshTestSupport
import Testing
import WireJSON

@testable import MeshLanguageServer

/// The completion labels at `$0`.
private func check(
    _ marked: String, _ expected: [String], snippets: Bool = true, sourceLocation: SourceLocation = #_sourceLocation
) {
    let fixture = Marked(marked)
    let items = CompletionItems.at(fixture[position: 0], in: fixture.analysis(), snippets: snippets)
    #expect(items.map(\.label) == expected, sourceLocation: sourceLocation)
}

/// The single completion labelled `label` at `$0`.
private func item(_ marked: String, _ label: String, snippets: Bool = true) -> (CompletionItem, Marked)? {
    let fixture = Marked(marked)
    let items = CompletionItems.at(fixture[position: 0], in: fixture.analysis(), snippets: snippets)
    return items.first { $0.label == label }.map { ($0, fixture) }
}

private let services = """
      "services": {
        "user-service": { "endpoints": ["https://u.example.com"] },
        "orders": { "endpoints": ["https://o.example.com"] }
      }
    """
private let names = ["user-service", "orders"]

@Suite("completion")
struct CompletionTests {
    @Test("service names in every place that references a service")
    func serviceReferences() {
        check("{\(services), \"routing\": {\"rules\": [{\"path\": \"/\", \"service\": \"$0\"}]}}", names)
        check("{\(services), \"routing\": {\"rules\": [{\"path\": \"/\", \"service\": $0}]}}", names)
        check("{\(services), \"routing\": {\"rules\": [{\"path\": \"/\", \"service\": \"us$0", names)
        check(
            "{\(services), \"routing\": {\"rules\": [{\"path\": \"/\", \"split\": [{\"service\": \"$0\", \"weight\": "
                + "1}]}]}}",
            names)
        check("{\(services), \"routing\": {\"default\": \"$0\"}}", names)
        check("{\"services\": {\"a\": {\"fallback\": \"$0\"}, \"b\": {}}}", ["a", "b"])
        check("{\"services\": {\"a\": {\"auth\": {\"allow\": [\"b\", \"$0\"]}}, \"b\": {}}}", ["a", "b"])
    }

    @Test("a service name replaces the partial string, quotes included")
    func serviceInsertion() throws {
        let (found, fixture) = try #require(item("{\(services), \"routing\": {\"default\": «\"us$0»}}", "user-service"))
        #expect(found.newText == "\"user-service\"")
        #expect(found.replace == fixture[range: 0])
        let (bare, _) = try #require(item("{\(services), \"routing\": {\"default\": $0}}", "orders"))
        #expect(bare.newText == "\"orders\"" && bare.replace.length == 0)
        #expect(found.documentation?.contains("https://u.example.com") == true)
    }

    @Test("keys valid at the cursor, in schema order, without the ones already there")
    func keys() {
        check("{ $0 }", MeshSchema.root.properties.map(\.name))
        check("{ \"version\": 1, $0 }", MeshSchema.root.properties.map(\.name).filter { $0 != "version" })
        check(
            "{\"services\": {\"a\": {\"endpoints\": [], \"ti$0\"}}}",
            ["healthCheck", "timeout", "retries", "loadBalancer", "circuitBreaker", "fallback", "version", "auth"])
        check("{\"routing\": {\"rules\": [{\"path\": \"/\", \"split\": [{ $0 }]}]}}", ["service", "weight"])
        check("{\"services\": {\"a\": {\"retries\": { $0 }}}}", ["attempts", "backoff", "retryOn"])
        check(
            "{\"services\": {\"a\": {\"endpoints\": [{ \"url\": \"https://x.example\", $0 }]}}}",
            ["region", "continent", "location", "weight", "id", "insecure"])
        check("{\"services\": { $0 }}", [], snippets: true)
    }

    @Test("a key inserts a value placeholder from the schema; with a colon already there only the key")
    func keySnippets() throws {
        let (timeout, _) = try #require(item("{\"services\": {\"a\": { $0 }}}", "timeout"))
        #expect(timeout.newText == "\"timeout\": ${1:5000}" && timeout.isSnippet)
        #expect(timeout.documentation?.contains("Default: `5000`") == true)
        let (strategy, _) = try #require(item("{\"services\": {\"a\": { $0 }}}", "loadBalancer"))
        #expect(strategy.newText.hasPrefix("\"loadBalancer\": \"${1|round-robin,random,weighted"))
        let (auth, _) = try #require(item("{\"services\": {\"a\": { $0 }}}", "auth"))
        #expect(auth.newText == "\"auth\": {$1}")
        let (plain, _) = try #require(item("{\"services\": {\"a\": { $0 }}}", "timeout", snippets: false))
        #expect(plain.newText == "\"timeout\": 5000" && !plain.isSnippet)
        let (keyOnly, fixture) = try #require(item("{\"services\": {\"a\": { «\"ti$0\"»: 1 }}}", "timeout"))
        #expect(keyOnly.newText == "\"timeout\"" && keyOnly.replace == fixture[range: 0])
    }

    @Test("enum values: strategies, regions, continents, methods, jitter")
    func enums() {
        check("{\"services\": {\"a\": {\"loadBalancer\": \"$0\"}}}", MeshSchema.strategies)
        check("{\"services\": {\"a\": {\"loadBalancer\": {\"strategy\": $0}}}}", MeshSchema.strategies)
        check(
            "{\"services\": {\"a\": {\"endpoints\": [{\"url\": \"https://x\", \"region\": \"$0\"}]}}}", GeoCodes.regions
        )
        check(
            "{\"services\": {\"a\": {\"endpoints\": [{\"url\": \"https://x\", \"continent\": \"E$0\"}]}}}",
            GeoCodes.continents)
        check("{\"routing\": {\"rules\": [{\"path\": \"/\", \"methods\": [\"GET\", \"$0\"]}]}}", MeshSchema.httpMethods)
        check("{\"routing\": {\"rules\": [{\"path\": \"/\", \"geo\": {\"continents\": [$0]}}]}}", GeoCodes.continents)
        check("{\"services\": {\"a\": {\"retries\": {\"backoff\": {\"jitter\": \"$0\"}}}}}", ["full", "none"])
        check(
            "{\"services\": {\"a\": {\"endpoints\": [{\"url\": \"https://x\", \"insecure\": $0}]}}}", ["true", "false"])
    }

    @Test("nothing inside numbers, comments, after a complete value, or outside the document")
    func nothing() {
        check("{\"services\": {\"a\": {\"timeout\": 30$000}}}", [])
        check("{\"services\": {\"a\": {// comm$0ent\n}}}", [])
        check("{\"services\": {\"a\": {\"timeout\": 3000 $0}}}", [])
        check("{}$0", [])
        check("{\"services\": {\"a\": {\"unknownKey\": \"$0\"}}}", [])
    }
}

@Suite("completion: lazy service documentation")
struct CompletionResolveTests {
    static let text = "{\(services), \"routing\": {\"default\": \"$0\"}}"

    /// A client that resolves documentation lazily, as VS Code does.
    static let lazyClient = ClientCapabilities([
        "textDocument": [
            "completion": [
                "completionItem": [
                    "documentationFormat": ["markdown"], "resolveSupport": ["properties": ["documentation", "detail"]],
                ]
            ]
        ]
    ])

    @Test("a client that resolves documentation gets service items without it, and resolve fills it in")
    func lazy() async throws {
        let fixture = Fixture(Self.text, client: Self.lazyClient)
        let answer = await fixture.call(CompletionHandler.self, fixture.params())
        let items = try #require(answer["items"]?.arrayValue)
        #expect(items.compactMap { $0["label"]?.stringValue } == names)
        #expect(items.allSatisfy { $0["documentation"] == nil })
        let first = try #require(items.first)
        #expect(first["data"] == ["uri": .string(fixture.uri), "service": "user-service"])
        let resolved = await fixture.call(CompletionResolveHandler.self, first)
        #expect(resolved["documentation"]?["kind"] == "markdown")
        #expect(resolved["documentation"]?["value"]?.stringValue?.contains("https://u.example.com") == true)
        #expect(
            resolved["label"] == first["label"] && resolved["textEdit"] == first["textEdit"],
            "the rest of the item is kept")
    }

    @Test("other clients get the documentation inline; unmarked or stale items resolve unchanged")
    func inline() async throws {
        let fixture = Fixture(Self.text)
        let answer = await fixture.call(CompletionHandler.self, fixture.params())
        let first = try #require(answer["items"]?.arrayValue?.first)
        #expect(first["documentation"] != nil && first["data"] == nil)
        for item: JSONValue in [
            first, ["label": "x", "data": ["uri": "file:///nowhere.jsonc", "service": "x"]],
            ["label": "y", "data": ["uri": .string(fixture.uri), "service": "gone"]],
        ] {
            #expect(await fixture.call(CompletionResolveHandler.self, item) == item)
        }
        #expect(await fixture.call(CompletionResolveHandler.self, "not an item")["error"] == -32602)
    }

    @Test("a client that takes itemDefaults gets the shared range and document once, and resolve still works")
    func itemDefaults() async throws {
        let client = ClientCapabilities([
            "textDocument": [
                "completion": [
                    "completionItem": [
                        "documentationFormat": ["markdown"], "resolveSupport": ["properties": ["documentation"]],
                    ],
                    "completionList": ["itemDefaults": ["editRange", "data", "insertTextFormat"]],
                ]
            ]
        ])
        let fixture = Fixture("{\(services), \"routing\": {\"default\": «\"us$0»}}", client: client)
        let answer = await fixture.call(CompletionHandler.self, fixture.params())
        #expect(answer["itemDefaults"] == ["editRange": fixture.range(0), "data": ["uri": .string(fixture.uri)]])
        let items = try #require(answer["items"]?.arrayValue)
        #expect(
            items.map { $0.objectValue?.keys.sorted() ?? [] }.allSatisfy {
                $0 == ["detail", "filterText", "kind", "label", "textEditText"]
            })
        let first = try #require(items.first?.objectValue)
        #expect(first["textEditText"] == "\"user-service\"")
        // The client applies the defaults before it resolves an item.
        var applied = first
        applied["data"] = answer["itemDefaults"]?["data"]
        let resolved = await fixture.call(CompletionResolveHandler.self, .object(applied))
        #expect(resolved["documentation"]?["value"]?.stringValue?.contains("https://u.example.com") == true)
    }
}
