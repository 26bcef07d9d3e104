import Foundation
import MeshRegistry
import MeshRouter
import Testing

/// Every prober test that talks to real servers, one at a time: the timing assertions and
/// printed figures mean little when these rounds compete with each other for two cores.
@Suite(
    "Prober live", .serialized,
    .enabled(if: ProbeServers.available, "python3 is not on PATH: the local probe targets cannot run"))
struct ProberLiveTests {}

/// The prober against real HTTP servers on loopback (Tests/e2e/probe_targets.py), writing
/// into a memory store: classification, thresholds over rounds, circuit trips, records.
extension ProberLiveTests {
    @Suite("Prober against local servers")
    struct LocalServers {
        @Test("one round classifies healthy, 500, slow, refused, hanging and non-HTTP targets and writes every record")
        func classification() async throws {
            let servers = try await ProbeServers.start(slowDelay: 5)
            let names = ["healthy", "error", "slow", "refused", "hang", "garbage"]
            let config = ProbeConfig.config([
                ProbeConfig.service(
                    "targets", endpoints: names.map { (id: $0, url: servers[$0]) },
                    healthCheck: ProbeConfig.healthCheck(timeout: 700))
            ])
            let store = MemoryKVStore()
            let prober = HealthProber(config: config, store: store, options: ProbeOptions(checkerHost: "test-host"))
            let round = await prober.probeOnce()
            #expect(round.problems.isEmpty)
            #expect(round.results.count == names.count)
            for result in round.results {
                print(
                    "[prober] \(result.endpointId): \(result.status.rawValue) "
                        + "\(result.failure.map { "\($0.kind.rawValue): \($0.message)" } ?? "ok") in "
                        + "\(figure(result.durationMs))"
                )
            }
            let healthy = try #require(round.result(service: "targets", endpointId: "healthy"))
            #expect(healthy.status == .healthy && healthy.failure == nil && healthy.latencyMs != nil)
            let error = try #require(round.result(service: "targets", endpointId: "error"))
            #expect(error.status == .unhealthy && error.failure?.kind == .status && error.failure?.status == 500)
            #expect(error.failure?.message == "status 500, expected 2xx")
            #expect(round.result(service: "targets", endpointId: "slow")?.failure?.kind == .timeout)
            #expect(round.result(service: "targets", endpointId: "hang")?.failure?.kind == .timeout)
            #expect(round.result(service: "targets", endpointId: "refused")?.failure?.kind == .connect)
            let garbage = try #require(round.result(service: "targets", endpointId: "garbage"))
            #expect(garbage.status == .unhealthy && garbage.failure != nil && garbage.failure?.kind != .timeout)
            #expect(round.wallMs < 700 + 300, "the slow and hanging targets are cut off at their timeout")
            print("[prober] classification round: \(figure(round.wallMs)) for \(names.count) endpoints, timeout 700 ms")

            for result in round.results {
                #expect(result.writeError == nil)
                let stored = try #require(try await StoredHealth.read(store, result.key))
                #expect(stored.record == result.record, "the stored JSON decodes to the record the round reports")
                #expect(stored.record.service == "targets" && stored.record.endpoint == servers[result.endpointId])
                #expect(stored.record.checker == HealthRecord.Checker(host: "test-host", colo: nil))
                #expect(stored.summary == stored.record.summary)
                #expect(stored.summary.latencyP50Ms == stored.record.latencyMs.p50)
            }
            #expect(round.result(service: "targets", endpointId: "healthy")?.key == "health:targets:healthy")
        }

