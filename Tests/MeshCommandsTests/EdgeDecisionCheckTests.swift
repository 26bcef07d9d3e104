import Testing
import WireJSON

@testable import MeshCommands

/// `route --engine wasm` shows the native trace only when the module's `mesh_route` answer
/// and the native decision agree on every member the module answers. Each case is a module
/// answer (with what its ref names, if any) and a native decision, both as JSON text, and the
/// differences expected, one line each.
@Suite("EdgeDecisionCheck")
struct EdgeDecisionCheckTests {
    static let native = #"""
        {"outcome": "routed", "rule": {"index": 2, "name": "users", "path": "/api/*", "range": {"start": 1}},
         "service": "users", "endpoint": "https://a.example",
         "endpoints": [{"url": "https://a.example", "status": "healthy"}, {"url": "", "status": "none"}],
         "fallback": null, "panic": false,
         "policy": {"timeoutMs": 3000, "forwardPath": "/x", "retries": {"attempts": 2.0}},
         "skipped": [], "request": {"method": "GET"}}
        """#
    static let named = #"""
        {"rule": {"index": 2, "name": "users", "path": "/api/*"},
         "policy": {"retries": {"attempts": 2}, "timeoutMs": 3000}, "serviceFallback": false}
        """#

    func check(
        _ answer: String, named: String? = Self.named, native: String = Self.native, _ expected: [String],
        sourceLocation: SourceLocation = #_sourceLocation
    ) throws {
        let answer = try #require(WireJSON.parse(Array(answer.utf8)).get().objectValue)
        let names = try named.map { try #require(WireJSON.parse(Array($0.utf8)).get().objectValue) }
        let decision = try #require(WireJSON.parse(Array(native.utf8)).get().objectValue)
        let edge = EdgeDecisionCheck.edge(answer, named: names)
        let differences = EdgeDecisionCheck.differences(
            module: EdgeDecisionCheck.moduleView(answer, named: names),
            native: EdgeDecisionCheck.nativeView(decision, serviceFallback: edge["serviceFallback"]?.boolValue ?? false)
        )
        #expect(differences == expected, sourceLocation: sourceLocation)
    }

    @Test("a ref's answer that agrees, member order and number spelling aside")
    func agrees() throws {
        try check(
            #"{"outcome": "routed", "ref": 0, "service": "users", "#
                + #""endpoint": "https://a.example", "forwardPath": "/x", "retryableMethod": true}"#,
            [])
    }

    @Test("each member that differs is named with both values")
    func differs() throws {
        try check(
            #"{"outcome": "routed", "ref": 0, "service": "users", "#
                + #""endpoint": "https://b.example", "forwardPath": "/y", "retryableMethod": true}"#,
            [
                #"endpoint: the module answers "https://b.example", this binary's router "https://a.example""#,
                #"forwardPath: the module answers "/y", this binary's router "/x""#,
            ])
        try check(
            #"{"outcome": "routed", "ref": 0, "service": "users", "#
                + #""endpoint": "https://a.example", "panic": true, "forwardPath": "/x", "#
                + #""retryableMethod": true}"#,
            ["panic: the module answers true, this binary's router nothing"])
        try check(
            #"{"outcome": "routed", "ref": 0, "service": "users", "#
                + #""endpoint": "https://a.example", "forwardPath": "/x", "retryableMethod": true}"#,
            named:
                #"{"rule": {"index": 3, "name": "users", "path": "/api/*"}, "#
                + #""policy": {"timeoutMs": 3000, "retries": {"attempts": 2}}, "#
                + #""serviceFallback": false}"#,
            [
                #"rule: the module answers {"index":3,"name":"users","path":"/api/*"}, "#
                    + #"this binary's router {"index":2,"name":"users","path":"/api/*"}"#
            ])
    }

    @Test("with a fallback service the candidates' URLs are compared, empty ones left out")
    func candidates() throws {
        let named =
            #"{"rule": {"index": 2, "name": "users", "path": "/api/*"}, "#
            + #""policy": {"timeoutMs": 3000, "retries": {"attempts": 2}}, "#
            + #""serviceFallback": true}"#
        try check(
            #"{"outcome": "routed", "ref": 0, "service": "users", "#
                + #""endpoint": "https://a.example", "endpoints": [{"url": "https://a.example"}], "#
                + #""forwardPath": "/x", "retryableMethod": true}"#,
            named: named, [])
        try check(
            #"{"outcome": "routed", "ref": 0, "service": "users", "#
                + #""endpoint": "https://a.example", "endpoints": [], "forwardPath": "/x", "#
                + #""retryableMethod": true}"#,
            named: named, [#"endpoints: the module answers [], this binary's router [{"url":"https://a.example"}]"#])
    }

    @Test("an answer without a ref carries its rule, policy and edge itself")
    func withoutRef() throws {
        let native =
            #"{"outcome": "no-match", "rule": null, "service": null, "endpoint": null, "#
            + #""endpoints": [], "fallback": null, "panic": false, "policy": null}"#
        try check(
            #"{"outcome": "no-match", "rule": null, "service": null, "endpoint": null, "#
                + #""policy": null, "edge": {"retryableMethod": true, "serviceFallback": false}}"#,
            named: nil, native: native, [])
        try check(
            #"{"outcome": "default", "rule": null, "service": null, "endpoint": null, "#
                + #""policy": null, "edge": {"retryableMethod": true, "serviceFallback": false}}"#,
            named: nil, native: native, [#"outcome: the module answers "default", this binary's router "no-match""#])
    }
}
