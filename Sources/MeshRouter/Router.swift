import MeshConfig
import MeshSyntax

/// The one routing resolver of docs/guide/routing.md: matches a request against the rules, picks
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
    public convenience init(config: MeshConfig, table: RouteTable, state: RouterState) {
        self.init(config: config, table: table, plan: DecisionPlan(config: config, table: table), state: state)
    }

    /// A router over a compiled table and its prepared targets, as a route plan carries
    /// them (``RoutePlan/router``): nothing is compiled. The one designated initializer:
    /// Embedded Swift keeps a class's designated initializers in its vtable, so the edge
    /// module would carry the compiling one even though it never calls it.
    init(config: MeshConfig, table: RouteTable, plan: DecisionPlan, state: RouterState) {
        self.config = config
        self.table = table
        self.plan = plan
        self.state = state
    }

    /// A router over the same config, compiled table and prepared targets with other
    /// state, e.g. fresh counters for each reproducible preview. Unlike
    /// ``init(config:table:state:)`` it prepares nothing again, so it costs the same for
    /// any number of rules.
    public func withState(_ state: RouterState) -> Router {
        Router(config: config, table: table, plan: plan, state: state)
    }

    /// The request headers any decision reads, by lower-cased name, sorted: those the
    /// rules' `headers` matchers name and those a split's `stickyBy` reads (`cookie` for a
    /// cookie). Other headers never change a decision, so a host that routes many requests
    /// (the edge's Worker) can pass only these; the request's own form is unchanged.
    public var readHeaders: [String] { plan.readHeaders }

    /// What ``decide(_:health:)`` reads besides the table: each rule's target resolved to a
    /// service position and load-balancer settings, and each service's endpoints prepared.
    let plan: DecisionPlan

    /// The outcome of ``decide(_:health:)``: where a request goes, without the trace.
    public struct Decision: Sendable, Hashable {
        /// The matched rule's index, nil for `routing.default` or no route.
        public var ruleIndex: Int?
        /// The target service, nil for no route.
        public var service: String?
        /// The chosen endpoint URL, nil when none is usable (or no route).
        public var endpoint: String?
        /// The service's `fallback` when none of its endpoints was usable: its response, or
        /// the fallback service whose endpoint is ``endpoint``; as ``DecisionTrace/fallback``.
        public var fallback: FallbackTrace?
        /// Whether ``endpoint`` was picked with none usable, every endpoint used anyway; as
        /// ``DecisionTrace/panic``.
        public var panic = false
        /// The target service's position in the config's services; nil when no service has
        /// its name (or no route). With ``ruleIndex`` it keys what a host keeps per rule and
        /// service, such as the policies, which depend on the request only by its path.
        public internal(set) var servicePosition: Int?

        /// Routed by a rule, by `routing.default`, or not at all; as ``DecisionTrace/outcome``.
        public var outcome: DecisionTrace.Outcome {
            ruleIndex != nil ? .routed : service != nil ? .default : .noRoute
        }
    }

    /// Routes one request the way a Worker would on its hot path: the same matching,
    /// split and endpoint selection as ``route(_:health:)`` (a fallback service is followed
    /// once, as there), without explaining the earlier rules, whose reasons cost time in
    /// proportion to the rule count, and without writing any trace.
    ///
    /// For the same request, health and a state in the same condition, the rule, service
    /// and endpoint are those of ``route(_:health:)``, and the state advances the same way.
    /// Allocates nothing for services with static endpoints once the state has seen their
    /// keys; a service discovered from the registry gets its endpoints prepared per call,
    /// and a smooth weighted cycle that (re)starts stores its candidate ids.
    public func decide(_ request: RouteRequest, health: HealthSnapshot = .empty) -> Decision {
        var decision = Decision()
        let target: DecisionPlan.ServiceTarget?
        // The plan is built from this table, so the bounds checks never fail; they keep a
        // broken invariant from trapping on the hot path.
        if let matched = table.firstMatch(request), matched < plan.rules.count,
            plan.rules[matched].target < plan.targets.count
        {
            decision.ruleIndex = plan.rules[matched].index
            switch plan.targets[plan.rules[matched].target] {
            case .service(let service):
                target = service
            case .split(let split, let branches):
                // `route` draws a generator for every split rule, even one without a usable
                // branch; so does this, or the two would drift apart on the next draw.
                var random = state.makeRandom()
                target = SplitSelection.pick(split, request: request, random: &random).map { branches[$0.branch] }
            case .nothing:
                target = nil
            }
        } else {
            target = plan.defaultTarget
        }
        guard let target else { return decision }
        decision.service = target.name
        guard let position = target.service else { return decision }
        decision.servicePosition = position
        select(ofService: position, settings: target.settings, request: request, health: health, into: &decision)
        return decision
    }

    /// The lean counterpart of the traced `select` below: the endpoint URL, the fallback
    /// and panic only, with a fallback service followed once and without a rule override,
    /// as there.
    private func select(
        ofService position: Int, settings: BalancerSettings, request: RouteRequest, health: HealthSnapshot,
        into decision: inout Decision
    ) {
        let service = plan.services[position]
        switch choose(service, settings: settings, request: request, health: health) {
        case .endpoint(let url, let panic):
            decision.endpoint = url
            decision.panic = panic
        case .none:
            return
        case .fallback:
            decision.fallback = service.fallback
            guard let fallbackPosition = service.fallbackService else { return }
            let fallback = plan.services[fallbackPosition]
            if case .endpoint(let url, let panic) = choose(
                fallback, settings: fallback.settings, request: request, health: health)
            {
                decision.endpoint = url
                decision.panic = panic
            }
        }
    }

    /// The policies in force for `decision` of `request` (timeout, retries, circuit breaker,
    /// the path to forward): ``DecisionTrace/policy`` of the same request, resolved from the
    /// matched rule, the service and `mesh.defaults`. Nil when the decision has no defined
    /// service, as in the trace.
    public func policy(of decision: Decision, for request: RouteRequest) -> EffectivePolicy? {
        guard let position = decision.servicePosition, config.services.indices.contains(position) else { return nil }
        return PolicyResolution.resolve(
            rule: decision.ruleIndex.flatMap(rule(at:)), service: config.services[position],
            defaults: config.mesh.defaults, path: request.path)
    }

    /// The URLs of the endpoints `decision`'s service chose among, static or registered (in
    /// `health`), in order; the URLs of ``DecisionTrace/endpoints`` without the endpoints
    /// that have none.
    public func candidateURLs(of decision: Decision, health: HealthSnapshot = .empty) -> [String] {
        guard let position = decision.servicePosition, plan.services.indices.contains(position) else { return [] }
        return endpoints(of: plan.services[position], health: health).endpoints.compactMap {
            $0.isUsable ? $0.url : nil
        }
    }

    /// A service's endpoints: static ones were prepared at init, registered ones arrive with
    /// the snapshot.
    private func endpoints(of service: DecisionPlan.ServicePlan, health: HealthSnapshot) -> ServiceEndpoints {
        service.endpoints
            ?? ServiceEndpoints(service: service.name, endpoints: health.registrations[service.name] ?? [])
    }

    /// Whether `decision`'s service has a `fallback`, used or not.
    public func hasFallback(_ decision: Decision) -> Bool {
        guard let position = decision.servicePosition, plan.services.indices.contains(position) else { return false }
        return plan.services[position].hasFallback
    }

    /// The rule whose `index` in `routing.rules` is `index`.
    public func rule(at index: Int) -> Rule? {
        rulePosition(of: index).map { config.routing.rules[$0] }
    }

    /// Where the rule whose `index` is `index` is in `config.routing.rules`: for a host that
    /// reads a field or two in place (`rules[position].name`), since a copy of a whole rule
    /// retains each of its strings and arrays.
    public func rulePosition(of index: Int) -> Int? {
        let rules = config.routing.rules
        if rules.indices.contains(index), rules[index].index == index { return index }
        return rules.firstIndex { $0.index == index }
    }

    /// One service's answer on the lean path.
    private enum Pick {
        case endpoint(String, panic: Bool)
        case fallback
        case none
    }

    private func choose(
        _ service: DecisionPlan.ServicePlan, settings: BalancerSettings, request: RouteRequest, health: HealthSnapshot
    ) -> Pick {
        let prepared = endpoints(of: service, health: health)
        switch EndpointSelection.choose(
            prepared, hasFallback: service.hasFallback, settings: settings, geo: request.cf, health: health,
            state: state)
        {
        case .endpoint(let position, let panic): return .endpoint(prepared.endpoints[position].url, panic: panic)
        case .fallback: return .fallback
        case .none: return .none
        }
    }

    /// Routes one request with the live data in `health`.
    ///
    /// With `explainingSkippedRules` false the trace's `skipped` list stays empty and the
    /// rest of it is the same: saying why each earlier rule did not match costs time in
    /// proportion to the rules before the match, which the edge router, answering every
    /// request of a Worker, does not spend.
    public func route(
        _ request: RouteRequest, health: HealthSnapshot = .empty, explainingSkippedRules: Bool = true
    ) -> DecisionTrace {
        var trace = DecisionTrace(request: request, outcome: .noRoute)
        let matched = table.firstMatch(request)
        let earlier = explainingSkippedRules ? matched ?? table.compiled.count : 0
        for compiled in table.compiled.prefix(earlier) {
            trace.skipped.append(
                DecisionTrace.SkippedRule(
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
            trace.rule = DecisionTrace.MatchedRule(
                index: compiled.index, name: compiled.rule.name?.value,
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
        trace.policy = PolicyResolution.resolve(
            rule: rule, service: service, defaults: config.mesh.defaults, path: request.path)
        return trace
    }

    /// Picks the endpoint; a fallback service is followed once (never in a loop).
    private func select(
        _ service: Service, rule: Rule?, request: RouteRequest, health: HealthSnapshot, into trace: inout DecisionTrace
    ) {
        let decision = EndpointSelection.select(
            service: service, config: config, request: request, health: health,
            state: state, strategyOverride: rule?.policies.loadBalancer)
        trace.endpoints = decision.endpoints
        trace.endpoint = decision.endpoint
        trace.strategy = decision.strategy
        trace.fallback = decision.fallback
        trace.panic = decision.panic
        guard case .service(let fallbackName)? = decision.fallback, !fallbackName.hasSameBytes(as: service.name.value),
            let fallbackService = config.service(named: fallbackName)
        else { return }
        let fallbackDecision = EndpointSelection.select(
            service: fallbackService, config: config, request: request, health: health,
            state: state, strategyOverride: nil)
        trace.endpoint = fallbackDecision.endpoint
        trace.strategy = fallbackDecision.strategy.map {
            StrategyTrace(name: $0.name, reason: "fallback service '\(fallbackName)': \($0.reason)")
        }
        trace.panic = fallbackDecision.panic
    }
}