        @Test("records expire after max(60, 3 x interval) seconds and carry the summary in the listing")
        func ttlAndListing() async throws {
            let servers = try await ProbeServers.start()
            let config = ProbeConfig.config([
                ProbeConfig.service(
                    "short", endpoints: [(id: nil, url: servers["healthy"])],
                    healthCheck: ProbeConfig.healthCheck(interval: 5_000)),
                ProbeConfig.service(
                    "long", endpoints: [(id: nil, url: servers["healthy"])],
                    healthCheck: ProbeConfig.healthCheck(interval: 40_000)),
            ])
            let store = MemoryKVStore(now: { 1_000_000 })
            _ = await HealthProber(config: config, store: store).probeOnce()
            let short = try await store.listAll(prefix: RegistryKeys.healthPrefix(service: "short"))
            let long = try await store.listAll(prefix: RegistryKeys.healthPrefix(service: "long"))
            #expect(short.map(\.expiration) == [1_000_060])
            #expect(long.map(\.expiration) == [1_000_120])
            // The endpoint id defaults to the URL, percent-encoded in the key.
            #expect(short.first?.name == RegistryKeys.health(service: "short", endpointId: servers["healthy"]))
            #expect(short.first?.name.contains("%3A%2F%2F127.0.0.1") == true)
            let summary = try HealthSummary.decode(try #require(short.first?.metadata))
            #expect(summary.status == .healthy && summary.circuit == .closed && summary.latencyP50Ms != nil)
            print("[prober] metadata summary: \(short.first?.metadata ?? "")")
        }

        @Test("thresholds over rounds: a first look sets the status, then a flapping endpoint moves through degraded")
        func thresholdsOverRounds() async throws {
            // Two answers 200, two answers 500, and so on.
            let servers = try await ProbeServers.start(flapEvery: 2)
            let config = ProbeConfig.config([
                ProbeConfig.service(
                    "flappy",
                    endpoints: [
                        (id: "flap", url: servers["flapping"]), (id: "ok", url: servers["healthy"]),
                        (id: "bad", url: servers["error"]),
                    ],
                    healthCheck: ProbeConfig.healthCheck(healthy: 2, unhealthy: 2))
            ])
            let prober = HealthProber(config: config, store: MemoryKVStore())
            var flapping: [HealthStatus] = []
            var healthy: [HealthStatus] = []
            var failing: [HealthStatus] = []
            for _ in 0..<6 {
                let round = await prober.probeOnce()
                flapping.append(round.result(service: "flappy", endpointId: "flap")?.status ?? .unknown)
                healthy.append(round.result(service: "flappy", endpointId: "ok")?.status ?? .unknown)
                failing.append(round.result(service: "flappy", endpointId: "bad")?.status ?? .unknown)
            }
            #expect(flapping == [.healthy, .healthy, .degraded, .unhealthy, .degraded, .healthy])
            #expect(healthy == [.healthy, .healthy, .healthy, .healthy, .healthy, .healthy])
            #expect(failing == [.unhealthy, .unhealthy, .unhealthy, .unhealthy, .unhealthy, .unhealthy])
            let state = try #require(prober.state(service: "flappy", endpointId: "ok"))
            #expect(state.consecutiveSuccesses == 6 && state.latency.samples.count == 6)
            print("[prober] flapping statuses: \(flapping.map(\.rawValue).joined(separator: " -> "))")
        }

        @Test("the circuit opens after failureThreshold failures and records openedAt, resetAt and trips")
        func circuitTrips() async throws {
            let servers = try await ProbeServers.start()
            let config = ProbeConfig.config([
                ProbeConfig.service(
                    "breaker",
                    endpoints: [
                        (id: "bad", url: servers["error"]), (id: "down", url: servers["refused"]),
                        (id: "ok", url: servers["healthy"]),
                    ],
                    healthCheck: ProbeConfig.healthCheck(healthy: 1, unhealthy: 2),
                    extra: "\"circuitBreaker\": {\"failureThreshold\": 3, \"resetTimeout\": 60000}")
            ])
            let clock = ManualClock()
            let store = MemoryKVStore()
            let prober = HealthProber(config: config, store: store, options: ProbeOptions(now: clock.now))
            var circuits: [CircuitState] = []
            for _ in 0..<4 {
                let round = await prober.probeOnce()
                circuits.append(round.result(service: "breaker", endpointId: "bad")?.circuit ?? .closed)
                #expect(round.result(service: "breaker", endpointId: "ok")?.circuit == .closed)
                clock.advance(by: 1_000)
            }
            #expect(circuits == [.closed, .closed, .open, .open])
            let bad = try #require(
                try await StoredHealth.read(store, RegistryKeys.health(service: "breaker", endpointId: "bad")))
            #expect(bad.record.circuit.trips == 1)
            let openedAt = try #require(bad.record.circuit.openedAt)
            #expect(bad.record.circuit.resetAt == openedAt + 60_000)
            #expect(bad.summary.circuit == .open && bad.record.consecutiveFailures == 4)
            let down = try #require(
                try await StoredHealth.read(store, RegistryKeys.health(service: "breaker", endpointId: "down")))
            #expect(down.record.circuit.state == .open && down.record.lastError?.kind == .connect)
            print(
                "[prober] circuit of the 500 endpoint by round: \(circuits.map(\.rawValue).joined(separator: " -> "))")
        }

