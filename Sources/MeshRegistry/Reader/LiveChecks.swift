import MeshConfig
import MeshRouter
import MeshSyntax

/// The live checks DM601-DM604: what the registry says about a config.
///
/// They run only on request (`check --live`, or the language server's live diagnostics),
/// never block the static checks, and every message says how old its data is.
public enum LiveChecks {
    /// The live diagnostics of `document`, from `reader`; `registryRange` is where DM603
    /// points (the `mesh.registry` value, else the document's first byte).
    public static func diagnostics(for document: MeshDocument, reader: RegistryReader, now: Double) async
        -> [Diagnostic]
    {
        let config = document.config
        let anchor = config.mesh.registry?.range ?? ByteRange(start: 0, end: min(1, document.source.count))
        let snapshotAnswer = await reader.healthSnapshot(for: config)
        guard case .value(let snapshot, let fetchedAt) = snapshotAnswer else {
            let reason = snapshotAnswer.error.map { "\($0)" } ?? "no answer"
            return [Diagnostic(.registryUnavailable, "live checks skipped: \(reason)", at: anchor)]
        }
        var diagnostics: [Diagnostic] = []
        let age = describeAge(now - fetchedAt)
        let routed = Set(config.serviceReferences.filter { $0.role.routesTraffic }.map(\.name.value))
        for service in config.services {
            let name = service.name.value
            let endpoints = service.endpoints ?? snapshot.registrations[name] ?? []
            if service.endpoints == nil, endpoints.isEmpty {
                diagnostics.append(
                    Diagnostic(
                        .noEndpointsRegistered,
                        "service '\(name)' has no static endpoints and none are registered under "
                            + "'\(RegistryKeys.service(name))' (registry read \(age))",
                        at: service.name.range
                    ))
                continue
            }
            guard routed.contains(name), !endpoints.isEmpty else { continue }
            let records = endpoints.compactMap { endpoint in
                endpoint.effectiveID.flatMap { snapshot.health(service: name, endpoint: $0) }
            }
            let fresh = records.filter { !snapshot.isStale($0) }
            let unusable = fresh.filter { $0.status == .unhealthy || $0.circuit == .open }
            if records.count == endpoints.count, fresh.count == endpoints.count, unusable.count == endpoints.count {
                let oldest = fresh.compactMap(\.ageSeconds).max().map(describeAge) ?? age
                diagnostics.append(
                    Diagnostic(
                        .allEndpointsUnhealthy,
                        "every endpoint of service '\(name)' is unhealthy or has an open circuit (\(endpoints.count) "
                            + "endpoint\(endpoints.count == 1 ? "" : "s"), oldest record \(oldest)); requests will use "
                            + "its fallback or panic",
                        at: service.name.range
                    ))
            }
        }
        let deployed = await reader.deployedConfig()
        if case .value(let record?, _) = deployed {
            let local = MeshConfigRecord.digest(of: document.source.bytes)
            if record.sha256 != local {
                let when = record.deployedAt.map { " deployed \(describeAge(now - Double($0) / 1000))" } ?? ""
                diagnostics.append(
                    Diagnostic(
                        .deployedConfigDiffers,
                        "the config in the registry (sha256 \(record.sha256.prefix(12)),\(when)) differs from this "
                            + "file; run 'diddy-mesh config diff' to see how",
                        at: ByteRange(start: 0, end: min(1, document.source.count))
                    ))
            }
        }
        return diagnostics
    }

    /// `12 s ago`, `3 min ago`, `2 h ago`, `4 d ago`.
    public static func describeAge(_ seconds: Double) -> String {
        // Ages come from timestamps others wrote; one that is not a number reads as unknown.
        guard seconds.isFinite || seconds == .infinity else { return "at an unknown time" }
        let value = min(max(0, seconds), 1e15)
        switch value {
        case ..<1: return "just now"
        case ..<120: return "\(Int(value)) s ago"
        case ..<7200: return "\(Int(value / 60)) min ago"
        case ..<172_800: return "\(Int(value / 3600)) h ago"
        default: return "\(Int(value / 86400)) d ago"
        }
    }
}
