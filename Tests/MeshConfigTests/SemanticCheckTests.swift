import MeshConfig
import MeshSyntax
import MeshTestSupport
import Testing

@Suite("References (DM301, DM302)")
struct ReferenceCheckTests {
    @Test("DM301: every kind of reference to an undefined service")
    func undefinedServices() {
        check(
            """
            {
              "services": {
                «"users"»: { "fallback": «"user-cache"», "auth": { "allow": [«"billing"»] } },
                "orders": {}
              },
              "routing": {
                "rules": [
                  { "path": "/u", "service": «"usres"» },
                  { "path": "/o", "split": [{ "service": "orders", "weight": 1 }, { "service": «"orders-v2"», "weight": 1 }] }
                ],
                "default": «"frontend"»
              }
            }
            """,
            [
                ExpectedDiagnostic(.unusedService, "service 'users' is not routed to"),
                ExpectedDiagnostic(
                    .undefinedService, "unknown service 'user-cache': it is not defined under 'services'"),
                ExpectedDiagnostic(.undefinedService, "unknown service 'billing'"),
                ExpectedDiagnostic(
                    .undefinedService, "unknown service 'usres'; did you mean 'users'?", fix: "\"users\""),
                ExpectedDiagnostic(.undefinedService, "unknown service 'orders-v2'"),
                ExpectedDiagnostic(.undefinedService, "unknown service 'frontend'"),
            ])
    }

    @Test("DM301 without any service defined says where to define it")
    func noServices() {
        let document = check(
            #"{"services": {}, "routing": {"default": «"users"»}}"#,
            [ExpectedDiagnostic(.undefinedService, "unknown service 'users'")])
        #expect(document.diagnostics.first?.help == ["define it under 'services'"])
    }

    @Test("DM301 without a close name lists the defined services")
    func definedServicesListed() {
        let document = check(
            #"{"services": {"users": {}, "orders": {}}, "routing": {"rules": [{"path": "/", "service": «"zzz"»}, "#
                + #"{"path": "/o", "service": "orders"}], "default": "users"}}"#,
            [ExpectedDiagnostic(.undefinedService)])
        #expect(document.diagnostics.first?.help == ["defined services: users, orders"])
        #expect(document.diagnostics.first?.fixes.isEmpty == true)
    }

    @Test("DM301 matches names byte for byte, as the router does: another normalization is another name")
    func normalizationIsAnotherName() {
        // The service is written with é as one code point; the rule with e and a combining accent.
        // Such a name is DM205 already, but a config with errors still routes.
        let document = check(
            "{\"services\": {«\"caf\u{E9}\"»: {}}, \"routing\": {\"rules\": [{\"path\": \"/\", \"service\": "
                + "«\"cafe\u{301}\"»}], \"default\": \"caf\u{E9}\"}}",
            [
                ExpectedDiagnostic(.invalidServiceName, "invalid service name 'caf\u{E9}'"),
                ExpectedDiagnostic(
                    .undefinedService,
                    "unknown service 'cafe\u{301}': it differs from the service 'caf\u{E9}' only in Unicode "
                        + "normalization (how its accented letters are encoded), and names match byte for byte",
                    fix: "\"caf\u{E9}\""),
            ])
        #expect(document.diagnostics.count == 2, "the default names the service as written: no DM302")
    }

    @Test("DM302: services nothing routes to; auth lists and self-fallbacks do not count")
    func unusedServices() {
        let document = check(
            """
            {
              "services": {
                «"legacy"»: {},
                «"admin"»: { "fallback": "admin" },
                «"audit"»: {},
                "users": { "auth": { "allow": ["audit"] } },
                "cache": {},
                "orders": { "fallback": "cache" },
                "catalog": {}
              },
              "routing": {
                "rules": [{ "path": "/u", "service": "users" }, { "path": "/c", "split": [{ "service": "catalog", "weight": 1 }] }],
                "default": "orders"
              }
            }
            """,
            [
                ExpectedDiagnostic(.unusedService, "service 'legacy' is not routed to"),
                ExpectedDiagnostic(.unusedService, "service 'admin' is not routed to"),
                ExpectedDiagnostic(.unusedService, "service 'audit' is not routed to"),
            ])
        #expect(document.diagnostics.allSatisfy { $0.tags == [.unnecessary] })
    }

    @Test("DM302 is not reported while the file has syntax errors")
    func noUnusedWithSyntaxErrors() {
        check(
            #"{"services": {"legacy": {}, "users": {}}, "routing": {"rules": [{"path": "/" «"service"»: "users"}]}}"#,
            [ExpectedDiagnostic(.syntaxError, "expected ',' between properties")])
    }
}

