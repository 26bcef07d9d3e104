import MeshConfig
import MeshSyntax
import MeshTestSupport
import Testing

@Suite("\"Did you mean\" suggestions and their fixes")
struct SuggestionTests {
    @Test(
        "unknown keys suggest the closest known key of their object",
        arguments: [
            ("timout", "timeout"), ("TimeOut", "timeout"), ("endpoint", "endpoints"), ("helthCheck", "healthCheck"),
            ("load_balancer", "loadBalancer"), ("circuitbreaker", "circuitBreaker"), ("fallbak", "fallback"),
        ])
    func unknownServiceKey(key: String, suggestion: String) {
        check(
            #"{"services": {"users": {«"\#(key)"»: 1}}, "routing": {"default": "users"}}"#,
            [
                ExpectedDiagnostic(
                    .unknownKey, "unknown key '\(key)' in service; did you mean '\(suggestion)'?",
                    fix: "\"\(suggestion)\"")
            ])
    }

    @Test("a misspelt required key is an unknown key and a missing key")
    func misspeltRequiredKey() {
        check(
            #"«{»«"servics"»: {}}"#,
            [
                ExpectedDiagnostic(.missingRequiredKey, "mesh config is missing the required key 'services'"),
                ExpectedDiagnostic(.unknownKey, "did you mean 'services'?", fix: "\"services\""),
            ])
    }

    @Test("keys far from every known key list the known keys instead")
    func noSuggestion() throws {
        let document = check(
            #"{"services": {"users": {«"replicas"»: 3}}, "routing": {"default": "users"}}"#,
            [ExpectedDiagnostic(.unknownKey, "unknown key 'replicas' in service")])
        let diagnostic = try #require(document.diagnostics.first)
        #expect(diagnostic.fixes.isEmpty)
        #expect(!diagnostic.message.contains("did you mean"))
        #expect(
            diagnostic.help == [
                "known keys: 'endpoints', 'healthCheck', 'timeout', 'retries', 'loadBalancer', 'circuitBreaker', "
                    + "'fallback', 'version', 'auth'"
            ])
    }

    @Test("a key already present is not suggested, whatever the key order")
    func presentKeyNotSuggested() {
        for text in [
            #"{"services": {"users": {"timeout": 1, «"timout"»: 2}}, "routing": {"default": "users"}}"#,
            #"{"services": {"users": {«"timout"»: 2, "timeout": 1}}, "routing": {"default": "users"}}"#,
        ] {
            let document = check(text, [ExpectedDiagnostic(.unknownKey, "unknown key 'timout' in service")])
            #expect(
                document.diagnostics.allSatisfy { $0.fixes.isEmpty && !$0.message.contains("did you mean") }, "\(text)")
        }
    }

    @Test(
        "unknown services suggest a defined service",
        arguments: [
            ("user-servce", "user-service"), ("User-Service", "user-service"), ("usr-service", "user-service"),
            ("order", "orders"),
        ])
    func unknownService(name: String, suggestion: String) {
        check(
            #"{"services": {"user-service": {}, "orders": {}}, "routing": {"rules": [{"path": "/", "service": "#
                + #"«"\#(name)"»}, {"path": "/o", "service": "orders"}], "default": "user-service"}}"#,
            [
                ExpectedDiagnostic(
                    .undefinedService, "unknown service '\(name)'; did you mean '\(suggestion)'?",
                    fix: "\"\(suggestion)\"")
            ])
    }

    @Test("longer service names allow more edits")
    func longNames() {
        check(
            #"{"services": {"payment-processing-service": {}}, "routing": {"rules": [{"path": "/p", "service": "#
                + #""payment-processing-service"}], "default": «"payment-procesing-srvice"»}}"#,
            [
                ExpectedDiagnostic(
                    .undefinedService, "did you mean 'payment-processing-service'?",
                    fix: "\"payment-processing-service\"")
            ])
    }

    @Test(
        "enum values suggest an allowed value",
        arguments: [
            (
                #""loadBalancer": «"round-robbin"»"#, DiagnosticCode.valueOutOfRange,
                "unknown strategy 'round-robbin'; did you mean 'round-robin'?", "round-robin"
            ),
            (
                #""loadBalancer": {"strategy": «"Weighted"»}"#, .valueOutOfRange,
                "unknown strategy 'Weighted'; did you mean 'weighted'?", "weighted"
            ),
            (
                #""loadBalancer": {"strategy": "latency", "metric": «"p05"»}"#, .valueOutOfRange, "did you mean 'p50'?",
                "p50"
            ),
            (
                #""auth": {"mode": «"mTLS"»}"#, .valueOutOfRange, "unknown auth mode 'mTLS'; did you mean 'mtls'?",
                "mtls"
            ),
            (#""retries": {"attempts": 1, "retryOn": [«"5XX"»]}"#, .valueOutOfRange, "did you mean '5xx'?", "5xx"),
            (
                #""endpoints": [{"url": "https://a.dev", "region": «"weu"»}]"#, .unknownGeoCode,
                "unknown region 'weu'; did you mean 'WEU'?", "WEU"
            ),
            (
                #""endpoints": [{"url": "https://a.dev", "continent": «"eu"»}]"#, .unknownGeoCode,
                "unknown continent 'eu'; did you mean 'EU'?", "EU"
            ),
        ])
    func enumValues(member: String, code: DiagnosticCode, message: String, suggestion: String) {
        check(
            #"{"services": {"users": {\#(member)}}, "routing": {"default": "users"}}"#,
            [ExpectedDiagnostic(code, message, fix: "\"\(suggestion)\"")])
    }

    @Test("methods and logs suggest their upper- and lower-case spelling")
    func caseSuggestions() {
        check(
            #"{"services": {"users": {}}, "routing": {"rules": [{"path": "/", "service": "users", "methods": "#
                + #"[«"get"», "POST", «"PATHC"»]}]}, "observability": {"logs": «"JSON"»}}"#,
            [
                ExpectedDiagnostic(.valueOutOfRange, "unknown method 'get'; did you mean 'GET'?", fix: "\"GET\""),
                ExpectedDiagnostic(.valueOutOfRange, "unknown method 'PATHC'; did you mean 'PATCH'?", fix: "\"PATCH\""),
                ExpectedDiagnostic(.valueOutOfRange, "unknown logs 'JSON'; did you mean 'json'?", fix: "\"json\""),
            ])
    }

    @Test("the fix of every suggestion replaces exactly the offending token")
    func fixEditsCoverTheToken() throws {
        let marks = Marked(
            #"{"services": {"users": {«"timout"»: 1, "loadBalancer": «"randm"»}}, "routing": {"rules": [{"path": "#
                + #""/", "service": «"user"»}], "default": "users"}}"#
        )
        let document = MeshDocument.analyze(marks.source, path: "diddy-mesh.jsonc")
        try #require(document.diagnostics.count == 3)
        for (diagnostic, range) in zip(document.diagnostics, marks.ranges) {
            let fix = try #require(diagnostic.fixes.first, "\(diagnostic.message)")
            #expect(fix.edits.map(\.range) == [range])
            #expect(fix.title.hasPrefix("Replace with '"))
        }
        let fixed = marks.text.applying(document.diagnostics.flatMap { $0.fixes.first?.edits ?? [] })
        #expect(
            fixed
                == #"{"services": {"users": {"timeout": 1, "loadBalancer": "random"}}, "routing": {"rules": "#
                + #"[{"path": "/", "service": "users"}], "default": "users"}}"#
        )
        #expect(MeshDocument.analyze(SourceText(fixed), path: "diddy-mesh.jsonc").diagnostics.isEmpty)
    }
}
