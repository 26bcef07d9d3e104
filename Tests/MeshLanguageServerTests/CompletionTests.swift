@testable import MeshLanguageServer
import MeshConfig
import Testing

/// The completion labels at `$0`.
private func check(_ marked: String, _ expected: [String], snippets: Bool = true, sourceLocation: SourceLocation = #_sourceLocation) {
    let fixture = Marked(marked)
    let items = CompletionHandler.items(at: fixture[position: 0], in: fixture.analysis(), snippets: snippets)
    #expect(items.map(\.label) == expected, sourceLocation: sourceLocation)
}

/// The single completion labelled `label` at `$0`.
private func item(_ marked: String, _ label: String, snippets: Bool = true) -> (CompletionItem, Marked)? {
    let fixture = Marked(marked)
    let items = CompletionHandler.items(at: fixture[position: 0], in: fixture.analysis(), snippets: snippets)
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
        check("{\(services), \"routing\": {\"rules\": [{\"path\": \"/\", \"split\": [{\"service\": \"$0\", \"weight\": 1}]}]}}", names)
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
        check("{\"services\": {\"a\": {\"endpoints\": [], \"ti$0\"}}}",
              ["healthCheck", "timeout", "retries", "loadBalancer", "circuitBreaker", "fallback", "version", "auth"])
        check("{\"routing\": {\"rules\": [{\"path\": \"/\", \"split\": [{ $0 }]}]}}", ["service", "weight"])
        check("{\"services\": {\"a\": {\"retries\": { $0 }}}}", ["attempts", "backoff", "retryOn"])
        check("{\"services\": {\"a\": {\"endpoints\": [{ \"url\": \"https://x.example\", $0 }]}}}",
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
        check("{\"services\": {\"a\": {\"endpoints\": [{\"url\": \"https://x\", \"region\": \"$0\"}]}}}", GeoCodes.regions)
        check("{\"services\": {\"a\": {\"endpoints\": [{\"url\": \"https://x\", \"continent\": \"E$0\"}]}}}", GeoCodes.continents)
        check("{\"routing\": {\"rules\": [{\"path\": \"/\", \"methods\": [\"GET\", \"$0\"]}]}}", MeshSchema.httpMethods)
        check("{\"routing\": {\"rules\": [{\"path\": \"/\", \"geo\": {\"continents\": [$0]}}]}}", GeoCodes.continents)
        check("{\"services\": {\"a\": {\"retries\": {\"backoff\": {\"jitter\": \"$0\"}}}}}", ["full", "none"])
        check("{\"services\": {\"a\": {\"endpoints\": [{\"url\": \"https://x\", \"insecure\": $0}]}}}", ["true", "false"])
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
