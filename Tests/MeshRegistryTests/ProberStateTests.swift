import Foundation
import MeshConfig
import MeshRegistry
import MeshRouter
import Testing

/// The prober's pure parts: latency statistics, status rules, policy defaults, URLs.
@Suite("Prober state")
struct ProberStateTests {
    @Test("the latency window keeps the newest 32 samples; nearest-rank p50/p95; EWMA weight 0.3")
    func latencyWindow() {
        var window = LatencyWindow()
        #expect(window.p50 == nil && window.p95 == nil && window.ewma == nil && window.last == nil)
        for value in 1...40 { window.add(Double(value)) }
        #expect(window.samples.count == 32)
        #expect(window.samples.first == 9 && window.last == 40)
        #expect(window.p50 == 24, "16th of 9...40")
        #expect(window.p95 == 39, "31st of 32 by nearest rank")
        window.add(.nan)
        window.add(-1)
        #expect(window.samples.count == 32 && window.last == 40, "non-finite and negative samples are ignored")

        var ewma = LatencyWindow()
        ewma.add(100)
        ewma.add(200)
        #expect(ewma.ewma == 130)
        #expect(LatencyWindow(samples: Array(repeating: 5, count: 50)).samples.count == 32)
    }

    /// One endpoint's probes and the statuses they lead to: `+` a success answered in 10 ms,
    /// `~` a success answered in 900 ms (slow under a 1 s service timeout), `-` a failure.
    struct StatusCase: CustomTestStringConvertible, Sendable {
        var outcomes: String
        var healthyThreshold = 2
        var unhealthyThreshold = 3
        var statuses: [HealthStatus]
        var testDescription: String { "\(outcomes) (thresholds \(healthyThreshold)/\(unhealthyThreshold))" }
    }

    static let statusCases: [StatusCase] = [
        // The first result sets the status directly (docs/guide/registry.md, "The health prober").
        StatusCase(outcomes: "+", statuses: [.healthy]),
        StatusCase(outcomes: "-", statuses: [.unhealthy]),
        StatusCase(outcomes: "~", statuses: [.degraded]),
        // After that, agreeing results keep the status and contradicting ones need the thresholds.
        StatusCase(outcomes: "++-+--", statuses: [.healthy, .healthy, .degraded, .degraded, .degraded, .degraded]),
        StatusCase(outcomes: "+---", statuses: [.healthy, .degraded, .degraded, .unhealthy]),
        StatusCase(outcomes: "--++", statuses: [.unhealthy, .unhealthy, .degraded, .healthy]),
        StatusCase(outcomes: "-+-", statuses: [.unhealthy, .degraded, .degraded]),
        StatusCase(outcomes: "+-+", unhealthyThreshold: 1, statuses: [.healthy, .unhealthy, .degraded]),
        StatusCase(outcomes: "-+++", healthyThreshold: 3, statuses: [.unhealthy, .degraded, .degraded, .healthy]),
        StatusCase(outcomes: "+++", healthyThreshold: 3, statuses: [.healthy, .healthy, .healthy]),
        // A slow p95 holds a succeeding endpoint at degraded, whatever its count.
        StatusCase(outcomes: "++~+", statuses: [.healthy, .healthy, .degraded, .degraded]),
    ]

    @Test("a first result sets the status; the thresholds decide changes after it", arguments: statusCases)
    func statusRules(_ testCase: StatusCase) {
        let policy = ProbePolicy(
            healthyThreshold: testCase.healthyThreshold, unhealthyThreshold: testCase.unhealthyThreshold,
            serviceTimeoutMs: 1_000)
        var state = ProbeEndpointState(circuitBreaker: nil)
        var statuses: [HealthStatus] = []
        for (index, outcome) in testCase.outcomes.enumerated() {
            let failure = outcome == "-" ? HealthRecord.ProbeFailure(kind: .connect, message: "refused") : nil
            let latency: Double = outcome == "~" ? 900 : 10
            state.apply(
                latencyMs: latency, failure: failure, startedAtMs: index * 100, nowMs: index * 100 + 10, policy: policy)
            statuses.append(state.status)
        }
        #expect(statuses == testCase.statuses)
    }

