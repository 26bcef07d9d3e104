import MeshSyntax

/// A decision as the edge router answers it (edge/README.md): the JSON of
/// `diddy-mesh route --format json` (MeshWire's `TraceJSON`), with the same keys, in the same
/// order, holding the same values, less what a Worker has no use for on every request:
///
/// - `skipped`, why each earlier rule did not match, which costs time in proportion to the
///   rules before the match (the edge routes with ``Router/route(_:health:explainingSkippedRules:)``
///   set to false);
/// - `rule.range`, a position in the config's source, which the edge does not keep;
/// - `request.url` and `request.headers`, which the host sent and still has.
///
/// The parity test (edge/tests/parity.test.mjs) holds the two to that: it removes exactly
/// those keys from the CLI's JSON and requires what is left to equal this.
public enum DecisionJSON {
    /// The JSON text of `trace`, compact.
    public static func encode(_ trace: DecisionTrace) -> [UInt8] {
        var json = JSONTextWriter()
        json.beginObject()
        json.key("request")
        request(trace.request, into: &json)
        json.key("outcome")
        json.string(trace.outcome.rawValue)
        json.key("rule")
        if let rule = trace.rule {
            self.rule(index: rule.index, name: rule.name, path: rule.path, into: &json)
        } else {
            json.null()
        }
        if !trace.captures.isEmpty {
            json.key("captures")
            json.beginObject()
            for (name, value) in trace.captures.sorted(by: { $0.key.precedesByBytes($1.key) }) {
                json.key(name)
                json.string(value)
            }
            json.endObject()
        }
        json.key("split")
        if let split = trace.split { self.split(split, into: &json) } else { json.null() }
        json.key("service")
        json.string(trace.service)
        json.key("endpoints")
        json.beginArray()
        for endpoint in trace.endpoints { self.endpoint(endpoint, into: &json) }
        json.endArray()
        json.key("endpoint")
        json.string(trace.endpoint)
        json.key("strategy")
        if let strategy = trace.strategy {
            json.beginObject()
            json.key("name")
            json.string(strategy.name)
            json.key("reason")
            json.string(strategy.reason)
            json.endObject()
        } else {
            json.null()
        }
        if let fallback = trace.fallback { self.fallback(fallback, into: &json) }
        if trace.panic {
            json.key("panic")
            json.bool(true)
        }
        json.key("policy")
        if let policy = trace.policy { self.policy(policy, into: &json) } else { json.null() }
        if !trace.notes.isEmpty {
            json.key("notes")
            json.beginArray()
            for note in trace.notes { json.string(note) }
            json.endArray()
        }
        json.endObject()
        return json.bytes
    }

    /// `{"error": message}`: what the edge answers instead of a decision.
    public static func error(_ message: String) -> [UInt8] {
        var json = JSONTextWriter()
        json.beginObject()
        json.key("error")
        json.string(message)
        json.endObject()
        return json.bytes
    }

    private static func request(_ request: RouteRequest, into json: inout JSONTextWriter) {
        json.beginObject()
        json.key("method")
        json.string(request.method)
        json.key("host")
        json.string(request.host)
        json.key("path")
        json.string(request.path)
        json.key("cf")
        json.beginObject()
        if let colo = request.cf.colo {
            json.key("colo")
            json.string(colo)
        }
        if let country = request.cf.country {
            json.key("country")
            json.string(country)
        }
        if let continent = request.cf.continent {
            json.key("continent")
            json.string(continent)
        }
        if let latitude = request.cf.latitude {
            json.key("latitude")
            json.number(latitude)
        }
        if let longitude = request.cf.longitude {
            json.key("longitude")
            json.number(longitude)
        }
        json.endObject()
        json.endObject()
    }

    private static func split(_ split: SplitDecision, into json: inout JSONTextWriter) {
        json.beginObject()
        json.key("branches")
        json.beginArray()
        for branch in split.branches {
            json.beginObject()
            json.key("service")
            json.string(branch.service)
            json.key("weight")
            json.number(branch.weight)
            json.key("probability")
            json.number(branch.probability)
            json.endObject()
        }
        json.endArray()
        json.key("chosen")
        json.string(split.chosen)
        json.key("reason")
        json.string(split.reason)
        json.endObject()
    }

    private static func endpoint(_ endpoint: EndpointTrace, into json: inout JSONTextWriter) {
        json.beginObject()
        json.key("url")
        json.string(endpoint.url)
        if !endpoint.id.hasSameBytes(as: endpoint.url) {
            json.key("id")
            json.string(endpoint.id)
        }
        json.key("status")
        json.string(endpoint.status.rawValue)
        json.key("latencyMs")
        json.number(endpoint.latencyMs)
        json.key("ageSeconds")
        json.number(endpoint.ageSeconds)
        json.key("circuit")
        json.string(endpoint.circuit.rawValue)
        if endpoint.stale {
            json.key("stale")
            json.bool(true)
        }
        json.key("kept")
        json.bool(endpoint.kept)
        json.key("reason")
        json.string(endpoint.reason)
        json.endObject()
    }

    /// The matched rule: `{"index", "name", "path"}`.
    public static func rule(index: Int, name: String?, path: String, into json: inout JSONTextWriter) {
        json.beginObject()
        json.key("index")
        json.integer(index)
        json.key("name")
        json.string(name)
        json.key("path")
        json.string(path)
        json.endObject()
    }

    /// The `fallback` member: `{"service"}` or `{"status", "body"}`.
    public static func fallback(_ fallback: FallbackTrace, into json: inout JSONTextWriter) {
        json.key("fallback")
        json.beginObject()
        switch fallback {
        case .service(let name):
            json.key("service")
            json.string(name)
        case .response(let status, let body):
            json.key("status")
            json.integer(status)
            json.key("body")
            json.string(body)
        }
        json.endObject()
    }

    /// The policies in force: `{"timeout", "retries", "circuitBreaker", "forwardPath"}`;
    /// without `forwardPath` when `withForwardPath` is false, for the edge router, which
    /// writes one policy for every request of a rule and service (edge/README.md, `mesh_route`).
    public static func policy(
        _ policy: EffectivePolicy, withForwardPath: Bool = true, into json: inout JSONTextWriter
    ) {
        json.beginObject()
        json.key("timeout")
        json.integer(policy.timeoutMs)
        json.key("retries")
        json.beginObject()
        json.key("attempts")
        json.integer(policy.retries.attempts)
        json.key("backoff")
        json.beginObject()
        json.key("base")
        json.integer(policy.retries.baseMs)
        json.key("max")
        json.integer(policy.retries.maxMs)
        json.key("jitter")
        json.string(policy.retries.jitter)
        json.endObject()
        json.key("retryOn")
        json.beginArray()
        for condition in policy.retries.retryOn { json.string(condition) }
        json.endArray()
        json.endObject()
        json.key("circuitBreaker")
        if let breaker = policy.circuitBreaker {
            json.beginObject()
            json.key("failureThreshold")
            json.integer(breaker.failureThreshold)
            json.key("resetTimeout")
            json.integer(breaker.resetTimeoutMs)
            json.key("halfOpenRequests")
            json.integer(breaker.halfOpenRequests)
            json.key("maxResetTimeout")
            json.integer(breaker.maxResetTimeoutMs)
            json.endObject()
        } else {
            json.null()
        }
        if withForwardPath {
            json.key("forwardPath")
            json.string(policy.forwardPath)
        }
        json.endObject()
    }
}
