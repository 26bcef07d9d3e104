import MeshConfig

/// Which endpoint of a service a request goes to, and why (routing.md, target selection
/// steps 2 and 3).
public struct EndpointDecision: Sendable, Hashable {
    /// Every candidate endpoint, in order, with its health and whether it was kept.
    public var endpoints: [EndpointTrace]
    /// The chosen endpoint's URL; nil when a fallback answers or the service has none.
    public var endpoint: String?
    /// The strategy that picked it and why.
    public var strategy: StrategyTrace?
    /// The service's fallback, when no endpoint was usable and it has one.
    public var fallback: FallbackTrace?
    /// Whether no endpoint was usable, there was no fallback, and all were used anyway.
    public var panic: Bool

    /// Creates a decision.
    public init(endpoints: [EndpointTrace], endpoint: String?, strategy: StrategyTrace?, fallback: FallbackTrace?, panic: Bool) {
        self.endpoints = endpoints
        self.endpoint = endpoint
        self.strategy = strategy
        self.fallback = fallback
        self.panic = panic
    }
}

/// Health filtering, fallback, panic and the load-balancing strategies.
///
/// Filtering: an endpoint is excluded only on evidence — a fresh record that says
/// `unhealthy`, or a fresh record whose circuit is `open`. No record, a stale record or an
/// explicit `unknown` keeps it; `degraded` and `half-open` keep it (a half-open circuit is
/// waiting for trial requests). A stale record is as good as none: its status shows as
/// `unknown` and its latency is not used for ranking.
///
/// When nothing is left: the service's `fallback` answers if it has one (the decision
/// names it and picks no endpoint; following a fallback service is the caller's job), else
/// the router panics: every endpoint is used, the traces say so and ``EndpointDecision/panic``
/// is set. Endpoints without a URL (reported by the validator) are listed but never used.
public enum EndpointSelection {
    /// Selects the endpoint of `service` for `request`.
    ///
    /// - Parameters:
    ///   - service: the target service.
    ///   - config: the mesh config (for `mesh.defaults.loadBalancer`).
    ///   - request: the request (its geo fields feed `geographic`).
    ///   - health: live data; static endpoints win over registrations.
    ///   - state: the router instance's counters, weights, in-flight counts and randomness.
    ///   - strategyOverride: the matched rule's `loadBalancer`, which wins over the
    ///     service's and the defaults' field by field.
    public static func select(service: Service, config: MeshConfig, request: RouteRequest, health: HealthSnapshot,
                              state: RouterState, strategyOverride: LoadBalancerPolicy?) -> EndpointDecision {
        let name = service.name.value
        let balancer = BalancerSettings(levels: [strategyOverride, service.policies.loadBalancer, config.mesh.defaults.loadBalancer])
        let endpoints = service.endpoints ?? health.registrations[name] ?? []
        var traces: [EndpointTrace] = []
        var kept: [SelectionCandidate] = []
        var usable: [SelectionCandidate] = []
        for endpoint in endpoints {
            let (trace, candidate) = assess(endpoint, service: name, health: health)
            traces.append(trace)
            guard let candidate else { continue }
            usable.append(candidate)
            if trace.kept { kept.append(candidate) }
        }
        guard !usable.isEmpty else {
            if let fallback = service.fallback {
                return EndpointDecision(endpoints: traces, endpoint: nil, strategy: nil, fallback: trace(of: fallback), panic: false)
            }
            let reason = endpoints.isEmpty ? "no endpoints: none listed and none registered" : "no endpoint has a URL"
            return EndpointDecision(endpoints: traces, endpoint: nil,
                                    strategy: StrategyTrace(name: balancer.strategy.rawValue, reason: reason), fallback: nil, panic: false)
        }
        if kept.isEmpty, let fallback = service.fallback {
            return EndpointDecision(endpoints: traces, endpoint: nil, strategy: nil, fallback: trace(of: fallback), panic: false)
        }
        let panic = kept.isEmpty
        if panic {
            kept = usable
            for index in traces.indices where !traces[index].url.isEmpty {
                traces[index].kept = true
                traces[index].reason += "; used anyway (panic: no endpoint is usable)"
            }
        }
        let context = StrategyContext(service: name, request: request, state: state, settings: balancer)
        let pick = EndpointStrategies.pick(from: kept, context: context)
        let reason = panic ? "panic, all endpoints used; " + pick.reason : pick.reason
        return EndpointDecision(endpoints: traces, endpoint: kept[pick.index].url,
                                strategy: StrategyTrace(name: balancer.strategy.rawValue, reason: reason), fallback: nil, panic: panic)
    }

