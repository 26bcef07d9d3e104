import MeshConfig
import MeshRouter
import MeshSyntax

/// `textDocument/inlayHint`: what a rule does not say but gets. After a rule's service
/// (and after each split branch's, and after `routing.default`): the timeout, retries and
/// circuit breaker in force, each with the level it comes from, resolved by the router's
/// ``PolicyResolution``; after each split weight, its share of the traffic.
enum InlayHints {
    /// One hint, shown after the byte at `offset`.
    struct Hint: Sendable, Equatable {
        var offset: Int
        var label: String
    }

    /// The hints of the rules that overlap `range`, in document order. The work grows with
    /// the rules on screen, not with the document.
    static func hints(in analysis: DocumentAnalysis, range: ByteRange) -> [Hint] {
        let config = analysis.config
        func visible(_ place: ByteRange) -> Bool { place.start <= range.end && range.start <= place.end }
        var hints: [Hint] = []
        for rule in config.routing.rules where visible(rule.range) {
            if let service = rule.service {
                hints.append(policyHint(rule: rule, serviceName: service, config: config))
            }
            guard let split = rule.split else { continue }
            let total = split.compactMap { $0.weight?.value }.filter { $0 > 0 }.reduce(0, +)
            for branch in split {
                if let weight = branch.weight, weight.value > 0, total > 0 {
                    hints.append(Hint(offset: weight.range.end, label: percent(weight.value / total * 100)))
                }
                if let service = branch.service {
                    hints.append(policyHint(rule: rule, serviceName: service, config: config))
                }
            }
        }
        if let fallback = config.routing.defaultService, visible(fallback.range) {
            hints.append(policyHint(rule: nil, serviceName: fallback, config: config))
        }
        return hints.sorted { $0.offset < $1.offset }
    }

    /// `timeout 3000 ms (service) · 2 retries (rule) · breaker 5 failures / 30 s (mesh defaults)`.
    private static func policyHint(rule: Rule?, serviceName: Located<String>, config: MeshConfig) -> Hint {
        let service = config.service(named: serviceName.value)
        let defaults = config.mesh.defaults
        let policy = PolicyResolution.resolve(rule: rule, service: service, defaults: defaults, path: "/")
        let origins = PolicyResolution.origins(rule: rule, service: service, defaults: defaults)
        var parts = ["timeout \(policy.timeoutMs) ms" + source(origins.timeout)]
        let attempts = policy.retries.attempts
        parts.append(
            (attempts == 0 ? "no retries" : attempts == 1 ? "1 retry" : "\(attempts) retries") + source(origins.retries)
        )
        if let breaker = policy.circuitBreaker, let origin = origins.circuitBreaker {
            parts.append(
                "breaker \(breaker.failureThreshold) failures / \(seconds(breaker.resetTimeoutMs))" + source(origin))
        }
        return Hint(offset: serviceName.range.end, label: parts.joined(separator: " · "))
    }

    /// ` (service)`; nothing for the rule's own setting, which is written right there.
    private static func source(_ origin: PolicyOrigin) -> String {
        origin == .rule ? "" : " (\(origin == .builtIn ? "default" : origin.rawValue))"
    }

    private static func seconds(_ milliseconds: Int) -> String {
        milliseconds % 1000 == 0 ? "\(milliseconds / 1000) s" : "\(milliseconds) ms"
    }

    /// `40%`, or `33.3%`: one decimal when the share is not whole.
    static func percent(_ value: Double) -> String {
        let tenths = (value * 10).rounded()
        return tenths.truncatingRemainder(dividingBy: 10) == 0 ? "\(Int(tenths / 10))%" : "\(tenths / 10)%"
    }
}
