import Foundation
import MeshCommands
import MeshRouter
import MeshSyntax
import MeshTestSupport
import Testing

/// `diddy-mesh route`: decision traces as golden text and JSON, expectations files with
/// coverage, and exit codes.
@Suite("route command")
struct RouteCommandTests {
    static let shop = Paths.examples.appendingPathComponent("shop/diddy-mesh.jsonc").path
    static let routeFixtures = Paths.fixtures.appendingPathComponent("route")

    /// One request against the shop example.
    struct Case: Sendable, CustomTestStringConvertible {
        var name: String
        var method = "GET"
        var url: String
        var headers: [String] = []
        var cf = GeoContext()
        var exitCode: Int32 = 0
        var outcome: String
        var testDescription: String { name }
    }

    static let cases: [Case] = [
        Case(
            name: "users-eu", url: "https://api.shop.example/api/users/42", cf: GeoContext(continent: "EU"),
            outcome: "routed"),
        Case(
            name: "users-post-falls-to-default", method: "POST", url: "https://api.shop.example/api/users/42",
            outcome: "default"),
        Case(
            name: "payments-strip-prefix", method: "POST", url: "https://api.shop.example/api/payments/charge?x=1",
            outcome: "routed"),
        Case(
            name: "catalog-sticky-split", url: "https://api.shop.example/api/catalog/shoes",
            headers: ["Cookie: session=abc123"], outcome: "routed"),
        Case(
            name: "preview-geo-header", url: "https://shop.example/preview/a/../new", headers: ["X-Preview: 1"],
            cf: GeoContext(colo: "FRA", country: "DE", continent: "EU"), outcome: "routed"),
        Case(
            name: "home-from-us", url: "https://shop.example",
            cf: GeoContext(colo: "IAD", country: "US", continent: "NA", latitude: 38.9, longitude: -77.4),
            outcome: "default"),
    ]

    @Test("route prints the decision trace", arguments: cases)
    func trace(_ testCase: Case) throws {
        for format in [CheckFormat.json, .text] {
            var options = RouteRunner.Options()
            options.configPath = Self.shop
            options.url = testCase.url
            options.method = testCase.method
            options.headers = testCase.headers
            options.cf = testCase.cf
            options.format = format
            let result = RouteRunner.run(options)
            #expect(result.exitCode == testCase.exitCode, "\(result.errors)")
            let output = result.output.replacingOccurrences(of: Paths.packageRoot.path + "/", with: "")
            if format == .json {
                let object = try #require(try JSONSerialization.jsonObject(with: Data(output.utf8)) as? [String: Any])
                #expect(object["outcome"] as? String == testCase.outcome)
                for key in [
                    "request", "outcome", "rule", "skipped", "split", "service", "endpoints", "endpoint", "strategy",
                    "policy",
                ] {
                    #expect(object.keys.contains(key), "the trace has no '\(key)'")
                }
            }
            Golden.check(
                output,
                against: Self.routeFixtures.appendingPathComponent(
                    "\(testCase.name).\(format == .json ? "json" : "text")"))
        }
    }

    @Test("the shop's expectations pass with full rule coverage")
    func shopExpectations() {
        var options = RouteRunner.Options()
        options.configPath = Self.shop
        options.testsPath = Paths.examples.appendingPathComponent("shop/route-tests.json").path
        options.failUnder = 100
        let result = RouteRunner.run(options)
        #expect(result.exitCode == 0, "\(result.output)\(result.errors)")
        #expect(result.output.contains("10 passed, 0 failed"))
        #expect(result.output.contains("7/7 rules exercised (100%)"))
    }

