import Foundation
import MeshConfig
import MeshRegistry
import MeshRouter
import MeshSyntax

/// The live part of hover, as markdown: per-endpoint health of a service, or one
/// endpoint's full record. Pure functions of what the registry answered, so every shape
/// (fresh, stale, missing, unreachable) is tested without a registry.
enum LiveHealthText {
    /// The "Live health" section of a service's hover.
    /// - Parameters:
    ///   - endpoints: The service's static endpoints, nil when it relies on registration.
    ///   - answer: The registry's health snapshot, or why there is none.
    ///   - registry: The store's description (`wrangler-local namespace ...`).
    ///   - now: Epoch seconds, for ages.
    static func serviceSection(
        service name: String, endpoints: [Endpoint]?, answer: RegistryAnswer<HealthSnapshot>, registry: String,
        now: Double
    ) -> String {
        guard case .value(let snapshot, let fetchedAt) = answer else {
            return unavailable(answer.error)
        }
        // A cached snapshot is older than its ages say by the time since it was fetched.
        let sinceFetch = max(0, now - fetchedAt)
        let listed = endpoints ?? snapshot.registrations[name]
        var lines = ["**Live health** — \(registry), read \(LiveChecks.describeAge(sinceFetch))"]
        guard let listed, !listed.isEmpty else {
            lines.append("")
            lines.append(
                endpoints == nil
                    ? "No endpoints are registered under `\(RegistryKeys.service(name))`."
                    : "The service has no endpoints.")
            return lines.joined(separator: "\n")
        }
        let healthy = healthyCount(service: name, endpoints: listed, snapshot: snapshot, sinceFetch: sinceFetch)
        lines.append("")
        for endpoint in listed {
            let label = "`\(endpoint.url?.value ?? endpoint.effectiveID ?? "?")`"
            guard let id = endpoint.effectiveID, let health = snapshot.health(service: name, endpoint: id) else {
                lines.append("- \(label): no health record")
                continue
            }
            let age = (health.ageSeconds ?? 0) + sinceFetch
            let stale = age > snapshot.staleAfterSeconds
            var parts = ["**\(health.status.rawValue)**"]
            if let p50 = health.latencyMs { parts.append("p50 \(milliseconds(p50))") }
            parts.append("checked \(LiveChecks.describeAge(age))" + (stale ? " (stale)" : ""))
            parts.append("circuit \(health.circuit.rawValue)")
            lines.append("- \(label): " + parts.joined(separator: " · "))
        }
        lines.insert("\(healthy)/\(listed.count) healthy", at: 2)
        lines.insert("", at: 3)
        return lines.joined(separator: "\n")
    }

    /// How many of `endpoints` are fresh, healthy and not cut off by an open circuit.
    static func healthyCount(service name: String, endpoints: [Endpoint], snapshot: HealthSnapshot, sinceFetch: Double)
        -> Int
    {
        endpoints.count { endpoint in
            guard let id = endpoint.effectiveID, let health = snapshot.health(service: name, endpoint: id) else {
                return false
            }
            let fresh = (health.ageSeconds ?? 0) + sinceFetch <= snapshot.staleAfterSeconds
            return fresh && health.status == .healthy && health.circuit != .open
        }
    }

    /// The live part of an endpoint's hover: its full health record.
    static func endpointSection(
        service: String, endpointId: String, answer: RegistryAnswer<HealthRecord?>, registry: String,
        staleAfterSeconds: Double, now: Double
    ) -> String {
        guard case .value(let found, _) = answer else { return unavailable(answer.error) }
        let key = RegistryKeys.health(service: service, endpointId: endpointId)
        guard let record = found else {
            return
                "**Live health** — \(registry)\n\nNo health record under `\(key)`: the prober has not checked this "
                + "endpoint yet."
        }
        let age = max(0, now - Double(record.checkedAt) / 1000)
        var lines = [
            "**Live health** — `\(key)` in \(registry)",
            "",
            "- status: **\(record.status.rawValue)**, checked \(LiveChecks.describeAge(age))"
                + (age > staleAfterSeconds ? " (stale)" : ""),
        ]
        let latency = record.latencyMs
        let figures = [("last", latency.last), ("p50", latency.p50), ("p95", latency.p95), ("ewma", latency.ewma)]
            .compactMap { name, value in value.map { "\(name) \(milliseconds($0))" } }
        if !figures.isEmpty { lines.append("- latency: " + figures.joined(separator: ", ")) }
        lines.append(
            "- streak: \(record.consecutiveSuccesses) success\(record.consecutiveSuccesses == 1 ? "" : "es"), "
                + "\(record.consecutiveFailures) failure\(record.consecutiveFailures == 1 ? "" : "s")")
        var circuit = "- circuit: \(record.circuit.state.rawValue)"
        if let resetAt = record.circuit.resetAt, record.circuit.state != .closed {
            circuit += ", next trial \(describeFuture(Double(resetAt) / 1000 - now))"
        }
        if record.circuit.trips > 0 {
            circuit += ", tripped \(record.circuit.trips) time\(record.circuit.trips == 1 ? "" : "s")"
        }
        lines.append(circuit)
        if let error = record.lastError {
            lines.append(
                "- last error: \(error.kind.rawValue)" + (error.status.map { " (HTTP \($0))" } ?? "")
                    + ": \(error.message)")
        }
        lines.append("- checked by: \(record.checker.host)" + (record.checker.colo.map { " in \($0)" } ?? ""))
        return lines.joined(separator: "\n")
    }

    /// What hover says when the registry gave nothing.
    static func unavailable(_ error: RegistryError?) -> String {
        guard let error else { return "_Live health unavailable._" }
        return "_Live health unavailable: \(error)._"
    }

    private static func milliseconds(_ value: Double) -> String {
        // Registry records are data written by others: an absurd latency must print, not trap.
        guard value.isFinite, abs(value) < 1e12 else { return "\(value) ms" }
        return value >= 10 ? "\(Int(value.rounded())) ms" : "\((value * 10).rounded() / 10) ms"
    }

    private static func describeFuture(_ seconds: Double) -> String {
        seconds < 1 ? "due now" : "in \(LiveChecks.describeAge(seconds).replacingOccurrences(of: " ago", with: ""))"
    }
}