@Suite("Endpoints (DM501-DM505)")
struct EndpointCheckTests {
    /// A config with one routed service `users` whose body is `service`.
    static func config(_ service: String, defaults: String = "{}") -> String {
        #"{"mesh": {"defaults": \#(defaults)}, "services": {"users": \#(service)}, "routing": {"default": "users"}}"#
    }

    @Test(
        "DM501: URLs that are not absolute URLs with a host",
        arguments: [
            ("users.example.workers.dev", "it is not an absolute URL"),
            ("ftp://users.example.workers.dev", "the scheme 'ftp' is not http or https"),
            ("://users.example.workers.dev", "the scheme is missing"),
            ("https://", "the host is missing"),
            ("https:///path", "the host is missing"),
            ("https://users.example.workers.dev:99999", "the port '99999' is not a number from 1 to 65535"),
            ("https://users example.dev", "the host contains white space"),
            ("https://users.example.dev/a b", "it contains white space"),
        ])
    func invalidURL(url: String, problem: String) {
        check(Self.config(#"{"endpoints": [«"\#(url)"»]}"#), [ExpectedDiagnostic(.invalidEndpointURL, problem)])
        check(
            Self.config(#"{"endpoints": [{"url": «"\#(url)"»}]}"#), [ExpectedDiagnostic(.invalidEndpointURL, problem)])
    }

    @Test(
        "URLs that are fine",
        arguments: [
            "https://users.example.workers.dev", "HTTPS://USERS.EXAMPLE.DEV/v1/",
            "https://user:pw@users.example.dev:8443/x?y#z", "https://[::1]",
        ])
    func validURL(url: String) {
        check(Self.config(#"{"endpoints": ["\#(url)"]}"#), [])
    }

    @Test("DM502: http:// endpoints, with fixes; information with insecure: true")
    func insecure() {
        check(
            Self.config(#"{"endpoints": [«"http://users.example.workers.dev"»]}"#),
            [ExpectedDiagnostic(.insecureEndpoint, "use https://", fix: "\"https://users.example.workers.dev\"")])
        check(
            Self.config(#"{"endpoints": [«"http://users.example.workers.dev"»]}"#),
            [
                ExpectedDiagnostic(
                    .insecureEndpoint, "use https://",
                    fix: #"{"url": "http://users.example.workers.dev", "insecure": true}"#)
            ])
        check(
            Self.config(#"{"endpoints": [{"url": «"http://users.example.workers.dev"»}]}"#),
            [ExpectedDiagnostic(.insecureEndpoint, "use https://", fix: #", "insecure": true"#)])
        let accepted = check(
            Self.config(#"{"endpoints": [{"url": «"http://users.example.workers.dev"», "insecure": true}]}"#),
            [ExpectedDiagnostic(.insecureEndpoint, "allowed by \"insecure\": true", severity: .information)])
        #expect(accepted.diagnostics.first?.fixes.isEmpty == true)
    }

    @Test("DM503: duplicates by normalized URL or by id, with the first as related information and a removal fix")
    func duplicates() throws {
        let document = check(
            Self.config(
                """
                {"endpoints": [
                  "https://users.example.workers.dev",
                  «"HTTPS://Users.Example.Workers.Dev:443/"»,
                  { "url": "https://a.example.workers.dev", "id": "primary" },
                  { "url": «"https://b.example.workers.dev"», "id": "primary" },
                  { "url": "https://a.example.workers.dev", "id": "secondary" }
                ]}
                """),
            [
                ExpectedDiagnostic(
                    .duplicateEndpoint,
                    "duplicate endpoint 'HTTPS://Users.Example.Workers.Dev:443/' in service 'users'", fix: ""),
                ExpectedDiagnostic(.duplicateEndpoint, "duplicate endpoint 'primary' in service 'users'", fix: ""),
            ])
        let text = document.source.text
        let related = document.diagnostics.map { $0.related.map { text.slice($0.range) } }
        #expect(related == [["\"https://users.example.workers.dev\""], ["\"https://a.example.workers.dev\""]])
        #expect(document.diagnostics.allSatisfy { $0.related.first?.message == "first listed here" })
    }

    @Test(
        "DM503: removing a duplicate leaves valid JSON wherever it is in the list",
        arguments: [
            #"["https://a.dev", "https://a.dev"]"#,
            #"["https://a.dev", "https://a.dev", "https://b.dev"]"#,
            #"[ "https://a.dev" ,"https://b.dev",  "https://a.dev" ]"#,
            #"["https://a.dev", /* twice */ "https://a.dev"]"#,
        ])
    func duplicateRemoval(list: String) throws {
        let text = Self.config(#"{"endpoints": \#(list)}"#)
        let document = MeshDocument.analyze(SourceText(text), path: "diddy-mesh.json")
        let diagnostic = try #require(document.diagnostics.first { $0.code == .duplicateEndpoint })
        let fix = try #require(diagnostic.fixes.first)
        let fixed = MeshDocument.analyze(SourceText(text.applying(fix.edits)), path: "diddy-mesh.json")
        #expect(fixed.diagnostics.isEmpty, "\(text.applying(fix.edits)): \(fixed.diagnostics.map(\.message))")
        #expect(
            fixed.config.service(named: "users")?.endpoints?.count
                == document.config.service(named: "users").map { ($0.endpoints?.count ?? 0) - 1 })
    }

    @Test("DM504 and DM505: strategies that need endpoint data, own or inherited")
    func strategies() {
        check(
            Self.config(#"{"endpoints": ["https://a.example.dev"], "loadBalancer": «"geographic"»}"#),
            [
                ExpectedDiagnostic(
                    .geographicWithoutLocations,
                    "service 'users' uses the geographic strategy but no endpoint has a region")
            ])
        check(
            Self.config(#"{"endpoints": ["https://a.example.dev"], "loadBalancer": { "strategy": «"weighted"» }}"#),
            [
                ExpectedDiagnostic(
                    .weightedWithoutWeights, "service 'users' uses the weighted strategy but no endpoint has a weight")
            ])
        check(
            #"{"mesh": {"defaults": {"loadBalancer": "geographic"}}, "services": {«"users"»: {"endpoints": "#
                + #"["https://a.example.dev"]}}, "routing": {"default": "users"}}"#,
            [ExpectedDiagnostic(.geographicWithoutLocations, "(inherited from mesh.defaults)")])
        // One endpoint with placement or weight is enough; no endpoints or registry endpoints are not judged.
        check(
            Self.config(
                #"{"endpoints": ["https://a.example.dev", {"url": "https://b.example.dev", "continent": "EU"}], "#
                    + #""loadBalancer": "geographic"}"#
            ), [])
        check(
            Self.config(
                #"{"endpoints": ["https://a.example.dev", {"url": "https://b.example.dev", "weight": 2}], "#
                    + #""loadBalancer": "weighted"}"#
            ), [])
        check(Self.config(#"{"endpoints": [], "loadBalancer": "geographic"}"#), [])
        check(Self.config(#"{"loadBalancer": "weighted"}"#), [])
        // A service's own strategy wins over the default.
        check(
            Self.config(
                #"{"endpoints": ["https://a.example.dev"], "loadBalancer": "random"}"#,
                defaults: #"{"loadBalancer": "geographic"}"#), [])
    }
}

@Suite("Policies (DM506)")
struct PolicyCheckTests {
    @Test("health check timeout must be shorter than the interval, its default included")
    func healthCheck() {
        check(
            #"{"services": {"users": {"healthCheck": {"interval": 2000, "timeout": «2000»}}}, "routing": "#
                + #"{"default": "users"}}"#,
            [
                ExpectedDiagnostic(
                    .inconsistentPolicy, "health check timeout 2000 ms must be shorter than its interval 2000 ms")
            ])
        check(
            #"{"services": {"users": {"healthCheck": {"timeout": «10000»}}}, "routing": {"default": "users"}}"#,
            [ExpectedDiagnostic(.inconsistentPolicy, "interval 10000 ms (the default)")])
        check(
            #"{"services": {"users": {"healthCheck": {"interval": 2001, "timeout": 2000}}}, "routing": {"default": "#
                + #""users"}}"#,
            [])
    }

    @Test("resetTimeout may not exceed maxResetTimeout, on services and mesh.defaults, against its default too")
    func circuitBreaker() {
        check(
            #"{"mesh": {"defaults": {"circuitBreaker": {"resetTimeout": «400000»}}}, "services": {"users": "#
                + #"{"circuitBreaker": {"resetTimeout": «5000», "maxResetTimeout": 1000}}}, "routing": {"default": "#
                + #""users"}}"#,
            [
                ExpectedDiagnostic(
                    .inconsistentPolicy, "resetTimeout 400000 ms exceeds maxResetTimeout 300000 ms (the default)"),
                ExpectedDiagnostic(.inconsistentPolicy, "resetTimeout 5000 ms exceeds maxResetTimeout 1000 ms"),
            ])
    }

    @Test("retry backoff base may not exceed its max, on rules too")
    func backoff() {
        check(
            #"{"services": {"users": {}}, "routing": {"rules": [{"path": "/", "service": "users", "retries": "#
                + #"{"attempts": 2, "backoff": {"base": «3000»}}}]}}"#,
            [
                ExpectedDiagnostic(
                    .inconsistentPolicy, "retry backoff base 3000 ms exceeds its max 2000 ms (the default)")
            ])
        check(
            #"{"services": {"users": {"retries": {"attempts": 2, "backoff": {"base": «300», "max": 200}}}}, "#
                + #""routing": {"default": "users"}}"#,
            [ExpectedDiagnostic(.inconsistentPolicy, "exceeds its max 200 ms")])
    }
}
