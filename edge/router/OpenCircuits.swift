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

    /// The URLs in `bytes`, a JSON array of strings, or why it is refused.
    static func parse(_ bytes: [UInt8]) -> Result<NameSet, HostBytes.Refusal> {
        let refusal = HostBytes.Refusal(.badRequest, "the open circuits must be an array of endpoint URLs")
        let root: StrictJSONReader.Value
        switch StrictJSONReader.read(bytes, maxDepth: 2) {
        case .success(let value): root = value
        case .failure(let error):
            return .failure(HostBytes.Refusal(.badRequest, "the open circuits are not valid JSON: \(error)"))
        }
        guard let elements = root.elements else { return .failure(refusal) }
        var urls = NameSet()
        for element in elements {
            guard let url = element.string else { return .failure(refusal) }
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
