import Foundation
import MeshConfig
import MeshRouter
import MeshSyntax
import MeshTestSupport
import Testing

@testable import MeshRegistry

/// The registry read API: snapshots from listings, deadlines and the short cache.
@Suite("Registry reader")
struct ReaderTests {
    typealias S = RegistrySupport

    /// The deadline of tests that are not about deadlines: other suites in this process
    /// block the cooperative pool's threads for seconds at times (synchronous SQLite and
    /// process waits), and a memory store must not time out because of them.
    static let relaxed: Duration = .seconds(30)

    /// `users` has static endpoints a and b; `orders` registers its endpoints.
    static let meshText = #"""
        {"services": {
          "users": {"endpoints": ["https://a.example.com", {"url": "https://b.example.com", "id": "b"}]},
          "orders": {},
          "users-admin": {"endpoints": ["https://admin.example.com"]}
        }}
        """#

    static func summary(
        _ status: HealthStatus, checkedAt seconds: Double, p50: Double? = 20, circuit: CircuitState = .closed
    ) -> String {
        HealthSummary(status: status, checkedAt: Int64(seconds * 1000), latencyP50Ms: p50, circuit: circuit).encoded()
    }

    /// A store with health summaries, a registration, a junk key and a record of a service
    /// whose name starts like another's.
    static func populated(clock: ReaderTestClock) async throws -> MemoryKVStore {
        let store = MemoryKVStore(now: { Int64(clock.now) })
        let now = clock.now
        func put(_ key: String, _ value: String = "{}", metadata: String?) async throws {
            try await store.put(key, value: Array(value.utf8), metadata: metadata, expirationTtl: nil)
        }
        try await put(
            RegistryKeys.health(service: "users", endpointId: "https://a.example.com"),
            metadata: summary(.healthy, checkedAt: now - 10))
        try await put(
            RegistryKeys.health(service: "users", endpointId: "b"),
            metadata: summary(.unhealthy, checkedAt: now - 100, p50: nil, circuit: .open))
        try await put(RegistryKeys.health(service: "users", endpointId: "junk"), metadata: "not json")
        try await put(RegistryKeys.health(service: "users", endpointId: "bare"), metadata: nil)
        try await put(
            RegistryKeys.health(service: "users-admin", endpointId: "https://admin.example.com"),
            metadata: summary(.degraded, checkedAt: now - 1))
        let registration = ServiceRegistration(
            name: "orders", version: "2.0.0",
            endpoints: try ServiceRegistration.decode(
                Array(
                    (#"{"name":"orders","registeredAt":1,"endpoints":["https://o1.example.com","#
                        + #"{"url":"https://o2.example.com","id":"o2"}]}"#)
                        .utf8)
            ).endpoints,
            registeredAt: Int64(now * 1000))
        try await store.put(
            registration.key, value: registration.encoded(), metadata: registration.metadata(), expirationTtl: nil)
        try await put(
            RegistryKeys.health(service: "orders", endpointId: "o2"),
            metadata: summary(.healthy, checkedAt: now - 2, p50: 7))
        return store
    }

    @Test("a snapshot has every service's health with ages, staleness and registrations")
    func snapshot() async throws {
        let clock = ReaderTestClock()
        let store = try await Self.populated(clock: clock)
        let reader = RegistryReader(store: store, deadline: Self.relaxed, staleAfterSeconds: 30, now: clock.closure)
        let answer = await reader.healthSnapshot(for: S.config(Self.meshText))
        let snapshot = try #require(answer.value, "\(answer)")
        #expect(answer.fetchedAt == clock.now)
        #expect(snapshot.staleAfterSeconds == 30)
        let a = try #require(snapshot.health(service: "users", endpoint: "https://a.example.com"))
        #expect(a == EndpointHealth(status: .healthy, latencyMs: 20, ageSeconds: 10, circuit: .closed))
        #expect(!snapshot.isStale(a))
        let b = try #require(snapshot.health(service: "users", endpoint: "b"))
        #expect(b == EndpointHealth(status: .unhealthy, latencyMs: nil, ageSeconds: 100, circuit: .open))
        #expect(snapshot.isStale(b))
        #expect(snapshot.records["users"]?.count == 2, "keys without a readable summary are left out")
        #expect(
            snapshot.records["users-admin"]?.keys.sorted() == ["https://admin.example.com"],
            "health:users: does not list users-admin")
        #expect(snapshot.health(service: "orders", endpoint: "o2")?.latencyMs == 7)
        #expect(snapshot.registrations.keys.sorted() == ["orders"], "only services without static endpoints are read")
        #expect(snapshot.registrations["orders"]?.map(\.effectiveID) == ["https://o1.example.com", "o2"])
    }

    @Test("one listing per service and one read per registered service, no per-endpoint reads")
    func readCounts() async throws {
        let clock = ReaderTestClock()
        let store = CountingKVStore(try await Self.populated(clock: clock))
        let reader = RegistryReader(store: store, deadline: Self.relaxed, now: clock.closure)
        _ = await reader.healthSnapshot(for: S.config(Self.meshText))
        #expect(store.count("list") == 3)
        #expect(store.listedPrefixes.sorted() == ["health:orders:", "health:users-admin:", "health:users:"])
        #expect(store.count("get") == 1, "service:orders only")
        #expect(store.count("getWithMetadata") == 0)
    }

    @Test("many services share one listing of every health key, with the same snapshot as per-service listings")
    func singleListing() async throws {
        let clock = ReaderTestClock()
        let base = try await Self.populated(clock: clock)
        let extra = (0..<RegistryReader.singleListingThreshold).map { "svc-\($0)" }
        for name in extra {
            try await base.put(
                RegistryKeys.health(service: name, endpointId: "https://\(name).example.com"), value: Array("{}".utf8),
                metadata: Self.summary(.healthy, checkedAt: clock.now - 3), expirationTtl: nil)
        }
        let services = extra.map { "\"\($0)\": {\"endpoints\": [\"https://\($0).example.com\"]}" }.joined(
            separator: ", ")
        let many = S.config(
            Self.meshText.replacingOccurrences(of: "\"orders\": {},", with: "\"orders\": {}, \(services),"))
        #expect(many.services.count > RegistryReader.singleListingThreshold)
        let store = CountingKVStore(base)
        let reader = RegistryReader(store: store, deadline: Self.relaxed, now: clock.closure)
        let answer = await reader.healthSnapshot(for: many)
        let snapshot = try #require(answer.value)
        #expect(store.count("list") == 1)
        #expect(store.listedPrefixes == ["health:"])
        #expect(store.count("get") == 1, "service:orders only")
        let perService = try #require(
            await RegistryReader(store: base, deadline: Self.relaxed, now: clock.closure)
                .healthSnapshot(for: S.config(Self.meshText)).value)
        for name in ["users", "users-admin", "orders"] {
            #expect(snapshot.records[name] == perService.records[name], "\(name)")
        }
        #expect(snapshot.registrations == perService.registrations)
        #expect(snapshot.health(service: "svc-3", endpoint: "https://svc-3.example.com")?.ageSeconds == 3)
    }

    @Test("the snapshot feeds the router: stale records and registered endpoints")
    func routerUse() async throws {
        let clock = ReaderTestClock()
        let reader = RegistryReader(
            store: try await Self.populated(clock: clock), deadline: Self.relaxed, now: clock.closure)
        let snapshot = try #require(await reader.healthSnapshot(for: S.config(Self.meshText)).value)
        let b = try #require(snapshot.health(service: "users", endpoint: "b"))
        #expect(snapshot.isStale(b), "a 100 s old record is stale at 30 s: the router treats it as unknown")
        #expect(snapshot.registrations["orders"]?.first?.url?.value == "https://o1.example.com")
    }

    @Test("answers are cached for cacheSeconds, then fetched again")
    func caching() async throws {
        let clock = ReaderTestClock()
        let store = CountingKVStore(try await Self.populated(clock: clock))
        let reader = RegistryReader(store: store, deadline: Self.relaxed, cacheSeconds: 5, now: clock.closure)
        let config = S.config(Self.meshText)
        let first = await reader.healthSnapshot(for: config)
        clock.advance(by: 4)
        let second = await reader.healthSnapshot(for: config)
        #expect(store.count("list") == 3)
        #expect(second.fetchedAt == first.fetchedAt, "a cached answer keeps its fetch time")
        #expect(
            second.value?.health(service: "users", endpoint: "b")?.ageSeconds == 100, "cached ages are not recomputed")
        clock.advance(by: 2)
        let third = await reader.healthSnapshot(for: config)
        #expect(store.count("list") == 6)
        #expect(third.value?.health(service: "users", endpoint: "b")?.ageSeconds == 106)
        reader.invalidate()
        _ = await reader.healthSnapshot(for: config)
        #expect(store.count("list") == 9)
    }

    @Test("the deployed config: absent, present, corrupt")
    func deployedConfig() async throws {
        let clock = ReaderTestClock()
        let store = MemoryKVStore()
        let reader = RegistryReader(store: store, deadline: Self.relaxed, cacheSeconds: 0, now: clock.closure)
        #expect(await reader.deployedConfig() == .value(nil, fetchedAt: clock.now))
        let record = MeshConfigRecord(text: #"{"services": {}}"#, deployedAt: 1_764_374_400_000)
        try await store.put(
            RegistryKeys.meshConfig, value: record.value, metadata: record.metadata(), expirationTtl: nil)
        #expect(await reader.deployedConfig().value == record)
        try await store.put(
            RegistryKeys.meshConfig, value: Array("changed".utf8), metadata: record.metadata(), expirationTtl: nil)
        guard case .unavailable(.corrupt(let message)) = await reader.deployedConfig() else {
            Issue.record("a digest mismatch must be .corrupt")
            return
        }
        #expect(message.contains("mesh:config"))
    }

    @Test("full records and registrations: absent, present, and corrupt values reported with their key")
    func records() async throws {
        let clock = ReaderTestClock()
        let store = MemoryKVStore()
        let reader = RegistryReader(store: store, deadline: Self.relaxed, cacheSeconds: 0, now: clock.closure)
        let record = S.sampleRecord()
        #expect(
            await reader.record(service: record.service, endpointId: record.endpoint)
                == .value(nil, fetchedAt: clock.now))
        let key = RegistryKeys.health(service: record.service, endpointId: record.endpoint)
        try await store.put(key, value: record.encoded(), metadata: record.summary.encoded(), expirationTtl: 60)
        #expect(await reader.record(service: record.service, endpointId: record.endpoint).value == record)
        try await store.put(key, value: Array("<html>502 Bad Gateway</html>".utf8), metadata: nil, expirationTtl: nil)
        let corrupt = await reader.record(service: record.service, endpointId: record.endpoint)
        guard case .unavailable(.corrupt(let message)) = corrupt else {
            Issue.record("a non-JSON value under a health: key must be .corrupt, got \(corrupt)")
            return
        }
        #expect(message.hasPrefix(key + ": the value is not JSON"))
        try await store.put("service:orders", value: Array("[]".utf8), metadata: nil, expirationTtl: nil)
        #expect(
            await reader.registration(service: "orders").error
                == .corrupt("service:orders: expected a JSON object, found an array"))
        #expect(await reader.registration(service: "users") == .value(nil, fetchedAt: clock.now))
    }

    @Test("a store that hangs forever: every call answers .timeout within the deadline + 100 ms")
    func hangingStore() async throws {
        let store = HangingKVStore()
        let reader = RegistryReader(
            store: store, deadline: .milliseconds(200), cacheSeconds: 5, now: ReaderTestClock().closure)
        let config = S.config(Self.meshText)
        let calls: [(String, @Sendable () async -> RegistryError?)] = [
            ("snapshot", { await reader.healthSnapshot(for: config).error }),
            ("config", { await reader.deployedConfig().error }),
            ("record", { await reader.record(service: "users", endpointId: "b").error }),
        ]
        for (name, call) in calls {
            // The control is a bare 200 ms Dispatch timer armed at the same instant and
            // awaited alongside: when other suites in this process starve the cooperative
            // pool, it is observed late too, and the reader is then held to "no later than
            // the control + 100 ms". In a process that is not starved that is the plain bound.
            let clock = ContinuousClock()
            let start = clock.now
            let control = DispatchSignal(after: .milliseconds(200))
            async let controlObserved = control.observed(since: start, on: clock)
            let error = await call()
            let ms = S.milliseconds(clock.now - start)
            let controlMs = await controlObserved
            guard case .timeout(let message) = error else {
                Issue.record("\(name): expected .timeout, got \(String(describing: error))")
                continue
            }
            #expect(message.contains("200 ms"), "\(message)")
            #expect(ms >= 190, "\(name) answered after \(ms) ms, before its deadline")
            #expect(
                ms < max(300, controlMs + 100),
                "\(name) answered after \(ms) ms (a bare 200 ms timer was observed after \(controlMs) ms)")
        }
    }

    @Test("a hanging store is not asked again while the timeout is cached, and concurrent callers share one fetch")
    func hangingCache() async throws {
        let store = HangingKVStore()
        let clock = ReaderTestClock()
        let reader = RegistryReader(store: store, deadline: .milliseconds(150), cacheSeconds: 5, now: clock.closure)
        async let first = reader.deployedConfig()
        async let second = reader.deployedConfig()
        let answers = await [first, second]
        #expect(answers.allSatisfy { $0.error != nil })
        #expect(store.callCount == 1, "two callers, one fetch")
        let again = await reader.deployedConfig()
        #expect(again.error == answers[0].error)
        #expect(store.callCount == 1, "the cached timeout answers without asking the store, so without waiting for it")
        clock.advance(by: 6)
        _ = await reader.deployedConfig()
        #expect(store.callCount == 2, "after cacheSeconds the store is tried again")
    }

    @Test("a store that throws gives .unavailable with its error")
    func failingStore() async {
        let reader = RegistryReader(store: FailingKVStore(), deadline: Self.relaxed, now: ReaderTestClock().closure)
        #expect(await reader.deployedConfig().error == .unreachable("disk on fire"))
        #expect(await reader.healthSnapshot(for: S.config(Self.meshText)).error == .unreachable("disk on fire"))
    }
}

/// A store whose every call fails as an unreachable backend would.
private struct FailingKVStore: KVStore {
    var displayName: String { "failing" }
    func get(_ key: String) async throws -> [UInt8]? { throw RegistryError.unreachable("disk on fire") }
    func getWithMetadata(_ key: String) async throws -> KVEntry? { throw RegistryError.unreachable("disk on fire") }
    func put(_ key: String, value: [UInt8], metadata: String?, expirationTtl: Int?) async throws {
        throw RegistryError.unreachable("disk on fire")
    }
    func delete(_ key: String) async throws { throw RegistryError.unreachable("disk on fire") }
    func list(prefix: String?, cursor: String?, limit: Int?) async throws -> KVListPage {
        throw RegistryError.unreachable("disk on fire")
    }
}
