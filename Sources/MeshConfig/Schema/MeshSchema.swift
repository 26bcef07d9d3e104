import MeshSyntax

/// The config format of docs/guide/config-reference.md as one schema description.
///
/// Everything that knows the format's keys reads them from here: the validator, the
/// language server's completion and hover, the generated JSON Schema and the reference
/// documentation. Adding a key here adds it everywhere.
public enum MeshSchema {
    /// The largest value of an integer key without a smaller bound of its own: 2^31 - 1, so
    /// that every integer of a config is the same number for the tools and for the edge
    /// router, whose `Int` is 32 bits wide (wasm32, edge/README.md). About 24.8 days in
    /// milliseconds.
    public static let largestInteger = 2_147_483_647

    /// The schema of a whole mesh config document.
    public static let root: SchemaNode = object(
        "mesh config", doc: "A Diddy-Mesh service-mesh config.",
        [
            optional(
                "$schema",
                string(
                    "schema",
                    doc: "Ignored by the tools; lets plain JSON editors find `schemas/diddy-mesh.schema.json`.")),
            optional(
                "version",
                SchemaNode(
                    .integer(minimum: 1, maximum: 1), title: "version",
                    doc: "The config format version. Only `1` is supported.",
                    default: .integer(1), valueCode: .unsupportedVersion)),
            optional("mesh", mesh),
            required("services", services),
            optional("routing", routing),
            optional("observability", observability),
            optional("security", security),
            optional("lint", lint),
        ])

    /// Service names are Workers script names: 1-63 characters, lowercase letters,
    /// digits and `-`, starting with a letter.
    public static let serviceNamePattern = StringPattern(
        regex: "^[a-z][a-z0-9-]{0,62}$",
        expectation: "1-63 lowercase letters, digits and '-', starting with a letter"
    ) { name in
        let bytes = Array(name.utf8)
        guard let first = bytes.first, bytes.count <= 63, (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(first) else {
            return false
        }
        return bytes.allSatisfy { byte in
            (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte)
                || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) || byte == UInt8(ascii: "-")
        }
    }

