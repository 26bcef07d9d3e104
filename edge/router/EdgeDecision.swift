import MeshConfig
import MeshRouter

/// The decision `mesh_decide` answers: the CLI's decision (`DecisionJSON`), then one member of
/// the edge's own, `"edge"`, with what a Worker needs to forward the request that the trace
/// does not say. The parity test removes exactly that member before comparing with the CLI.
///
/// `edge.retryableMethod` says whether the request's method may be retried at all: it is
/// idempotent, or the matched rule lists it in its `methods` (docs/guide/routing.md, "Timeouts,
/// retries and circuit breakers"). The rule's methods are not in the trace, and a Worker must
/// not guess them from the config's text.
///
/// `edge.serviceFallback` says whether the decision's service has a `fallback`. The trace
/// names the fallback only when the router used it; a Worker whose attempts all failed asks
/// the router again for the fallback only when there is one, since each decision moves the
/// router's state (a round-robin turn) on.
enum EdgeDecision {
    /// The decision JSON of `trace`, routed on `config`, with the `edge` member last.
    static func encode(_ trace: DecisionTrace, config: MeshConfig) -> [UInt8] {
        var bytes = DecisionJSON.encode(trace)
        // DecisionJSON writes one object, so its last byte closes it; the member goes before.
        guard bytes.count > 2, bytes.last == UInt8(ascii: "}") else { return bytes }
        bytes.removeLast()
        var edge = JSONTextWriter()
        edge.beginObject()
        edge.key("retryableMethod")
        edge.bool(retryableMethod(trace, config: config))
        edge.key("serviceFallback")
        edge.bool(trace.service.flatMap { config.service(named: $0)?.fallback } != nil)
        edge.endObject()
        bytes.append(contentsOf: Array(",\"edge\":".utf8))
        bytes.append(contentsOf: edge.bytes)
        bytes.append(UInt8(ascii: "}"))
        return bytes
    }

    /// What `RetryBackoff.shouldRetry` says of the method alone: it is asked with a policy
    /// that allows one retry on a timeout, so the method and the rule's `methods` decide.
    static func retryableMethod(_ trace: DecisionTrace, config: MeshConfig) -> Bool {
        var ruleMethods: [String]?
        if let index = trace.rule?.index {
            let rules = config.routing.rules
            let rule =
                rules.indices.contains(index) && rules[index].index == index
                ? rules[index] : rules.first { $0.index == index }
            ruleMethods = rule?.methods?.map { $0.value }
        }
        let probe = RetryBackoff(
            policy: EffectiveRetries(attempts: 1, baseMs: 0, maxMs: 0, jitter: "none", retryOn: ["timeout"]))
        return probe.shouldRetry(
            method: trace.request.method, condition: .timeout, attempt: 0, ruleMethods: ruleMethods)
    }
}
