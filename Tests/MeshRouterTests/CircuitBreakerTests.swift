import MeshRouter
import Testing

/// The circuit breaker state machine, driven by an injected clock (plain milliseconds).
@Suite("Circuit breaker")
struct CircuitBreakerTests {
    static let settings = EffectiveCircuitBreaker(
        failureThreshold: 3, resetTimeoutMs: 1_000, halfOpenRequests: 2, maxResetTimeoutMs: 5_000)

    /// A breaker tripped at `now` by `threshold` failures.
    static func tripped(at now: Int = 0) -> CircuitBreaker {
        var breaker = CircuitBreaker(settings: settings)
        for _ in 0..<settings.failureThreshold { breaker.recordFailure(nowMs: now) }
        return breaker
    }

    @Test("closed until failureThreshold consecutive failures; a success resets the count")
    func trips() {
        var breaker = CircuitBreaker(settings: Self.settings)
        breaker.recordFailure(nowMs: 0)
        breaker.recordFailure(nowMs: 1)
        breaker.recordSuccess(nowMs: 2)
        breaker.recordFailure(nowMs: 3)
        breaker.recordFailure(nowMs: 4)
        #expect(breaker.state == .closed)
        #expect(breaker.consecutiveFailures == 2)
        let allowed5 = breaker.allowRequest(nowMs: 5)
        #expect(allowed5)
        breaker.recordFailure(nowMs: 10)
        #expect(breaker.state == .open)
        #expect(breaker.trips == 1)
        #expect(breaker.openedAtMs == 10)
        #expect(breaker.resetAtMs == 1_010)
    }

    @Test("open refuses until resetTimeout has passed, then lets halfOpenRequests through")
    func halfOpen() {
        var breaker = Self.tripped(at: 0)
        let allowed999 = breaker.allowRequest(nowMs: 999)
        #expect(!allowed999)
        #expect(breaker.state(at: 999) == .open)
        #expect(breaker.state(at: 1_000) == .halfOpen, "reading the state does not change it")
        #expect(breaker.state == .open)
        let allowed1000 = breaker.allowRequest(nowMs: 1_000)
        #expect(allowed1000)
        #expect(breaker.state == .halfOpen)
        let allowed1001 = breaker.allowRequest(nowMs: 1_001)
        #expect(allowed1001)
        let allowed1002 = breaker.allowRequest(nowMs: 1_002)
        #expect(!allowed1002, "only two trial requests")
    }

    @Test("a success while half-open closes and forgets the trips")
    func closes() {
        var breaker = Self.tripped(at: 0)
        let allowed1000 = breaker.allowRequest(nowMs: 1_000)
        #expect(allowed1000)
        breaker.recordSuccess(nowMs: 1_050)
        #expect(breaker.state == .closed)
        #expect(breaker.trips == 0)
        #expect(breaker.resetAtMs == nil)
        for _ in 0..<3 { breaker.recordFailure(nowMs: 2_000) }
        #expect(breaker.resetAtMs == 3_000, "after a close the open period starts from resetTimeout again")
    }

    @Test("a failure while half-open re-opens for twice as long, up to maxResetTimeout")
    func doubling() {
        var breaker = Self.tripped(at: 0)
        var now = 0
        var periods: [Int] = []
        for _ in 0..<5 {
            now = breaker.resetAtMs ?? now
            periods.append(now - (breaker.openedAtMs ?? 0))
            let allowedNow = breaker.allowRequest(nowMs: now)
            #expect(allowedNow)
            breaker.recordFailure(nowMs: now)
            #expect(breaker.state == .open)
        }
        #expect(periods == [1_000, 2_000, 4_000, 5_000, 5_000])
        #expect(breaker.trips == 6)
    }

    @Test("open durations follow min(max, reset * 2^(trip-1)) without overflow")
    func openDurations() {
        let breaker = CircuitBreaker(
            settings: EffectiveCircuitBreaker(
                failureThreshold: 5, resetTimeoutMs: 30_000, halfOpenRequests: 1, maxResetTimeoutMs: 300_000))
        #expect(
            (1...6).map { breaker.openDurationMs(trip: $0) } == [30_000, 60_000, 120_000, 240_000, 300_000, 300_000])
        #expect(breaker.openDurationMs(trip: 1_000_000) == 300_000)
        let huge = CircuitBreaker(
            settings: EffectiveCircuitBreaker(
                failureThreshold: 1, resetTimeoutMs: Int.max / 2 + 1, halfOpenRequests: 1, maxResetTimeoutMs: Int.max))
        #expect(huge.openDurationMs(trip: 3) == Int.max)
        var late = huge
        late.recordFailure(nowMs: Int.max - 1)
        #expect(late.resetAtMs == Int.max, "the reset time saturates instead of overflowing")
    }

    @Test("outcomes reported while open are ignored")
    func ignoredWhileOpen() {
        var breaker = Self.tripped(at: 0)
        breaker.recordSuccess(nowMs: 10)
        breaker.recordFailure(nowMs: 20)
        #expect(breaker.state == .open)
        #expect(breaker.trips == 1)
        #expect(breaker.resetAtMs == 1_000)
    }

    @Test("out-of-range settings are read as the nearest sensible ones")
    func clampedSettings() {
        var breaker = CircuitBreaker(
            settings: EffectiveCircuitBreaker(
                failureThreshold: 0, resetTimeoutMs: 10_000, halfOpenRequests: 0, maxResetTimeoutMs: 100))
        #expect(
            breaker.settings
                == EffectiveCircuitBreaker(
                    failureThreshold: 1, resetTimeoutMs: 10_000, halfOpenRequests: 1, maxResetTimeoutMs: 10_000))
        breaker.recordFailure(nowMs: 0)
        #expect(breaker.state == .open)
        #expect(breaker.resetAtMs == 10_000)
    }
}
