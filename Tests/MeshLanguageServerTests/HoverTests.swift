import Foundation
import MeshTestSupport
import Testing

@testable import MeshLanguageServer

/// The hover markdown at `$0` contains every string of `expected` (nil: no hover), and its
/// range is marked range 0 when the fixture marks one.
private func check(_ marked: String, _ expected: [String]?, sourceLocation: SourceLocation = #_sourceLocation) {
    let fixture = Marked(marked)
    let hover = HoverContent.at(fixture[position: 0], in: fixture.analysis())
    guard let expected else {
        #expect(hover == nil, sourceLocation: sourceLocation)
        return
    }
    guard let hover else {
        Issue.record("no hover", sourceLocation: sourceLocation)
        return
    }
    for text in expected {
        #expect(hover.markdown.contains(text), "\(text) not in \(hover.markdown)", sourceLocation: sourceLocation)
    }
    if !fixture.ranges.isEmpty { #expect(hover.range == fixture[range: 0], sourceLocation: sourceLocation) }
}

@Suite("hover")
struct HoverTests {
    @Test("a key shows its type, documentation and default")
    func keyDocs() {
        check(
            "{\"services\": {\"a\": {«\"time$0out\"»: 1}}}",
            ["`timeout`: integer 1..30000", "Per-attempt timeout", "Default: `5000`"])
        check("{«\"vers$0ion\"»: 1}", ["The config format version", "Default: `1`"])
        check(
            "{\"services\": {\"a\": {\"loadBalancer\": «\"weigh$0ted\"»}}}",
            ["`loadBalancer`", "Allowed: `round-robin`"])
        check("{\"routing\": {\"rules\": [{\"path\": \"/\", \"geo\": {«\"coun$0tries\"»: []}}]}}", ["ISO 3166-1"])
    }

    @Test("a service name, defined or referenced, shows endpoints, strategy, timeout and retries")
    func serviceHover() {
        let text = Sample.mesh.replacingOccurrences(
            of: "\"service\": \"user-service\"", with: "\"service\": «\"user-$0service\"»")
        check(
            text,
            [
                "**service `user-service`**", "`https://users.example.com`", "strategy: `round-robin` (default)",
                "timeout: 3000 ms", "retries: none",
            ])
        let definition = Sample.mesh.replacingOccurrences(of: "\"orders\": {", with: "«\"ord$0ers\"»: {")
        check(
            definition,
            [
                "**service `orders`**", "region WEU", "strategy: `weighted`", "timeout: 5000 ms",
                "fallback: service `user-service`",
            ])
    }

    @Test("a service without endpoints says they come from the registry; mesh defaults apply")
    func serviceDefaults() {
        check(
            """
            {"mesh": {"defaults": {"retries": 2, "loadBalancer": "random"}},
             "services": {"search": {}}, "routing": {"default": "sea$0rch"}}
            """, ["discovered from the registry", "strategy: `random`", "retries: 2 (backoff 100-2000 ms"])
    }

    @Test("an undefined service says so")
    func undefinedService() {
        check("{\"services\": {}, \"routing\": {\"default\": «\"nope$0\"»}}", ["unknown service `nope`"])
    }

    @Test("no hover on whitespace, punctuation or keys outside the format")
    func nothing() {
        check("{\"services\": {} $0 }", nil)
        check("{\"unknown\": {\"x$0\": 1}}", nil)
    }
}
