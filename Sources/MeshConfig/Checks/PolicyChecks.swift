import MeshSyntax

/// DM506: policy values that contradict each other.
enum PolicyChecks {
    static func run(_ config: MeshConfig, into diagnostics: inout [Diagnostic]) {
        check(config.mesh.defaults, into: &diagnostics)
        for service in config.services {
            check(service.policies, into: &diagnostics)
            if let health = service.healthCheck, let timeout = health.timeout, timeout.value >= health.effectiveInterval
            {
                diagnostics.append(
                    Diagnostic(
                        .inconsistentPolicy,
                        "health check timeout \(timeout.value) ms must be shorter than its interval "
                            + "\(health.effectiveInterval) ms\(health.interval == nil ? " (the default)" : "")",
                        at: timeout.range,
                        related: health.interval.map { [RelatedInformation(message: "the interval", range: $0.range)] }
                            ?? []
                    ))
            }
        }
        for rule in config.routing.rules {
            check(rule.policies, into: &diagnostics)
        }
    }

    private static func check(_ policies: PolicySet, into diagnostics: inout [Diagnostic]) {
        if let breaker = policies.circuitBreaker, let reset = breaker.resetTimeout {
            let maximum = breaker.maxResetTimeout?.value ?? 300_000
            if reset.value > maximum {
                diagnostics.append(
                    Diagnostic(
                        .inconsistentPolicy,
                        "circuit breaker resetTimeout \(reset.value) ms exceeds maxResetTimeout \(maximum) "
                            + "ms\(breaker.maxResetTimeout == nil ? " (the default)" : "")",
                        at: reset.range,
                        related: breaker.maxResetTimeout.map {
                            [RelatedInformation(message: "maxResetTimeout", range: $0.range)]
                        } ?? []
                    ))
            }
        }
        if let retries = policies.retries, let base = retries.backoffBase {
            let maximum = retries.backoffMax?.value ?? 2_000
            if base.value > maximum {
                diagnostics.append(
                    Diagnostic(
                        .inconsistentPolicy,
                        "retry backoff base \(base.value) ms exceeds its max \(maximum) "
                            + "ms\(retries.backoffMax == nil ? " (the default)" : "")",
                        at: base.range,
                        related: retries.backoffMax.map { [RelatedInformation(message: "the max", range: $0.range)] }
                            ?? []
                    ))
            }
        }
    }
}
