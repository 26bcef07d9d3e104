import Foundation
import Testing
import WireJSON

@testable import MeshLanguageServer

/// Runs `handler` at `$0` and expects locations (or highlights) at the marked ranges, in order.
/// Range 0 is the definition when the fixture marks one.
private func check(
    _ handler: any RequestHandler.Type, _ marked: String, _ extra: [(String, JSONValue)] = [],
    expected: (Fixture) -> JSONValue, sourceLocation: SourceLocation = #_sourceLocation
) async {
    let fixture = Fixture(marked)
    let result = await fixture.call(handler, fixture.params(at: 0, extra))
    #expect(result == expected(fixture), sourceLocation: sourceLocation)
}

private func locations(_ fixture: Fixture, _ indices: Range<Int>) -> JSONValue {
    .array(indices.map { ["uri": .string(fixture.uri), "range": fixture.range($0)] })
}

/// A mesh where `user-service` is defined (range 0) and referenced from every kind of
/// place (ranges 1-5); `$0` goes where each case puts it.
private func mesh(cursorOn place: Int) -> String {
    var names = (0..<6).map { _ in "«\"user-service\"»" }
    names[place] = "«\"user-$0service\"»"
    return """
        {
          "services": {
            \(names[0]): { "endpoints": ["https://u.example.com"] },
            "orders": { "endpoints": ["https://o.example.com"], "fallback": \(names[1]), "auth": { "allow": [\(names[2])] } }
          },
          "routing": {
            "rules": [
              { "path": "/u", "service": \(names[3]) },
              { "path": "/o", "split": [{ "service": \(names[4]), "weight": 1 }, { "service": "orders", "weight": 1 }] }
            ],
            "default": \(names[5])
          }
        }
        """
}

@Suite("definition, references, highlights")
struct NavigationTests {
    @Test("definition from every kind of reference, and from the definition itself", arguments: 0..<6)
    func definition(place: Int) async {
        await check(DefinitionHandler.self, mesh(cursorOn: place)) { locations($0, 0..<1) }
    }

    @Test("references from every place, with and without the declaration", arguments: 0..<6)
    func references(place: Int) async {
        await check(ReferencesHandler.self, mesh(cursorOn: place), [("context", ["includeDeclaration": true])]) {
            locations($0, 0..<6)
        }
        await check(ReferencesHandler.self, mesh(cursorOn: place), [("context", ["includeDeclaration": false])]) {
            locations($0, 1..<6)
        }
    }

    @Test("highlights mark the definition as write and references as read")
    func highlights() async {
        await check(DocumentHighlightHandler.self, mesh(cursorOn: 3)) { fixture in
            .array((0..<6).map { ["range": fixture.range($0), "kind": .int($0 == 0 ? 3 : 2)] })
        }
    }

    @Test("nothing off a service name, and no definition for an undefined service")
    func nothing() async {
        await check(DefinitionHandler.self, "{\"services\": {}$0}") { _ in .null }
        await check(DefinitionHandler.self, "{\"services\": {}, \"routing\": {\"default\": \"x$0\"}}") { _ in .null }
        await check(ReferencesHandler.self, "{\"services\": {\"a\": {\"timeout\": 1$0}}}") { _ in [] }
        await check(DocumentHighlightHandler.self, "{\"version\": $01}") { _ in [] }
        // References to an undefined service still find each other.
        await check(
            ReferencesHandler.self,
            "{\"services\": {}, \"routing\": {\"default\": «\"x$0\"», \"rules\": [{\"path\": \"/\", \"service\": "
                + "«\"x\"»}]}}"
        ) {
            locations($0, 0..<2)
        }
    }
}
