import MeshSyntax

/// Why an attempt failed, as far as `retryOn` is concerned.
public enum RetryCondition: Sendable, Hashable {
    /// The upstream answered with this status.
    case status(Int)
    /// The connection could not be made (DNS, TCP, TLS).
    case connectFailure
    /// The attempt ran out of time.
    case timeout

    /// Whether the `retryOn` entry `entry` covers this condition: `5xx` (any status class
    /// written `Nxx`), an exact status such as `429`, `connect-failure` or `timeout`.
    /// Entries the schema does not know never match.
    public func matches(_ entry: String) -> Bool {
        switch self {
        case .connectFailure: return entry.hasSameBytes(as: "connect-failure")
        case .timeout: return entry.hasSameBytes(as: "timeout")
        case .status(let status):
            let bytes = Array(entry.utf8)
            if bytes.count == 3, bytes[1] == UInt8(ascii: "x"), bytes[2] == UInt8(ascii: "x"),
                (UInt8(ascii: "1")...UInt8(ascii: "5")).contains(bytes[0])
            {
                return status / 100 == Int(bytes[0] - UInt8(ascii: "0"))
            }
            return Int(entry) == status
        }
    }
}

/// Retry decisions and backoff delays as pure functions (docs/guide/routing.md, "Circuit breaker and
/// retries"). Attempts are counted from 0: `attempt` is the number of retries already
/// made, so the first retry is attempt 0, waits up to `base` and is allowed when
/// `attempts >= 1`.
public struct RetryBackoff: Sendable, Hashable {
    /// The retry settings in force.
    public let policy: EffectiveRetries

    /// Methods that may be repeated without changing the outcome (RFC 9110, 9.2.2).
    public static let idempotentMethods = ["GET", "HEAD", "OPTIONS", "PUT", "DELETE", "TRACE"]

    /// Creates the backoff for `policy`.
    public init(policy: EffectiveRetries) {
        self.policy = policy
    }

    /// The largest delay before retry `attempt`: `min(max, base * 2^attempt)` in
    /// milliseconds, without overflow for any attempt.
    public func ceilingMs(attempt: Int) -> Int {
        let maximum = max(policy.maxMs, 0)
        var delay = min(max(policy.baseMs, 0), maximum)
        var doublings = max(attempt, 0)
        while doublings > 0, delay > 0, delay < maximum {
            delay = delay > maximum / 2 ? maximum : delay * 2
            doublings -= 1
        }
        return delay
    }

    /// The delay before retry `attempt`, in milliseconds: with `full` jitter (the default,
    /// also for unknown values) a uniform draw from `0...ceiling`, which spreads retries of
    /// many clients apart (AWS's "full jitter"); with `none` the ceiling itself.
    public func delayMs<Generator: RandomNumberGenerator>(attempt: Int, random: inout Generator) -> Int {
        let ceiling = ceilingMs(attempt: attempt)
        guard !policy.jitter.hasSameBytes(as: "none"), ceiling > 0 else { return ceiling }
        return SeededRandom.index(below: ceiling + 1, using: &random)
    }

    /// Whether a request that failed with `condition` after `attempt` retries may be retried:
    /// the retry budget is not spent, `condition` is listed in `retryOn`, and the method is
    /// idempotent or listed explicitly in the rule's `methods` (`ruleMethods`), which is how
    /// a config says "this POST is safe to repeat".
    public func shouldRetry(method: String, condition: RetryCondition, attempt: Int, ruleMethods: [String]?) -> Bool {
        guard attempt >= 0, attempt < policy.attempts else { return false }
        guard policy.retryOn.contains(where: condition.matches) else { return false }
        let name = method.asciiUppercased
        if Self.idempotentMethods.contains(where: { $0.hasSameBytes(as: name) }) { return true }
        return ruleMethods?.contains { $0.asciiUppercased.hasSameBytes(as: name) } ?? false
    }
}
