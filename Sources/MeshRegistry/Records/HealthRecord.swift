import MeshRouter
import WireJSON

/// The full health record of one endpoint, the value of `health:<service>:<endpointId>`
/// (docs/guide/registry.md). The prober writes it; readers use ``HealthSummary`` from the metadata
/// and read this only to show detail.
public struct HealthRecord: Sendable, Hashable {
    /// The service name.
    public var service: String
    /// The endpoint URL.
    public var endpoint: String
    /// `healthy`, `degraded` or `unhealthy`; ``HealthStatus/unknown`` is not a record
    /// status and is rejected when decoding.
    public var status: HealthStatus
    /// When the probe ran, epoch milliseconds.
    public var checkedAt: Int64
    /// Latency statistics.
    public var latencyMs: LatencyStats
    /// Successes in a row (0 after a failure).
    public var consecutiveSuccesses: Int
    /// Failures in a row (0 after a success).
    public var consecutiveFailures: Int
    /// The circuit breaker.
    public var circuit: CircuitRecord
    /// The last failure, nil when the last probe succeeded.
    public var lastError: ProbeFailure?
    /// Who probed.
    public var checker: Checker

    /// The statuses a record may have.
    static let recordStatuses: [HealthStatus] = [.healthy, .degraded, .unhealthy]

    /// Creates a record.
    public init(
        service: String, endpoint: String, status: HealthStatus, checkedAt: Int64, latencyMs: LatencyStats,
        consecutiveSuccesses: Int, consecutiveFailures: Int, circuit: CircuitRecord, lastError: ProbeFailure?,
        checker: Checker
    ) {
        self.service = service
        self.endpoint = endpoint
        self.status = status
        self.checkedAt = checkedAt
        self.latencyMs = latencyMs
        self.consecutiveSuccesses = consecutiveSuccesses
        self.consecutiveFailures = consecutiveFailures
        self.circuit = circuit
        self.lastError = lastError
        self.checker = checker
    }

    /// The summary to store as the key's metadata.
    public var summary: HealthSummary {
        HealthSummary(status: status, checkedAt: checkedAt, latencyP50Ms: latencyMs.p50, circuit: circuit.state)
    }

    /// The record as compact UTF-8 JSON, members in the order of docs/guide/registry.md.
    public func encoded() -> [UInt8] {
        Array(WireJSON.serialize(jsonValue).utf8)
    }

    /// The record as a JSON value.
    public var jsonValue: JSONValue {
        let object: JSONObject = [
            "service": .string(service),
            "endpoint": .string(endpoint),
            "status": .string(status.rawValue),
            "checkedAt": .int(checkedAt),
            "latencyMs": latencyMs.jsonValue,
            "consecutiveSuccesses": .int(Int64(consecutiveSuccesses)),
            "consecutiveFailures": .int(Int64(consecutiveFailures)),
            "circuit": circuit.jsonValue,
            "lastError": lastError?.jsonValue ?? .null,
            "checker": checker.jsonValue,
        ]
        return .object(object)
    }

    /// Reads a record; throws ``RegistryError/corrupt(_:)`` naming `key` when the value is
    /// not JSON or not shaped as in docs/guide/registry.md. Never traps.
    public static func decode(_ bytes: [UInt8], key: String = "health record") throws(RegistryError) -> HealthRecord {
        let fields = try RecordFields.parse(bytes, subject: key)
        return HealthRecord(
            service: try fields.string("service"),
            endpoint: try fields.string("endpoint"),
            status: try fields.choice("status", HealthStatus.self, allowed: recordStatuses),
            checkedAt: try fields.int64("checkedAt"),
            latencyMs: try LatencyStats(try fields.object("latencyMs")),
            consecutiveSuccesses: try fields.count("consecutiveSuccesses"),
            consecutiveFailures: try fields.count("consecutiveFailures"),
            circuit: try CircuitRecord(try fields.object("circuit")),
            lastError: try fields.optionalObject("lastError").map { fields throws(RegistryError) in
                try ProbeFailure(fields)
            },
            checker: try Checker(try fields.object("checker"))
        )
    }
}
