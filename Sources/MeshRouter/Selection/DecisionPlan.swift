import MeshConfig
import MeshSyntax

/// One endpoint as selection reads it: the fields the filters and strategies look at,
/// derived once from the config's ``Endpoint`` so a decision does not re-derive them
/// (upper-casing a region allocates; reading `Located` wrappers costs copies).
struct EndpointInfo: Sendable {
    /// The URL; empty when the endpoint has none (listed in traces, never picked).
    var url: String
    /// `id`, else the URL, else empty: the key of the endpoint's health record, in-flight
    /// count and place in a smooth weighted cycle.
    var id: String
    /// `weight` as written, 1 when absent (the weighted strategy treats a non-finite or
    /// non-positive weight as 1).
    var weight: Double
    /// The region, upper-cased as the config writes it.
    var region: String?
    /// The continent: its own, else that of its region.
    var continent: String?
    /// Where it is, when the config says.
    var latitude: Double?
    var longitude: Double?

    /// Whether the endpoint can be picked at all (it has a URL); stored, so the filter
    /// reads a flag instead of the URL string.
    var isUsable: Bool

    init(_ endpoint: Endpoint) {
        url = endpoint.url?.value ?? ""
        isUsable = !url.isEmpty
        id = endpoint.effectiveID ?? ""
        weight = endpoint.weight?.value ?? 1
        region = GeoPlacement.region(of: endpoint)
        continent = GeoPlacement.continent(of: endpoint)
        latitude = endpoint.location?.latitude
        longitude = endpoint.location?.longitude
    }
}

/// A service's endpoints prepared for selection, with the state keys its strategies use.
///
/// ``Router`` builds one per service with static endpoints when it is created; the traced
/// ``EndpointSelection/select(service:config:request:health:state:strategyOverride:)`` and
/// services discovered from the registry (whose endpoints arrive with each snapshot) build
/// one per decision. Either way the same selection code runs on it.
///
/// A class because a decision hands it down several calls: one reference to retain,
/// where a struct of strings and arrays costs a retain per field at every copy.
final class ServiceEndpoints: Sendable {
    /// The service name: the key of its health records and of its round-robin counter.
    let service: String
    let endpoints: [EndpointInfo]
    /// The tie-break round-robin key of each strategy (`"<service> <strategy>"`), in
    /// ``strategies`` order, so a tie does not build a string.
    private let tieKeys: [String]

    /// The strategies once: the synthesized `allCases` builds a new array on every read.
    private static let strategies = LoadBalancingStrategy.allCases

    init(service: String, endpoints: [Endpoint]) {
        self.service = service
        self.endpoints = endpoints.map(EndpointInfo.init)
        tieKeys = Self.strategies.map { service + " " + $0.rawValue }
    }

    /// The key of `strategy`'s tie-break round-robin for this service.
    func tieKey(_ strategy: LoadBalancingStrategy) -> String {
        guard let ordinal = Self.strategies.firstIndex(of: strategy), ordinal < tieKeys.count else {
            return service + " " + strategy.rawValue
        }
        return tieKeys[ordinal]
    }
}

/// The load-balancer settings in force, each field from the most specific level that sets
/// it (rule, service, `mesh.defaults`), so a rule can change the strategy and still inherit
/// a service's `seed`.
struct BalancerSettings: Sendable {
    var strategy: LoadBalancingStrategy
    /// `p50` or `ewma` (the schema's default).
    var metric: String
    var seed: UInt64?
    /// Whether `metric` is `p50`, compared once here rather than on every latency pick.
    var readsP50: Bool

    /// Three named levels rather than an array of them: this runs on every traced decision
    /// and an array literal would allocate.
    init(rule: LoadBalancerPolicy?, service: LoadBalancerPolicy?, defaults: LoadBalancerPolicy?) {
        strategy = rule?.strategy?.value ?? service?.strategy?.value ?? defaults?.strategy?.value ?? .roundRobin
        metric = rule?.metric?.value ?? service?.metric?.value ?? defaults?.metric?.value ?? "ewma"
        // The schema requires seed >= 0; a negative one from a file being edited keeps its bits.
        seed = (rule?.seed ?? service?.seed ?? defaults?.seed).map { UInt64(bitPattern: Int64($0.value)) }
        readsP50 = metric.hasSameBytes(as: "p50")
    }

    /// Settings resolved already, as a route plan carries them.
    init(strategy: LoadBalancingStrategy, metric: String, seed: UInt64?) {
        self.strategy = strategy
        self.metric = metric
        self.seed = seed
        readsP50 = metric.hasSameBytes(as: "p50")
    }
}

/// Everything ``Router/decide(_:health:)`` reads besides the route table, resolved from the
/// config once per router: which service (or split) each rule targets, as a position in
/// ``services`` instead of a name to look up, and the load-balancer settings in force for
/// each rule and service pair.
struct DecisionPlan: Sendable {
    /// A service a decision can land on (a class for the reason ``ServiceEndpoints`` is).
    final class ServicePlan: Sendable {
        let name: String
        /// Static endpoints; nil when the service is discovered from the registry (its
        /// endpoints come with each health snapshot).
        let endpoints: ServiceEndpoints?
        /// The service's `fallback` (service or response), as a trace names it.
        let fallback: FallbackTrace?
        /// Whether the service has a `fallback`.
        var hasFallback: Bool { fallback != nil }
        /// The fallback service's position, when the fallback is another defined service:
        /// ``Router/route(_:health:)`` follows that one once, with no rule override.
        let fallbackService: Int?
        /// The settings with no rule override (the default route, a fallback).
        let settings: BalancerSettings

