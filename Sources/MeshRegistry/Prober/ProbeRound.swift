import MeshRouter

/// What probing one endpoint once produced.
public struct ProbeResult: Sendable, Hashable {
    /// The service.
    public var service: String
    /// The endpoint id (the `id`, else the URL).
    public var endpointId: String
    /// The endpoint URL.
    public var url: String
    /// Whether the endpoint came from a `service:<name>` registration rather than the config.
    public var registered: Bool
    /// The time to an HTTP answer, nil when there was none (timeout, refused).
    public var latencyMs: Double?
    /// The failure, nil for a success.
    public var failure: HealthRecord.ProbeFailure?
    /// The record written (or that failed to be written).
    public var record: HealthRecord
    /// The key of the record.
    public var key: String
    /// Why the record could not be written, nil when it was.
    public var writeError: RegistryError?
    /// How long the probe took from start to record written, in milliseconds.
    public var durationMs: Double

    /// The status after this probe.
    public var status: HealthStatus { record.status }
    /// The circuit state after this probe.
    public var circuit: CircuitState { record.circuit.state }
}

/// One round over every endpoint.
public struct ProbeRound: Sendable, Hashable {
    /// When the round started, epoch ms.
    public var startedAtMs: Int
    /// Wall time of the round in milliseconds, discovery included.
    public var wallMs: Double
    /// One result per endpoint, ordered by service then endpoint id.
    public var results: [ProbeResult]
    /// What could not be probed or read, in words (a registration that is not JSON, an
    /// endpoint without a URL, an unreachable registry); the round goes on without it.
    public var problems: [String]
    /// The most probes that were in flight at once.
    public var peakInFlight: Int

    /// The results of `service`.
    public func results(service: String) -> [ProbeResult] {
        results.filter { $0.service == service }
    }

    /// The result of one endpoint.
    public func result(service: String, endpointId: String) -> ProbeResult? {
        results.first { $0.service == service && $0.endpointId == endpointId }
    }
}
