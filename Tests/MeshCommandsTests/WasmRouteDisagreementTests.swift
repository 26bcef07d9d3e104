import Foundation
import MeshTestSupport
import Testing

@testable import MeshCommands

/// `route --engine wasm` shows the native trace only for a decision the module makes too. A
/// module built from other sources is stood in for by ``FakeEdgeRouter``, which loads any plan
/// and always answers one decision: one that sends `/a/1` to another endpoint than the config
/// names. The preview must refuse it, naming each member on which the two differ, and print
/// no decision. (The agreeing path runs on the real module: Tests/e2e/test_route_engine.py.)
@Suite("route --engine wasm: a module that decides otherwise")
struct WasmRouteDisagreementTests {
    static let config = #"""
        {"version": 1, "services": {"a": {"endpoints": ["https://a.example"]}},
         "routing": {"rules": [{"path": "/a/*", "service": "a"}]}}
        """#
    static let report = #"{"errors":0,"warnings":0,"services":1,"rules":1,"findings":[]}"#
    static let decision = #"""
        {"outcome":"routed","rule":{"index":0,"name":null,"path":"/a/*"},"service":"a",\#
        "endpoint":"https://b.example","policy":null,\#
        "edge":{"retryableMethod":true,"serviceFallback":false}}
        """#

    func run(_ configure: (inout RouteRunner.Options) -> Void) throws -> RouteRunner {
        let directory = try TemporaryDirectory()
        let config = try directory.write("diddy-mesh.jsonc", Self.config)
        let module = try directory.write(
            "other.wasm", bytes: FakeEdgeRouter.answering(report: Self.report, decision: Self.decision).wasm())
        var options = RouteRunner.Options()
        options.configPath = config
        options.engine = .wasm
        options.wasmPath = module
        configure(&options)
        return RouteRunner.run(options)
    }

    @Test("--url: exit 2, each differing member with both values, no decision printed")
    func oneRequest() throws {
        let result = try run { $0.url = "https://x.example/a/1" }
        #expect(result.exitCode == 2)
        #expect(result.output == "")
        let lines = result.errors.split(separator: "\n").map(String.init)
        #expect(lines.first?.hasPrefix("error: the edge router module '") == true)
        #expect(
            lines.first?.hasSuffix("' and this binary's router decide GET https://x.example/a/1 differently:") == true)
        #expect(
            Array(lines.dropFirst().prefix(3)) == [
                #"  endpoint: the module answers "https://b.example", this binary's router "https://a.example""#,
                #"  policy: the module answers null, this binary's router {"timeout":5000,"retries":{"attempts":0,"#
                    + #""backoff":{"base":100,"max":2000,"jitter":"full"},"retryOn":["5xx","connect-failure"]},"#
                    + #""circuitBreaker":null}"#,
                #"  forwardPath: the module answers nothing, this binary's router "/a/1""#,
            ], "\(lines)")
        #expect(lines.last?.hasPrefix("note: the preview explains only a decision both make;") == true)
    }

    @Test("--requests: the lines before it are printed, then the line it differs on is named")
    func requests() throws {
        let directory = try TemporaryDirectory()
        let requests = try directory.write("requests.jsonl", #"{"url": "https://x.example/a/1"}"# + "\n")
        let result = try run { $0.requestsPath = requests }
        #expect(result.exitCode == 2)
        #expect(result.errors.contains("decide \(requests):1 differently:\n  endpoint: the module answers"))
    }
}
