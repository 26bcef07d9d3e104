import MeshConfig
import MeshRegistry
import MeshRouter
import MeshSyntax

/// The code lenses of docs/guide/editors.md: above each rule its target and how healthy that is
/// ("-> user-service · 2/3 healthy") or "shadowed by #1"; above each service how many
/// rules route to it.
///
/// Shadowing comes from the router's ``ShadowAnalysis``, like DM402/DM403, and waits for a
/// clean parse for the same reason: a damaged rule can look broader than it is.
enum CodeLenses {
    /// One lens: where, and what it says.
    struct Lens: Sendable, Equatable {
        var range: ByteRange
        var title: String
    }

    /// What the registry said, for the rule lenses' health part.
    enum Health: Sendable {
        /// No registry (switched off or not configured): the lenses leave health out.
        case none
        /// The registry's snapshot, fetched `sinceFetch` seconds ago.
        case snapshot(HealthSnapshot, sinceFetch: Double)
        /// The registry did not answer; the lenses say so briefly.
        case unavailable(RegistryError)
    }

    /// The lenses of `analysis`, in document order.
    static func lenses(for analysis: DocumentAnalysis, health: Health) -> [Lens] {
        let config = analysis.config
        let rules = config.routing.rules
        var shadowedBy: [Int: Int] = [:]
        // The analysis' own shadowing (nil with syntax errors): lenses repeat no work.
        for finding in analysis.shadowing?.findings ?? [] { shadowedBy[finding.rule] = finding.earlierRule }
        var lenses: [Lens] = []
        for service in config.services {
            lenses.append(Lens(range: service.name.range, title: routedHere(service.name.value, in: config)))
        }
        for (position, rule) in rules.enumerated() {
            let title: String
            if let earlier = shadowedBy[position] {
                title = "shadowed by #\(rules[earlier].index)" + (rules[earlier].name.map { " (\($0.value))" } ?? "")
            } else {
                title = target(of: rule, in: config, health: health)
            }
            lenses.append(Lens(range: ByteRange(start: rule.range.start, end: rule.range.start), title: title))
        }
        return lenses.sorted { $0.range.start < $1.range.start }
    }

    /// "-> svc · 2/3 healthy", or for a split "-> a 90% (2/2 healthy) | b 10% (0/1 healthy)".
    private static func target(of rule: Rule, in config: MeshConfig, health: Health) -> String {
        if let branches = rule.split, !branches.isEmpty {
            // Weights are scaled by the largest first, so that weights near the top of the
            // double range do not add up to infinity.
            let weights = branches.map { max(0, $0.weight?.value ?? 0) }
            let scale = weights.max() ?? 0
            let total = scale > 0 && scale.isFinite ? weights.reduce(0) { $0 + $1 / scale } : 0
            let parts = zip(branches, weights).map { branch, weight -> String in
                let name = branch.service?.value ?? "?"
                let fraction = total > 0 ? weight / scale / total * 100 : 0
                let share = fraction.isFinite ? Int(fraction.rounded()) : 0
                let healthy = healthText(of: name, in: config, health: health)
                return "\(name) \(share)%" + (healthy.map { " (\($0))" } ?? "")
            }
            return "-> " + parts.joined(separator: " | ") + unavailableNote(health)
        }
        guard let name = rule.service?.value else { return "-> no target" }
        let healthy = healthText(of: name, in: config, health: health)
        return "-> \(name)" + (healthy.map { " · \($0)" } ?? "") + unavailableNote(health)
    }

    /// "2/3 healthy" when the registry answered and the service has endpoints to count.
    private static func healthText(of name: String, in config: MeshConfig, health: Health) -> String? {
        guard case .snapshot(let snapshot, let sinceFetch) = health, let service = config.service(named: name) else {
            return nil
        }
        guard let endpoints = service.endpoints ?? snapshot.registrations[name] else {
            return "no endpoints registered"
        }
        let healthy = LiveHealthText.healthyCount(
            service: name, endpoints: endpoints, snapshot: snapshot, sinceFetch: sinceFetch)
        return "\(healthy)/\(endpoints.count) healthy"
    }

    private static func unavailableNote(_ health: Health) -> String {
        guard case .unavailable(let error) = health else { return "" }
        switch error {
        case .timeout: return " · live health: timed out"
        case .notConfigured, .bindingNotFound: return " · live health: registry not configured"
        case .unauthorized: return " · live health: unauthorized"
        case .rateLimited: return " · live health: rate limited"
        default: return " · live health: registry unreachable"
        }
    }

    /// "2 rules route here", with the routing default and fallbacks that also send traffic.
    private static func routedHere(_ name: String, in config: MeshConfig) -> String {
        var rules = Set<Int>()
        var others: [String] = []
        for reference in config.serviceReferences where reference.name.value == name {
            switch reference.role {
            case .ruleTarget, .splitBranch:
                if let index = reference.ruleIndex { rules.insert(index) }
            case .routingDefault:
                others.append("routing.default")
            case .fallback:
                others.append("fallback of \(reference.owner ?? "?")")
            case .authAllow:
                break
            }
        }
        let count = rules.count == 1 ? "1 rule routes here" : "\(rules.count) rules route here"
        return ([count] + others).joined(separator: " · ")
    }
}
