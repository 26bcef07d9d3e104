import MeshConfig
import MeshRouter
import Testing

/// Policy resolution: rule over service over mesh.defaults over built-in defaults.
@Suite("Policy resolution")
struct PolicyTests {
    /// Resolves for the first rule and service `svc` of a config with the given members.
    static func resolve(rule: String = "", service: String = "", defaults: String = "", path: String = "/api/users")
        throws -> EffectivePolicy
    {
        let ruleMembers = rule.isEmpty ? "" : ", " + rule
        let config = SelectionSupport.config(
            """
            {"mesh": {"defaults": {\(defaults)}}, "services": {"svc": {\(service)}},
             "routing": {"rules": [{"path": "/api/*", "service": "svc"\(ruleMembers)}]}}
            """)
        let rule = try #require(config.routing.rules.first)
        return PolicyResolution.resolve(
            rule: rule, service: config.service(named: "svc"),
            defaults: config.mesh.defaults, path: path)
    }

    @Test("nothing configured: the documented defaults and no circuit breaker")
    func defaults() throws {
        let policy = try Self.resolve()
        #expect(policy.timeoutMs == 5_000)
        #expect(
            policy.retries
                == EffectiveRetries(
                    attempts: 0, baseMs: 100, maxMs: 2_000, jitter: "full", retryOn: ["5xx", "connect-failure"]))
        #expect(policy.circuitBreaker == nil)
        #expect(policy.forwardPath == "/api/users")
        let bare = PolicyResolution.resolve(rule: nil, service: nil, defaults: PolicySet(), path: "/x")
        #expect(bare.timeoutMs == 5_000)
        #expect(bare.forwardPath == "/x")
    }

    @Test("timeout: rule over service over defaults, clamped to a Worker's 30 s")
    func timeout() throws {
        #expect(try Self.resolve(defaults: "\"timeout\": 1000").timeoutMs == 1_000)
        #expect(try Self.resolve(service: "\"timeout\": 2000", defaults: "\"timeout\": 1000").timeoutMs == 2_000)
        #expect(
            try Self.resolve(rule: "\"timeout\": 3000", service: "\"timeout\": 2000", defaults: "\"timeout\": 1000")
                .timeoutMs == 3_000)
        #expect(try Self.resolve(service: "\"timeout\": 60000").timeoutMs == 30_000)
    }

    @Test("retries merge field by field: a rule's count keeps the service's backoff and retryOn")
    func retriesMerge() throws {
        let service =
            "\"retries\": {\"attempts\": 1, \"backoff\": {\"base\": 50, \"max\": 800, \"jitter\": \"none\"}, "
            + "\"retryOn\": [\"timeout\", \"429\"]}"
        let policy = try Self.resolve(
            rule: "\"retries\": 4", service: service,
            defaults: "\"retries\": {\"attempts\": 2, \"backoff\": {\"max\": 9000}}")
        #expect(
            policy.retries
                == EffectiveRetries(attempts: 4, baseMs: 50, maxMs: 800, jitter: "none", retryOn: ["timeout", "429"]))
        let fromDefaults = try Self.resolve(defaults: "\"retries\": {\"attempts\": 2, \"backoff\": {\"max\": 9000}}")
        #expect(
            fromDefaults.retries
                == EffectiveRetries(
                    attempts: 2, baseMs: 100, maxMs: 9_000, jitter: "full", retryOn: ["5xx", "connect-failure"]))
        #expect(try Self.resolve(service: "\"retries\": 25").retries.attempts == 10, "attempts are clamped to 0...10")
    }

    @Test("an empty retryOn is kept: it means retry on nothing")
    func emptyRetryOn() throws {
        #expect(try Self.resolve(service: "\"retries\": {\"attempts\": 2, \"retryOn\": []}").retries.retryOn == [])
    }

    @Test("a circuit breaker at any level fills the missing fields with the defaults")
    func circuitBreaker() throws {
        let policy = try Self.resolve(
            service: "\"circuitBreaker\": {\"failureThreshold\": 3}",
            defaults: "\"circuitBreaker\": {\"resetTimeout\": 10000}")
        #expect(
            policy.circuitBreaker
                == EffectiveCircuitBreaker(
                    failureThreshold: 3, resetTimeoutMs: 10_000, halfOpenRequests: 1, maxResetTimeoutMs: 300_000))
        let empty = try Self.resolve(service: "\"circuitBreaker\": {}")
        #expect(empty.circuitBreaker == PolicyResolution.defaultCircuitBreaker)
    }

    @Test(
        "stripPrefix is removed from the forwarded path, which always starts with /",
        arguments: [
            ("/api", "/api/users", "/users"),
            ("/api", "/api", "/"),
            ("/api/", "/api/users", "/users"),
            ("/api/", "/api/", "/"),
            ("/v1", "/api/users", "/api/users"),
            ("", "/api/users", "/api/users"),
        ])
    func stripPrefix(prefix: String, path: String, forwarded: String) throws {
        let policy = try Self.resolve(rule: "\"stripPrefix\": \"\(prefix)\"", path: path)
        #expect(policy.forwardPath == forwarded)
        #expect(PolicyResolution.forwardPath(path, stripPrefix: prefix) == forwarded)
    }
}
