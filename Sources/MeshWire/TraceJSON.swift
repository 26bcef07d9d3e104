import MeshRouter
import MeshSyntax
import WireJSON

/// The decision trace as JSON: the shape of `diddy-mesh route --format json` (docs/guide/ci.md),
/// which the language server's what-routes-here returns too, with its own ranges.
public enum TraceJSON {
    /// Encodes `trace`; `range` turns a byte range into the caller's position form
    /// (1-based for the CLI, the negotiated encoding for LSP).
    public static func encode(_ trace: DecisionTrace, range: (ByteRange) -> JSONValue) -> JSONValue {
        var object: JSONObject = [
            "request": request(trace.request),
            "outcome": .string(trace.outcome.rawValue),
            "rule": trace.rule.map { rule in
                [
                    "index": .int(Int64(rule.index)), "name": optional(rule.name), "path": .string(rule.path),
                    "range": range(rule.range),
                ]
            } ?? .null,
        ]
        if !trace.captures.isEmpty {
            object["captures"] = .object(
                JSONObject(trace.captures.sorted { $0.key < $1.key }.map { ($0.key, .string($0.value)) }))
        }
        object["skipped"] = .array(
            trace.skipped.map { skipped in
                var entry: JSONObject = ["index": .int(Int64(skipped.index))]
                if let name = skipped.name { entry["name"] = .string(name) }
                entry["reason"] = .string(skipped.reason)
                return .object(entry)
            })
        object["split"] = trace.split.map(split) ?? .null
        object["service"] = optional(trace.service)
        object["endpoints"] = .array(trace.endpoints.map(endpoint))
        object["endpoint"] = optional(trace.endpoint)
        object["strategy"] = trace.strategy.map { ["name": .string($0.name), "reason": .string($0.reason)] } ?? .null
        if let fallback = trace.fallback {
            switch fallback {
            case .service(let name): object["fallback"] = ["service": .string(name)]
            case .response(let status, let body):
                object["fallback"] = ["status": .int(Int64(status)), "body": optional(body)]
            }
        }
        if trace.panic { object["panic"] = true }
        object["policy"] = trace.policy.map(policy) ?? .null
        if !trace.notes.isEmpty { object["notes"] = .array(trace.notes.map { .string($0) }) }
        return .object(object)
    }

    public static func request(_ request: RouteRequest) -> JSONValue {
        var object: JSONObject = [
            "method": .string(request.method),
            "url": .string(request.url),
            "host": .string(request.host),
            "path": .string(request.path),
        ]
        if !request.headers.isEmpty {
            object["headers"] = .object(
                JSONObject(request.headers.sorted { $0.key < $1.key }.map { ($0.key, .string($0.value)) }))
        }
        var cf = JSONObject()
        if let colo = request.cf.colo { cf["colo"] = .string(colo) }
        if let country = request.cf.country { cf["country"] = .string(country) }
        if let continent = request.cf.continent { cf["continent"] = .string(continent) }
        if let latitude = request.cf.latitude { cf["latitude"] = JSONValue.number(latitude) }
        if let longitude = request.cf.longitude { cf["longitude"] = JSONValue.number(longitude) }
        object["cf"] = .object(cf)
        return .object(object)
    }

    static func split(_ split: SplitDecision) -> JSONValue {
        [
            "branches": .array(
                split.branches.map {
                    [
                        "service": .string($0.service), "weight": JSONValue.number($0.weight),
                        "probability": JSONValue.number($0.probability),
                    ]
                }),
            "chosen": .string(split.chosen),
            "reason": .string(split.reason),
        ]
    }

    static func endpoint(_ endpoint: EndpointTrace) -> JSONValue {
        var object: JSONObject = ["url": .string(endpoint.url)]
        if endpoint.id != endpoint.url { object["id"] = .string(endpoint.id) }
        object["status"] = .string(endpoint.status.rawValue)
        object["latencyMs"] = endpoint.latencyMs.map(JSONValue.number) ?? .null
        object["ageSeconds"] = endpoint.ageSeconds.map(JSONValue.number) ?? .null
        object["circuit"] = .string(endpoint.circuit.rawValue)
        if endpoint.stale { object["stale"] = true }
        object["kept"] = .bool(endpoint.kept)
        object["reason"] = .string(endpoint.reason)
        return .object(object)
    }

    static func policy(_ policy: EffectivePolicy) -> JSONValue {
        var object: JSONObject = [
            "timeout": .int(Int64(policy.timeoutMs)),
            "retries": [
                "attempts": .int(Int64(policy.retries.attempts)),
                "backoff": [
                    "base": .int(Int64(policy.retries.baseMs)), "max": .int(Int64(policy.retries.maxMs)),
                    "jitter": .string(policy.retries.jitter),
                ],
                "retryOn": .array(policy.retries.retryOn.map { .string($0) }),
            ],
        ]
        if let breaker = policy.circuitBreaker {
            object["circuitBreaker"] = [
                "failureThreshold": .int(Int64(breaker.failureThreshold)),
                "resetTimeout": .int(Int64(breaker.resetTimeoutMs)),
                "halfOpenRequests": .int(Int64(breaker.halfOpenRequests)),
                "maxResetTimeout": .int(Int64(breaker.maxResetTimeoutMs)),
            ]
        } else {
            object["circuitBreaker"] = .null
        }
        object["forwardPath"] = .string(policy.forwardPath)
        return .object(object)
    }

    static func optional(_ text: String?) -> JSONValue {
        text.map { .string($0) } ?? .null
    }
}
