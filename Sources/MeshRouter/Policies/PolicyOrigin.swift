import MeshConfig

/// Where a setting in force comes from: the level ``PolicyResolution`` took it from.
public enum PolicyOrigin: String, Sendable, Hashable {
    case rule
    case service
    case meshDefaults = "mesh defaults"
    case builtIn = "built-in default"
}

/// The origin of each setting of an ``EffectivePolicy``.
public struct PolicyOrigins: Sendable, Hashable {
    public var timeout: PolicyOrigin
    /// Where the number of attempts comes from.
    public var retries: PolicyOrigin
    /// The most specific level with a circuit breaker; nil when none has one.
    public var circuitBreaker: PolicyOrigin?
}

extension PolicyResolution {
    /// Where ``resolve(rule:service:defaults:path:)`` takes each setting from, by the same
    /// order: rule, service, `mesh.defaults`, built-in.
    public static func origins(rule: Rule?, service: Service?, defaults: PolicySet) -> PolicyOrigins {
        let levels: [(PolicyOrigin, PolicySet)] = [
            rule.map { (.rule, $0.policies) }, service.map { (.service, $0.policies) }, (.meshDefaults, defaults),
        ].compactMap { $0 }
        return PolicyOrigins(
            timeout: levels.first { $0.1.timeout != nil }?.0 ?? .builtIn,
            retries: levels.first { $0.1.retries?.attempts != nil }?.0 ?? .builtIn,
            circuitBreaker: levels.first { $0.1.circuitBreaker != nil }?.0)
    }
}
