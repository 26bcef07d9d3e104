import MeshConfig
import MeshRouter
import MeshSyntax

/// The endpoints a host holds open (`mesh_set_open_circuits`, edge/README.md): those its own
/// circuit breakers refuse, and those a request has already failed on. They are laid over
/// the registry's health as fresh records with an open circuit, so the router excludes them
/// exactly as it excludes an endpoint whose prober-reported circuit is open: another
/// endpoint, else the service's fallback, else a panic, all decided by the router.
enum OpenCircuits {
    /// The largest list read: 1 MiB of URLs is far more endpoints than a config has.
    static let maximumSize = 1 << 20

    /// The URLs in `bytes`: each after a NUL byte (`\0https://a.example\0https://b.example`),
    /// none for no bytes; or why they are refused. URLs cannot hold a NUL byte, so the form
    /// needs no tags and the module no JSON reader (docs/edge.md, "What the module answers").
    static func parse(_ bytes: [UInt8]) -> Result<NameSet, HostBytes.Refusal> {
        guard bytes.isEmpty || bytes[0] == 0 else {
            return .failure(
                HostBytes.Refusal(
                    .badRequest, "the open circuits must be endpoint URLs, each after a NUL byte, not JSON"))
        }
        var urls = NameSet()
        var fields = TaggedFields(bytes)
        while let field = fields.nextField() {
            guard let url = String(validating: field, as: UTF8.self) else {
                return .failure(HostBytes.Refusal(.badRequest, "open circuit \(fields.fieldsRead) is not valid UTF-8"))
            }
            urls.insert(url)
        }
        return .success(urls)
    }

    /// `health` with every endpoint of `config` whose URL is in `urls` marked open, and how
    /// many endpoints that was. A fresh record keeps its status and latency; a stale or
    /// missing one becomes `unknown`. The record is fresh (age 0): the host saw the failures
    /// just now.
    static func apply(_ urls: NameSet, to health: HealthSnapshot, config: MeshConfig) -> (HealthSnapshot, Int) {
        guard !urls.isEmpty else { return (health, 0) }
        var result = health
        var marked = 0
        for service in config.services {
            let name = service.name.value
            for endpoint in service.endpoints ?? health.registrations[name] ?? [] {
                guard let url = endpoint.url?.value, urls.contains(url), let id = endpoint.effectiveID else { continue }
                let known = health.health(service: name, endpoint: id).flatMap { health.isStale($0) ? nil : $0 }
                result.records[name, default: [:]][id] = EndpointHealth(
                    status: known?.status ?? .unknown, latencyMs: known?.latencyMs, ewmaMs: known?.ewmaMs,
                    ageSeconds: 0, circuit: .open)
                marked += 1
            }
        }
        return (result, marked)
    }
}
