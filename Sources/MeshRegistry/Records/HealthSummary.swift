import MeshRouter
import WireJSON

/// The compact summary stored as the metadata of a `health:` key, so that one listing per
/// service answers "how healthy is it" without a read per endpoint (docs/guide/registry.md):
/// `{"s": status, "t": checkedAt ms, "l": p50 latency ms, "c": circuit state}`.
public struct HealthSummary: Sendable, Hashable {
    /// `s`: `healthy`, `degraded` or `unhealthy` (never `unknown`).
    public var status: HealthStatus
    /// `t`: when the endpoint was checked, epoch milliseconds.
    public var checkedAt: Int64
    /// `l`: the p50 latency in milliseconds; `null` before the first successful probe.
    public var latencyP50Ms: Double?
    /// `c`: the circuit breaker state.
    public var circuit: CircuitState

    /// Creates a summary.
    public init(status: HealthStatus, checkedAt: Int64, latencyP50Ms: Double?, circuit: CircuitState) {
        self.status = status
        self.checkedAt = checkedAt
        self.latencyP50Ms = latencyP50Ms
        self.circuit = circuit
    }

    /// The metadata JSON text, well under the 1024-byte metadata limit.
    public func encoded() -> String {
        let object: JSONObject = [
            "s": .string(status.rawValue),
            "t": .int(checkedAt),
            "l": .orNull(latencyP50Ms),
            "c": .string(circuit.rawValue),
        ]
        return WireJSON.serialize(.object(object))
    }

    /// Reads the metadata of `key`; throws ``RegistryError/corrupt(_:)`` naming the key
    /// when it is not JSON or not shaped as above.
    public static func decode(_ metadata: String, key: String = "health summary") throws(RegistryError) -> HealthSummary
    {
        let fields = try RecordFields.parse(metadata: metadata, subject: key)
        return HealthSummary(
            status: try fields.choice("s", HealthStatus.self, allowed: HealthRecord.recordStatuses),
            checkedAt: try fields.int64("t"),
            latencyP50Ms: try fields.optionalDouble("l"),
            circuit: try fields.choice("c", CircuitState.self, allowed: CircuitState.allCases)
        )
    }

    /// What the router needs of an endpoint, with the record's age at `now` (epoch seconds).
    /// A checkedAt in the future (clock skew between hosts) counts as age 0.
    public func endpointHealth(now: Double) -> EndpointHealth {
        let age = max(0, now - Double(checkedAt) / 1000)
        return EndpointHealth(status: status, latencyMs: latencyP50Ms, ageSeconds: age, circuit: circuit)
    }
}
