import Foundation
import MeshConfig

/// One endpoint to probe, with its service's policy.
public struct ProbeTarget: Sendable, Hashable {
    /// The service.
    public var service: String
    /// The endpoint id (the `id`, else the URL); the record key uses it.
    public var endpointId: String
    /// The endpoint URL as written.
    public var url: String
    /// `<url><healthCheck.path>`, nil when the URL cannot be requested.
    public var probeURL: URL?
    /// The service's health check settings.
    public var policy: ProbePolicy
    /// Whether the endpoint came from a registration.
    public var registered: Bool

    /// Creates a target; `probeURL` is derived from `url` and the policy's path.
    public init(service: String, endpointId: String, url: String, policy: ProbePolicy, registered: Bool = false) {
        self.service = service
        self.endpointId = endpointId
        self.url = url
        self.policy = policy
        self.registered = registered
        probeURL = Self.probeURL(endpoint: url, path: policy.path)
    }

    /// `endpoint` with `path` appended to its path (`https://h/base/` + `/health` ->
    /// `https://h/base/health`), keeping any query. Nil for a URL Foundation cannot request.
    public static func probeURL(endpoint: String, path: String) -> URL? {
        guard var components = URLComponents(string: endpoint), let scheme = components.scheme?.lowercased(),
            scheme == "http" || scheme == "https", components.host?.isEmpty == false
        else { return nil }
        var base = components.percentEncodedPath
        while base.hasSuffix("/") { base.removeLast() }
        let suffix = path.hasPrefix("/") ? path : "/" + path
        // The health check path is configuration text; encode what a path cannot hold.
        components.percentEncodedPath =
            base + (suffix.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed) ?? suffix)
        return components.url
    }
}

/// Finds every endpoint to probe: each service's static endpoints, then those of its
/// `service:<name>` registration (docs/guide/registry.md), without duplicates.
enum ProbeTargets {
    /// The targets of `config`, and what could not be used. Registrations are read with one
    /// listing of `service:` and a read per registered service of the config; a registry
    /// that cannot be read leaves the static endpoints to probe.
    static func discover(config: MeshConfig, store: any KVStore, intervalOverrideMs: Int?) async -> (
        targets: [ProbeTarget], problems: [String]
    ) {
        var problems: [String] = []
        let registrations = await readRegistrations(config: config, store: store, problems: &problems)
        var targets: [ProbeTarget] = []
        for service in config.services {
            let name = service.name.value
            let policy = ProbePolicy(service: service, config: config, intervalOverrideMs: intervalOverrideMs)
            var seen: Set<String> = []
            let sources = [(service.endpoints ?? [], false), (registrations[name] ?? [], true)]
            for (endpoints, registered) in sources {
                for (index, endpoint) in endpoints.enumerated() {
                    guard let url = endpoint.url?.value, let id = endpoint.effectiveID else {
                        let origin = registered ? "registration \(RegistryKeys.service(name))" : "service '\(name)'"
                        problems.append("\(origin): endpoint #\(index) has no url; not probed")
                        continue
                    }
                    // Static endpoints come first, so a registration cannot redefine one.
                    guard seen.insert(id).inserted else { continue }
                    targets.append(
                        ProbeTarget(service: name, endpointId: id, url: url, policy: policy, registered: registered))
                }
            }
        }
        return (targets, problems)
    }

    /// The registered endpoints of the config's services, by service name.
    private static func readRegistrations(config: MeshConfig, store: any KVStore, problems: inout [String]) async
        -> [String: [Endpoint]]
    {
        let names = Set(config.serviceNames)
        let keys: [KVKey]
        do {
            keys = try await store.listAll(prefix: "service:")
        } catch {
            problems.append("registrations not read from \(store.displayName): \(error)")
            return [:]
        }
        var registrations: [String: [Endpoint]] = [:]
        for key in keys {
            let name = String(key.name.dropFirst("service:".count))
            // A registration of a service the config does not define has no health check
            // settings and no route: it is someone else's (or stale), not ours to probe.
            guard names.contains(name) else { continue }
            do {
                guard let bytes = try await store.get(key.name) else { continue }
                registrations[name] = try ServiceRegistration.decode(bytes, key: key.name).endpoints
            } catch {
                problems.append("\(error)")
            }
        }
        return registrations
    }
}
