import Foundation
import MeshRegistry
import MeshRouter
import Synchronization
import Testing

/// The bound on probes in flight, and round wall time against the ideal
/// (endpoints / concurrency) x per-probe latency.
extension ProberLiveTests {
    @Suite("Prober concurrency")
    struct Concurrency {
        /// `count` endpoints on the tracked server (each answers after its delay).
        static func trackedConfig(_ servers: ProbeServers, count: Int, timeout: Int = 5_000) -> String {
            ProbeConfig.service(
                "tracked", endpoints: (0..<count).map { (id: "t\($0)", url: servers["tracked"] + "/t\($0)") },
                healthCheck: ProbeConfig.healthCheck(timeout: timeout))
        }

        @Test("40 endpoints with concurrency 4: never more than 4 in flight, at the client or at the server")
        func boundedConcurrency() async throws {
            let delay = 100.0
            let servers = try await ProbeServers.start(trackedDelayMs: delay)
            let config = ProbeConfig.config([Self.trackedConfig(servers, count: 40)])
            let prober = HealthProber(config: config, store: MemoryKVStore(), options: ProbeOptions(concurrency: 4))
            let round = await prober.probeOnce()
            let stats = try await servers.trackedStats()
            #expect(round.results.count == 40)
            #expect(round.results.allSatisfy { $0.status == .healthy })
            #expect(round.peakInFlight == 4)
            #expect(stats["requests"] == 40)
            #expect((stats["maxInFlight"] ?? 99) <= 4)
            let ideal = 40.0 / 4 * delay
            #expect(round.wallMs >= ideal * 0.95, "ten waves of four cannot beat ten server delays")
            #expect(round.wallMs < ideal * 3)
            print(
                "[prober] 40 endpoints / concurrency 4 / server delay \(Int(delay)) ms: wall "
                    + "\(figure(round.wallMs)), ideal \(figure(ideal)); peak in flight \(round.peakInFlight) (client), "
                    + "\(stats["maxInFlight"] ?? -1) (server)"
            )
        }

        @Test(
            "500 endpoints with concurrency 32: wall time against (500/32) x per-probe latency",
            arguments: [
                (delay: 20.0, wranglerLocal: false), (delay: 0.0, wranglerLocal: false),
                (delay: 20.0, wranglerLocal: true),
            ])
        func fiveHundredEndpoints(delay: Double, wranglerLocal: Bool) async throws {
            let servers = try await ProbeServers.start(trackedDelayMs: delay)
            let config = ProbeConfig.config([Self.trackedConfig(servers, count: 500)])
            let directory = FileManager.default.temporaryDirectory.appendingPathComponent("prober-\(UUID().uuidString)")
                .path
            defer { try? FileManager.default.removeItem(atPath: directory) }
            let store: any KVStore =
                wranglerLocal
                ? try WranglerLocalKVStore(root: directory + "/v3/kv", namespaceId: "BENCH") : MemoryKVStore()
            let prober = HealthProber(config: config, store: store, options: ProbeOptions(concurrency: 32))
            var walls: [Double] = []
            var lastRound: ProbeRound?
            for _ in 0..<3 {
                let round = await prober.probeOnce()
                walls.append(round.wallMs)
                lastRound = round
            }
            let round = try #require(lastRound)
            #expect(round.results.count == 500)
            #expect(round.results.allSatisfy { $0.failure == nil && $0.writeError == nil })
            #expect(round.peakInFlight <= 32)
            #expect(try await store.listAll(prefix: RegistryKeys.healthPrefix(service: "tracked")).count == 500)
            let latencies = round.results.compactMap(\.latencyMs).sorted()
            let durations = round.results.map(\.durationMs).sorted()
            let httpP50 = latencies[latencies.count / 2]
            let probeP50 = durations[durations.count / 2]
            let ideal = 500.0 / 32 * probeP50
            print(
                "[prober] 500 endpoints / concurrency 32 / server delay \(Int(delay)) ms / "
                    + "\(wranglerLocal ? "wrangler-local" : "memory") store: "
                    + "round walls \(walls.map(figure).joined(separator: ", ")); per-probe HTTP p50 "
                    + "\(figure(httpP50)), probe+write p50 \(figure(probeP50)); "
                    + "(500/32) x per-probe = \(figure(ideal)); wall/ideal = "
                    + "\(String(format: "%.2f", (walls.last ?? 0) / ideal)); peak in flight \(round.peakInFlight)"
            )
        }

        @Test("run(until:) starts a round every interval and stops when asked")
        func runLoop() async throws {
            let servers = try await ProbeServers.start()
            let config = ProbeConfig.config([
                ProbeConfig.service(
                    "loop", endpoints: [(id: "ok", url: servers["healthy"])], healthCheck: ProbeConfig.healthCheck())
            ])
            let prober = HealthProber(
                config: config, store: MemoryKVStore(), options: ProbeOptions(intervalOverrideMs: 200))
            #expect(prober.roundIntervalMs == 200)
            let starts = RoundLog()
            let started = ContinuousClock.now
            await prober.run { round in
                starts.append(round.startedAtMs)
                return starts.count == 4
            }
            let elapsed = milliseconds(ContinuousClock.now - started)
            #expect(starts.count == 4)
            #expect(elapsed >= 600 && elapsed < 1_500, "three intervals between four rounds")
            #expect(prober.state(service: "loop", endpointId: "ok")?.consecutiveSuccesses == 4)
            print("[prober] run loop: 4 rounds at 200 ms in \(figure(elapsed))")
        }

        @Test("the shortest service interval paces run(until:) without an override")
        func roundInterval() {
            let config = ProbeConfig.config([
                ProbeConfig.service(
                    "a", endpoints: [(id: nil, url: "http://127.0.0.1:9")],
                    healthCheck: ProbeConfig.healthCheck(interval: 30_000)),
                ProbeConfig.service(
                    "b", endpoints: [(id: nil, url: "http://127.0.0.1:9")],
                    healthCheck: ProbeConfig.healthCheck(interval: 7_000)),
            ])
            #expect(HealthProber(config: config, store: MemoryKVStore()).roundIntervalMs == 7_000)
            #expect(HealthProber(config: ProbeConfig.config([]), store: MemoryKVStore()).roundIntervalMs == 10_000)
        }
    }
}

/// Round start times collected from `run(until:)`'s callback.
final class RoundLog: Sendable {
    private let starts = Mutex<[Int]>([])

    func append(_ start: Int) {
        starts.withLock { $0.append(start) }
    }

    var count: Int { starts.withLock { $0.count } }
}
