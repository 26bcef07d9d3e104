import MeshConfig

/// The one routing resolver of routing.md: matches a request against the rules, picks
/// a split branch, filters the service's endpoints by health, applies the load-balancing
/// strategy and resolves the policies, recording every step in a ``DecisionTrace``.
///
/// The CLI's `route`, the language server's what-routes-here and the shadowing checks
/// all go through this type (and its ``RouteTable``); nothing else decides matches.
public final class Router: Sendable {
    /// The config routed on.
    public let config: MeshConfig
    /// The compiled rules.
    public let table: RouteTable
    /// Per-instance counters (round-robin, weights, in-flight) and the random source.
    public let state: RouterState

    /// Compiles `config`'s rules.
    public convenience init(config: MeshConfig, state: RouterState = RouterState()) {
        self.init(config: config, table: RouteTable(config: config), state: state)
    }

    /// A router over an already compiled table, e.g. to give each preview fresh counters
    /// without compiling the rules again.
    public init(config: MeshConfig, table: RouteTable, state: RouterState) {
        self.config = config
        self.table = table
        self.state = state
    }

    /// The outcome of ``decide(_:health:)``: where a request goes, without the trace.
    public struct Decision: Sendable, Hashable {
        /// The matched rule's index, nil for `routing.default` or no route.
        public var ruleIndex: Int?
        /// The target service, nil for no route.
        public var service: String?
        /// The chosen endpoint URL, nil when none is usable (or no route).
        public var endpoint: String?
    }

    /// Routes one request the way a Worker would on its hot path: the same matching,
    /// split and endpoint selection as ``route(_:health:)``, without explaining the earlier
    /// rules, whose reasons cost time in proportion to the rule count.
    public func decide(_ request: RouteRequest, health: HealthSnapshot = .empty) -> Decision {
        var decision = Decision()
        var rule: Rule?
        if let matched = table.firstMatch(request) {
            let compiled = table.compiled[matched]
            rule = compiled.rule
            decision.ruleIndex = compiled.index
            if compiled.rule.split != nil {
                var random = state.makeRandom()
                decision.service = SplitSelection.choose(rule: compiled.rule, request: request, random: &random)?.chosen
            } else {
                decision.service = compiled.rule.service?.value
            }
        } else {
            decision.service = config.routing.defaultService?.value
        }
        guard let name = decision.service, let service = config.service(named: name) else { return decision }
        decision.endpoint = EndpointSelection.select(service: service, config: config, request: request, health: health,
                                                     state: state, strategyOverride: rule?.policies.loadBalancer).endpoint
        return decision
    }

    /// Routes one request with the live data in `health`.
    public func route(_ request: RouteRequest, health: HealthSnapshot = .empty) -> DecisionTrace {
        var trace = DecisionTrace(request: request, outcome: .noRoute)
        let matched = table.firstMatch(request)
        let earlier = matched ?? table.compiled.count
        for compiled in table.compiled.prefix(earlier) {
            trace.skipped.append(DecisionTrace.SkippedRule(
                index: compiled.index, name: compiled.rule.name?.value,
                reason: compiled.failure(for: request) ?? "did not match"
            ))
        }
        var rule: Rule?
        var serviceName: String?
        if let matched {
            let compiled = table.compiled[matched]
            rule = compiled.rule
            trace.outcome = .routed
            trace.rule = DecisionTrace.MatchedRule(index: compiled.index, name: compiled.rule.name?.value,
                                                   path: compiled.rule.path?.value ?? "", range: compiled.rule.range)
            trace.captures = compiled.pattern?.captures(request.path) ?? [:]
            if compiled.rule.split != nil {
                var random = state.makeRandom()
                if let decision = SplitSelection.choose(rule: compiled.rule, request: request, random: &random) {
                    trace.split = decision
                    serviceName = decision.chosen
                } else {
                    trace.notes.append("the rule's split has no usable branch")
                }
            } else {
                serviceName = compiled.rule.service?.value
            }
        } else if let fallback = config.routing.defaultService {
            trace.outcome = .default
            serviceName = fallback.value
        }
        guard let serviceName else { return trace }
        trace.service = serviceName
        guard let service = config.service(named: serviceName) else {
            trace.notes.append("service '\(serviceName)' is not defined")
            return trace
        }
        select(service, rule: rule, request: request, health: health, into: &trace)
        trace.policy = PolicyResolution.resolve(rule: rule, service: service, defaults: config.mesh.defaults, path: request.path)
        return trace
    }

    /// Picks the endpoint; a fallback service is followed once (never in a loop).
    private func select(_ service: Service, rule: Rule?, request: RouteRequest, health: HealthSnapshot, into trace: inout DecisionTrace) {
        let decision = EndpointSelection.select(service: service, config: config, request: request, health: health,
                                                state: state, strategyOverride: rule?.policies.loadBalancer)
        trace.endpoints = decision.endpoints
        trace.endpoint = decision.endpoint
        trace.strategy = decision.strategy
        trace.fallback = decision.fallback
        trace.panic = decision.panic
        guard case .service(let fallbackName)? = decision.fallback, fallbackName != service.name.value,
              let fallbackService = config.service(named: fallbackName) else { return }
        let fallbackDecision = EndpointSelection.select(service: fallbackService, config: config, request: request, health: health,
                                                        state: state, strategyOverride: nil)
        trace.endpoint = fallbackDecision.endpoint
        trace.strategy = fallbackDecision.strategy.map { StrategyTrace(name: $0.name, reason: "fallback service '\(fallbackName)': \($0.reason)") }
        trace.panic = fallbackDecision.panic
    }
}
