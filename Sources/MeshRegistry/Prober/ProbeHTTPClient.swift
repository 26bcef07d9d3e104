import Foundation

/// What one `GET` came back with, before the health check's expectations are applied.
public enum ProbeHTTPResult: Sendable, Hashable {
    /// An HTTP answer with this status, after `elapsedMs`.
    case response(status: Int, elapsedMs: Double)
    /// No usable answer; `elapsedMs` is how long it took to find out.
    case failure(HealthRecord.ProbeFailure, elapsedMs: Double)
}

/// Sends the prober's health check requests. The prober uses ``ProbeNIOClient``;
/// tests inject scripted clients to drive thresholds and the circuit breaker without a
/// network.
public protocol ProbeHTTPClient: Sendable {
    /// Sends `GET url` and returns within `timeoutMs` (plus scheduling slack) whatever
    /// happens: an implementation must not wait for a server that does not answer.
    func get(_ url: URL, timeoutMs: Int) async -> ProbeHTTPResult
}
