import MeshConfig
import MeshSyntax

/// Which endpoint of a service a request goes to, and why (docs/target-selection.md
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
    public init(
        endpoints: [EndpointTrace], endpoint: String?, strategy: StrategyTrace?, fallback: FallbackTrace?, panic: Bool
    ) {
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
    /// Selects the endpoint of `service` for `request`, with the trace of every candidate.
    ///
    /// - Parameters:
    ///   - service: the target service.
    ///   - config: the mesh config (for `mesh.defaults.loadBalancer`).
    ///   - request: the request (its geo fields feed `geographic`).
    ///   - health: live data; static endpoints win over registrations.
    ///   - state: the router instance's counters, weights, in-flight counts and randomness.
    ///   - strategyOverride: the matched rule's `loadBalancer`, which wins over the
    ///     service's and the defaults' field by field.
    public static func select(
        service: Service, config: MeshConfig, request: RouteRequest, health: HealthSnapshot,
        state: RouterState, strategyOverride: LoadBalancerPolicy?
    ) -> EndpointDecision {
        let name = service.name.value
        let settings = BalancerSettings(
            rule: strategyOverride, service: service.policies.loadBalancer,
            defaults: config.mesh.defaults.loadBalancer)
        let prepared = ServiceEndpoints(service: name, endpoints: service.endpoints ?? health.registrations[name] ?? [])
        var traces: [EndpointTrace] = []
        traces.reserveCapacity(prepared.endpoints.count)
        // The trace is written around the one selection path, from the verdicts it reaches.
        let outcome = run(
            prepared, hasFallback: service.fallback != nil, settings: settings, geo: request.cf, health: health,
            state: state
        ) { position, verdict in
            traces.append(trace(of: prepared.endpoints[position], verdict: verdict))
        }
        switch outcome {
        case .fallback:
            return EndpointDecision(
                endpoints: traces, endpoint: nil, strategy: nil, fallback: service.fallback.map(trace(of:)),
                panic: false)
        case .nothingUsable:
            let reason =
                prepared.endpoints.isEmpty ? "no endpoints: none listed and none registered" : "no endpoint has a URL"
            return EndpointDecision(
                endpoints: traces, endpoint: nil,
                strategy: StrategyTrace(name: settings.strategy.rawValue, reason: reason), fallback: nil, panic: false)
        case .picked(let position, let panic, let pick):
            if panic {
                for index in traces.indices where !traces[index].url.isEmpty {
                    traces[index].kept = true
                    traces[index].reason += "; used anyway (panic: no endpoint is usable)"
                }
            }
            let reason = panic ? "panic, all endpoints used; " + pick.text : pick.text
            return EndpointDecision(
                endpoints: traces, endpoint: prepared.endpoints[position].url,
                strategy: StrategyTrace(name: settings.strategy.rawValue, reason: reason), fallback: nil, panic: panic)
        }
    }

    /// What the lean path concludes: the same answer as
    /// ``select(service:config:request:health:state:strategyOverride:)``
    /// without the trace.
    enum Choice: Sendable, Hashable {
        /// The endpoint at `position` of the service's endpoints; `panic` when none was
        /// usable and all were used anyway.
        case endpoint(position: Int, panic: Bool)
        /// Nothing usable; the service's fallback answers.
        case fallback
        /// Nothing usable and no fallback: no endpoint.
        case none
    }

    /// Chooses an endpoint of a prepared service without building a trace: the hot path of
    /// ``Router/decide(_:health:)``. It runs the same filtering and strategies as the traced
    /// ``select(service:config:request:health:state:strategyOverride:)`` and advances
    /// `state` the same way, so a fresh state gives the same pick on either path.
    /// Allocates nothing, except when a smooth weighted cycle starts or restarts (it keeps
    /// the candidate ids) and the first time a state key is used.
    static func choose(
        _ endpoints: ServiceEndpoints, hasFallback: Bool, settings: BalancerSettings, geo: GeoContext,
        health: HealthSnapshot, state: RouterState
    ) -> Choice {
        switch run(
            endpoints, hasFallback: hasFallback, settings: settings, geo: geo, health: health, state: state,
            observe: { _, _ in })
        {
        case .picked(let position, let panic, _): .endpoint(position: position, panic: panic)
        case .fallback: .fallback
        case .nothingUsable: .none
        }
    }

    /// What selection concluded, before any trace is written.
    enum Outcome {
        /// No endpoint has a URL (or none is listed) and there is no fallback.
        case nothingUsable
        /// No endpoint is usable or kept, and the service has a fallback.
        case fallback
        /// The endpoint at `position`, picked by the strategy for `pick`'s reason.
        case picked(position: Int, panic: Bool, pick: StrategyPick)
    }

    /// The one selection path (filtering, fallback, panic, strategy) shared by the traced
    /// and the lean entry points. `observe` sees every endpoint's verdict in order, so the
    /// traced path can write its traces without a second filtering pass.
    ///
    /// Candidates live in a temporary allocation sized by the endpoint count, which the
    /// standard library places on the stack while it is small: a decision needs no heap
    /// for them.
    static func run(
        _ endpoints: ServiceEndpoints, hasFallback: Bool, settings: BalancerSettings, geo: GeoContext,
        health: HealthSnapshot, state: RouterState, observe: (Int, EndpointVerdict) -> Void
    ) -> Outcome {
        let records = health.records[endpoints.service]
        return withUnsafeTemporaryAllocation(of: SelectionCandidate.self, capacity: max(1, endpoints.endpoints.count)) {
            buffer in
            var usable = 0
            var kept = 0
            for position in endpoints.endpoints.indices {
                let verdict = assess(endpoints.endpoints, at: position, records: records, health: health)
                observe(position, verdict)
                guard let candidate = verdict.candidate(position: position) else { continue }
                buffer.initializeElement(at: usable, to: candidate)
                usable += 1
                if candidate.kept { kept += 1 }
            }
            guard usable > 0 else { return hasFallback ? .fallback : .nothingUsable }
            if kept == 0, hasFallback { return .fallback }
            let panic = kept == 0
            // Without panic only the kept candidates compete: move them to the front, in order.
            if !panic, kept < usable {
                var next = 0
                for index in 0..<usable where buffer[index].kept {
                    buffer[next] = buffer[index]
                    next += 1
                }
            }
            let pool = UnsafeMutableBufferPointer(rebasing: buffer[0..<(panic ? usable : kept)])
            let context = StrategyContext(endpoints: endpoints, geo: geo, state: state, settings: settings)
            let pick = EndpointStrategies.pick(from: pool, context: context)
            return .picked(position: pool[pick.index].position, panic: panic, pick: pick)
        }
    }

    /// What the filter makes of one endpoint (docs/target-selection.md).
    enum EndpointVerdict {
        /// No URL: listed, never used. The record (if any) is only shown.
        case noURL(record: EndpointHealth?)
        /// No health record: kept.
        case noRecord
        /// A stale record: kept, ranked as unknown.
        case stale(EndpointHealth)
        /// A fresh record: kept unless it says unhealthy or its circuit is open.
        case fresh(EndpointHealth)

        /// The candidate this endpoint becomes, nil when it cannot be used at all.
        func candidate(position: Int) -> SelectionCandidate? {
            switch self {
            case .noURL: nil
            case .noRecord: SelectionCandidate(position: position, kept: true, record: nil, inFlightHint: nil)
            case .stale(let record):
                SelectionCandidate(position: position, kept: true, record: nil, inFlightHint: record.inFlight)
            case .fresh(let record):
                SelectionCandidate(
                    position: position, kept: record.status != .unhealthy && record.circuit != .open,
                    record: record, inFlightHint: record.inFlight)
            }
        }
    }

    /// The verdict on the endpoint at `position`; `records` are the service's health
    /// records. Reads the endpoint's fields in place (a copy of it would retain its four
    /// strings), and its id only when the service has records.
    static func assess(
        _ endpoints: [EndpointInfo], at position: Int, records: NameMap<EndpointHealth>?, health: HealthSnapshot
    ) -> EndpointVerdict {
        var record: EndpointHealth?
        if let records, !endpoints[position].id.isEmpty { record = records[endpoints[position].id] }
        guard endpoints[position].isUsable else { return .noURL(record: record) }
        guard let record else { return .noRecord }
        return health.isStale(record) ? .stale(record) : .fresh(record)
    }

    /// The trace of one endpoint from its verdict.
    static func trace(of endpoint: EndpointInfo, verdict: EndpointVerdict) -> EndpointTrace {
        let url = endpoint.url
        let id = endpoint.id
        switch verdict {
        case .noURL(let record):
            return EndpointTrace(
                url: "", id: id, status: record?.status ?? .unknown, latencyMs: record?.latencyMs,
                ageSeconds: record?.ageSeconds,
                circuit: record?.circuit ?? .closed, stale: false, kept: false, reason: "no URL: not usable")
        case .noRecord:
            return EndpointTrace(
                url: url, id: id, status: .unknown, latencyMs: nil, ageSeconds: nil, circuit: .closed,
                stale: false, kept: true, reason: "no record: kept")
        case .stale(let record):
            let age = SelectionText.compact(record.ageSeconds ?? 0)
            return EndpointTrace(
                url: url, id: id, status: .unknown, latencyMs: record.latencyMs, ageSeconds: record.ageSeconds,
                circuit: record.circuit, stale: true, kept: true, reason: "stale record (\(age) s old): kept")
        case .fresh(let record):
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
            return EndpointTrace(
                url: url, id: id, status: record.status, latencyMs: record.latencyMs, ageSeconds: record.ageSeconds,
                circuit: record.circuit, stale: false, kept: problems.isEmpty, reason: reason)
        }
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

/// An endpoint that may be picked, as plain values (no strings, no references), so a
/// decision's candidates fit a stack buffer. The endpoint's strings stay in its
/// ``EndpointInfo``, found by `position`.
struct SelectionCandidate {
    /// The endpoint's position in the service's endpoints.
    var position: Int
    /// Whether the health filter kept it (all usable candidates compete in panic mode).
    var kept: Bool
    /// The fresh health record, if any (stale records are dropped: they rank as unknown).
    var record: EndpointHealth?
    /// In-flight requests the caller reported in the snapshot (for least-connections).
    var inFlightHint: Int?
    /// Scratch space for a strategy's ranking (distance, latency, in-flight count).
    var rank: Double? = nil
    var count: Int = 0
}
