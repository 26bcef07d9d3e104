import MeshConfig
import MeshSyntax

/// Every routing answer as structured data (the decision trace of docs/guide/routing.md): the same value
/// is printed by `diddy-mesh route --format json` and returned by the language server.
public struct DecisionTrace: Sendable, Hashable {
    /// How the request was answered.
    public enum Outcome: String, Sendable, Hashable {
        case routed
        case `default`
        case noRoute = "no-route"
    }

    /// The matched rule.
    public struct MatchedRule: Sendable, Hashable {
        public var index: Int
        public var name: String?
        public var path: String
        public var range: ByteRange
        public init(index: Int, name: String?, path: String, range: ByteRange) {
            self.index = index
            self.name = name
            self.path = path
            self.range = range
        }
    }

    /// An earlier rule and why it did not match.
    public struct SkippedRule: Sendable, Hashable {
        public var index: Int
        public var name: String?
        public var reason: String
        public init(index: Int, name: String?, reason: String) {
            self.index = index
            self.name = name
            self.reason = reason
        }
    }

    /// The request, normalized.
    public var request: RouteRequest
    public var outcome: Outcome
    public var rule: MatchedRule?
    /// Parameters the matched pattern captured.
    public var captures: NameMap<String> = [:]
    /// Earlier rules, each with the matcher that failed.
    public var skipped: [SkippedRule] = []
    public var split: SplitDecision?
    public var service: String?
    public var endpoints: [EndpointTrace] = []
    public var endpoint: String?
    public var strategy: StrategyTrace?
    /// What answered when no endpoint was usable.
    public var fallback: FallbackTrace?
    /// Whether every endpoint was unusable and all were used anyway.
    public var panic = false
    public var policy: EffectivePolicy?
    /// Problems that kept the decision from completing (a rule naming an undefined service).
    public var notes: [String] = []

    /// Creates a trace for `request` with the given outcome.
    public init(request: RouteRequest, outcome: Outcome) {
        self.request = request
        self.outcome = outcome
    }
}

/// One branch of a split with its probability.
public struct SplitBranchTrace: Sendable, Hashable {
    public var service: String
    public var weight: Double
    /// weight / total weight.
    public var probability: Double
    public init(service: String, weight: Double, probability: Double) {
        self.service = service
        self.weight = weight
        self.probability = probability
    }
}

/// How a split branch was chosen.
public struct SplitDecision: Sendable, Hashable {
    public var branches: [SplitBranchTrace]
    public var chosen: String
    /// `sticky by cookie:session (hash 0.42)` or `random draw 0.87`.
    public var reason: String
    public init(branches: [SplitBranchTrace], chosen: String, reason: String) {
        self.branches = branches
        self.chosen = chosen
        self.reason = reason
    }
}

/// One candidate endpoint, its health and whether it was kept.
public struct EndpointTrace: Sendable, Hashable {
    public var url: String
    public var id: String
    public var status: HealthStatus
    public var latencyMs: Double?
    public var ageSeconds: Double?
    public var circuit: CircuitState
    public var stale: Bool
    public var kept: Bool
    public var reason: String
    public init(
        url: String, id: String, status: HealthStatus, latencyMs: Double?, ageSeconds: Double?, circuit: CircuitState,
        stale: Bool, kept: Bool, reason: String
    ) {
        self.url = url
        self.id = id
        self.status = status
        self.latencyMs = latencyMs
        self.ageSeconds = ageSeconds
        self.circuit = circuit
        self.stale = stale
        self.kept = kept
        self.reason = reason
    }
}

/// The strategy that picked the endpoint and why.
public struct StrategyTrace: Sendable, Hashable {
    public var name: String
    public var reason: String
    public init(name: String, reason: String) {
        self.name = name
        self.reason = reason
    }
}

/// The fallback used when no endpoint was usable.
public enum FallbackTrace: Sendable, Hashable {
    case service(String)
    case response(status: Int, body: String?)
}

/// The policies in force for the decision, after rule > service > mesh.defaults.
public struct EffectivePolicy: Sendable, Hashable {
    public var timeoutMs: Int
    public var retries: EffectiveRetries
    public var circuitBreaker: EffectiveCircuitBreaker?
    /// The path forwarded upstream, after `stripPrefix`.
    public var forwardPath: String
    public init(
        timeoutMs: Int, retries: EffectiveRetries, circuitBreaker: EffectiveCircuitBreaker?, forwardPath: String
    ) {
        self.timeoutMs = timeoutMs
        self.retries = retries
        self.circuitBreaker = circuitBreaker
        self.forwardPath = forwardPath
    }
}

/// Retry settings in force.
public struct EffectiveRetries: Sendable, Hashable {
    public var attempts: Int
    public var baseMs: Int
    public var maxMs: Int
    public var jitter: String
    public var retryOn: [String]
    public init(attempts: Int, baseMs: Int, maxMs: Int, jitter: String, retryOn: [String]) {
        self.attempts = attempts
        self.baseMs = baseMs
        self.maxMs = maxMs
        self.jitter = jitter
        self.retryOn = retryOn
    }
}

/// Circuit breaker settings in force.
public struct EffectiveCircuitBreaker: Sendable, Hashable {
    public var failureThreshold: Int
    public var resetTimeoutMs: Int
    public var halfOpenRequests: Int
    public var maxResetTimeoutMs: Int
    public init(failureThreshold: Int, resetTimeoutMs: Int, halfOpenRequests: Int, maxResetTimeoutMs: Int) {
        self.failureThreshold = failureThreshold
        self.resetTimeoutMs = resetTimeoutMs
        self.halfOpenRequests = halfOpenRequests
        self.maxResetTimeoutMs = maxResetTimeoutMs
    }
}
