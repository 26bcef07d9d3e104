import Foundation
import MeshRegistry
import MeshRouter
import WireJSON

@testable import MeshLanguageServer

/// A temporary project with a wrangler config and a real wrangler-local KV store, for the
/// live hover, code lens and diagnostics tests.
struct LiveWorkspace {
    /// A fixed clock: 2026-01-01T00:00:00Z.
    static let now = 1_767_225_600.0

    let directory: String
    let store: WranglerLocalKVStore

    /// Creates the project: `wrangler.toml` binding `MESH_KV` to namespace `mesh-ns`.
    init() throws {
        let base = (NSTemporaryDirectory() as NSString).appendingPathComponent("diddy-mesh-live-\(UUID().uuidString)")
        try FileManager.default.createDirectory(atPath: base, withIntermediateDirectories: true)
        directory = URL(fileURLWithPath: base).resolvingSymlinksInPath().path
        try Data("name = \"mesh\"\n\n[[kv_namespaces]]\nbinding = \"MESH_KV\"\nid = \"mesh-ns\"\n".utf8)
            .write(to: URL(fileURLWithPath: directory + "/wrangler.toml"))
        store = try WranglerLocalKVStore(root: directory + "/.wrangler/state/v3/kv", namespaceId: "mesh-ns")
    }

    /// Writes a health record as the prober does: the record as the value, its summary as
    /// the metadata. `age` is seconds before ``now``.
    func writeHealth(
        service: String, endpoint: String, status: HealthStatus, age: Double, p50: Double? = 12,
        circuit: CircuitState = .closed, failure: HealthRecord.ProbeFailure? = nil
    ) async throws {
        let record = HealthRecord(
            service: service, endpoint: endpoint, status: status, checkedAt: Int64((Self.now - age) * 1000),
            latencyMs: .init(last: p50, p50: p50, p95: p50.map { $0 * 2 }, ewma: p50, samples: p50.map { [$0] } ?? []),
            consecutiveSuccesses: status == .healthy ? 4 : 0, consecutiveFailures: status == .healthy ? 0 : 3,
            circuit: .init(
                state: circuit, openedAt: nil, resetAt: circuit == .open ? Int64((Self.now + 20) * 1000) : nil,
                trips: circuit == .open ? 1 : 0),
            lastError: failure, checker: .init(host: "ci-prober", colo: "AMS"))
        try await store.put(
            RegistryKeys.health(service: service, endpointId: endpoint), value: record.encoded(),
            metadata: record.summary.encoded(), expirationTtl: nil)
    }

    /// Writes a service registration (docs/guide/registry.md's `service:<name>`).
    func register(service: String, endpoints: [String]) async throws {
        let list = endpoints.map { "{\"url\": \"\($0)\"}" }.joined(separator: ", ")
        let value = "{\"name\": \"\(service)\", \"endpoints\": [\(list)], \"registeredAt\": 1767225000000}"
        try await store.put(RegistryKeys.service(service), value: Array(value.utf8), metadata: nil, expirationTtl: nil)
    }

    /// A live registry for this project at the fixed clock, with `settings` applied.
    func live(_ settings: String = "{}") -> LiveRegistry {
        let live = LiveRegistry(environment: [:], now: { Self.now })
        if case .success(let value) = WireJSON.parse(settings) { live.update(LiveSettings(value)) }
        return live
    }

    func remove() {
        try? FileManager.default.removeItem(atPath: directory)
    }
}
