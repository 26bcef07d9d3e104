import MeshConfig
import MeshSyntax
import MeshTestSupport
import Testing

/// The one helper of the model tests: builds the model of `marked` and expects no
/// diagnostics but those of `allowing`.
func build(
    _ marked: String, allowing allowed: Set<DiagnosticCode> = [], sourceLocation: SourceLocation = #_sourceLocation
) -> (config: MeshConfig, marks: Marked) {
    let marks = Marked(marked)
    let document = MeshDocument.analyze(marks.source, path: "diddy-mesh.jsonc")
    for diagnostic in document.diagnostics where !allowed.contains(diagnostic.code) {
        Issue.record("unexpected \(diagnostic.code.rawValue): \(diagnostic.message)", sourceLocation: sourceLocation)
    }
    return (document.config, marks)
}

@Suite("Model building")
struct ModelBuilderTests {
    @Test("services keep document order and are located at their keys")
    func services() throws {
        let (config, marks) = build(
            """
            {
              "services": {
                «"users"»: «{ "version": «"1.4.0"» }»,
                «"orders"»: {},
                «"search"»: { "fallback": «"orders"» }
              },
              "routing": { "rules": [{ "path": "/u", "service": "users" }, { "path": "/s", "service": "search" }] }
            }
            """)
        #expect(config.serviceNames == ["users", "orders", "search"])
        let users = try #require(config.service(named: "users"))
        #expect(users.name == Located("users", at: marks[0]))
        #expect(
            users.range == ByteRange(start: marks[0].start, end: marks[1].end), "a service's range is its whole member")
        #expect(users.version == Located("1.4.0", at: marks[2]))
        #expect(users.endpoints == nil, "absent endpoints mean: discovered from the registry")
        #expect(config.service(named: "orders")?.name.range == marks[3])
        #expect(config.service(named: "search")?.name.range == marks[4])
        #expect(config.service(named: "search")?.fallback == .service(Located("orders", at: marks[5])))
        #expect(config.service(named: "missing") == nil)
    }

    @Test("a service defined twice keeps the later definition")
    func duplicateService() throws {
        let (config, marks) = build(
            """
            {"services": {"users": {"timeout": 100}, «"users"»: {"timeout": «200»}}, "routing": {"default": "users"}}
            """, allowing: [.duplicateKey])
        #expect(config.services.count == 1)
        let users = try #require(config.services.first)
        #expect(users.name.range == marks[0])
        #expect(users.policies.timeout == Located(200, at: marks[1]))
    }

    @Test("within an object the last of duplicate keys wins, a missing value and an escaped key included")
    func duplicateKeysInObjects() throws {
        let (config, marks) = build(
            """
            {
              "services": { "users": {
                "timeout": 100, "t\\u0069meout": «300»,
                "endpoints": [{ "url": "https://a.example.workers.dev", "url": «"https://b.example.workers.dev"» }],
                "retries": { "attempts": 3, "attempts": «1», "backoff": { "base": 10 }, "backoff": "none" },
                "version": "1.0.0", "version": {}
              } },
              "routing": { "rules": [
                { "path": "/a", "service": "users", "p\\u0061th": «"/b"», "name": "r1", "name": «"r2"» }
              ] }
            }
            """, allowing: [.duplicateKey, .wrongType])
        let users = try #require(config.service(named: "users"))
        #expect(users.policies.timeout == Located(300, at: marks[0]))
        #expect(users.endpoints?.first?.url == Located("https://b.example.workers.dev", at: marks[1]))
        #expect(users.policies.retries?.attempts == Located(1, at: marks[2]))
        #expect(users.policies.retries?.backoffBase == nil, "the later backoff is not an object")
        #expect(users.version == nil, "the later version is not a string")
        let rule = try #require(config.routing.rules.first)
        #expect(rule.path == Located("/b", at: marks[3]))
        #expect(rule.name == Located("r2", at: marks[4]))
    }

    @Test("endpoints: URL strings and objects with placement, weight, id and insecure")
    func endpoints() throws {
        let (config, marks) = build(
            """
            {
              "services": { "users": { "endpoints": [
                «"https://users-1.example.workers.dev"»,
                «{ "url": «"http://users-2.example.workers.dev"», "insecure": «true», "id": «"users-2"»,
                   "region": «"WEU"», "continent": «"EU"», "location": «{ "lat": 50.1, "lon": -8.5 }», "weight": «2.5» }»
              ], "loadBalancer": "weighted" } },
              "routing": { "default": "users" }
            }
            """, allowing: [.insecureEndpoint])
        let endpoints = try #require(config.service(named: "users")?.endpoints)
        try #require(endpoints.count == 2)
        let short = endpoints[0]
        #expect(short.isShorthand)
        #expect(short.range == marks[0])
        #expect(short.url == Located("https://users-1.example.workers.dev", at: marks[0]))
        #expect(short.effectiveID == "https://users-1.example.workers.dev")
        #expect(!short.hasPlacement)
        #expect(short.weight == nil)

        let full = endpoints[1]
        #expect(!full.isShorthand)
        #expect(full.range == marks[1])
        #expect(full.url == Located("http://users-2.example.workers.dev", at: marks[2]))
        #expect(full.insecure == Located(true, at: marks[3]))
        #expect(full.id == Located("users-2", at: marks[4]))
        #expect(full.effectiveID == "users-2")
        #expect(full.region == Located("WEU", at: marks[5]))
        #expect(full.continent == Located("EU", at: marks[6]))
        #expect(full.location?.latitude == 50.1)
        #expect(full.location?.longitude == -8.5)
        #expect(full.location?.range == marks[7])
        #expect(full.weight == Located(2.5, at: marks[8]))
        #expect(full.hasPlacement)
    }

    @Test("an empty endpoint list is kept apart from an absent one")
    func emptyEndpoints() {
        let (config, _) = build(#"{"services": {"users": {"endpoints": []}}, "routing": {"default": "users"}}"#)
        #expect(config.service(named: "users")?.endpoints == [])
    }

    @Test("health checks: the path form, the object form and the documented defaults")
    func healthChecks() throws {
        let (config, marks) = build(
            """
            {
              "services": {
                "a": { "healthCheck": «"/healthz"» },
                "b": { "healthCheck": { "interval": «5000», "timeout": «1000», "expectStatus": «204», "healthyThreshold": 1, "unhealthyThreshold": 5 } },
                "c": { "healthCheck": { "expectStatus": «"3xx"» } }
              },
              "routing": { "rules": [{ "path": "/a", "service": "a" }, { "path": "/b", "service": "b" }, { "path": "/c", "service": "c" }] }
            }
            """)
        let a = try #require(config.service(named: "a")?.healthCheck)
        #expect(a.range == marks[0])
        #expect(a.path == Located("/healthz", at: marks[0]))
        #expect(a.effectiveInterval == 10_000)
        #expect(a.effectiveTimeout == 2_000)
        #expect(a.effectiveExpectStatus == .statusClass(2))
        #expect(a.effectiveHealthyThreshold == 2)
        #expect(a.effectiveUnhealthyThreshold == 3)

        let b = try #require(config.service(named: "b")?.healthCheck)
        #expect(b.effectivePath == "/health")
        #expect(b.interval == Located(5000, at: marks[1]))
        #expect(b.timeout == Located(1000, at: marks[2]))
        #expect(b.expectStatus == Located(.exact(204), at: marks[3]))
        #expect(b.effectiveHealthyThreshold == 1)
        #expect(b.effectiveUnhealthyThreshold == 5)
        #expect(b.effectiveExpectStatus.accepts(204))
        #expect(!b.effectiveExpectStatus.accepts(200))

        let c = try #require(config.service(named: "c")?.healthCheck)
        #expect(c.expectStatus == Located(.statusClass(3), at: marks[4]))
        #expect(c.effectiveExpectStatus.accepts(301))
        #expect(!c.effectiveExpectStatus.accepts(200))
    }

    @Test("policies: timeout, retries, load balancer and circuit breaker in both forms, on services and mesh.defaults")
    func policies() throws {
        let (config, marks) = build(
            """
            {
              "mesh": { "name": «"shop"», "registry": «{ "binding": «"MESH_KV"» }»,
                        "defaults": { "timeout": «4000», "retries": «3», "loadBalancer": «"random"» } },
              "services": {
                "users": {
                  "timeout": «2000»,
                  "retries": «{ "attempts": «2», "backoff": { "base": «50», "max": «500», "jitter": «"none"» }, "retryOn": [«"5xx"», "429"] }»,
                  "loadBalancer": «{ "strategy": «"latency"», "metric": «"p50"» }»,
                  "circuitBreaker": «{ "failureThreshold": «3», "resetTimeout": «1000», "halfOpenRequests": «2», "maxResetTimeout": «60000» }»
                },
                "orders": { "loadBalancer": { "strategy": "random", "seed": «7» } }
              },
              "routing": { "rules": [{ "path": "/u", "service": "users" }, { "path": "/o", "service": "orders" }] }
            }
            """)
        #expect(config.mesh.name == Located("shop", at: marks[0]))
        let registry = try #require(config.mesh.registry)
        #expect(registry.range == marks[1])
        #expect(registry.binding == Located("MESH_KV", at: marks[2]))
        #expect(registry.namespaceId == nil)
        let defaults = config.mesh.defaults
        #expect(defaults.timeout == Located(4000, at: marks[3]))
        #expect(defaults.retries?.range == marks[4])
        #expect(defaults.retries?.attempts == Located(3, at: marks[4]))
        #expect(defaults.retries?.backoffBase == nil)
        #expect(defaults.loadBalancer?.range == marks[5])
        #expect(defaults.loadBalancer?.strategy == Located(.random, at: marks[5]))

        let users = try #require(config.service(named: "users")).policies
        #expect(users.timeout == Located(2000, at: marks[6]))
        let retries = try #require(users.retries)
        #expect(retries.range == marks[7])
        #expect(retries.attempts == Located(2, at: marks[8]))
        #expect(retries.backoffBase == Located(50, at: marks[9]))
        #expect(retries.backoffMax == Located(500, at: marks[10]))
        #expect(retries.jitter == Located("none", at: marks[11]))
        #expect(retries.retryOn?.map(\.value) == ["5xx", "429"])
        #expect(retries.retryOn?.first?.range == marks[12])
        let balancer = try #require(users.loadBalancer)
        #expect(balancer.range == marks[13])
        #expect(balancer.strategy == Located(.latency, at: marks[14]))
        #expect(balancer.metric == Located("p50", at: marks[15]))
        let breaker = try #require(users.circuitBreaker)
        #expect(breaker.range == marks[16])
        #expect(breaker.failureThreshold == Located(3, at: marks[17]))
        #expect(breaker.resetTimeout == Located(1000, at: marks[18]))
        #expect(breaker.halfOpenRequests == Located(2, at: marks[19]))
        #expect(breaker.maxResetTimeout == Located(60000, at: marks[20]))
        #expect(config.service(named: "orders")?.policies.loadBalancer?.seed == Located(7, at: marks[21]))
    }

    @Test("fallbacks and auth")
    func fallbackAndAuth() throws {
        let (config, marks) = build(
            """
            {
              "services": {
                "users": { "fallback": «{ "status": «503», "body": «"later"» }», "auth": { "mode": «"mtls"», "allow": [«"orders"», "search"] } },
                "orders": { "fallback": "users" },
                "search": {}
              },
              "routing": { "rules": [{ "path": "/o", "service": "orders" }, { "path": "/s", "service": "search" }] },
              "security": { "mtls": { "certificateBinding": «"MTLS_CERT"» }, "defaultAuth": «"token"» }
            }
            """)
        let users = try #require(config.service(named: "users"))
        #expect(
            users.fallback
                == .response(status: Located(503, at: marks[1]), body: Located("later", at: marks[2]), range: marks[0]))
        #expect(users.auth?.mode == Located("mtls", at: marks[3]))
        #expect(users.auth?.allow.map(\.value) == ["orders", "search"])
        #expect(users.auth?.allow.first?.range == marks[4])
        #expect(config.security.certificateBinding == Located("MTLS_CERT", at: marks[5]))
        #expect(config.security.defaultAuth == Located("token", at: marks[6]))
    }

    @Test("rules: matchers, target, split, policies and display names")
    func rules() throws {
        let (config, marks) = build(
            """
            {
              "services": { "users": {}, "catalog": {}, "catalog-next": {} },
              "routing": {
                "rules": [
                  «{ "name": «"users"», "path": «"/api/users/*"», "methods": [«"GET"», "PUT"], "host": «"*.example.com"»,
                     "headers": { «"x-user"»: «"42"», "x-debug": «true», "x-legacy": «false» },
                     "geo": «{ "continents": ["EU"], "countries": [«"DE"», "FR"], "colos": ["FRA"] }»,
                     "service": «"users"», "stripPrefix": «"/api"», "timeout": «1000», "retries": 1, "loadBalancer": "random" }»,
                  { "path": "/api/catalog/*", "split": «[«{ "service": «"catalog"», "weight": «90» }», { "service": "catalog-next", "weight": 10 }]»,
                    "stickyBy": «"cookie:session"» }
                ],
                "default": «"users"»
              },
              "observability": { "tracing": { "sampleRate": «0.25», "propagate": ["traceparent"] }, "metrics": «true», "logs": «"json"» }
            }
            """)
        try #require(config.routing.rules.count == 2)
        let users = config.routing.rules[0]
        #expect(users.index == 0)
        #expect(users.range == marks[0])
        #expect(users.name == Located("users", at: marks[1]))
        #expect(users.displayName == "'users'")
        #expect(users.path == Located("/api/users/*", at: marks[2]))
        #expect(users.methods?.map(\.value) == ["GET", "PUT"])
        #expect(users.methods?.first?.range == marks[3])
        #expect(users.host == Located("*.example.com", at: marks[4]))
        #expect(users.headers.map(\.name.value) == ["x-user", "x-debug", "x-legacy"])
        #expect(users.headers.first?.name.range == marks[5])
        #expect(
            users.headers.map(\.condition) == [
                Located(.equals("42"), at: marks[6]), Located(.present, at: marks[7]), Located(.absent, at: marks[8]),
            ])
        let geo = try #require(users.geo)
        #expect(geo.range == marks[9])
        #expect(geo.continents?.map(\.value) == ["EU"])
        #expect(geo.countries?.map(\.value) == ["DE", "FR"])
        #expect(geo.countries?.first?.range == marks[10])
        #expect(geo.colos?.map(\.value) == ["FRA"])
        #expect(users.service == Located("users", at: marks[11]))
        #expect(users.split == nil)
        #expect(users.stripPrefix == Located("/api", at: marks[12]))
        #expect(users.policies.timeout == Located(1000, at: marks[13]))
        #expect(users.policies.retries?.attempts?.value == 1)
        #expect(users.policies.loadBalancer?.strategy?.value == .random)

        let canary = config.routing.rules[1]
        #expect(canary.index == 1)
        #expect(canary.displayName == "#1 /api/catalog/*")
        #expect(canary.service == nil)
        #expect(canary.splitRange == marks[14])
        let split = try #require(canary.split)
        #expect(split.count == 2)
        #expect(split[0].range == marks[15])
        #expect(split[0].service == Located("catalog", at: marks[16]))
        #expect(split[0].weight == Located(90, at: marks[17]))
        #expect(split[1].service?.value == "catalog-next")
        #expect(split[1].weight?.value == 10)
        #expect(canary.stickyBy == Located("cookie:session", at: marks[18]))
        #expect(config.routing.defaultService == Located("users", at: marks[19]))

        #expect(config.observability.sampleRate == Located(0.25, at: marks[20]))
        #expect(config.observability.propagate?.map(\.value) == ["traceparent"])
        #expect(config.observability.metrics == Located(true, at: marks[21]))
        #expect(config.observability.logs == Located("json", at: marks[22]))
    }

    @Test("service references list every place that names a service, in document order")
    func serviceReferences() {
        let (config, marks) = build(
            """
            {
              "services": {
                "users": { "fallback": «"orders"», "auth": { "allow": [«"search"»] } },
                "orders": {},
                "search": {}
              },
              "routing": {
                "rules": [{ "path": "/u", "service": «"users"» }, { "path": "/s", "split": [{ "service": «"search"», "weight": 1 }] }],
                "default": «"orders"»
              }
            }
            """)
        let references = config.serviceReferences
        #expect(references.map(\.name.value) == ["orders", "search", "users", "search", "orders"])
        #expect(references.map(\.name.range) == marks.ranges)
        #expect(references.map(\.role) == [.fallback, .authAllow, .ruleTarget, .splitBranch, .routingDefault])
        #expect(references.map(\.ruleIndex) == [nil, nil, 0, 1, nil])
        #expect(references.map(\.owner) == ["users", "users", nil, nil, nil])
        #expect(references.map(\.role.routesTraffic) == [true, false, true, true, true])
    }

    @Test("values of the wrong type are left out of the model; the rest is built")
    func lenientModel() throws {
        let (config, marks) = build(
            """
            {
              "version": "1",
              "services": { "users": { "timeout": "5s", "endpoints": [42, «"https://users.example.workers.dev"»], "retries": true, "version": 2 },
                            "broken": [] },
              "routing": { "rules": [ "not a rule", { "path": 7, "service": «"users"», "methods": ["GET", 1] } ] }
            }
            """, allowing: [.wrongType])
        #expect(config.version == nil)
        #expect(config.serviceNames == ["users"], "a service that is not an object is left out")
        let users = try #require(config.service(named: "users"))
        #expect(users.policies.timeout == nil)
        #expect(users.policies.retries == nil)
        #expect(users.version == nil)
        #expect(users.endpoints?.map(\.url?.value) == ["https://users.example.workers.dev"])
        #expect(users.endpoints?.first?.range == marks[0])
        try #require(config.routing.rules.count == 1)
        let rule = config.routing.rules[0]
        #expect(rule.index == 1, "the index is the position in the array, junk included")
        #expect(rule.path == nil)
        #expect(rule.service == Located("users", at: marks[1]))
        #expect(rule.methods?.map(\.value) == ["GET"])
    }

    @Test("an empty or non-object document builds an empty model")
    func emptyModel() {
        for text in ["", "[]", "\"x\"", "null", "{"] {
            let document = MeshDocument.analyze(SourceText(text), path: "diddy-mesh.jsonc")
            #expect(document.config == MeshConfig(), "\(text)")
            #expect(!document.diagnostics.isEmpty, "\(text)")
        }
    }
}
