import MeshConfig
import MeshRouter

/// The health check settings in force for one service, with the documented defaults
/// filled in (docs/guide/config-reference.md: `healthCheck`, `timeout`, `circuitBreaker`).
///
/// A service without `healthCheck` is probed too, with the defaults (`/health`, every
/// 10 s, 2 s timeout, 2xx, thresholds 2 and 3): the spec says the prober probes every
/// endpoint of every service, and an unprobed endpoint would only ever read as unknown.
public struct ProbePolicy: Sendable, Hashable {
    /// The path requested on each endpoint, starting with `/`.
    public var path: String
    /// How often the service is probed, in milliseconds (the override when one is given).
    public var intervalMs: Int
    /// The deadline of one probe, in milliseconds.
    public var timeoutMs: Int
    /// Which statuses count as a success.
    public var expectStatus: ExpectedStatus
    /// Consecutive successes before the endpoint is healthy.
    public var healthyThreshold: Int
    /// Consecutive failures before the endpoint is unhealthy.
    public var unhealthyThreshold: Int
    /// The service's per-attempt timeout; a p95 above half of it is degraded.
    public var serviceTimeoutMs: Int
    /// The circuit breaker, nil when no level configures one (as in the router: then the
    /// circuit always reads closed).
    public var circuitBreaker: EffectiveCircuitBreaker?

    /// Creates a policy from explicit values.
    public init(
        path: String = "/health", intervalMs: Int = 10_000, timeoutMs: Int = 2_000,
        expectStatus: ExpectedStatus = .statusClass(2),
        healthyThreshold: Int = 2, unhealthyThreshold: Int = 3,
        serviceTimeoutMs: Int = PolicyResolution.defaultTimeoutMs,
        circuitBreaker: EffectiveCircuitBreaker? = nil
    ) {
        self.path = path.hasPrefix("/") ? path : "/" + path
        self.intervalMs = max(1, intervalMs)
        self.timeoutMs = max(1, timeoutMs)
        self.expectStatus = expectStatus
        // Thresholds below 1 (which the validator reports) would make every endpoint
        // healthy and unhealthy at once; read them as 1.
        self.healthyThreshold = max(1, healthyThreshold)
        self.unhealthyThreshold = max(1, unhealthyThreshold)
        self.serviceTimeoutMs = max(1, serviceTimeoutMs)
        self.circuitBreaker = circuitBreaker
    }

    /// The policy of `service` in `config`; `intervalOverrideMs` replaces every service's interval.
    public init(service: Service, config: MeshConfig, intervalOverrideMs: Int? = nil) {
        let check = service.healthCheck
        // The router's own resolution, so the prober and `route` agree on timeout and breaker.
        let policy = PolicyResolution.resolve(rule: nil, service: service, defaults: config.mesh.defaults, path: "/")
        self.init(
            path: check?.effectivePath ?? "/health",
            intervalMs: intervalOverrideMs ?? check?.effectiveInterval ?? 10_000,
            timeoutMs: check?.effectiveTimeout ?? 2_000,
            expectStatus: check?.effectiveExpectStatus ?? .statusClass(2),
            healthyThreshold: check?.effectiveHealthyThreshold ?? 2,
            unhealthyThreshold: check?.effectiveUnhealthyThreshold ?? 3,
            serviceTimeoutMs: policy.timeoutMs,
            circuitBreaker: policy.circuitBreaker)
    }

    /// The record TTL of docs/guide/registry.md: max(60, 3 x interval) seconds.
    public var recordTTLSeconds: Int {
        let threeIntervals = (Int64(intervalMs) * 3 + 999) / 1000
        return Int(min(max(Int64(KVLimits.minimumTTL), threeIntervals), Int64(Int32.max)))
    }

    /// Whether an answer with `status` is a success.
    public func accepts(_ status: Int) -> Bool {
        expectStatus.accepts(status)
    }

    /// `2xx` or `204`, for messages.
    public var expectDescription: String {
        switch expectStatus {
        case .exact(let status): "\(status)"
        case .statusClass(let leading): "\(leading)xx"
        }
    }
}
