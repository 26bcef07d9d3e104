import Foundation
import MeshConfig
import MeshRouter
import Synchronization

/// The registry read API for the language server, the router's previews and `check --live`:
/// every call answers within `deadline`, and answers (failures included) are cached for
/// `cacheSeconds`, so an editor asking on every keystroke does not hit a slow or hanging
/// registry again and again.
///
/// Concurrent callers asking the same question while it is being fetched share the fetch.
///
/// The methods are `nonisolated` and the cache sits behind a lock: a caller then waits on
/// nothing but its answer, which the deadline timer delivers directly, instead of also
/// waiting for the actor's turn on a cooperative pool that blocking work may be holding.
public actor RegistryReader {
    private let store: any KVStore
    private let deadline: Duration
    private let cacheSeconds: Double
    private let staleAfterSeconds: Double
    private let now: @Sendable () -> Double

    /// Fetches by question (`kind|detail`), settled or in flight; each value is a
    /// `SharedFetch<T>`, type-erased because one reader serves several value types.
    private let cache = Mutex<[String: any SettledFetch]>([:])
    /// Above this many entries, expired ones are dropped when a fetch starts, so a
    /// long-running language server hovering over many endpoints does not grow the cache.
    private static let pruneThreshold = 256

    /// Creates a reader.
    /// - Parameters:
    ///   - store: The registry store.
    ///   - deadline: The longest any call takes; past it the answer is ``RegistryError/timeout(_:)``.
    ///   - cacheSeconds: How long an answer is reused.
    ///   - staleAfterSeconds: Health records older than this are stale (the snapshot carries it).
    ///   - now: The clock, epoch seconds; injectable for tests.
    public init(
        store: any KVStore, deadline: Duration = .milliseconds(500), cacheSeconds: Double = 5,
        staleAfterSeconds: Double = 30,
        now: @escaping @Sendable () -> Double = { Date().timeIntervalSince1970 }
    ) {
        self.store = store
        self.deadline = deadline
        self.cacheSeconds = cacheSeconds
        self.staleAfterSeconds = staleAfterSeconds
        self.now = now
    }

    /// Health of every service of `config` from one `list(prefix: "health:<service>:")` per
    /// service (metadata summaries only, no per-endpoint reads), plus the registrations of
    /// services without static endpoints. Ages are computed from each summary's `t`.
    ///
    /// A key whose metadata is missing or not a summary is left out (its endpoint then has
    /// no record, which the router keeps); ``record(service:endpointId:)`` reports why.
    /// A registration that cannot be decoded is left out likewise;
    /// ``registration(service:)`` reports why.
    public nonisolated func healthSnapshot(for config: MeshConfig) async -> RegistryAnswer<HealthSnapshot> {
        let services = config.services.map { (name: $0.name.value, registered: $0.endpoints == nil) }
        let cacheKey = services.map { "\($0.name)\($0.registered ? "?" : "")" }.joined(separator: ",")
        let (store, now, staleAfter) = (store, now, staleAfterSeconds)
        return await answer(key: "snapshot|" + cacheKey, describing: "reading service health from \(store.displayName)")
        {
            try await Self.fetchSnapshot(store: store, services: services, staleAfter: staleAfter, now: now)
        }
    }

    /// The deployed config (`mesh:config`), nil when none was pushed.
    public nonisolated func deployedConfig() async -> RegistryAnswer<MeshConfigRecord?> {
        let store = store
        return await answer(key: "config|", describing: "reading \(RegistryKeys.meshConfig)") {
            guard let entry = try await store.getWithMetadata(RegistryKeys.meshConfig) else { return nil }
            return try MeshConfigRecord.decode(value: entry.value, metadata: entry.metadata)
        }
    }

    /// The full health record of one endpoint, nil when there is none.
    public nonisolated func record(service: String, endpointId: String) async -> RegistryAnswer<HealthRecord?> {
        let (store, key) = (store, RegistryKeys.health(service: service, endpointId: endpointId))
        return await answer(key: "record|" + key, describing: "reading \(key)") {
            guard let bytes = try await store.get(key) else { return nil }
            return try HealthRecord.decode(bytes, key: key)
        }
    }

    /// The registration of one service, nil when it has not registered.
    public nonisolated func registration(service: String) async -> RegistryAnswer<ServiceRegistration?> {
        let (store, key) = (store, RegistryKeys.service(service))
        return await answer(key: "registration|" + key, describing: "reading \(key)") {
            guard let bytes = try await store.get(key) else { return nil }
            return try ServiceRegistration.decode(bytes, key: key)
        }
    }

    /// What ``healthSnapshot(for:)`` reads, as the store holds it and nothing decoded: every
    /// `health:` key with its metadata and expiration, and the value of `service:<name>` for
    /// each of `registeredServices` that has one. For a host that hands the records to a
    /// router of its own, as Workers KV hands them to a Worker (`route --engine wasm --live`
    /// passes them to the edge router's `mesh_set_health`), with the same deadline and cache.
    public nonisolated func healthListing(registeredServices: [String]) async -> RegistryAnswer<HealthListing> {
        let store = store
        let cacheKey = "listing|" + registeredServices.joined(separator: ",")
        return await answer(key: cacheKey, describing: "reading service health from \(store.displayName)") {
            let keys = try await store.listAll(prefix: RegistryKeys.healthKeyPrefix)
            var registrations: [String: [UInt8]] = [:]
            for service in registeredServices {
                if let bytes = try await store.get(RegistryKeys.service(service)) { registrations[service] = bytes }
            }
            return HealthListing(keys: keys, registrations: registrations)
        }
    }

    /// Forgets every cached answer (after a write, say).
    public nonisolated func invalidate() {
        cache.withLock { $0 = [:] }
    }

    // MARK: Caching and deadline

    /// The cached answer for `key` while fresh, else the fetch in flight, else a new
    /// fetch bounded by the deadline. Failures are cached like values, so a hanging
    /// registry is not asked again for `cacheSeconds`.
    private nonisolated func answer<Value: Sendable>(
        key: String, describing what: String, _ fetch: @escaping @Sendable () async throws -> Value
    ) async -> RegistryAnswer<Value> {
        let (current, fresh, limit, clock) = (now(), cacheSeconds, deadline, now)
        // Looking up and starting happen under one lock, so two callers cannot both start.
        let shared: SharedFetch<Value> = cache.withLock { cache in
            if let existing = cache[key] as? SharedFetch<Value> {
                guard let settled = existing.completed, current - settled.at >= fresh else { return existing }
            }
            if cache.count > Self.pruneThreshold {
                cache = cache.filter { _, entry in entry.settledAt.map { current - $0 < fresh } ?? true }
            }
            let started = SharedFetch(within: limit, describing: what, now: clock, fetch)
            cache[key] = started
            return started
        }
        if let settled = shared.completed { return settled.answer }
        return await shared.answer()
    }
}
