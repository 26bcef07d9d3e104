import Foundation
import MeshConfig
import MeshRegistry
import MeshSyntax
import Synchronization

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// Tests/e2e/probe_targets.py running as a child process: real HTTP servers on loopback
/// (healthy, slow, error, flapping, tracked, garbage, hang, refused), one process per test
/// so that stateful targets (flapping, tracked counters) are not shared.
final class ProbeServers {
    /// Base URL by target name.
    let urls: [String: String]
    private let process: Process
    private let stdin: Pipe

    /// Why the servers could not be started.
    struct StartFailure: Error, CustomStringConvertible {
        var description: String
    }

    /// The python3 on PATH, nil when there is none (the tests that need it are skipped).
    static let python: String? = {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
        return path.split(separator: ":").map { "\($0)/python3" }.first {
            FileManager.default.isExecutableFile(atPath: $0)
        }
    }()

    /// Whether the servers can run here.
    static var available: Bool { python != nil }

    /// The script, found from this file so the tests run from any directory.
    static let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("e2e/probe_targets.py").path

    /// Starts the script and waits for its JSON line of URLs. The wait is a blocking read,
    /// so it runs on a dispatch thread: blocking one of the few cooperative threads would
    /// stall every other test's probes meanwhile.
    static func start(slowDelay: Double = 10, flapEvery: Int = 1, trackedDelayMs: Double = 50, lifetime: Double = 120)
        async throws -> ProbeServers
    {
        let arguments = [
            "--slow-delay", "\(slowDelay)", "--flap-every", "\(flapEvery)", "--tracked-delay-ms", "\(trackedDelayMs)",
            "--lifetime", "\(lifetime)",
        ]
        return try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global().async {
                continuation.resume(with: Result { try ProbeServers(arguments: arguments) })
            }
        }
    }

    private init(arguments: [String]) throws {
        guard let python = Self.python else { throw StartFailure(description: "python3 is not on PATH") }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: python)
        process.arguments = [Self.script] + arguments
        let stdout = Pipe()
        let stdin = Pipe()
        process.standardOutput = stdout
        process.standardInput = stdin
        try process.run()
        self.process = process
        self.stdin = stdin
        // The script prints one line once every server listens; EOF first means it died.
        var line: [UInt8] = []
        while !line.contains(UInt8(ascii: "\n")) {
            let chunk = stdout.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            line.append(contentsOf: chunk)
        }
        guard let object = try? JSONSerialization.jsonObject(with: Data(line)) as? [String: String], !object.isEmpty
        else {
            process.terminate()
            throw StartFailure(
                description: "probe_targets.py printed no URLs: \(String(decoding: line, as: UTF8.self))")
        }
        urls = object
    }

    deinit {
        // Closing stdin is the script's signal to stop; terminate in case it is busy.
        try? stdin.fileHandleForWriting.close()
        if process.isRunning { process.terminate() }
    }

    /// The base URL of `name`; an unknown name yields a URL nothing listens on.
    subscript(_ name: String) -> String {
        urls[name] ?? "http://127.0.0.1:9"
    }

    /// `{"requests", "inFlight", "maxInFlight"}` of the tracked server (`/__stats`).
    func trackedStats() async throws -> [String: Int] {
        guard let url = URL(string: self["tracked"] + "/__stats") else { return [:] }
        let (data, _) = try await URLSession.shared.data(from: url)
        return (try JSONSerialization.jsonObject(with: data) as? [String: Int]) ?? [:]
    }
}

/// A store that remembers when each key was last written (on a monotonic clock), to show
/// that records are written as their probes finish rather than at the end of a round.
final class PutTimingStore: KVStore {
    let inner = MemoryKVStore()
    private let times = Mutex<[String: ContinuousClock.Instant]>([:])

