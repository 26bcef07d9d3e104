import Foundation
import MeshConfig
import MeshRouter
import Synchronization

/// The health prober of docs/guide/registry.md: probes every endpoint of every service, keeps each
/// endpoint's counters, latency window and circuit breaker across rounds, and writes
/// `health:<service>:<endpointId>` records with the summary in metadata and a TTL of
/// max(60, 3 x interval) seconds.
///
/// Probes of a round run concurrently, at most ``ProbeOptions/concurrency`` at a time. Each
/// endpoint's record is written by the task that probed it as soon as its probe is done,
/// and each probe has a hard deadline (its health check timeout), so a dead endpoint
/// delays nobody's record and a round takes about as long as its slowest endpoint's
/// timeout, not the sum.
///
/// Rounds are meant to run one after another (``run(until:)`` does); overlapping rounds
/// are safe but each endpoint's state then sees the outcomes in completion order.
public final class HealthProber: Sendable {
    /// The mesh config whose services are probed.
    public let config: MeshConfig
    /// Where records are written (and registrations read).
    public let store: any KVStore
    /// How the prober runs.
    public let options: ProbeOptions

    private let client: any ProbeHTTPClient
    private let states = Mutex<[EndpointKey: ProbeEndpointState]>([:])

    private struct EndpointKey: Hashable {
        var service: String
        var endpointId: String
    }

    /// Creates a prober; nothing is probed until ``probeOnce()`` or ``run(until:)``.
    public init(config: MeshConfig, store: any KVStore, options: ProbeOptions = ProbeOptions()) {
        self.config = config
        self.store = store
        self.options = options
        client = options.httpClient ?? ProbeNIOClient(maximumConnections: options.concurrency)
    }

    /// How long ``run(until:)`` waits between round starts: the override, else the
    /// shortest interval of any service (every service is probed at least that often).
    public var roundIntervalMs: Int {
        if let override = options.intervalOverrideMs { return override }
        let intervals = config.services.map { ProbePolicy(service: $0, config: config).intervalMs }
        return intervals.min() ?? ProbePolicy().intervalMs
    }

    /// Probes every endpoint once and writes its record; returns when every probe has
    /// finished (each within its own timeout) or been written off.
    public func probeOnce() async -> ProbeRound {
        let started = ContinuousClock.now
        let startedAtMs = options.now()
        let (targets, problems) = await ProbeTargets.discover(
            config: config, store: store, intervalOverrideMs: options.intervalOverrideMs)
        let gauge = InFlightGauge()
        var results: [ProbeResult] = []
        results.reserveCapacity(targets.count)
        await withTaskGroup(of: ProbeResult.self) { group in
            var pending = targets.makeIterator()
            // Start `concurrency` probes, then one more each time one finishes: at most
            // `concurrency` in flight, and no idle slot while work remains.
            for _ in 0..<options.concurrency {
                guard let target = pending.next() else { break }
                group.addTask { await self.probe(target, gauge: gauge) }
            }
            while let result = await group.next() {
                results.append(result)
                if let target = pending.next() {
                    group.addTask { await self.probe(target, gauge: gauge) }
                }
            }
        }
        results.sort { ($0.service, $0.endpointId) < ($1.service, $1.endpointId) }
        // Forget endpoints that are gone (a registration withdrawn, a config edited), so a
        // long-running prober does not grow; one that comes back continues from its record.
        let live = Set(targets.map { EndpointKey(service: $0.service, endpointId: $0.endpointId) })
        states.withLock { states in states = states.filter { live.contains($0.key) } }
        return ProbeRound(
            startedAtMs: startedAtMs, wallMs: ProbeNIOClient.milliseconds(ContinuousClock.now - started),
            results: results, problems: problems, peakInFlight: gauge.peak)
    }

    /// Probes round after round, a round starting every ``roundIntervalMs`` (at once when
    /// the previous one overran), until `shouldStop` returns true for a finished round or
    /// the calling task is cancelled.
    public func run(until shouldStop: @Sendable (ProbeRound) async -> Bool) async {
        let clock = ContinuousClock()
        while !Task.isCancelled {
            let roundStart = clock.now
            let round = await probeOnce()
            if await shouldStop(round) { return }
            let next = roundStart.advanced(by: .milliseconds(roundIntervalMs))
            guard next > clock.now else { continue }
            do {
                try await Task.sleep(until: next, clock: clock)
            } catch {
                return // cancelled while waiting
            }
        }
    }

    /// The current state of one endpoint, nil before it is first probed.
    public func state(service: String, endpointId: String) -> ProbeEndpointState? {
        states.withLock { $0[EndpointKey(service: service, endpointId: endpointId)] }
    }

    // MARK: - One endpoint

