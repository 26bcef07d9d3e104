import MeshConfig
import MeshSyntax
import Testing

@Suite("Schema validation (DM201-DM206, DM404 weights, DM507)")
struct SchemaValidatorTests {
    @Test("a minimal config is valid")
    func minimal() {
        check(#"{"services": {"users": {}}, "routing": {"default": "users"}}"#, [])
    }

    @Test("DM201: unknown keys at every level")
    func unknownKeys() {
        check(
            """
            {
              «"versoin"»: 1,
              "mesh": { «"nmae"»: "shop", "defaults": { «"timeoutMs"»: 100 } },
              "services": { "users": { «"endpoint"»: [], "auth": { «"allowed"»: [] } } },
              "routing": { "rules": [{ "path": "/", "service": "users", «"colour"»: "blue" }] },
              "observability": { "tracing": { «"sample_rate"»: 0.5 } }
            }
            """,
            [
                ExpectedDiagnostic(.unknownKey, "did you mean 'version'?"),
                ExpectedDiagnostic(.unknownKey, "did you mean 'name'?"),
                ExpectedDiagnostic(.unknownKey, "unknown key 'timeoutMs' in defaults"),
                ExpectedDiagnostic(.unknownKey, "did you mean 'endpoints'?"),
                ExpectedDiagnostic(.unknownKey, "did you mean 'allow'?"),
                ExpectedDiagnostic(.unknownKey, "unknown key 'colour' in rule"),
                ExpectedDiagnostic(.unknownKey, "did you mean 'sampleRate'?"),
            ])
    }

    @Test("DM202: wrong types name the expected type")
    func wrongTypes() {
        check(
            """
            {
              "version": «"1"»,
              "mesh": «[]»,
              "services": { "users": {
                "endpoints": «"https://users.example.workers.dev"»,
                "timeout": «2.5»,
                "retries": «true»,
                "healthCheck": «200»
              } },
              "routing": { "rules": [{ "path": "/", "service": "users", "methods": [«1»], "headers": { "x-a": «null» } }] },
              "observability": { "metrics": «"yes"» }
            }
            """,
            [
                ExpectedDiagnostic(.wrongType, "version must be an integer, found string"),
                ExpectedDiagnostic(.wrongType, "mesh settings must be an object, found array"),
                ExpectedDiagnostic(.wrongType, "endpoints must be an array, found string"),
                ExpectedDiagnostic(.wrongType, "timeout must be an integer, found 2.5"),
                ExpectedDiagnostic(.wrongType, "retries must be an integer or object, found boolean"),
                ExpectedDiagnostic(.wrongType, "healthCheck must be a string or object, found number"),
                ExpectedDiagnostic(.wrongType, "method must be a string, found number"),
                ExpectedDiagnostic(.wrongType, "found null"),
                ExpectedDiagnostic(.wrongType, "metrics must be a boolean, found string"),
            ])
    }

    @Test("DM203: a number too large for a double (it parses as infinity)")
    func overflowingNumber() {
        check(
            """
            { "services": { "a": { "endpoints": [{ "url": "https://a.example.com", "weight": «1e400» }] } },
              "routing": { "rules": [{ "path": "/", "split": [{ "service": "a", "weight": «-1e999» }] }] } }
            """,
            [
                ExpectedDiagnostic(.valueOutOfRange, "weight is too large to represent"),
                ExpectedDiagnostic(.valueOutOfRange, "split weight is too large to represent"),
            ])
    }

    @Test("DM202: the top level must be an object")
    func topLevel() {
        check("«[1, 2]»", [ExpectedDiagnostic(.wrongType, "mesh config must be an object, found array")])
        check("«\"services\"»", [ExpectedDiagnostic(.wrongType, "found string")])
    }

    @Test("DM203: ranges and allowed values")
    func outOfRange() {
        check(
            """
            {
              "services": { "users": {
                "endpoints": [{ "url": "https://u.example.workers.dev", "weight": «-1», "location": { "lat": «91», "lon": 0 } }],
                "timeout": «30001»,
                "retries": { "attempts": «11», "backoff": { "jitter": «"half"» }, "retryOn": [«"4xx"»] },
                "healthCheck": { "path": «"health"», "interval": «999», "expectStatus": «"6xx"» },
                "circuitBreaker": { "failureThreshold": «0», "halfOpenRequests": «2147483648» },
                "auth": { "mode": «"basic"» }
              } },
              "routing": { "rules": [{ "path": «"api"», "service": "users", "methods": «[]», "stickyBy": «"session"» }], "default": "users" },
              "observability": { "tracing": { "sampleRate": «1.5» }, "logs": «"xml"» }
            }
            """,
            [
                ExpectedDiagnostic(.valueOutOfRange, "weight -1 is out of range: it must be greater than 0"),
                ExpectedDiagnostic(.valueOutOfRange, "latitude 91 is out of range: it must be at most 90"),
                ExpectedDiagnostic(.valueOutOfRange, "timeout 30001 is out of range: it must be at most 30000"),
                ExpectedDiagnostic(.valueOutOfRange, "attempts 11 is out of range: it must be at most 10"),
                ExpectedDiagnostic(.valueOutOfRange, "expected one of 'full', 'none'"),
                ExpectedDiagnostic(.valueOutOfRange, "unknown retry condition '4xx'"),
                ExpectedDiagnostic(.valueOutOfRange, "expected a path starting with '/'"),
                ExpectedDiagnostic(.valueOutOfRange, "interval 999 is out of range: it must be at least 1000"),
                ExpectedDiagnostic(.valueOutOfRange, "invalid status class '6xx'"),
                ExpectedDiagnostic(.valueOutOfRange, "failureThreshold 0 is out of range"),
                ExpectedDiagnostic(
                    .valueOutOfRange, "halfOpenRequests 2147483648 is out of range: it must be at most 2147483647"),
                ExpectedDiagnostic(
                    .valueOutOfRange, "unknown auth mode 'basic': expected one of 'none', 'token', 'mtls'"),
                ExpectedDiagnostic(.valueOutOfRange, "invalid path pattern 'api'"),
                ExpectedDiagnostic(.valueOutOfRange, "methods must have at least 1 entry"),
                ExpectedDiagnostic(.valueOutOfRange, "'header:<name>' or 'cookie:<name>'"),
                ExpectedDiagnostic(.valueOutOfRange, "sampleRate 1.5 is out of range: it must be at most 1"),
                ExpectedDiagnostic(.valueOutOfRange, "unknown logs 'xml'"),
            ])
    }

    @Test("DM204: a missing required key is reported at its object's key, or its brace in an array")
    func missingKeys() {
        check(
            #"«{»"version": 1}"#,
            [ExpectedDiagnostic(.missingRequiredKey, "mesh config is missing the required key 'services'")])
        check(
            """
            {
              "services": { "users": { "endpoints": [«{» "region": "WEU" }] } },
              "routing": { "rules": [«{» "service": "users" }], "default": "users" },
              "mesh": { "defaults": { «"retries"»: { "retryOn": ["5xx"] } } }
            }
            """,
            [
                ExpectedDiagnostic(.missingRequiredKey, "endpoint is missing the required key 'url'"),
                ExpectedDiagnostic(.missingRequiredKey, "rule is missing the required key 'path'"),
                ExpectedDiagnostic(.missingRequiredKey, "retry policy is missing the required key 'attempts'"),
            ])
        check(
            #"{"services": {"users": {"endpoints": [{"url": "https://u.example.workers.dev", «"location"»: {"lat": "#
                + #"1}}]}}, "routing": {"default": "users"}}"#,
            [ExpectedDiagnostic(.missingRequiredKey, "location is missing the required key 'lon'")])
    }

    @Test(
        "DM205: service names are Workers script names",
        arguments: [
            ("User_Service", "user-service"), ("api.v2", "api-v2"), ("Orders", "orders"),
        ])
    func invalidServiceNameWithFix(name: String, fixed: String) {
        check(
            #"{"services": {«"\#(name)"»: {}}, "routing": {"default": "\#(name)"}}"#,
            [ExpectedDiagnostic(.invalidServiceName, "invalid service name '\(name)'", fix: "\"\(fixed)\"")])
    }

    @Test(
        "DM205: names without an obvious fix",
        arguments: ["9lives", "-api", "", String(repeating: "a", count: 64), "café"])
    func invalidServiceName(name: String) {
        let document = check(
            #"{"services": {«"\#(name)"»: {}}, "routing": {"default": "\#(name)"}}"#,
            [ExpectedDiagnostic(.invalidServiceName, "1-63 lowercase letters, digits and '-', starting with a letter")])
        #expect(document.diagnostics.allSatisfy { $0.fixes.isEmpty })
    }

    @Test("DM205: the longest valid name is accepted")
    func longestName() {
        let name = "a" + String(repeating: "-", count: 61) + "z"
        check(#"{"services": {"\#(name)": {}}, "routing": {"default": "\#(name)"}}"#, [])
    }

    @Test("DM206: only version 1 is supported", arguments: ["2", "0", "-1", "1.0e1"])
    func unsupportedVersion(version: String) {
        check(
            #"{"version": «\#(version)», "services": {"users": {}}, "routing": {"default": "users"}}"#,
            [ExpectedDiagnostic(.unsupportedVersion, "unsupported config version", fix: "1")])
    }

    @Test("DM206: 1.0 is version 1")
    func wholeNumberVersion() {
        check(#"{"version": 1.0, "services": {"users": {}}, "routing": {"default": "users"}}"#, [])
    }

    @Test("DM404: split weights must be positive; an empty split is invalid")
    func splitWeights() {
        check(
            """
            {
              "services": { "a": {}, "b": {} },
              "routing": { "rules": [
                { "path": "/one", "split": [{ "service": "a", "weight": «0» }, { "service": "b", "weight": «-10» }] },
                { "path": "/two", "split": «[]» },
                { "path": "/three", "split": [{ "service": "a", "weight": 0.5 }, { "service": "b", "weight": 99.5 }] },
                { "path": "/four", "split": [{ "service": "a", "weight": «"50"» }, «{» "service": "b" }] }
              ] }
            }
            """,
            [
                ExpectedDiagnostic(.invalidSplit, "weight 0 is out of range: it must be greater than 0"),
                ExpectedDiagnostic(.invalidSplit, "weight -10 is out of range"),
                ExpectedDiagnostic(.invalidSplit, "split must have at least 1 entry"),
                ExpectedDiagnostic(.wrongType, "weight must be a number, found string"),
                ExpectedDiagnostic(.missingRequiredKey, "split branch is missing the required key 'weight'"),
            ])
    }

    @Test("DM507: region, continent and country codes")
    func geoCodes() {
        check(
            """
            {
              "services": { "users": { "endpoints": [
                { "url": "https://a.example.workers.dev", "region": «"EU-WEST"», "continent": «"Europe"» },
                { "url": "https://b.example.workers.dev", "region": "WEU", "continent": "EU" }
              ] } },
              "routing": { "rules": [
                { "path": "/", "service": "users", "geo": { "continents": [«"EUR"»], "countries": ["DE", «"XK"», "T1"], "colos": [«"lhr"»] } }
              ] }
            }
            """,
            [
                ExpectedDiagnostic(.unknownGeoCode, "unknown region 'EU-WEST': expected one of 'WNAM'"),
                ExpectedDiagnostic(.unknownGeoCode, "unknown continent 'Europe'"),
                ExpectedDiagnostic(.unknownGeoCode, "unknown continent 'EUR'; did you mean 'EU'?"),
                ExpectedDiagnostic(.unknownGeoCode, "unknown country 'XK'"),
                ExpectedDiagnostic(
                    .valueOutOfRange, "invalid colo 'lhr': expected a three-letter IATA code in upper case"),
            ])
    }

    @Test("$schema is accepted and not checked")
    func schemaKey() {
        check(
            #"{"$schema": "../schemas/diddy-mesh.schema.json", "services": {"users": {}}, "routing": {"default": "#
                + #""users"}}"#,
            [])
    }
}