        @Test("a hanging endpoint delays no other: their records are written at once, the round ends at its timeout")
        func hangingEndpoint() async throws {
            let servers = try await ProbeServers.start()
            let timeout = 1_000
            let config = ProbeConfig.config([
                ProbeConfig.service(
                    "fast", endpoints: (0..<8).map { (id: "e\($0)", url: servers["healthy"] + "/e\($0)") },
                    healthCheck: ProbeConfig.healthCheck()),
                ProbeConfig.service(
                    "stuck", endpoints: [(id: "hang", url: servers["hang"])],
                    healthCheck: ProbeConfig.healthCheck(timeout: timeout)),
            ])
            let store = PutTimingStore()
            let prober = HealthProber(config: config, store: store, options: ProbeOptions(concurrency: 4))
            let started = ContinuousClock.now
            let round = await prober.probeOnce()
            let hang = try #require(round.result(service: "stuck", endpointId: "hang"))
            #expect(hang.failure?.kind == .timeout)
            #expect(hang.durationMs >= Double(timeout) - 5)
            #expect(round.wallMs < Double(timeout) + 250, "within the hanging endpoint's timeout plus a small margin")
            // Each fast record was in the store long before the hanging probe gave up.
            let hangWritten = try #require(store.writtenAt(hang.key))
            let fastWritten = round.results(service: "fast").compactMap { store.writtenAt($0.key) }
            #expect(fastWritten.count == 8)
            let latestFast = try #require(fastWritten.max())
            #expect(hangWritten - latestFast > .milliseconds(timeout / 2))
            print(
                "[prober] hanging round: wall \(figure(round.wallMs)) (timeout \(timeout) ms); hang probe "
                    + "\(figure(hang.durationMs)); "
                    + "8 other records all written by \(figure(milliseconds(latestFast - started))), the hang's at "
                    + "\(figure(milliseconds(hangWritten - started)))"
            )
        }