    private func probe(_ target: ProbeTarget, gauge: InFlightGauge) async -> ProbeResult {
        gauge.enter()
        defer { gauge.leave() }
        let started = ContinuousClock.now
        let key = RegistryKeys.health(service: target.service, endpointId: target.endpointId)
        let endpointKey = EndpointKey(service: target.service, endpointId: target.endpointId)
        if options.restoreFromStore, states.withLock({ $0[endpointKey] == nil }) {
            await restore(endpointKey, from: key, target: target)
        }

        let startedAtMs = options.now()
        let (latency, failure) = await check(target)
        let finishedAtMs = options.now()
        let state = states.withLock { states in
            var state = states[endpointKey] ?? ProbeEndpointState(circuitBreaker: target.policy.circuitBreaker)
            state.apply(
                latencyMs: latency, failure: failure, startedAtMs: startedAtMs, nowMs: finishedAtMs,
                policy: target.policy)
            states[endpointKey] = state
            return state
        }
        let record = self.record(target: target, state: state, checkedAtMs: finishedAtMs)
        var writeError: RegistryError?
        do {
            try await store.put(
                key, value: record.encoded(), metadata: record.summary.encoded(),
                expirationTtl: target.policy.recordTTLSeconds)
        } catch let error as RegistryError {
            writeError = error
        } catch {
            writeError = .failed("writing \(key) failed: \(error)")
        }
        return ProbeResult(
            service: target.service, endpointId: target.endpointId, url: target.url, registered: target.registered,
            latencyMs: latency, failure: failure, record: record, key: key, writeError: writeError,
            durationMs: ProbeNIOClient.milliseconds(ContinuousClock.now - started))
    }

    /// Sends the health check and applies `expectStatus`: the latency to an answer, if
    /// any, and the failure, nil for a success.
    private func check(_ target: ProbeTarget) async -> (latencyMs: Double?, failure: HealthRecord.ProbeFailure?) {
        guard let url = target.probeURL else {
            return (
                nil,
                HealthRecord.ProbeFailure(
                    kind: .connect, message: "'\(target.url)' is not an http(s) URL that can be requested")
            )
        }
        switch await client.get(url, timeoutMs: target.policy.timeoutMs) {
        case .response(let status, let elapsedMs):
            guard target.policy.accepts(status) else {
                let failure = HealthRecord.ProbeFailure(
                    kind: .status, message: "status \(status), expected \(target.policy.expectDescription)",
                    status: status)
                return (elapsedMs, failure)
            }
            return (elapsedMs, nil)
        case .failure(let failure, _):
            return (nil, failure)
        }
    }

    /// Continues from the endpoint's stored record, when there is a readable one for the
    /// same URL; anything else (absent, unreadable, another URL) starts afresh.
    private func restore(_ endpointKey: EndpointKey, from key: String, target: ProbeTarget) async {
        guard let bytes = try? await store.get(key), let record = try? HealthRecord.decode(bytes, key: key),
            record.service == target.service, record.endpoint == target.url
        else { return }
        let restored = ProbeEndpointState(restoring: record, circuitBreaker: target.policy.circuitBreaker)
        states.withLock { states in
            if states[endpointKey] == nil { states[endpointKey] = restored }
        }
    }

    private func record(target: ProbeTarget, state: ProbeEndpointState, checkedAtMs: Int) -> HealthRecord {
        let breaker = state.breaker
        let circuit = HealthRecord.CircuitRecord(
            state: state.circuitState(at: checkedAtMs),
            openedAt: breaker?.openedAtMs.map(Int64.init), resetAt: breaker?.resetAtMs.map(Int64.init),
            trips: breaker?.trips ?? 0)
        // The state is never unknown after a probe; the fallback only satisfies the type.
        let status = state.status == .unknown ? .degraded : state.status
        return HealthRecord(
            service: target.service, endpoint: target.url, status: status, checkedAt: Int64(checkedAtMs),
            latencyMs: state.latency.stats, consecutiveSuccesses: state.consecutiveSuccesses,
            consecutiveFailures: state.consecutiveFailures, circuit: circuit, lastError: state.lastError,
            checker: HealthRecord.Checker(host: options.checkerHost, colo: options.checkerColo))
    }
}

/// Counts probes in flight and remembers the peak (a round's figure, and the test of the bound).
private final class InFlightGauge: Sendable {
    private let counts = Mutex((current: 0, peak: 0))

    func enter() {
        counts.withLock { counts in
            counts.current += 1
            counts.peak = max(counts.peak, counts.current)
        }
    }

    func leave() {
        counts.withLock { $0.current -= 1 }
    }

    var peak: Int { counts.withLock { $0.peak } }
}