    @Test("a state restored from a record continues from the record's status, not from a first look")
    func restoredStatus() {
        let policy = ProbePolicy(healthyThreshold: 2, unhealthyThreshold: 3)
        let record = HealthRecord(
            service: "s", endpoint: "https://a.example.com", status: .degraded, checkedAt: 1_000, latencyMs: .init(),
            consecutiveSuccesses: 0, consecutiveFailures: 1, circuit: .init(state: .closed), lastError: nil,
            checker: .init(host: "test"))
        var state = ProbeEndpointState(restoring: record, circuitBreaker: nil)
        state.apply(latencyMs: 10, failure: nil, startedAtMs: 2_000, nowMs: 2_010, policy: policy)
        #expect(state.status == .degraded, "one success after a failure is not enough for healthy")
        #expect(
            ProbeEndpointState.status(previous: .unknown, successes: 1, failures: 0, p95: 10, policy: policy)
                == .healthy)
        #expect(
            ProbeEndpointState.status(previous: .healthy, successes: 0, failures: 3, p95: 10, policy: policy)
                == .unhealthy)
    }

    @Test("only successful probes add latency samples; a failure keeps the window")
    func samplesFromSuccesses() {
        let policy = ProbePolicy(healthyThreshold: 1, unhealthyThreshold: 1)
        var state = ProbeEndpointState(circuitBreaker: nil)
        state.apply(latencyMs: 12, failure: nil, startedAtMs: 0, nowMs: 12, policy: policy)
        state.apply(
            latencyMs: 3, failure: HealthRecord.ProbeFailure(kind: .status, message: "status 500", status: 500),
            startedAtMs: 20, nowMs: 23, policy: policy)
        #expect(state.latency.samples == [12])
        #expect(state.status == .unhealthy && state.consecutiveFailures == 1 && state.consecutiveSuccesses == 0)
        #expect(state.lastError?.status == 500)
        state.apply(latencyMs: 8, failure: nil, startedAtMs: 30, nowMs: 38, policy: policy)
        #expect(state.lastError == nil && state.status == .healthy && state.latency.samples == [12, 8])
    }

    @Test("policy defaults, the TTL rule and the router's timeout and breaker resolution")
    func policies() {
        let config = ProbeConfig.config([
            "\"plain\": {\"endpoints\": [\"https://a.example.com\"]}",
            "\"tuned\": {\"endpoints\": [\"https://b.example.com\"], \"timeout\": 800, \"healthCheck\": {\"path\": "
                + "\"status\", \"interval\": 45000, \"timeout\": 300, \"expectStatus\": 204}, \"circuitBreaker\": "
                + "{\"failureThreshold\": 2}}",
        ])
        let plain = ProbePolicy(service: config.services[0], config: config)
        #expect(plain.path == "/health" && plain.intervalMs == 10_000 && plain.timeoutMs == 2_000)
        #expect(plain.healthyThreshold == 2 && plain.unhealthyThreshold == 3 && plain.serviceTimeoutMs == 5_000)
        #expect(plain.circuitBreaker == nil, "no breaker unless configured, as in the router")
        #expect(plain.recordTTLSeconds == 60, "max(60, 3 x 10 s)")
        let tuned = ProbePolicy(service: config.services[1], config: config)
        #expect(tuned.path == "/status" && tuned.timeoutMs == 300 && tuned.serviceTimeoutMs == 800)
        #expect(tuned.accepts(204) && !tuned.accepts(200) && tuned.expectDescription == "204")
        #expect(
            tuned.circuitBreaker
                == EffectiveCircuitBreaker(
                    failureThreshold: 2, resetTimeoutMs: 30_000, halfOpenRequests: 1, maxResetTimeoutMs: 300_000))
        #expect(tuned.recordTTLSeconds == 135, "3 x 45 s")
        #expect(
            ProbePolicy(service: config.services[1], config: config, intervalOverrideMs: 1_500).recordTTLSeconds == 60)
        #expect(ProbePolicy(intervalMs: 20_001).recordTTLSeconds == 61, "rounded up to whole seconds")
    }

    @Test("the probe URL appends the health path to the endpoint's path")
    func probeURLs() {
        #expect(
            ProbeTarget.probeURL(endpoint: "https://a.example.com", path: "/health")?.absoluteString
                == "https://a.example.com/health")
        #expect(
            ProbeTarget.probeURL(endpoint: "https://a.example.com/base/", path: "/health")?.absoluteString
                == "https://a.example.com/base/health")
        #expect(
            ProbeTarget.probeURL(endpoint: "http://127.0.0.1:8080/x?k=v", path: "/h z")?.absoluteString
                == "http://127.0.0.1:8080/x/h%20z?k=v")
        #expect(ProbeTarget.probeURL(endpoint: "ftp://a.example.com", path: "/health") == nil)
        #expect(ProbeTarget.probeURL(endpoint: "not a url", path: "/health") == nil)
    }

    @Test("a breaker continued from a record has the same state, trips and reset time")
    func breakerReplay() {
        let settings = EffectiveCircuitBreaker(
            failureThreshold: 2, resetTimeoutMs: 1_000, halfOpenRequests: 1, maxResetTimeoutMs: 10_000)
        var original = CircuitBreaker(settings: settings)
        for round in 0..<2 { original.recordFailure(nowMs: round) }
        _ = original.allowRequest(nowMs: 5_000)
        original.recordFailure(nowMs: 5_000)
        #expect(original.trips == 2 && original.resetAtMs == 7_000)
        let record = HealthRecord(
            service: "s", endpoint: "https://a.example.com", status: .unhealthy, checkedAt: 5_000, latencyMs: .init(),
            consecutiveSuccesses: 0, consecutiveFailures: 3,
            circuit: .init(state: .open, openedAt: 5_000, resetAt: 7_000, trips: 2), lastError: nil,
            checker: .init(host: "test"))
        let restored = ProbeEndpointState(restoring: record, circuitBreaker: settings)
        #expect(restored.breaker?.state == .open && restored.breaker?.trips == 2)
        #expect(restored.breaker?.openedAtMs == 5_000 && restored.breaker?.resetAtMs == 7_000)
        #expect(restored.consecutiveFailures == 3 && restored.status == .unhealthy)
    }
}