        init(
            name: String, endpoints: ServiceEndpoints?, fallback: FallbackTrace?, fallbackService: Int?,
            settings: BalancerSettings
        ) {
            self.name = name
            self.endpoints = endpoints
            self.fallback = fallback
            self.fallbackService = fallbackService
            self.settings = settings
        }
    }

    /// Where a rule, a split branch or `routing.default` sends a request.
    struct ServiceTarget: Sendable {
        var name: String
        /// Nil when no service has that name (the decision then names it without an endpoint).
        var service: Int?
        var settings: BalancerSettings
    }

    /// What a matched rule does.
    enum RuleTarget: Sendable {
        case service(ServiceTarget)
        /// A split: the prepared branches and each branch's target, in the same order.
        case split(PreparedSplit, [ServiceTarget])
        /// Neither a service nor a split: the decision has no service.
        case nothing
    }

    /// One entry per compiled rule, in the route table's order: two integers, so the
    /// entries of a 10,000-rule table stay in a few cache-friendly pages.
    struct RulePlan: Sendable {
        /// The rule's `index` in `routing.rules`.
        var index: Int
        /// The rule's target in ``targets``.
        var target: Int
    }

    var services: [ServicePlan]
    var rules: [RulePlan]
    /// The distinct rule targets. Large tables send most rules to a few services, so
    /// this stays small and hot in cache, where a target per rule would cost a cache
    /// miss or two per decision.
    var targets: [RuleTarget]
    var defaultTarget: ServiceTarget?
    /// The request headers decisions read, by lower-cased name, sorted: those the rules'
    /// `headers` matchers name, and those a split's `stickyBy` reads (`cookie` for a cookie).
    var readHeaders: [String]

    /// A plan resolved already, as a route plan carries it (docs/edge.md, "The route plan").
    init(
        services: [ServicePlan], rules: [RulePlan], targets: [RuleTarget], defaultTarget: ServiceTarget?,
        readHeaders: [String]
    ) {
        self.services = services
        self.rules = rules
        self.targets = targets
        self.defaultTarget = defaultTarget
        self.readHeaders = readHeaders
    }

    init(config: MeshConfig, table: RouteTable) {
        // `config.service(named:)` returns the first service of a name; so does this map.
        var positions: NameMap<Int> = [:]
        for (position, service) in config.services.enumerated() where positions[service.name.value] == nil {
            positions[service.name.value] = position
        }
        let defaults = config.mesh.defaults.loadBalancer
        services = config.services.map { service in
            var fallbackService: Int?
            if case .service(let name)? = service.fallback, !name.value.hasSameBytes(as: service.name.value) {
                fallbackService = positions[name.value]
            }
            return ServicePlan(
                name: service.name.value,
                endpoints: service.endpoints.map { ServiceEndpoints(service: service.name.value, endpoints: $0) },
                fallback: service.fallback.map(EndpointSelection.trace(of:)), fallbackService: fallbackService,
                settings: BalancerSettings(rule: nil, service: service.policies.loadBalancer, defaults: defaults))
        }
        func target(_ name: String, override: LoadBalancerPolicy?) -> ServiceTarget {
            let position = positions[name]
            let servicePolicy = position.map { config.services[$0].policies.loadBalancer } ?? nil
            return ServiceTarget(
                name: name, service: position,
                settings: BalancerSettings(rule: override, service: servicePolicy, defaults: defaults))
        }
        var targets: [RuleTarget] = []
        // Most rules name a service and set no load balancer: those share one target per
        // name. A rule with a split or a load balancer of its own gets a target of its own;
        // targets carry no state (the router's counters are keyed by service), so sharing is
        // only a saving, and comparing whole targets would hash their strings by `String`'s
        // Unicode-aware hashing, which the edge router's module leaves out.
        var positionOfPlainService: NameMap<Int> = [:]
        // Fields are read in place (`compiled[position].rule.x`), as RouteTable does:
        // binding a whole rule copies its strings and arrays.
        let compiled = table.compiled
        var rules: [RulePlan] = []
        rules.reserveCapacity(compiled.count)
        for position in compiled.indices {
            let index = compiled[position].index
            let override = compiled[position].rule.policies.loadBalancer
            let isSplit = compiled[position].rule.split != nil
            let name = compiled[position].rule.service?.value
            if !isSplit, override == nil, let name, let known = positionOfPlainService[name] {
                rules.append(RulePlan(index: index, target: known))
                continue
            }
            let ruleTarget: RuleTarget
            // As in `route`: a split, even one without a usable branch, wins over `service`.
            if isSplit {
                let split = PreparedSplit(rule: compiled[position].rule)
                ruleTarget = .split(split, split.branches.map { target($0.service, override: override) })
            } else if let name {
                ruleTarget = .service(target(name, override: override))
            } else {
                ruleTarget = .nothing
            }
            let targetPosition = targets.count
            targets.append(ruleTarget)
            if !isSplit, override == nil, let name { positionOfPlainService[name] = targetPosition }
            rules.append(RulePlan(index: index, target: targetPosition))
        }
        self.rules = rules
        self.targets = targets
        var headers = NameSet()
        for position in compiled.indices {
            for requirement in compiled[position].headers { headers.insert(requirement.name) }
        }
        for case .split(let split, _) in targets {
            switch split.sticky {
            case .header(let name): headers.insert(name)
            case .cookie: headers.insert("cookie")
            case .unsupported: break
            }
        }
        readHeaders = headers.sorted { $0.precedesByBytes($1) }
        defaultTarget = config.routing.defaultService.map { target($0.value, override: nil) }
    }
}
