import Foundation
import MeshConfig
import MeshRegistry
import MeshSyntax

/// Registry figures (issue 4): reading a 50-endpoint service's health with one listing
/// from the wrangler-local store and from the Cloudflare backend against a local server
/// that speaks its API, and a probe round of 500 endpoints with 32 probes in flight.
enum RegistryBenchmark {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    static func run(runs: Int) async {
        print("\n== registry ==")
        await healthReads(runs: max(runs, 50))
        await probeRound()
    }

    /// The listing a reader makes per service: `health:<service>:` with metadata summaries.
    static func healthReads(runs: Int) async {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("diddy-mesh-bench-kv-\(getpid())")
        defer { try? FileManager.default.removeItem(at: directory) }
        do {
            let local = try WranglerLocalKVStore(root: directory.path, namespaceId: "bench")
            try await fill(local)
            let median = try await medianMilliseconds(runs) {
                _ = try await local.list(prefix: "health:users:", cursor: nil, limit: 1000)
            }
            print(
                String(
                    format: "health of a 50-endpoint service, wrangler-local (one list with metadata): median %.3f ms",
                    median))
        } catch {
            print("wrangler-local: \(error)")
        }
        guard
            let server = LocalProcess.start([
                "python3", root.appendingPathComponent("Tests/e2e/fake_cloudflare_kv.py").path, "--port", "0",
                "--lifetime", "60", "--watch-stdin",
            ]),
            let port = Int(server.firstLine.trimmingCharacters(in: .whitespaces))
        else {
            print("cloudflare backend: the local API server did not start (python3 needed)")
            return
        }
        defer { server.stop() }
        let remote = CloudflareKVStore(
            accountId: "test-account", namespaceId: "test-namespace", token: "test-token",
            baseURL: "http://127.0.0.1:\(port)/client/v4")
        do {
            try await fill(remote)
            let median = try await medianMilliseconds(runs) {
                _ = try await remote.list(prefix: "health:users:", cursor: nil, limit: 1000)
            }
            print(
                String(
                    format:
                        "health of a 50-endpoint service, cloudflare backend against the local API server: median "
                        + "%.3f ms",
                    median))
        } catch {
            print("cloudflare backend: \(error)")
        }
    }

    static func fill(_ store: any KVStore) async throws {
        let now = Int64(Date().timeIntervalSince1970 * 1000)
        for index in 0..<50 {
            let metadata = "{\"s\":\"healthy\",\"t\":\(now),\"l\":\(10 + index % 7),\"c\":\"closed\"}"
            try await store.put(
                "health:users:https%3A%2F%2Fusers-\(index).example.workers.dev", value: Array("{}".utf8),
                metadata: metadata, expirationTtl: 600)
        }
    }

    static func medianMilliseconds(_ runs: Int, _ body: () async throws -> Void) async throws -> Double {
        var times: [Double] = []
        for _ in 0..<runs {
            let start = DispatchTime.now().uptimeNanoseconds
            try await body()
            times.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6)
        }
        times.sort()
        return times[times.count / 2]
    }

    /// One round over 500 endpoints on a local server that answers after 20 ms.
    static func probeRound() async {
        guard
            let targets = LocalProcess.start([
                "python3", root.appendingPathComponent("Tests/e2e/probe_targets.py").path, "--tracked-delay-ms", "20",
                "--lifetime", "60",
            ]),
            let urls = try? JSONSerialization.jsonObject(with: Data(targets.firstLine.utf8)) as? [String: String],
            let tracked = urls["tracked"]
        else {
            print("probe round: the local target servers did not start (python3 needed)")
            return
        }
        defer { targets.stop() }
        let endpoints = (0..<500).map { "{\"url\": \"\(tracked)/e\($0)\", \"insecure\": true}" }.joined(separator: ",")
        let text =
            "{\"services\": {\"api\": {\"endpoints\": [\(endpoints)], \"healthCheck\": {\"path\": \"/health\", "
            + "\"timeout\": 2000}}}, \"routing\": {\"default\": \"api\"}}"
        let config = MeshDocument.analyze(SourceText(text), path: "bench.json").config
        let prober = HealthProber(config: config, store: MemoryKVStore(), options: ProbeOptions(concurrency: 32))
        _ = await prober.probeOnce()
        let round = await prober.probeOnce()
        let latencies = round.results.compactMap(\.latencyMs).sorted()
        guard !latencies.isEmpty else {
            print("probe round: no latencies measured")
            return
        }
        let perProbe = latencies[latencies.count / 2]
        let ideal = 500.0 / 32.0 * perProbe
        print(
            String(
                format:
                    "probe round, 500 endpoints, 32 in flight, server answering after 20 ms: %.0f ms; per-probe "
                    + "median %.1f ms -> (500/32) x %.1f = %.0f ms ideal, ratio %.2fx",
                round.wallMs, perProbe, perProbe, ideal, round.wallMs / ideal))
    }
}

/// A helper process whose first stdout line is read, stopped when done.
final class LocalProcess {
    let process: Process
    let firstLine: String
    private let input: Pipe

    private init(process: Process, firstLine: String, input: Pipe) {
        self.process = process
        self.firstLine = firstLine
        self.input = input
    }

    static func start(_ arguments: [String]) -> LocalProcess? {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = arguments
        let output = Pipe()
        let input = Pipe()
        process.standardOutput = output
        process.standardInput = input
        do { try process.run() } catch { return nil }
        var line = Data()
        while true {
            let chunk = output.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            line.append(chunk)
            if line.contains(UInt8(ascii: "\n")) { break }
        }
        let text = String(decoding: line, as: UTF8.self).split(separator: "\n").first.map(String.init) ?? ""
        return LocalProcess(process: process, firstLine: text, input: input)
    }

    func stop() {
        try? input.fileHandleForWriting.close()
        process.terminate()
        process.waitUntilExit()
    }
}
