import MeshConfig
import MeshSyntax

/// The health an endpoint was last seen in.
public enum HealthStatus: String, Sendable, Hashable, CaseIterable {
    case healthy, degraded, unhealthy
    /// No record, or a stale one: the router keeps the endpoint.
    case unknown
}

/// The state of an endpoint's circuit breaker.
public enum CircuitState: String, Sendable, Hashable, CaseIterable {
    case closed
    case open
    case halfOpen = "half-open"
}

/// What the registry knows of one endpoint, as a plain value: the router never reads
/// the registry itself.
public struct EndpointHealth: Sendable, Hashable {
    /// The status of the record.
    public var status: HealthStatus
    /// Recent latency (the record's p50, or EWMA where the strategy asks for it).
    public var latencyMs: Double?
    /// Exponentially weighted latency, when known.
    public var ewmaMs: Double?
    /// How old the record is.
    public var ageSeconds: Double?
    /// The circuit breaker state.
    public var circuit: CircuitState
    /// In-flight requests known to the caller, for least-connections previews.
    public var inFlight: Int?

    /// Creates a health value.
    public init(
        status: HealthStatus, latencyMs: Double? = nil, ewmaMs: Double? = nil, ageSeconds: Double? = nil,
        circuit: CircuitState = .closed, inFlight: Int? = nil
    ) {
        self.status = status
        self.latencyMs = latencyMs
        self.ewmaMs = ewmaMs
        self.ageSeconds = ageSeconds
        self.circuit = circuit
        self.inFlight = inFlight
    }
}

/// A snapshot of live data for routing: health records by service and endpoint id, and
/// the endpoints of services that register themselves instead of listing static ones.
public struct HealthSnapshot: Sendable, Hashable {
    /// Health by service name, then by endpoint id (an endpoint's `id`, else its URL).
    public var records: NameMap<NameMap<EndpointHealth>>
    /// Registered endpoints by service name (`service:<name>` in the registry).
    public var registrations: NameMap<[Endpoint]>
    /// Records older than this are stale: shown as stale and treated as unknown.
    public var staleAfterSeconds: Double

    /// Creates a snapshot.
    public init(
        records: NameMap<NameMap<EndpointHealth>> = [:], registrations: NameMap<[Endpoint]> = [:],
        staleAfterSeconds: Double = 30
    ) {
        self.records = records
        self.registrations = registrations
        self.staleAfterSeconds = staleAfterSeconds
    }

    /// No live data at all.
    public static let empty = HealthSnapshot()

    /// The record of one endpoint, if any.
    public func health(service: String, endpoint id: String) -> EndpointHealth? {
        records[service]?[id]
    }

    /// Whether a record is too old to trust.
    public func isStale(_ health: EndpointHealth) -> Bool {
        (health.ageSeconds ?? 0) > staleAfterSeconds
    }
}
