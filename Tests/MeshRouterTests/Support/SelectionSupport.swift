import MeshConfig
import MeshRouter
import MeshSyntax
import Testing

/// Builds services, requests and health snapshots for the target-selection tests. Configs
/// go through the real parser and model builder, so the tests select from the same
/// `Service` values the CLI routes with.
enum SelectionSupport {
    /// The model of a config written as JSON text.
    static func config(_ json: String) -> MeshConfig {
        MeshDocument.analyze(SourceText(json), path: "diddy-mesh.jsonc").config
    }

    /// A config with one service `svc` whose members are `service` (JSON members without the
    /// braces), plus optional `mesh.defaults` members and extra services.
    static func config(service: String, defaults: String? = nil, extraServices: String = "") -> MeshConfig {
        let mesh = defaults.map { "\"mesh\": {\"defaults\": {\($0)}}," } ?? ""
        let extra = extraServices.isEmpty ? "" : ", " + extraServices
        return config("{\(mesh) \"services\": {\"svc\": {\(service)}\(extra)}, \"routing\": {\"default\": \"svc\"}}")
    }

    /// Endpoint objects `https://<name>.example.com` with the given extra members each.
    static func endpoints(_ specs: [(name: String, members: String)]) -> String {
        let objects = specs.map { spec in
            let extra = spec.members.isEmpty ? "" : ", " + spec.members
            return "{\"url\": \"\(url(spec.name))\"\(extra)}"
        }
        return "\"endpoints\": [\(objects.joined(separator: ", "))]"
    }

    /// Plain endpoints named `names`.
    static func endpoints(_ names: [String]) -> String {
        endpoints(names.map { ($0, "") })
    }

    /// The URL (and default id) of the endpoint called `name`.
    static func url(_ name: String) -> String {
        "https://\(name).example.com"
    }

    /// The endpoint name back from a URL the tests built.
    static func name(_ url: String?) -> String? {
        guard let url else { return nil }
        return url.replacingPrefix("https://", suffix: ".example.com")
    }

    /// A request to `https://api.example.com/`.
    static func request(
        path: String = "/", method: String = "GET", headers: [(String, String)] = [], cf: GeoContext = GeoContext()
    ) throws -> RouteRequest {
        try RouteRequest.make(method: method, url: "https://api.example.com" + path, headers: headers, cf: cf).get()
    }

    /// Fresh records for endpoints by name.
    static func health(_ records: [String: EndpointHealth], staleAfterSeconds: Double = 30) -> HealthSnapshot {
        var byID: NameMap<EndpointHealth> = [:]
        for (name, record) in records { byID[url(name)] = record }
        return HealthSnapshot(records: ["svc": byID], staleAfterSeconds: staleAfterSeconds)
    }

    /// Runs selection for service `svc` of `config`.
    static func select(
        _ config: MeshConfig, request: RouteRequest? = nil, health: HealthSnapshot = .empty,
        state: RouterState = RouterState(),
        override: LoadBalancerPolicy? = nil, sourceLocation: SourceLocation = #_sourceLocation
    ) throws -> EndpointDecision {
        let service = try #require(config.service(named: "svc"), sourceLocation: sourceLocation)
        let request = try request ?? self.request()
        return EndpointSelection.select(
            service: service, config: config, request: request, health: health, state: state, strategyOverride: override
        )
    }

    /// The endpoint names of `count` consecutive picks on one state.
    static func picks(
        _ count: Int, _ config: MeshConfig, request: RouteRequest? = nil, health: HealthSnapshot = .empty,
        state: RouterState = RouterState(), override: LoadBalancerPolicy? = nil
    ) throws -> [String] {
        try (0..<count).map { _ in
            name(try select(config, request: request, health: health, state: state, override: override).endpoint) ?? "-"
        }
    }

    /// How often each name occurs.
    static func counts(_ names: [String]) -> [String: Int] {
        names.reduce(into: [:]) { $0[$1, default: 0] += 1 }
    }
}

extension String {
    fileprivate func replacingPrefix(_ prefix: String, suffix: String) -> String {
        guard hasPrefix(prefix), hasSuffix(suffix), count >= prefix.count + suffix.count else { return self }
        return String(dropFirst(prefix.count).dropLast(suffix.count))
    }
}