    /// The trace of one endpoint and, when it has a URL, the candidate it becomes.
    static func assess(_ endpoint: Endpoint, service: String, health: HealthSnapshot) -> (EndpointTrace, SelectionCandidate?) {
        let id = endpoint.effectiveID ?? ""
        let record = id.isEmpty ? nil : health.health(service: service, endpoint: id)
        guard let url = endpoint.url?.value, !url.isEmpty else {
            let trace = EndpointTrace(url: "", id: id, status: record?.status ?? .unknown, latencyMs: record?.latencyMs, ageSeconds: record?.ageSeconds,
                                      circuit: record?.circuit ?? .closed, stale: false, kept: false, reason: "no URL: not usable")
            return (trace, nil)
        }
        guard let record else {
            let trace = EndpointTrace(url: url, id: id, status: .unknown, latencyMs: nil, ageSeconds: nil, circuit: .closed,
                                      stale: false, kept: true, reason: "no record: kept")
            return (trace, SelectionCandidate(endpoint: endpoint, id: id, url: url, record: nil, inFlightHint: nil))
        }
        if health.isStale(record) {
            let age = SelectionText.compact(record.ageSeconds ?? 0)
            let trace = EndpointTrace(url: url, id: id, status: .unknown, latencyMs: record.latencyMs, ageSeconds: record.ageSeconds,
                                      circuit: record.circuit, stale: true, kept: true, reason: "stale record (\(age) s old): kept")
            return (trace, SelectionCandidate(endpoint: endpoint, id: id, url: url, record: nil, inFlightHint: record.inFlight))
        }
        var problems: [String] = []
        if record.status == .unhealthy { problems.append("unhealthy (fresh record)") }
        if record.circuit == .open { problems.append("circuit open") }
        let reason: String
        if !problems.isEmpty {
            reason = problems.joined(separator: ", ")
        } else {
            switch (record.status, record.circuit) {
            case (_, .halfOpen): reason = "circuit half-open: kept for trial requests"
            case (.degraded, _): reason = "degraded: kept"
            case (.unknown, _): reason = "status unknown: kept"
            default: reason = "healthy"
            }
        }
        let trace = EndpointTrace(url: url, id: id, status: record.status, latencyMs: record.latencyMs, ageSeconds: record.ageSeconds,
                                  circuit: record.circuit, stale: false, kept: problems.isEmpty, reason: reason)
        return (trace, SelectionCandidate(endpoint: endpoint, id: id, url: url, record: record, inFlightHint: record.inFlight))
    }

    /// The trace of a configured fallback; a response without a status is a 503, as the
    /// schema's default says.
    static func trace(of fallback: Fallback) -> FallbackTrace {
        switch fallback {
        case .service(let name): .service(name.value)
        case .response(let status, let body, _): .response(status: status?.value ?? 503, body: body?.value)
        }
    }
}

/// An endpoint that may be picked.
struct SelectionCandidate {
    var endpoint: Endpoint
    /// `id`, else the URL.
    var id: String
    var url: String
    /// The fresh health record, if any (stale records are dropped: they rank as unknown).
    var record: EndpointHealth?
    /// In-flight requests the caller reported in the snapshot (for least-connections).
    var inFlightHint: Int?
}

/// The load-balancer settings in force, each field from the most specific level that sets
/// it (rule, service, `mesh.defaults`), so a rule can change the strategy and still inherit
/// a service's `seed`.
struct BalancerSettings {
    var strategy: LoadBalancingStrategy
    /// `p50` or `ewma` (the schema's default).
    var metric: String
    var seed: UInt64?

    init(levels: [LoadBalancerPolicy?]) {
        let policies = levels.compactMap { $0 }
        strategy = policies.lazy.compactMap { $0.strategy?.value }.first ?? .roundRobin
        metric = policies.lazy.compactMap { $0.metric?.value }.first ?? "ewma"
        // The schema requires seed >= 0; a negative one from a file being edited keeps its bits.
        seed = policies.lazy.compactMap { $0.seed?.value }.first.map { UInt64(bitPattern: Int64($0)) }
    }
}
