import Foundation
@testable import MeshLanguageServer
import Testing
import WireJSON

/// The mesh with the definition of `user-service` marked as range 0 and its references as
/// ranges 1 and up; `$0` is on the rule's reference.
private let marked = """
{
  "services": {
    «"user-service"»: { "endpoints": ["https://u.example.com"] },
    "orders": { "endpoints": ["https://o.example.com"], "fallback": «"user-service"», "auth": { "allow": [«"user-service"»] } }
  },
  "routing": {
    "rules": [
      { "path": "/u", "service": «"user-$0service"» },
      { "path": "/o", "split": [{ "service": «"user-service"», "weight": 1 }, { "service": "orders", "weight": 1 }] }
    ],
    "default": «"user-service"»
  }
}
"""

@Suite("definition, references, highlights")
struct NavigationTests {
    @Test("definition goes from a reference to the key under services")
    func definition() async {
        let fixture = Fixture(marked)
        let result = await fixture.call(DefinitionHandler.self, fixture.params())
        #expect(result == [["uri": .string(fixture.uri), "range": fixture.range(0)]])
    }

    @Test("definition on the definition itself, and nothing off a service name")
    func definitionEdges() async {
        let onDefinition = Fixture(marked.replacingOccurrences(of: "«\"user-service\"»: {", with: "«\"user$1-service\"»: {"))
        #expect(await onDefinition.call(DefinitionHandler.self, onDefinition.params(at: 1)) == [["uri": .string(onDefinition.uri), "range": onDefinition.range(0)]])
        let off = Fixture("{\"services\": {}$0}")
        #expect(await off.call(DefinitionHandler.self, off.params()) == .null)
        let undefined = Fixture("{\"services\": {}, \"routing\": {\"default\": \"x$0\"}}")
        #expect(await undefined.call(DefinitionHandler.self, undefined.params()) == .null)
    }

    @Test("references list every reference, and the definition when asked")
    func references() async {
        let fixture = Fixture(marked)
        let withDeclaration = await fixture.call(ReferencesHandler.self, fixture.params(at: 0, [("context", ["includeDeclaration": true])]))
        #expect(withDeclaration == .array((0..<6).map { ["uri": .string(fixture.uri), "range": fixture.range($0)] }))
        let without = await fixture.call(ReferencesHandler.self, fixture.params(at: 0, [("context", ["includeDeclaration": false])]))
        #expect(without == .array((1..<6).map { ["uri": .string(fixture.uri), "range": fixture.range($0)] }))
    }

    @Test("highlights mark the definition as write and references as read")
    func highlights() async {
        let fixture = Fixture(marked)
        let result = await fixture.call(DocumentHighlightHandler.self, fixture.params())
        #expect(result == .array((0..<6).map { ["range": fixture.range($0), "kind": .int($0 == 0 ? 3 : 2)] }))
    }
}
