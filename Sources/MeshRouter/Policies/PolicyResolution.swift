import MeshConfig

/// The policies in force for a decision (docs/target-selection.md).
///
/// Each setting comes from the most specific level that sets it: rule, then service, then
/// `mesh.defaults`, then the built-in default. Retries and the circuit breaker merge field
/// by field, so `"retries": 2` on a rule keeps the service's `backoff` and `retryOn`.
///
/// Built-in defaults (docs/guide/config-reference.md and the schema):
/// - timeout 5000 ms, clamped to 1...30000 (a Worker's subrequest limit; larger values are
///   an error the validator reports);
/// - retries 0 attempts (clamped to 0...10), backoff base 100 ms, max 2000 ms, jitter
///   `full`, retryOn `["5xx", "connect-failure"]` — the failures where a retry is both safe
///   and likely to help; `timeout` and `429` must be asked for;
/// - circuit breaker: none unless some level sets one; then failureThreshold 5,
///   resetTimeout 30000 ms, halfOpenRequests 1, maxResetTimeout 300000 ms.
public enum PolicyResolution {
    /// The default per-attempt timeout, in milliseconds.
    public static let defaultTimeoutMs = 5_000
    /// The largest timeout a Worker subrequest can use, in milliseconds.
    public static let maximumTimeoutMs = 30_000
    /// Retry settings when nothing is configured.
    public static let defaultRetries = EffectiveRetries(
        attempts: 0, baseMs: 100, maxMs: 2_000, jitter: "full", retryOn: ["5xx", "connect-failure"])
    /// Circuit breaker settings for the fields a configured breaker leaves out.
    public static let defaultCircuitBreaker = EffectiveCircuitBreaker(
        failureThreshold: 5, resetTimeoutMs: 30_000, halfOpenRequests: 1, maxResetTimeoutMs: 300_000)

    /// Resolves the policies for `path` routed by `rule` (nil for `routing.default`) to
    /// `service` (nil when it is not defined).
    public static func resolve(rule: Rule?, service: Service?, defaults: PolicySet, path: String) -> EffectivePolicy {
        let levels = [rule?.policies, service?.policies, defaults].compactMap { $0 }
        let timeout = levels.lazy.compactMap { $0.timeout?.value }.first ?? defaultTimeoutMs
        return EffectivePolicy(
            timeoutMs: min(max(timeout, 1), maximumTimeoutMs),
            retries: retries(levels.compactMap { $0.retries }),
            circuitBreaker: circuitBreaker(levels.compactMap { $0.circuitBreaker }),
            forwardPath: forwardPath(path, stripPrefix: rule?.stripPrefix?.value))
    }

    /// Merges retry policies, most specific first.
    static func retries(_ policies: [RetryPolicy]) -> EffectiveRetries {
        let fallback = defaultRetries
        let attempts = policies.lazy.compactMap { $0.attempts?.value }.first ?? fallback.attempts
        let base = policies.lazy.compactMap { $0.backoffBase?.value }.first ?? fallback.baseMs
        let maximum = policies.lazy.compactMap { $0.backoffMax?.value }.first ?? fallback.maxMs
        let jitter = policies.lazy.compactMap { $0.jitter?.value }.first ?? fallback.jitter
        let retryOn = policies.lazy.compactMap { $0.retryOn }.first?.map { $0.value } ?? fallback.retryOn
        return EffectiveRetries(
            attempts: min(max(attempts, 0), 10), baseMs: max(base, 0), maxMs: max(maximum, 0),
            jitter: jitter, retryOn: retryOn)
    }

    /// Merges circuit breakers, most specific first; nil when none is configured.
    static func circuitBreaker(_ policies: [CircuitBreakerPolicy]) -> EffectiveCircuitBreaker? {
        guard !policies.isEmpty else { return nil }
        let fallback = defaultCircuitBreaker
        return EffectiveCircuitBreaker(
            failureThreshold: policies.lazy.compactMap { $0.failureThreshold?.value }.first
                ?? fallback.failureThreshold,
            resetTimeoutMs: policies.lazy.compactMap { $0.resetTimeout?.value }.first ?? fallback.resetTimeoutMs,
            halfOpenRequests: policies.lazy.compactMap { $0.halfOpenRequests?.value }.first
                ?? fallback.halfOpenRequests,
            maxResetTimeoutMs: policies.lazy.compactMap { $0.maxResetTimeout?.value }.first
                ?? fallback.maxResetTimeoutMs
        )
    }

    /// `path` with `stripPrefix` removed, as a literal prefix (like Envoy's
    /// `prefix_rewrite` to `/`). The result always starts with `/`: stripping `/api` from
    /// `/api` gives `/`, stripping `/api/` from `/api/users` gives `/users`. A path that does
    /// not start with the prefix (the validator warns about such rules) is forwarded as is.
    public static func forwardPath(_ path: String, stripPrefix: String?) -> String {
        var result = path
        // Bytes, not characters: paths are compared byte for byte everywhere in the router.
        if let prefix = stripPrefix, !prefix.isEmpty, path.utf8.starts(with: prefix.utf8) {
            result = String(decoding: path.utf8.dropFirst(prefix.utf8.count), as: UTF8.self)
        }
        if result.utf8.first != UInt8(ascii: "/") { result = "/" + result }
        return result
    }
}
