import MeshConfig
import MeshRouter

/// The static description of a service for hover and completion: endpoints, strategy,
/// timeout, retries, circuit breaker, health check and fallback as the router resolves
/// them (service, then `mesh.defaults`, then the built-in defaults).
enum ServiceSummary {
    /// Markdown describing `service`.
    static func markdown(for service: Service, in config: MeshConfig) -> String {
        var lines = ["**service `\(service.name.value)`**", ""]
        lines += endpointLines(service)
        lines.append("")
        let defaults = config.mesh.defaults
        let policy = PolicyResolution.resolve(rule: nil, service: service, defaults: defaults, path: "/")
        let strategy = [service.policies.loadBalancer, defaults.loadBalancer].lazy.compactMap { $0?.strategy?.value }
            .first
        lines.append("- strategy: `\((strategy ?? .roundRobin).rawValue)`" + (strategy == nil ? " (default)" : ""))
        lines.append("- timeout: \(policy.timeoutMs) ms")
        let retries = policy.retries
        if retries.attempts == 0 {
            lines.append("- retries: none")
        } else {
            lines.append(
                "- retries: \(retries.attempts) (backoff \(retries.baseMs)-\(retries.maxMs) ms, jitter "
                    + "\(retries.jitter), on \(retries.retryOn.joined(separator: ", ")))"
            )
        }
        if let breaker = policy.circuitBreaker {
            lines.append(
                "- circuit breaker: opens after \(breaker.failureThreshold) failures for \(breaker.resetTimeoutMs) "
                    + "ms (at most \(breaker.maxResetTimeoutMs) ms)"
            )
        }
        if let health = service.healthCheck {
            lines.append("- health check: `GET \(health.effectivePath)` every \(health.effectiveInterval) ms")
        }
        switch service.fallback {
        case .service(let name)?: lines.append("- fallback: service `\(name.value)`")
        case .response(let status, let body, _)?:
            lines.append("- fallback: status \(status?.value ?? 503)" + (body.map { " \"\($0.value)\"" } ?? ""))
        case nil: break
        }
        if let version = service.version { lines.append("- version: `\(version.value)`") }
        return lines.joined(separator: "\n")
    }

    /// One line for the completion list: how many endpoints, which strategy.
    static func detail(for service: Service) -> String {
        guard let endpoints = service.endpoints else { return "service (endpoints from the registry)" }
        return "service (\(endpoints.count) endpoint\(endpoints.count == 1 ? "" : "s"))"
    }

    private static func endpointLines(_ service: Service) -> [String] {
        guard let endpoints = service.endpoints else {
            return [
                "Endpoints: none listed; discovered from the registry's `service:\(service.name.value)` registration."
            ]
        }
        guard !endpoints.isEmpty else { return ["Endpoints: none"] }
        var lines = ["Endpoints (\(endpoints.count)):"]
        for endpoint in endpoints {
            let details = details(of: endpoint)
            let url = endpoint.url?.value ?? "(no url)"
            lines.append("- `\(url)`" + (details.isEmpty ? "" : " — " + details.joined(separator: ", ")))
        }
        return lines
    }

    /// Markdown describing one endpoint of `service`: its URL, id and placement.
    static func markdown(for endpoint: Endpoint, of service: Service) -> String {
        let url = endpoint.url?.value ?? "(no url)"
        var lines = ["**endpoint `\(url)`** of service `\(service.name.value)`"]
        let details = details(of: endpoint)
        if !details.isEmpty { lines += ["", details.joined(separator: ", ")] }
        if endpoint.id == nil { lines += ["", "Its health is recorded under its URL, since it has no `id`."] }
        return lines.joined(separator: "\n")
    }

    private static func details(of endpoint: Endpoint) -> [String] {
        var details: [String] = []
        if let id = endpoint.id { details.append("id \(id.value)") }
        if let region = endpoint.region { details.append("region \(region.value)") }
        if let continent = endpoint.continent { details.append("continent \(continent.value)") }
        if let location = endpoint.location { details.append("at \(location.latitude), \(location.longitude)") }
        if let weight = endpoint.weight { details.append("weight \(formatted(weight.value))") }
        if endpoint.insecure?.value == true { details.append("insecure") }
        return details
    }

    private static func formatted(_ value: Double) -> String {
        value.rounded() == value && abs(value) < 1e15 ? String(Int(value)) : String(value)
    }
}
