import Foundation
import MeshConfig
import MeshRegistry
import MeshRouter
import MeshTestSupport
import Testing

/// The prober's rounds with a scripted HTTP client and a manual clock: the circuit
/// breaker's whole cycle, expectStatus, bad URLs, and the prober's own overhead.
@Suite("Prober with a scripted client")
struct ProberCircuitTests {
    static let ok = ProbeHTTPResult.response(status: 200, elapsedMs: 10)
    static let fail = ProbeHTTPResult.response(status: 503, elapsedMs: 10)

    static func config(
        extra: String =
            "\"circuitBreaker\": {\"failureThreshold\": 2, \"resetTimeout\": 5000, \"maxResetTimeout\": 60000}",
        healthCheck: String = ProbeConfig.healthCheck(healthy: 1, unhealthy: 2)
    ) -> MeshConfig {
        ProbeConfig.config([
            ProbeConfig.service(
                "svc", endpoints: [(id: "a", url: "http://a.test")], healthCheck: healthCheck, extra: extra)
        ])
    }

    @Test("open at failureThreshold; half-open after resetTimeout; a failed trial doubles it; a success closes")
    func breakerCycle() async throws {
        let client = ScriptedProbeClient([
            "http://a.test": [Self.fail, Self.fail, Self.fail, Self.fail, Self.ok, Self.ok]
        ])
        let clock = ManualClock(1_000_000)
        let store = MemoryKVStore()
        let prober = HealthProber(
            config: Self.config(), store: store, options: ProbeOptions(now: clock.now, httpClient: client))
        var circuits: [HealthRecord.CircuitRecord] = []
        // Rounds at t = 0, 1 s, 2 s, 7 s (past the 5 s reset), 8 s, 19 s (past the doubled 10 s).
        for step in [0, 1_000, 1_000, 5_000, 1_000, 11_000] {
            clock.advance(by: step)
            circuits.append(
                try #require(await prober.probeOnce().result(service: "svc", endpointId: "a")).record.circuit)
        }
        let start: Int64 = 1_000_000
        #expect(circuits.map(\.state) == [.closed, .open, .open, .open, .open, .closed])
        #expect(
            circuits[1]
                == HealthRecord.CircuitRecord(state: .open, openedAt: start + 1_000, resetAt: start + 6_000, trips: 1))
        #expect(circuits[2] == circuits[1], "failures while open are ignored by the breaker")
        #expect(
            circuits[3]
                == HealthRecord.CircuitRecord(state: .open, openedAt: start + 7_000, resetAt: start + 17_000, trips: 2),
            "the trial at 7 s failed: open again for 2 x 5 s")
        #expect(circuits[4] == circuits[3], "the success at 8 s came while open, before the reset time")
        #expect(
            circuits[5] == HealthRecord.CircuitRecord(state: .closed, openedAt: nil, resetAt: nil, trips: 0),
            "the trial at 19 s succeeded")
        #expect(client.requestCount == 6, "probes go on while the circuit is open: they are how recovery is seen")
    }

    @Test("an open circuit whose reset time has passed reads half-open in the record and summary")
    func halfOpenReading() async throws {
        let client = ScriptedProbeClient(["http://a.test": [Self.fail]])
        let clock = ManualClock()
        let store = MemoryKVStore()
        let prober = HealthProber(
            config: Self.config(extra: "\"circuitBreaker\": {\"failureThreshold\": 1, \"resetTimeout\": 0}"),
            store: store,
            options: ProbeOptions(now: clock.now, httpClient: client))
        let result = try #require(await prober.probeOnce().result(service: "svc", endpointId: "a"))
        #expect(result.circuit == .halfOpen)
        let stored = try #require(try await StoredHealth.read(store, result.key))
        #expect(stored.summary.circuit == .halfOpen && stored.record.circuit.trips == 1)
    }

    @Test("expectStatus decides success; a URL that cannot be requested is a connect failure with a record")
    func expectations() async throws {
        let client = ScriptedProbeClient([
            "http://a.test": [.response(status: 204, elapsedMs: 1), .response(status: 200, elapsedMs: 1)]
        ])
        let config = ProbeConfig.config([
            ProbeConfig.service(
                "svc", endpoints: [(id: "a", url: "http://a.test"), (id: "weird", url: "ftp://b.test")],
                healthCheck: ProbeConfig.healthCheck(healthy: 1, unhealthy: 1, expect: "204"))
        ])
        let prober = HealthProber(config: config, store: MemoryKVStore(), options: ProbeOptions(httpClient: client))
        let first = await prober.probeOnce()
        #expect(first.result(service: "svc", endpointId: "a")?.status == .healthy)
        let weird = try #require(first.result(service: "svc", endpointId: "weird"))
        #expect(weird.failure?.kind == .connect && weird.status == .unhealthy && weird.writeError == nil)
        let second = try #require(await prober.probeOnce().result(service: "svc", endpointId: "a"))
        #expect(
            second.failure == HealthRecord.ProbeFailure(kind: .status, message: "status 200, expected 204", status: 200)
        )
    }

    @Test("a record that cannot be written is reported on its result; the others are written")
    func writeFailures() async throws {
        let client = ScriptedProbeClient(["http://": [Self.ok]])
        let longId = String(repeating: "x", count: 600)
        let config = ProbeConfig.config([
            ProbeConfig.service(
                "svc", endpoints: [(id: "fine", url: "http://a.test"), (id: longId, url: "http://b.test")],
                healthCheck: ProbeConfig.healthCheck())
        ])
        let store = MemoryKVStore()
        let round = await HealthProber(config: config, store: store, options: ProbeOptions(httpClient: client))
            .probeOnce()
        #expect(round.result(service: "svc", endpointId: "fine")?.writeError == nil)
        let failed = try #require(round.result(service: "svc", endpointId: longId))
        #expect(failed.writeError != nil, "a key over 512 bytes")
        #expect(try await store.listAll(prefix: "health:").count == 1)
    }

    @Test("the prober's own cost: 500 endpoints answered instantly, concurrency 32")
    func overhead() async throws {
        let client = ScriptedProbeClient(["http://": [.response(status: 200, elapsedMs: 0)]])
        let config = ProbeConfig.config([
            ProbeConfig.service(
                "many", endpoints: (0..<500).map { (id: "e\($0)", url: "http://e\($0).test") },
                healthCheck: ProbeConfig.healthCheck())
        ])
        let prober = HealthProber(config: config, store: MemoryKVStore(), options: ProbeOptions(httpClient: client))
        var walls: [Double] = []
        for _ in 0..<5 { walls.append(await prober.probeOnce().wallMs) }
        #expect(client.requestCount == 2_500)
        print(
            "[prober] overhead, 500 instant endpoints (state, record JSON, memory put): rounds "
                + "\(walls.map(figure).joined(separator: ", "))"
        )
    }
}