    var displayName: String { "put-timing memory" }
    func get(_ key: String) async throws -> [UInt8]? { try await inner.get(key) }
    func getWithMetadata(_ key: String) async throws -> KVEntry? { try await inner.getWithMetadata(key) }
    func delete(_ key: String) async throws { try await inner.delete(key) }
    func list(prefix: String?, cursor: String?, limit: Int?) async throws -> KVListPage {
        try await inner.list(prefix: prefix, cursor: cursor, limit: limit)
    }

    func put(_ key: String, value: [UInt8], metadata: String?, expirationTtl: Int?) async throws {
        try await inner.put(key, value: value, metadata: metadata, expirationTtl: expirationTtl)
        let now = ContinuousClock.now
        times.withLock { $0[key] = now }
    }

    func writtenAt(_ key: String) -> ContinuousClock.Instant? {
        times.withLock { $0[key] }
    }
}

/// Builds mesh configs for the prober tests from JSON text, through the real parser and
/// model builder.
enum ProbeConfig {
    /// One service member: `"name": {"endpoints": [...], "healthCheck": {...}, ...extra}`.
    /// Endpoints are plain-http loopback URLs, so they carry `"insecure": true`.
    static func service(
        _ name: String, endpoints: [(id: String?, url: String)], healthCheck: String, extra: String = ""
    ) -> String {
        let list = endpoints.map { endpoint in
            let id = endpoint.id.map { "\"id\": \"\($0)\", " } ?? ""
            return "{\(id)\"url\": \"\(endpoint.url)\", \"insecure\": true}"
        }
        let rest = extra.isEmpty ? "" : ", " + extra
        return "\"\(name)\": {\"endpoints\": [\(list.joined(separator: ", "))], \"healthCheck\": \(healthCheck)\(rest)}"
    }

    /// A service without static endpoints (discovered from registrations).
    static func registeredService(_ name: String, healthCheck: String) -> String {
        "\"\(name)\": {\"healthCheck\": \(healthCheck)}"
    }

    /// The config with these service members.
    static func config(_ services: [String]) -> MeshConfig {
        let text = "{\"version\": 1, \"services\": {\(services.joined(separator: ", "))}}"
        return MeshDocument.analyze(SourceText(text)).config
    }

    /// A health check object.
    static func healthCheck(
        timeout: Int = 1_000, interval: Int = 10_000, healthy: Int = 1, unhealthy: Int = 1, expect: String? = nil
    ) -> String {
        let expectText = expect.map { ", \"expectStatus\": \($0)" } ?? ""
        return
            "{\"path\": \"/health\", \"interval\": \(interval), \"timeout\": \(timeout), \"healthyThreshold\": "
            + "\(healthy), \"unhealthyThreshold\": \(unhealthy)\(expectText)}"
    }
}

/// A settable wall clock in epoch milliseconds.
final class ManualClock: Sendable {
    private let value: Mutex<Int>

    init(_ start: Int = 1_764_374_400_000) {
        value = Mutex(start)
    }

    var now: @Sendable () -> Int { { self.value.withLock { $0 } } }

    func advance(by milliseconds: Int) {
        value.withLock { $0 += milliseconds }
    }
}

/// Reads what a round wrote.
enum StoredHealth {
    /// The record and summary stored under `key`.
    static func read(_ store: any KVStore, _ key: String) async throws -> (
        record: HealthRecord, summary: HealthSummary, entry: KVEntry
    )? {
        guard let entry = try await store.getWithMetadata(key) else { return nil }
        let record = try HealthRecord.decode(entry.value, key: key)
        let summary = try HealthSummary.decode(entry.metadata ?? "", key: key)
        return (record, summary, entry)
    }
}

/// Milliseconds as text with one decimal, for the printed figures.
func figure(_ milliseconds: Double) -> String {
    String(format: "%.1f ms", milliseconds)
}

/// A duration in milliseconds.
func milliseconds(_ duration: Duration) -> Double {
    let (seconds, attoseconds) = duration.components
    return Double(seconds) * 1000 + Double(attoseconds) / 1e15
}
