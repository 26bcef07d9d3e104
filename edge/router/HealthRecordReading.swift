import MeshRouter
import MeshSyntax

/// One entry of a `health:` listing, read as `diddy-mesh route --live` reads it: MeshRegistry's
/// `RegistryKeys` names the service and endpoint from the key, and `HealthSummary` turns the
/// key's metadata (`{"s", "t", "l", "c"}`, docs/guide/registry.md) into what the router needs.
///
/// MeshRegistry reads JSON with json-c and so cannot be compiled for the edge; these are the
/// same rules on the values the host's JSON held (``TaggedFields``), and the parity test
/// (edge/tests/parity.test.mjs) holds the two to the same decisions on the same records.
enum HealthRecordReading {
    /// The prefix of every health key, `health:<service>:<percent-encoded endpoint id>`.
    static let prefix = "health:"

    /// The service and endpoint id of a health key, or nil when it is not one: no service
    /// before the second colon, or an id that is not percent-encoded UTF-8.
    static func names(ofKey key: String) -> (service: String, endpointId: String)? {
        key.withUTF8Bytes { bytes in
            let start = prefix.utf8.count
            guard bytes.count > start, bytes.starts(with: prefix.utf8),
                let colon = bytes[start...].firstIndex(of: UInt8(ascii: ":")), colon > start,
                let id = PercentEncoding.decode(
                    String(decoding: UnsafeBufferPointer(rebasing: bytes[(colon + 1)...]), as: UTF8.self))
            else { return nil }
            return (String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<colon]), as: UTF8.self), id)
        }
    }

    /// The health a summary describes at `now` (epoch seconds), or nil when the summary is
    /// not one (`s`, `t`, `l` and `c` are its members): a status other than `healthy`,
    /// `degraded` or `unhealthy`, a `t` that is not a whole number of milliseconds, an `l`
    /// that is neither a number nor null, or a circuit state the router does not know. Such
    /// a key is left out, so its endpoint has no record and is kept, as the registry reader
    /// leaves out metadata it cannot read.
    static func health(
        status: TaggedFields.Value, checkedAt: TaggedFields.Value, latency: TaggedFields.Value,
        circuit: TaggedFields.Value, now: Double
    ) -> EndpointHealth? {
        guard let statusText = status.string,
            let status = HealthStatus(rawBytes: statusText), status != .unknown,
            let checkedAt = checkedAt.number,
            checkedAt.rounded() == checkedAt, abs(checkedAt) < 9.0e15,
            let circuitText = circuit.string,
            let circuit = CircuitState(rawBytes: circuitText)
        else { return nil }
        var latencyMs: Double?
        if !latency.isAbsent {
            guard let number = latency.number else { return nil }
            latencyMs = number
        }
        // A checkedAt in the future (clock skew between hosts) counts as age 0, as there.
        let age = max(0, now - checkedAt / 1000)
        return EndpointHealth(status: status, latencyMs: latencyMs, ageSeconds: age, circuit: circuit)
    }
}
