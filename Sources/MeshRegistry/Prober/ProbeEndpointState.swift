import MeshRouter

/// What the prober remembers about one endpoint between rounds: the counters, the latency
/// window, the circuit breaker and the last error. A pure value; the prober feeds it one
/// outcome per probe with the time.
///
/// Rules (docs/guide/registry.md, "Keys and records"):
/// - a success resets the failure count and the last error; a failure resets the success count;
/// - the first result (no previous status: a fresh endpoint, no stored record) sets the status
///   directly: `healthy` for a success (`degraded` when slow), `unhealthy` for a failure, so a
///   first look at a new mesh shows which endpoints answer;
/// - after that the thresholds decide changes: `unhealthy` once `unhealthyThreshold`
///   consecutive failures are seen; `healthy` once `healthyThreshold` consecutive successes
///   are seen *and* p95 is at most half the service timeout; in between, an outcome that
///   agrees with the previous status keeps it and one that contradicts it reads `degraded`
///   (and a slow success is `degraded`). The previous status is part of the stored record,
///   so a restarted prober that continues from it reaches the same status;
/// - latency samples are taken from successful probes only (as `latencyMs` is documented
///   in ``HealthRecord/LatencyStats``): the latency strategy should rank endpoints by how
///   fast they answer *well*, a fast 500 must not make an endpoint look attractive, and a
///   timeout would only measure the configuration;
/// - the circuit breaker sees each probe as one request through the router's state
///   machine: the probe asks `allowRequest` (which moves an open circuit whose reset time
///   has passed to half-open) and reports its outcome. Probes still run while the circuit
///   is open, because they are how recovery is noticed; the breaker ignores outcomes
///   reported while open, exactly as it does for in-flight requests.
public struct ProbeEndpointState: Sendable, Hashable {
    /// Consecutive successful probes.
    public private(set) var consecutiveSuccesses = 0
    /// Consecutive failed probes.
    public private(set) var consecutiveFailures = 0
    /// The latency window.
    public private(set) var latency = LatencyWindow()
    /// The circuit breaker, nil when the service has none.
    public private(set) var breaker: CircuitBreaker?
    /// The last failure; nil after a success.
    public private(set) var lastError: HealthRecord.ProbeFailure?
    /// The status after the last probe.
    public private(set) var status: HealthStatus = .unknown
    /// When the last probe finished, epoch ms.
    public private(set) var checkedAtMs: Int?

    /// A fresh state for an endpoint of a service with `circuitBreaker` settings.
    public init(circuitBreaker: EffectiveCircuitBreaker?) {
        breaker = circuitBreaker.map(CircuitBreaker.init(settings:))
    }

    /// A state continued from a stored record, so a restarted prober keeps counting.
    public init(restoring record: HealthRecord, circuitBreaker: EffectiveCircuitBreaker?) {
        consecutiveSuccesses = max(0, record.consecutiveSuccesses)
        consecutiveFailures = max(0, record.consecutiveFailures)
        latency = LatencyWindow(samples: record.latencyMs.samples, ewma: record.latencyMs.ewma)
        lastError = record.lastError
        status = record.status
        checkedAtMs = Int(clamping: record.checkedAt)
        breaker = circuitBreaker.map { Self.replayBreaker(settings: $0, record: record) }
    }

    /// Applies one probe's outcome, finished at `nowMs` (epoch ms).
    ///
    /// - Parameters:
    ///   - latencyMs: the time to an HTTP answer, nil when there was none; kept only for a success.
    ///   - failure: nil for a success.
    ///   - startedAtMs: when the probe was sent; the circuit breaker is asked then.
    public mutating func apply(
        latencyMs: Double?, failure: HealthRecord.ProbeFailure?, startedAtMs: Int, nowMs: Int, policy: ProbePolicy
    ) {
        if failure == nil, let latencyMs { latency.add(latencyMs) }
        if var breaker {
            _ = breaker.allowRequest(nowMs: startedAtMs)
            if failure == nil { breaker.recordSuccess(nowMs: nowMs) } else { breaker.recordFailure(nowMs: nowMs) }
            self.breaker = breaker
        }
        if let failure {
            consecutiveFailures += 1
            consecutiveSuccesses = 0
            lastError = failure
        } else {
            consecutiveSuccesses += 1
            consecutiveFailures = 0
            lastError = nil
        }
        checkedAtMs = nowMs
        status = Self.status(
            previous: status, successes: consecutiveSuccesses, failures: consecutiveFailures, p95: latency.p95,
            policy: policy)
    }

    /// The status after a probe, from the status before it (`unknown` for a first result),
    /// the counters including that probe, and the latency, under `policy`. Exactly one
    /// counter is positive after a probe: `successes > 0` means the probe succeeded.
    public static func status(
        previous: HealthStatus, successes: Int, failures: Int, p95: Double?, policy: ProbePolicy
    ) -> HealthStatus {
        if failures >= policy.unhealthyThreshold { return .unhealthy }
        let slow = p95.map { $0 > Double(policy.serviceTimeoutMs) / 2 } ?? false
        let succeeded = successes > 0
        if succeeded, slow { return .degraded }
        if successes >= policy.healthyThreshold { return .healthy }
        // In between the thresholds: a first result stands as it is, a result that agrees
        // with the previous status keeps it, and one that contradicts it is not enough yet.
        switch previous {
        case .unknown: return succeeded ? .healthy : .unhealthy
        case .healthy where succeeded: return .healthy
        case .unhealthy where !succeeded: return .unhealthy
        default: return .degraded
        }
    }

    /// The circuit state at `nowMs` (an open circuit past its reset time reads half-open).
    public func circuitState(at nowMs: Int) -> CircuitState {
        breaker?.state(at: nowMs) ?? .closed
    }

    /// Rebuilds a breaker in the stored state through its public transitions only (the
    /// router's breaker has no "restore" and should not grow one for this): `trips` trips
    /// at the stored opening time, so the reset time comes out as the breaker computes it,
    /// or the closed breaker's failure count.
    static func replayBreaker(settings: EffectiveCircuitBreaker, record: HealthRecord) -> CircuitBreaker {
        var breaker = CircuitBreaker(settings: settings)
        let checkedAt = Int(clamping: record.checkedAt)
        switch record.circuit.state {
        case .closed:
            let failures = min(record.consecutiveFailures, breaker.settings.failureThreshold - 1)
            for _ in 0..<max(0, failures) { breaker.recordFailure(nowMs: checkedAt) }
        case .open, .halfOpen:
            let openedAt = record.circuit.openedAt.map { Int(clamping: $0) } ?? checkedAt
            for _ in 0..<breaker.settings.failureThreshold { breaker.recordFailure(nowMs: openedAt) }
            // Each further trip: let the trial request through, then fail it. Bounded, as
            // the doubling reaches any sane cap long before 64 trips.
            for _ in 1..<max(1, min(record.circuit.trips, 64)) {
                _ = breaker.allowRequest(nowMs: Int.max)
                breaker.recordFailure(nowMs: openedAt)
            }
        }
        return breaker
    }
}