    /// The HTTP methods a rule may list.
    public static let httpMethods = ["GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "CONNECT", "TRACE"]

    // MARK: mesh

    static let mesh = object(
        "mesh settings", doc: "Mesh-wide settings.",
        [
            optional("name", string("mesh name", doc: "A display name for the mesh.")),
            optional(
                "registry",
                object(
                    "registry",
                    doc:
                        "Where live registry and health data lives: a KV binding resolved through the "
                        + "`kv_namespaces` of the nearest `wrangler.toml` / `wrangler.json(c)`, or a Cloudflare "
                        + "account and namespace id.",
                    [
                        optional(
                            "binding",
                            string(
                                "binding",
                                doc:
                                    "The KV namespace binding name, as in `kv_namespaces[].binding` of the wrangler "
                                    + "config (e.g. `MESH_KV`)."
                            )),
                        optional(
                            "namespaceId",
                            string("namespace id", doc: "The KV namespace id (32 hex characters).", pattern: hex32)),
                        optional(
                            "accountId",
                            string(
                                "account id", doc: "The Cloudflare account id (32 hex " + "characters).", pattern: hex32
                            )),
                    ])),
            optional(
                "defaults",
                object(
                    "defaults", doc: "Policies applied to every service that does not set them.",
                    [
                        optional("timeout", timeout),
                        optional("retries", retries),
                        optional("loadBalancer", loadBalancer),
                        optional("circuitBreaker", circuitBreaker),
                    ])),
        ])

    static let hex32 = StringPattern(regex: "^[0-9a-f]{32}$", expectation: "32 lowercase hex characters") { value in
        value.utf8.count == 32
            && value.utf8.allSatisfy {
                (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0)
                    || (UInt8(ascii: "a")...UInt8(ascii: "f")).contains($0)
            }
    }

    // MARK: services

    static let services = SchemaNode(
        .map(keyPattern: serviceNamePattern, keyCode: .invalidServiceName, keyWhat: "service name", value: service),
        title: "services",
        doc:
            "The services of the mesh, by name. A name is a Workers script name: 1-63 lowercase letters, digits and "
            + "`-`, starting with a letter."
    )

    static let service = object(
        "service", doc: "A service: where it runs and how it is called.",
        [
            optional(
                "endpoints",
                SchemaNode(
                    .array(items: endpoint, minItems: 0), title: "endpoints",
                    doc: "Where the service runs. Absent: discovered from the registry's `service:<name>` registration."
                )),
            optional("healthCheck", healthCheck),
            optional("timeout", timeout),
            optional("retries", retries),
            optional("loadBalancer", loadBalancer),
            optional("circuitBreaker", circuitBreaker),
            optional("fallback", fallback),
            optional(
                "version",
                string("version", doc: "The semver of the deployed service, used by version-aware " + "routing.")),
            optional(
                "auth",
                object(
                    "auth", doc: "Which services may call this one.",
                    [
                        optional("mode", authMode),
                        optional(
                            "allow",
                            SchemaNode(
                                .array(items: serviceReference("allowed service"), minItems: 0), title: "allow",
                                doc: "The services allowed to call this one.")),
                    ])),
        ])

    static let endpoint = SchemaNode(
        .anyOf([
            string("endpoint URL", doc: "An absolute `https://` URL."),
            object(
                "endpoint", doc: "An endpoint with placement and weight.",
                [
                    required(
                        "url",
                        string(
                            "url",
                            doc:
                                "An absolute `https://` URL (`http://` only with `\"insecure\": true`, and then an "
                                + "information finding)."
                        )),
                    optional(
                        "region",
                        string(
                            "region", doc: "Cloudflare region code.", allowed: GeoCodes.regions,
                            code: .unknownGeoCode)),
                    optional(
                        "continent",
                        string(
                            "continent", doc: "Continent code, as in `request.cf.continent`.",
                            allowed: GeoCodes.continents, code: .unknownGeoCode)),
                    optional(
                        "location",
                        object(
                            "location", doc: "Where the endpoint is, for nearest-endpoint selection.",
                            [
                                required(
                                    "lat",
                                    SchemaNode(
                                        .number(minimum: -90, maximum: 90, exclusiveMinimum: nil), title: "latitude",
                                        doc: "Latitude in degrees, -90..90.")),
                                required(
                                    "lon",
                                    SchemaNode(
                                        .number(minimum: -180, maximum: 180, exclusiveMinimum: nil), title: "longitude",
                                        doc: "Longitude in degrees, -180..180.")),
                            ])),
                    optional(
                        "weight",
                        SchemaNode(
                            .number(minimum: nil, maximum: nil, exclusiveMinimum: 0), title: "weight",
                            doc: "The endpoint's traffic share for the `weighted` strategy; greater than 0.",
                            default: .integer(1))),
                    optional("id", string("id", doc: "A stable id for health records. Default: the URL.")),
                    optional(
                        "insecure",
                        SchemaNode(
                            .boolean, title: "insecure",
                            doc: "Allows an `http://` URL (then DM502 is information, not a warning).",
                            default: .bool(false))),
                ]),
        ]), title: "endpoint", doc: "An endpoint: a URL, or an object with the URL and its placement.")

    static let healthCheck = SchemaNode(
        .anyOf([
            string("health check path", doc: "The path probed with `GET`, e.g. `/health`.", pattern: absolutePath),
            object(
                "health check", doc: "How the health prober checks the service's endpoints.",
                [
                    optional(
                        "path",
                        string(
                            "path", doc: "The path probed with `GET`.", default: .string("/health"),
                            pattern: absolutePath)),
                    optional(
                        "interval",
                        SchemaNode(
                            .integer(minimum: 1000, maximum: largestInteger), title: "interval",
                            doc: "Milliseconds between probes; at least 1000.", default: .integer(10000))),
                    optional(
                        "timeout",
                        SchemaNode(
                            .integer(minimum: 1, maximum: 30000), title: "timeout",
                            doc: "Milliseconds before a probe counts as failed.", default: .integer(2000))),
                    optional(
                        "expectStatus",
                        SchemaNode(
                            .anyOf([
                                SchemaNode(
                                    .integer(minimum: 100, maximum: 599), title: "status",
                                    doc: "An exact HTTP status."),
                                string("status class", doc: "A status class such as `2xx`.", pattern: statusClass),
                            ]), title: "expectStatus",
                            doc: "The status a healthy endpoint answers: an exact status or a class such as `2xx`.",
                            default: .string("2xx"))),
                    optional(
                        "healthyThreshold",
                        SchemaNode(
                            .integer(minimum: 1, maximum: 100), title: "healthyThreshold",
                            doc: "Consecutive successes before an endpoint is healthy.", default: .integer(2))),
                    optional(
                        "unhealthyThreshold",
                        SchemaNode(
                            .integer(minimum: 1, maximum: 100), title: "unhealthyThreshold",
                            doc: "Consecutive failures before an endpoint is unhealthy.", default: .integer(3))),
                ]),
        ]), title: "healthCheck", doc: "How endpoints are probed: a path such as `\"/health\"`, or an object.")

    static let absolutePath = StringPattern(regex: "^/", expectation: "a path starting with '/'") { $0.hasPrefix("/") }

    static let statusClass = StringPattern(regex: "^[1-5]xx$", expectation: "a status class from '1xx' to '5xx'") {
        value in
        let bytes = Array(value.utf8)
        return bytes.count == 3 && (UInt8(ascii: "1")...UInt8(ascii: "5")).contains(bytes[0])
            && bytes[1] == UInt8(ascii: "x") && bytes[2] == UInt8(ascii: "x")
    }

    static let timeout = SchemaNode(
        .integer(minimum: 1, maximum: 30000), title: "timeout",
        doc: "Per-attempt timeout in milliseconds, 1..30000 (a Worker's subrequest limit).", default: .integer(5000))

    static let retries = SchemaNode(
        .anyOf([
            SchemaNode(.integer(minimum: 0, maximum: 10), title: "attempts", doc: "The number of retries, 0..10."),
            object(
                "retry policy", doc: "How failed attempts are retried.",
                [
                    required(
                        "attempts",
                        SchemaNode(
                            .integer(minimum: 0, maximum: 10), title: "attempts", doc: "The number of retries, 0..10.",
                            default: .integer(0))),
                    optional(
                        "backoff",
                        object(
                            "backoff", doc: "Exponential backoff `min(max, base * 2^attempt)` with jitter.",
                            [
                                optional(
                                    "base",
                                    SchemaNode(
                                        .integer(minimum: 1, maximum: largestInteger), title: "base",
                                        doc: "The first delay in milliseconds.", default: .integer(100))),
                                optional(
                                    "max",
                                    SchemaNode(
                                        .integer(minimum: 1, maximum: largestInteger), title: "max",
                                        doc: "The largest delay in milliseconds.", default: .integer(2000))),
                                optional(
                                    "jitter",
                                    string(
                                        "jitter",
                                        doc:
                                            "`full` draws each delay uniformly from 0 to the computed delay; `none` "
                                            + "uses it as is.",
                                        default: .string("full"), allowed: ["full", "none"])),
                            ])),
                    optional(
                        "retryOn",
                        SchemaNode(
                            .array(
                                items: string(
                                    "retry condition", doc: "A condition that triggers a retry.",
                                    allowed: ["5xx", "connect-failure", "timeout", "429"]), minItems: 0),
                            title: "retryOn", doc: "The conditions that trigger a retry.")),
                ]),
        ]), title: "retries",
        doc: "Retries per request: a count such as `3`, or an object with backoff and conditions.", default: .integer(0)
    )

    /// The load-balancing strategy names, in the order the docs list them.
    public static let strategies = LoadBalancingStrategy.allCases.map { $0.rawValue }

    static let strategy = string(
        "strategy", doc: "The load-balancing strategy (see docs/guide/routing.md).", default: .string("round-robin"),
        allowed: strategies)

    static let loadBalancer = SchemaNode(
        .anyOf([
            strategy,
            object(
                "load balancer", doc: "A strategy with its options.",
                [
                    required("strategy", strategy),
                    optional(
                        "metric",
                        string(
                            "metric", doc: "For `latency`: which latency figure ranks endpoints.",
                            default: .string("ewma"), allowed: ["p50", "ewma"])),
                    optional(
                        "seed",
                        SchemaNode(
                            .integer(minimum: 0, maximum: largestInteger), title: "seed",
                            doc: "For `random`: the seed of the random source, for reproducible previews.")),
                ]),
        ]), title: "loadBalancer",
        doc: "How an endpoint is picked: a strategy name, or `{\"strategy\": ..., ...options}`.",
        default: .string("round-robin"))

    static let circuitBreaker = object(
        "circuit breaker",
        doc: "Opens after consecutive failures and stops sending traffic to the endpoint for a while.",
        [
            optional(
                "failureThreshold",
                SchemaNode(
                    .integer(minimum: 1, maximum: largestInteger), title: "failureThreshold",
                    doc: "Consecutive failures that open the circuit.", default: .integer(5))),
            optional(
                "resetTimeout",
                SchemaNode(
                    .integer(minimum: 1, maximum: largestInteger), title: "resetTimeout",
                    doc: "Milliseconds the circuit stays open; doubles on each consecutive trip.",
                    default: .integer(30000))),
            optional(
                "halfOpenRequests",
                SchemaNode(
                    .integer(minimum: 1, maximum: largestInteger), title: "halfOpenRequests",
                    doc: "Requests let through while half-open.", default: .integer(1))),
            optional(
                "maxResetTimeout",
                SchemaNode(
                    .integer(minimum: 1, maximum: largestInteger), title: "maxResetTimeout",
                    doc: "The longest the circuit stays open, in milliseconds.", default: .integer(300000))),
        ])

    static let fallback = SchemaNode(
        .anyOf([
            serviceReference("fallback service"),
            object(
                "fallback response", doc: "A fixed response.",
                [
                    optional(
                        "status",
                        SchemaNode(
                            .integer(minimum: 100, maximum: 599), title: "status",
                            doc: "The HTTP status of the response.", default: .integer(503))),
                    optional("body", string("body", doc: "The response body.")),
                ]),
        ]), title: "fallback",
        doc:
            "What to do when no endpoint is usable: another service's name, or a fixed `{\"status\", \"body\"}` "
            + "response."
    )

    static let authMode = string("auth mode", doc: "How callers authenticate.", allowed: ["none", "token", "mtls"])

    static func serviceReference(_ title: String) -> SchemaNode {
        string(title, doc: "The name of a service defined under `services`.")
    }

    // MARK: routing

    static let routing = object(
        "routing", doc: "Ordered routing rules; the first that matches wins.",
        [
            optional(
                "rules",
                SchemaNode(
                    .array(items: rule, minItems: 0), title: "rules",
                    doc: "Rules, evaluated in order; the first that matches wins.")),
            optional("default", serviceReference("default service")),
        ])

    static let rule = object(
        "rule", doc: "A routing rule: matchers and a target.",
        [
            optional("name", string("rule name", doc: "A label shown in previews and diagnostics.")),
            required(
                "path",
                string(
                    "path pattern",
                    doc: "A path pattern: literal segments, `:name`, `*` as a whole segment, or a trailing `*`.",
                    pattern: absolutePath)),
            optional(
                "methods",
                SchemaNode(
                    .array(
                        items: string("method", doc: "An HTTP method, upper case.", allowed: httpMethods), minItems: 1),
                    title: "methods", doc: "HTTP methods; absent = any.")),
            optional("host", string("host", doc: "`api.example.com` or `*.example.com`; absent = any.")),
            optional(
                "headers",
                SchemaNode(
                    .map(
                        keyPattern: nil, keyCode: .valueOutOfRange, keyWhat: "header name",
                        value: SchemaNode(
                            .anyOf([
                                string("header value", doc: "The exact value the header must have."),
                                SchemaNode(
                                    .boolean, title: "presence",
                                    doc: "`true`: the header must be present; `false`: it must be absent."),
                            ]), title: "header condition",
                            doc: "An exact value, or `true` (present) / `false` (absent).")),
                    title: "headers",
                    doc: "Header name -> exact value, `true` (must be present) or `false` (must be absent).")),
            optional(
                "geo",
                object(
                    "geo", doc: "Matches the request's `request.cf` location.",
                    [
                        optional(
                            "continents",
                            SchemaNode(
                                .array(
                                    items: string(
                                        "continent", doc: "A continent code.", allowed: GeoCodes.continents,
                                        code: .unknownGeoCode), minItems: 1), title: "continents",
                                doc: "Continent codes.")),
                        optional(
                            "countries",
                            SchemaNode(
                                .array(
                                    items: string(
                                        "country", doc: "An ISO 3166-1 alpha-2 country code.",
                                        allowed: GeoCodes.countries, code: .unknownGeoCode), minItems: 1),
                                title: "countries", doc: "ISO 3166-1 alpha-2 country codes.")),
                        optional(
                            "colos",
                            SchemaNode(
                                .array(
                                    items: string(
                                        "colo", doc: "An IATA airport code of a Cloudflare data " + "center.",
                                        pattern: colo),
                                    minItems: 1), title: "colos", doc: "Cloudflare data centers by IATA code.")),
                    ])),
            optional("service", serviceReference("target service")),
            optional(
                "split",
                SchemaNode(
                    .array(
                        items: object(
                            "split branch", doc: "A branch of a traffic split.",
                            [
                                required("service", serviceReference("split service")),
                                required(
                                    "weight",
                                    SchemaNode(
                                        .number(minimum: nil, maximum: nil, exclusiveMinimum: 0), title: "split weight",
                                        doc: "The branch's share, relative to the other branches; greater than 0.",
                                        valueCode: .invalidSplit)),
                            ]), minItems: 1), title: "split",
                    doc: "A weighted traffic split (A/B, canary): `[{\"service\": \"a\", \"weight\": 90}, ...]`.",
                    valueCode: .invalidSplit)),
            optional(
                "stickyBy",
                string(
                    "stickyBy",
                    doc: "`header:<name>` or `cookie:<name>`: the same key always gets the same split branch.",
                    pattern: stickyKey)),
            optional(
                "stripPrefix",
                string(
                    "stripPrefix",
                    doc: "Removed from the path before forwarding; must be a prefix of every path the rule matches.",
                    pattern: absolutePath)),
            optional("timeout", timeout),
            optional("retries", retries),
            optional("loadBalancer", loadBalancer),
        ])

    static let colo = StringPattern(regex: "^[A-Z]{3}$", expectation: "a three-letter IATA code in upper case") {
        value in
        value.utf8.count == 3 && value.utf8.allSatisfy { (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains($0) }
    }

    static let stickyKey = StringPattern(
        regex: "^(header|cookie):.+$", expectation: "'header:<name>' or 'cookie:<name>'"
    ) { value in
        (value.hasPrefix("header:") && value.count > 7) || (value.hasPrefix("cookie:") && value.count > 7)
    }

    // MARK: observability and security

    static let observability = object(
        "observability", doc: "Tracing, metrics and logs.",
        [
            optional(
                "tracing",
                object(
                    "tracing", doc: "Distributed tracing.",
                    [
                        optional(
                            "sampleRate",
                            SchemaNode(
                                .number(minimum: 0, maximum: 1, exclusiveMinimum: nil), title: "sampleRate",
                                doc: "The fraction of requests traced, 0..1.", default: .integer(0))),
                        optional(
                            "propagate",
                            SchemaNode(
                                .array(
                                    items: string("header", doc: "A trace context header to propagate."), minItems: 0),
                                title: "propagate", doc: "Trace context headers to propagate, e.g. `traceparent`.")),
                    ])),
            optional(
                "metrics",
                SchemaNode(
                    .boolean, title: "metrics", doc: "Whether the router emits " + "metrics.", default: .bool(false))),
            optional(
                "logs",
                string("logs", doc: "The log format.", default: .string("off"), allowed: ["json", "text", "off"])),
        ])

    static let security = object(
        "security", doc: "mTLS, authentication and service-to-service authorization.",
        [
            optional(
                "mtls",
                object(
                    "mtls", doc: "Mutual TLS.",
                    [
                        optional(
                            "certificateBinding",
                            string("certificate binding", doc: "The mTLS certificate binding name of the Worker."))
                    ])),
            optional("defaultAuth", authMode),
        ])

    // MARK: lint

    /// One property per code that can be configured, so that completion, hover, the JSON
    /// Schema and the reference list every code with its summary.
    static let lint = object(
        "lint settings",
        doc:
            "Severities per diagnostic code for this config: `\"DM302\": \"off\"` drops a code's findings, "
            + "`\"DM502\": \"error\"` makes them errors (docs/guide/suppressions.md). "
            + "DM101 and DM104 cannot be configured.",
        DiagnosticCode.allCases.filter { $0.isConfigurable }.map { code in
            optional(
                code.rawValue,
                string(
                    "\(code.rawValue) level", doc: code.summary + " Default: " + code.defaultSeverity.description + ".",
                    allowed: LintLevel.allCases.map { $0.rawValue }))
        })

    // MARK: Builders

    static func object(_ title: String, doc: String, _ properties: [SchemaProperty]) -> SchemaNode {
        SchemaNode(.object(properties: properties), title: title, doc: doc)
    }

    static func string(
        _ title: String, doc: String, default defaultValue: SchemaLiteral? = nil, allowed: [String]? = nil,
        pattern: StringPattern? = nil, code: DiagnosticCode = .valueOutOfRange
    ) -> SchemaNode {
        SchemaNode(
            .string(allowed: allowed, pattern: pattern), title: title, doc: doc, default: defaultValue, valueCode: code)
    }

    static func optional(_ name: String, _ node: SchemaNode) -> SchemaProperty {
        SchemaProperty(name: name, node: node, required: false)
    }

    static func required(_ name: String, _ node: SchemaNode) -> SchemaProperty {
        SchemaProperty(name: name, node: node, required: true)
    }
}