        @Test("registered endpoints are probed next to static ones; an unreadable registration is reported, not fatal")
        func registeredEndpoints() async throws {
            let servers = try await ProbeServers.start()
            let config = ProbeConfig.config([
                ProbeConfig.service(
                    "mixed", endpoints: [(id: "static", url: servers["healthy"])],
                    healthCheck: ProbeConfig.healthCheck()),
                ProbeConfig.registeredService("dynamic", healthCheck: ProbeConfig.healthCheck()),
                ProbeConfig.registeredService("broken", healthCheck: ProbeConfig.healthCheck()),
            ])
            let store = MemoryKVStore()
            let mixedRegistration =
                "{\"name\": \"mixed\", \"version\": \"1.0.0\", \"endpoints\": [{\"id\": \"static\", \"url\": "
                + "\"https://elsewhere.example.com\"}, {\"id\": \"extra\", \"url\": \"\(servers["error"])\"}], "
                + "\"registeredAt\": 1}"
            let dynamicRegistration =
                "{\"name\": \"dynamic\", \"endpoints\": [\"\(servers["healthy"])/a\", {\"url\": "
                + "\"\(servers["healthy"])/b\", \"id\": \"b\"}], \"registeredAt\": 1}"
            try await store.put(
                "service:mixed", value: Array(mixedRegistration.utf8), metadata: nil, expirationTtl: nil)
            try await store.put(
                "service:dynamic", value: Array(dynamicRegistration.utf8), metadata: nil, expirationTtl: nil)
            try await store.put("service:broken", value: Array("not json".utf8), metadata: nil, expirationTtl: nil)
            try await store.put(
                "service:unknown", value: Array(dynamicRegistration.utf8), metadata: nil, expirationTtl: nil)
            let round = await HealthProber(config: config, store: store).probeOnce()
            #expect(
                round.results.map { "\($0.service)/\($0.endpointId)" } == [
                    "dynamic/b", "dynamic/\(servers["healthy"])/a", "mixed/extra", "mixed/static",
                ])
            #expect(
                round.result(service: "mixed", endpointId: "static")?.url == servers["healthy"],
                "a registration cannot redefine a static endpoint")
            #expect(round.result(service: "mixed", endpointId: "extra")?.registered == true)
            #expect(round.result(service: "dynamic", endpointId: "b")?.status == .healthy)
            #expect(round.problems.count == 1)
            #expect(round.problems.first?.contains("service:broken") == true)
            print("[prober] registration problem: \(round.problems.first ?? "")")
        }

        @Test("records land in a real wrangler-local store: value, metadata listing and millisecond expiration")
        func wranglerLocal() async throws {
            let servers = try await ProbeServers.start()
            let directory = FileManager.default.temporaryDirectory.appendingPathComponent("prober-\(UUID().uuidString)")
                .path
            defer { try? FileManager.default.removeItem(atPath: directory) }
            let store = try WranglerLocalKVStore(root: directory + "/v3/kv", namespaceId: "PROBE_TEST")
            let config = ProbeConfig.config([
                ProbeConfig.service(
                    "svc",
                    endpoints: [
                        (id: "ok", url: servers["healthy"]), (id: "bad", url: servers["error"]),
                        (id: "down", url: servers["refused"]),
                    ],
                    healthCheck: ProbeConfig.healthCheck(interval: 30_000))
            ])
            let prober = HealthProber(config: config, store: store)
            var walls: [Double] = []
            for _ in 0..<3 { walls.append(await prober.probeOnce().wallMs) }
            let listed = try await store.listAll(prefix: RegistryKeys.healthPrefix(service: "svc"))
            #expect(listed.map(\.name) == ["health:svc:bad", "health:svc:down", "health:svc:ok"])
            let now = Int64(Date().timeIntervalSince1970)
            for key in listed {
                let expiration = try #require(key.expiration)
                #expect(abs(expiration - now - 90) <= 2, "3 x 30 s")
                #expect(try HealthSummary.decode(try #require(key.metadata)).checkedAt > 0)
            }
            let ok = try #require(try await StoredHealth.read(store, "health:svc:ok"))
            #expect(
                ok.record.status == .healthy && ok.record.consecutiveSuccesses == 3
                    && ok.record.latencyMs.samples.count == 3)
            let down = try #require(try await StoredHealth.read(store, "health:svc:down"))
            #expect(down.record.status == .unhealthy && down.record.lastError?.kind == .connect)
            print("[prober] wrangler-local rounds (3 endpoints): \(walls.map(figure).joined(separator: ", "))")
        }

        @Test("a restarted prober continues the counters and latency window from the stored records")
        func restartContinues() async throws {
            let servers = try await ProbeServers.start()
            let config = ProbeConfig.config([
                ProbeConfig.service(
                    "svc", endpoints: [(id: "ok", url: servers["healthy"]), (id: "bad", url: servers["error"])],
                    healthCheck: ProbeConfig.healthCheck(healthy: 3, unhealthy: 3))
            ])
            let store = MemoryKVStore()
            let first = HealthProber(config: config, store: store)
            _ = await first.probeOnce()
            _ = await first.probeOnce()
            let restarted = await HealthProber(config: config, store: store).probeOnce()
            #expect(restarted.result(service: "svc", endpointId: "ok")?.record.consecutiveSuccesses == 3)
            #expect(restarted.result(service: "svc", endpointId: "ok")?.status == .healthy)
            #expect(restarted.result(service: "svc", endpointId: "ok")?.record.latencyMs.samples.count == 3)
            #expect(restarted.result(service: "svc", endpointId: "bad")?.status == .unhealthy)
            let fresh = await HealthProber(config: config, store: store, options: ProbeOptions(restoreFromStore: false))
                .probeOnce()
            #expect(fresh.result(service: "svc", endpointId: "ok")?.record.consecutiveSuccesses == 1)
        }
    }
}
