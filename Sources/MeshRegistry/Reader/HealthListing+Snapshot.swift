import MeshConfig
import MeshRouter
import MeshSyntax

extension HealthListing {
    /// The snapshot ``RegistryReader/healthSnapshot(for:)`` would have read for `config` from
    /// the same keys and registrations, read at `now` (epoch seconds): `route --engine wasm`
    /// gives the module this listing and explains its decisions with this snapshot, so both
    /// read one fetch rather than two that the store may have changed between.
    public func snapshot(for config: MeshConfig, staleAfter: Double, now: Double) -> HealthSnapshot {
        var byService: [String: [KVKey]] = [:]
        for key in keys {
            guard let service = RegistryKeys.service(fromHealthKey: key.name) else { continue }
            byService[service, default: []].append(key)
        }
        var snapshot = HealthSnapshot(staleAfterSeconds: staleAfter)
        for service in config.services {
            let name = service.name.value
            snapshot.records[name] = RegistryReader.health(of: name, keys: byService[name] ?? [], now: now)
            if service.endpoints == nil, let bytes = registrations[name],
                let registration = try? ServiceRegistration.decode(bytes, key: RegistryKeys.service(name))
            {
                snapshot.registrations[name] = registration.endpoints
            }
        }
        return snapshot
    }
}