    @Test("failing expectations print expected and actual, and coverage can fail the run")
    func failingExpectations() throws {
        let directory = try TemporaryDirectory()
        let tests = directory.path("tests.json")
        try Data(
            """
            {"tests": [
              {"name": "wrong service", "request": {"url": "https://x.example/api/users/1"}, "expect": {"service": "order-service", "rule": 1}},
              {"name": "right", "request": {"url": "https://x.example/api/orders/1"}, "expect": {"rule": "orders"}}
            ]}
            """.utf8
        ).write(to: URL(fileURLWithPath: tests))
        var options = RouteRunner.Options()
        options.configPath = Self.shop
        options.testsPath = tests
        let result = RouteRunner.run(options)
        #expect(result.exitCode == 1)
        #expect(result.output.contains("FAIL wrong service"))
        #expect(result.output.contains("service: expected 'order-service', got 'user-service'"))
        #expect(result.output.contains("rule: expected #1, got 'users' (#0)"))
        #expect(result.output.contains("1 passed, 1 failed"))
        #expect(result.output.contains("2/7 rules exercised (28.6%)"), "2/7 rounds to 28.6, not 28.5")

        options.testsPath = directory.path("only-right.json")
        try Data(
            """
            {"tests": [{"request": {"url": "https://x.example/api/orders/1"}, "expect": {"rule": "orders"}}]}
            """.utf8
        ).write(to: URL(fileURLWithPath: directory.path("only-right.json")))
        options.failUnder = 50
        let underCovered = RouteRunner.run(options)
        #expect(underCovered.exitCode == 1)
        #expect(
            underCovered.errors.hasPrefix(
                "error: rule coverage 14.3% is below --fail-under 50%; not exercised: #0 'users'"),
            "\(underCovered.errors)")
    }

    /// Bad input: exit 2 with a clear message, never a crash.
    @Test(
        "bad requests exit 2 with a message",
        arguments: [
            ("not a url", "no scheme"),
            ("ftp://x.example/a", "unsupported scheme"),
            ("https://", "no host"),
            ("https://exa mple.com/", "invalid host"),
        ])
    func badRequests(url: String, message: String) {
        var options = RouteRunner.Options()
        options.configPath = Self.shop
        options.url = url
        let result = RouteRunner.run(options)
        #expect(result.exitCode == 2)
        #expect(result.errors.contains(message), "\(result.errors)")
    }

    @Test("long and non-ASCII paths route without trouble")
    func unusualPaths() {
        var options = RouteRunner.Options()
        options.configPath = Self.shop
        options.format = .json
        options.url = "https://x.example/api/users/" + String(repeating: "a", count: 100_000)
        #expect(RouteRunner.run(options).exitCode == 0)
        options.url = "https://x.example/api/users/日本語/😀"
        let result = RouteRunner.run(options)
        #expect(result.exitCode == 0)
        #expect(result.output.contains("/api/users/%E6%97%A5%E6%9C%AC%E8%AA%9E/%F0%9F%98%80"))
    }

    @Test("a config that cannot be read exits 2")
    func unreadableConfig() {
        var options = RouteRunner.Options()
        options.configPath = "/nonexistent/diddy-mesh.jsonc"
        options.url = "https://x.example/"
        let result = RouteRunner.run(options)
        #expect(result.exitCode == 2)
        #expect(result.errors.contains("cannot read"))
    }

    /// A config and a request whose route ends nowhere usable (exit 1) or at a service (exit 0).
    struct ExitCase: Sendable, CustomTestStringConvertible {
        var name: String
        var config: String
        var url = "https://x.example/b"
        var exitCode: Int32
        var says: String
        var testDescription: String { name }
    }

    static let exitCases: [ExitCase] = [
        ExitCase(
            name: "no rule and no default",
            config: #"{"services": {"a": {"endpoints": ["https://a.example"]}}, "routing": {"rules": "#
                + #"[{"path": "/a/*", "service": "a"}]}}"#,
            exitCode: 1, says: "-> no route: no rule matched and there is no routing.default (404)"),
        ExitCase(
            name: "a rule naming a service that does not exist",
            config: #"{"services": {"a": {"endpoints": ["https://a.example"]}}, "routing": {"rules": "#
                + #"[{"path": "/b", "service": "ghost"}]}}"#,
            exitCode: 1, says: "   note: service 'ghost' is not defined"),
        ExitCase(
            name: "a default naming a service that does not exist",
            config: #"{"services": {"a": {"endpoints": ["https://a.example"]}}, "routing": {"default": "ghost"}}"#,
            exitCode: 1, says: "   note: service 'ghost' is not defined"),
        ExitCase(
            name: "the default",
            config: #"{"services": {"a": {"endpoints": ["https://a.example"]}}, "routing": {"default": "a"}}"#,
            exitCode: 0, says: "-> endpoint https://a.example"),
    ]

    @Test("route exits 1 when the request reaches no defined service, and still prints the trace", arguments: exitCases)
    func exitCodes(_ testCase: ExitCase) throws {
        let directory = try TemporaryDirectory()
        var options = RouteRunner.Options()
        options.configPath = try directory.write("diddy-mesh.jsonc", testCase.config)
        options.url = testCase.url
        let result = RouteRunner.run(options)
        #expect(result.exitCode == testCase.exitCode, "\(result.errors)")
        #expect(result.output.split(separator: "\n").contains { $0.hasPrefix(testCase.says) }, "\(result.output)")
        options.format = .json
        let json = RouteRunner.run(options)
        #expect(json.exitCode == testCase.exitCode)
        #expect(json.output.hasPrefix("{"))
    }

    @Test("route --live routes with the registry's health and names where it came from")
    func liveHealth() async throws {
        var options = RouteRunner.Options()
        options.configPath = Self.shop
        options.url = "https://api.shop.example/api/users/42"
        let down = EndpointHealth(status: .unhealthy, ageSeconds: 3)
        let up = EndpointHealth(status: .healthy, latencyMs: 12, ageSeconds: 3)
        let snapshot = HealthSnapshot(records: [
            "user-service": ["https://users-eu.shop.workers.dev": down, "https://users-us.shop.workers.dev": up]
        ])
        options.live = { _ in .success(RouteRunner.LiveHealth(snapshot: snapshot, registry: "a test registry", age: 0))
        }
        let result = await RouteRunner.runWithLiveHealth(options)
        #expect(result.exitCode == 0, "\(result.errors)")
        #expect(result.output.contains("-> endpoint https://users-us.shop.workers.dev"), "\(result.output)")
        #expect(result.output.hasSuffix("   live health: a test registry, read just now\n"))
    }

    @Test("route --live with a registry that cannot be read exits 2 with the reason")
    func liveHealthUnavailable() async {
        var options = RouteRunner.Options()
        options.configPath = Self.shop
        options.url = "https://api.shop.example/api/users/42"
        options.live = { _ in .failure(FileReader.Failure(message: "live health unavailable: registry is off")) }
        let result = await RouteRunner.runWithLiveHealth(options)
        #expect(result.exitCode == 2)
        #expect(result.errors == "error: live health unavailable: registry is off\n")
        #expect(result.output.isEmpty)
    }
}
