import MeshRouter
import Testing

/// Backoff bounds, jitter and retry decisions, with seeded randomness.
@Suite("Retries and backoff")
struct RetryTests {
    static let policy = EffectiveRetries(
        attempts: 3, baseMs: 100, maxMs: 2_000, jitter: "full", retryOn: ["5xx", "connect-failure"])

    @Test("the ceiling is min(max, base * 2^attempt), also for absurd attempts")
    func ceilings() {
        let backoff = RetryBackoff(policy: Self.policy)
        #expect((0...6).map(backoff.ceilingMs) == [100, 200, 400, 800, 1_600, 2_000, 2_000])
        #expect(backoff.ceilingMs(attempt: Int.max) == 2_000)
        #expect(backoff.ceilingMs(attempt: -1) == 100)
        let inverted = RetryBackoff(
            policy: EffectiveRetries(attempts: 1, baseMs: 5_000, maxMs: 300, jitter: "none", retryOn: []))
        #expect(inverted.ceilingMs(attempt: 0) == 300, "max wins over a larger base")
    }

    @Test("full jitter stays within [0, ceiling], spreads over it and is reproducible")
    func fullJitter() {
        let backoff = RetryBackoff(policy: Self.policy)
        var random = SeededRandom(seed: 11)
        for attempt in 0..<8 {
            let ceiling = backoff.ceilingMs(attempt: attempt)
            let delays = (0..<2_000).map { _ in backoff.delayMs(attempt: attempt, random: &random) }
            #expect(delays.allSatisfy { (0...ceiling).contains($0) })
            let mean = Double(delays.reduce(0, +)) / Double(delays.count)
            #expect(
                abs(mean - Double(ceiling) / 2) < Double(ceiling) * 0.05,
                "attempt \(attempt): mean \(mean) of \(ceiling)")
            #expect(Set(delays).count > 50)
        }
        var first = SeededRandom(seed: 3)
        var second = SeededRandom(seed: 3)
        #expect(
            (0..<20).map { backoff.delayMs(attempt: $0 % 5, random: &first) }
                == (0..<20).map { backoff.delayMs(attempt: $0 % 5, random: &second) })
    }

    @Test("without jitter the delay is the ceiling")
    func noJitter() {
        var policy = Self.policy
        policy.jitter = "none"
        let backoff = RetryBackoff(policy: policy)
        var random = SeededRandom(seed: 1)
        #expect((0..<6).map { backoff.delayMs(attempt: $0, random: &random) } == [100, 200, 400, 800, 1_600, 2_000])
    }

    @Test("idempotent methods retry on listed conditions until the attempts are spent")
    func idempotent() {
        let backoff = RetryBackoff(policy: Self.policy)
        for method in ["GET", "head", "OPTIONS", "PUT", "DELETE", "TRACE"] {
            #expect(
                backoff.shouldRetry(method: method, condition: .status(503), attempt: 0, ruleMethods: nil), "\(method)")
        }
        #expect(backoff.shouldRetry(method: "GET", condition: .connectFailure, attempt: 2, ruleMethods: nil))
        #expect(
            !backoff.shouldRetry(method: "GET", condition: .status(503), attempt: 3, ruleMethods: nil),
            "three retries, then no more")
        #expect(
            !backoff.shouldRetry(method: "GET", condition: .timeout, attempt: 0, ruleMethods: nil),
            "timeout is not in the default retryOn")
        #expect(!backoff.shouldRetry(method: "GET", condition: .status(429), attempt: 0, ruleMethods: nil))
        #expect(!backoff.shouldRetry(method: "GET", condition: .status(404), attempt: 0, ruleMethods: nil))
    }

    @Test("POST and PATCH retry only when the rule lists them")
    func nonIdempotent() {
        let backoff = RetryBackoff(policy: Self.policy)
        #expect(!backoff.shouldRetry(method: "POST", condition: .status(502), attempt: 0, ruleMethods: nil))
        #expect(!backoff.shouldRetry(method: "POST", condition: .status(502), attempt: 0, ruleMethods: ["GET"]))
        #expect(backoff.shouldRetry(method: "POST", condition: .status(502), attempt: 0, ruleMethods: ["GET", "POST"]))
        #expect(backoff.shouldRetry(method: "patch", condition: .connectFailure, attempt: 1, ruleMethods: ["PATCH"]))
        #expect(
            !backoff.shouldRetry(method: "PATCH", condition: .timeout, attempt: 0, ruleMethods: ["PATCH"]),
            "only on retryOn conditions")
    }

    @Test("retryOn entries: status classes, exact statuses, connect-failure and timeout")
    func conditions() {
        #expect(RetryCondition.status(500).matches("5xx"))
        #expect(RetryCondition.status(599).matches("5xx"))
        #expect(!RetryCondition.status(429).matches("5xx"))
        #expect(RetryCondition.status(429).matches("429"))
        #expect(RetryCondition.status(404).matches("4xx"))
        #expect(!RetryCondition.status(503).matches("6xx"))
        #expect(RetryCondition.timeout.matches("timeout"))
        #expect(!RetryCondition.timeout.matches("5xx"))
        #expect(RetryCondition.connectFailure.matches("connect-failure"))
        #expect(!RetryCondition.status(500).matches("connect-failure"))
    }

    @Test("zero attempts never retry")
    func zeroAttempts() {
        let backoff = RetryBackoff(policy: PolicyResolution.defaultRetries)
        #expect(!backoff.shouldRetry(method: "GET", condition: .status(503), attempt: 0, ruleMethods: nil))
    }

    @Test("SeededRandom is SplitMix64: the reference outputs for seed 0")
    func splitMix() {
        var random = SeededRandom(seed: 0)
        #expect(
            [random.next(), random.next(), random.next()] == [
                0xE220_A839_7B1D_CDAF, 0x6E78_9E6A_A1B9_65F4, 0x06C4_5D18_8009_454F,
            ])
        var bounded = SeededRandom(seed: 5)
        #expect((0..<1_000).allSatisfy { _ in (0..<7).contains(bounded.nextIndex(below: 7)) })
        #expect(bounded.nextIndex(below: 0) == 0)
        #expect((0..<1_000).allSatisfy { _ in (0..<1).contains(bounded.nextUnit()) })
    }
}
