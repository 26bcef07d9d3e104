import Foundation

/// How a ``HealthProber`` runs.
public struct ProbeOptions: Sendable {
    /// The default bound on probes in flight.
    public static let defaultConcurrency = 32

    /// At most this many probes run at once (at least 1).
    public var concurrency: Int
    /// Replaces every service's `healthCheck.interval` (CLI `--interval`), in milliseconds.
    public var intervalOverrideMs: Int?
    /// `checker.host` of the records.
    public var checkerHost: String
    /// `checker.colo` of the records (nil outside a Worker).
    public var checkerColo: String?
    /// Wall-clock time in epoch milliseconds, for `checkedAt` and the circuit breaker;
    /// injectable so tests can move time past a breaker's reset.
    public var now: @Sendable () -> Int
    /// The HTTP client; nil means a ``ProbeNIOClient`` sized to ``concurrency``.
    public var httpClient: (any ProbeHTTPClient)?
    /// Whether an endpoint seen for the first time continues from its stored record
    /// (counters, latency window, circuit), so a restarted prober does not start over.
    public var restoreFromStore: Bool

    /// Creates options; every parameter has the documented default.
    public init(
        concurrency: Int = ProbeOptions.defaultConcurrency, intervalOverrideMs: Int? = nil, checkerHost: String? = nil,
        checkerColo: String? = nil,
        now: @escaping @Sendable () -> Int = ProbeOptions.systemNow, httpClient: (any ProbeHTTPClient)? = nil,
        restoreFromStore: Bool = true
    ) {
        self.concurrency = max(1, concurrency)
        self.intervalOverrideMs = intervalOverrideMs.map { max(1, $0) }
        self.checkerHost = checkerHost ?? ProcessInfo.processInfo.hostName
        self.checkerColo = checkerColo
        self.now = now
        self.httpClient = httpClient
        self.restoreFromStore = restoreFromStore
    }

    /// The system clock in epoch milliseconds.
    public static let systemNow: @Sendable () -> Int = { Int((Date().timeIntervalSince1970 * 1000).rounded()) }
}
