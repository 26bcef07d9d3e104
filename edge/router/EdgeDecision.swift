import MeshConfig
import MeshRouter

/// The decision `mesh_route` answers: the members a Worker reads to forward a request, from
/// ``Router/decide(_:health:)``, which keeps no trace. Each member is written as
/// `diddy-mesh route --format json` writes it in its decision (`DecisionJSON`), so the
/// parity tests and `route --engine wasm` compare the two member by member.
///
/// `retryableMethod` says whether the request's method may be retried at all: it is
/// idempotent, or the matched rule lists it in its `methods` (docs/guide/routing.md, "Timeouts,
/// retries and circuit breakers"). The rule's methods are not in the CLI's decision, and a
/// Worker must not guess them from the config's text.
///
/// `serviceFallback` says whether the decision's service has a `fallback`. The decision
/// names the fallback only when the router used it; a Worker whose attempts all failed asks
/// the router again for the fallback only when there is one, since each decision moves the
/// router's state (a round-robin turn) on.
enum EdgeDecision {
    /// `mesh_route`'s answer, each member as the CLI writes it, except that `endpoints` holds
    /// each candidate's `url` only and comes only when the service has a fallback, and that
    /// the policy's `forwardPath` is a member of its own. Most answers name their rule
    /// and service by a ref (``DecisionRefs``): `{"outcome", "ref", "service", "endpoint",
    /// "endpoints", "fallback" (when used), "panic" (when true), "forwardPath",
    /// "retryableMethod"}`, the ref standing for `rule`, `policy` and `edge.serviceFallback`.
    /// A decision without a service, or a pair past the refs' capacity, has `rule`, `policy`
    /// (null without a service, and then no `forwardPath`) and `edge` written out instead of
    /// `ref` and `retryableMethod`.
    static func encode(
        _ decision: Router.Decision, request: RouteRequest, router: Router, health: HealthSnapshot,
        refs: DecisionRefs
    ) -> [UInt8] {
        var json = JSONTextWriter()
        json.beginObject()
        json.key("outcome")
        json.string(decision.outcome.rawValue)
        // The rule's fields are read in place: a copy of the whole rule costs a retain each.
        let rules = router.config.routing.rules
        let position = decision.ruleIndex.flatMap(router.rulePosition(of:))
        let named = refs.writeRef(decision, rulePosition: position, request: request, router: router, into: &json)
        if !named { rule(at: position, of: rules, into: &json) }
        json.key("service")
        json.string(decision.service)
        json.key("endpoint")
        json.string(decision.endpoint)
        // The candidates serve one thing at the edge: asking for the fallback with all of
        // them held open, after every attempt failed; so they come only with a fallback.
        let hasFallback = router.hasFallback(decision)
        if hasFallback {
            json.key("endpoints")
            json.beginArray()
            for url in router.candidateURLs(of: decision, health: health) {
                json.beginObject()
                json.key("url")
                json.string(url)
                json.endObject()
            }
            json.endArray()
        }
        if let fallback = decision.fallback { DecisionJSON.fallback(fallback, into: &json) }
        if decision.panic {
            json.key("panic")
            json.bool(true)
        }
        let retryable = retryableMethod(request.method, ruleMethods: position.flatMap { rules[$0].methods })
        if named {
            json.key("forwardPath")
            json.string(
                PolicyResolution.forwardPath(
                    request.path, stripPrefix: position.flatMap { rules[$0].stripPrefix?.value }))
            json.key("retryableMethod")
            json.bool(retryable)
        } else {
            json.key("policy")
            if let policy = router.policy(of: decision, for: request) {
                DecisionJSON.policy(policy, withForwardPath: false, into: &json)
                json.key("forwardPath")
                json.string(policy.forwardPath)
            } else {
                json.null()
            }
            json.key("edge")
            edge(retryableMethod: retryable, serviceFallback: hasFallback, into: &json)
        }
        json.endObject()
        return json.bytes
    }

    /// `"rule": {"index", "name", "path"}` for the rule at `position` of `rules`, or
    /// `"rule": null`.
    static func rule(at position: Int?, of rules: [Rule], into json: inout JSONTextWriter) {
        json.key("rule")
        if let position {
            DecisionJSON.rule(
                index: rules[position].index, name: rules[position].name?.value,
                path: rules[position].path?.value ?? "", into: &json)
        } else {
            json.null()
        }
    }

    /// `{"retryableMethod", "serviceFallback"}`.
    private static func edge(retryableMethod: Bool, serviceFallback: Bool, into json: inout JSONTextWriter) {
        json.beginObject()
        json.key("retryableMethod")
        json.bool(retryableMethod)
        json.key("serviceFallback")
        json.bool(serviceFallback)
        json.endObject()
    }

    /// A policy that allows one retry on a timeout, made once: asked with it, `shouldRetry`
    /// answers for the method and the rule's `methods` alone.
    private static let retryProbe = RetryBackoff(
        policy: EffectiveRetries(attempts: 1, baseMs: 0, maxMs: 0, jitter: "none", retryOn: ["timeout"]))

    /// What `RetryBackoff.shouldRetry` says of the method alone: it is asked with a policy
    /// that allows one retry on a timeout, so the method and the rule's `methods` decide.
    static func retryableMethod(_ method: String, ruleMethods: [Located<String>]?) -> Bool {
        retryProbe.shouldRetry(
            method: method, condition: .timeout, attempt: 0, ruleMethods: ruleMethods?.map { $0.value })
    }
}
