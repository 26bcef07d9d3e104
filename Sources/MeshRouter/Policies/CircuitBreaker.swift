/// The circuit breaker of one endpoint as a pure state machine (docs/guide/routing.md, "Circuit
/// breaker and retries"). Time is passed in as milliseconds on any monotonic clock, so
/// tests drive it with plain numbers.
///
/// - closed: requests pass; `failureThreshold` consecutive failures trip it.
/// - open: requests are refused until the reset time; the open period is `resetTimeout`,
///   doubled for each consecutive trip, capped at `maxResetTimeout`.
/// - half-open: once the reset time has passed, up to `halfOpenRequests` trial requests
///   pass; the first success closes the circuit (and forgets the trips), a failure opens
///   it again for the next, longer period.
///
/// Outcomes reported while open (requests that started before the trip) are ignored: they
/// say nothing about the endpoint after it was given time to recover.
public struct CircuitBreaker: Sendable, Hashable {
    /// The settings.
    public let settings: EffectiveCircuitBreaker
    /// The state as of the last call; see ``state(at:)`` for the state at a given time.
    public private(set) var state: CircuitState = .closed
    /// Consecutive failures while closed.
    public private(set) var consecutiveFailures = 0
    /// Consecutive trips without a close in between (0 while it has not tripped).
    public private(set) var trips = 0
    /// When the circuit last opened.
    public private(set) var openedAtMs: Int?
    /// When the open circuit lets trial requests through.
    public private(set) var resetAtMs: Int?
    /// Trial requests let through in the current half-open period.
    public private(set) var trialRequests = 0

    /// Creates a closed breaker. Out-of-range settings (which the validator reports) are
    /// read as the nearest sensible ones: at least one failure and one trial request, a
    /// non-negative reset timeout, and a cap no lower than the reset timeout.
    public init(settings: EffectiveCircuitBreaker) {
        let reset = max(settings.resetTimeoutMs, 0)
        self.settings = EffectiveCircuitBreaker(
            failureThreshold: max(settings.failureThreshold, 1), resetTimeoutMs: reset,
            halfOpenRequests: max(settings.halfOpenRequests, 1),
            maxResetTimeoutMs: max(settings.maxResetTimeoutMs, reset))
    }

    /// The state at `nowMs` without changing anything: an open circuit whose reset time has
    /// passed reads as half-open.
    public func state(at nowMs: Int) -> CircuitState {
        if state == .open, let resetAtMs, nowMs >= resetAtMs { return .halfOpen }
        return state
    }

    /// Asks to send a request at `nowMs`; returns whether it may go. Moves an open circuit
    /// whose time is up to half-open and counts trial requests.
    public mutating func allowRequest(nowMs: Int) -> Bool {
        switch state {
        case .closed:
            return true
        case .open:
            guard let resetAtMs, nowMs >= resetAtMs else { return false }
            state = .halfOpen
            trialRequests = 1
            return true
        case .halfOpen:
            guard trialRequests < settings.halfOpenRequests else { return false }
            trialRequests += 1
            return true
        }
    }

    /// Records a successful request.
    public mutating func recordSuccess(nowMs: Int) {
        switch state {
        case .closed:
            consecutiveFailures = 0
        case .halfOpen:
            close()
        case .open:
            break
        }
    }

    /// Records a failed request at `nowMs`.
    public mutating func recordFailure(nowMs: Int) {
        switch state {
        case .closed:
            consecutiveFailures += 1
            if consecutiveFailures >= settings.failureThreshold { trip(nowMs: nowMs) }
        case .halfOpen:
            trip(nowMs: nowMs)
        case .open:
            break
        }
    }

    /// How long the circuit stays open after trip number `trip` (1-based):
    /// `min(maxResetTimeout, resetTimeout * 2^(trip - 1))`, without overflow.
    public func openDurationMs(trip: Int) -> Int {
        var duration = settings.resetTimeoutMs
        guard duration > 0 else { return 0 }
        var doublings = max(trip - 1, 0)
        while doublings > 0, duration < settings.maxResetTimeoutMs {
            duration = duration > settings.maxResetTimeoutMs / 2 ? settings.maxResetTimeoutMs : duration * 2
            doublings -= 1
        }
        return min(duration, settings.maxResetTimeoutMs)
    }

    private mutating func trip(nowMs: Int) {
        trips += 1
        state = .open
        openedAtMs = nowMs
        let (reset, overflow) = nowMs.addingReportingOverflow(openDurationMs(trip: trips))
        resetAtMs = overflow ? Int.max : reset
        consecutiveFailures = 0
        trialRequests = 0
    }

    private mutating func close() {
        state = .closed
        trips = 0
        consecutiveFailures = 0
        trialRequests = 0
        openedAtMs = nil
        resetAtMs = nil
    }
}
