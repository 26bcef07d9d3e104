import MeshConfig
import MeshRouter
import MeshSyntax

extension RegistryReader {
    /// Above this many services, one listing of every health key replaces one listing per
    /// service: against the Cloudflare API a config with a thousand services would
    /// otherwise cost a thousand requests per snapshot, and a single listing costs one
    /// request per thousand keys.
    static let singleListingThreshold = 8

    /// The snapshot's reads, all services at once: one listing per service (or one for
    /// all of them, see ``singleListingThreshold``) and one read per service that
    /// registers its endpoints.
    static func fetchSnapshot(
        store: any KVStore, services: [(name: String, registered: Bool)], staleAfter: Double,
        now: @escaping @Sendable () -> Double
    ) async throws -> HealthSnapshot {
        var listed: [String: [KVKey]]?
        if services.count > singleListingThreshold {
            let keys = try await store.listAll(prefix: RegistryKeys.healthKeyPrefix)
            listed = Dictionary(grouping: keys) { RegistryKeys.service(fromHealthKey: $0.name) ?? "" }
        }
        let shared = listed
        return try await withThrowingTaskGroup(of: ServiceLiveData.self) { group in
            for service in services {
                group.addTask {
                    let keys: [KVKey]
                    if let shared {
                        keys = shared[service.name] ?? []
                    } else {
                        keys = try await store.listAll(prefix: RegistryKeys.healthPrefix(service: service.name))
                    }
                    var endpoints: [Endpoint]?
                    if service.registered, let bytes = try await store.get(RegistryKeys.service(service.name)) {
                        endpoints = try? ServiceRegistration.decode(bytes, key: RegistryKeys.service(service.name))
                            .endpoints
                    }
                    return ServiceLiveData(name: service.name, keys: keys, registered: endpoints)
                }
            }
            var snapshot = HealthSnapshot(staleAfterSeconds: staleAfter)
            let current = now()
            for try await data in group {
                snapshot.records[data.name] = health(of: data.name, keys: data.keys, now: current)
                if let endpoints = data.registered { snapshot.registrations[data.name] = endpoints }
            }
            return snapshot
        }
    }

    /// Health by endpoint id from a listing's metadata summaries; keys without a readable
    /// summary or id are left out.
    static func health(of service: String, keys: [KVKey], now: Double) -> NameMap<EndpointHealth> {
        var result: NameMap<EndpointHealth> = [:]
        for key in keys {
            guard let id = RegistryKeys.endpointId(fromHealthKey: key.name, service: service),
                let metadata = key.metadata,
                let summary = try? HealthSummary.decode(metadata, key: key.name)
            else { continue }
            result[id] = summary.endpointHealth(now: now)
        }
        return result
    }
}

/// What one service's reads found.
struct ServiceLiveData: Sendable {
    let name: String
    let keys: [KVKey]
    let registered: [Endpoint]?
}
