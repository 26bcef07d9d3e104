import MeshSyntax

/// The typed mesh config of `docs/guide/config-reference.md`, built leniently from a syntax tree: values of
/// the wrong type are left out (the validator has already reported them), so the model
/// is usable for routing, completion and hover even while the file is being edited.
public struct MeshConfig: Sendable, Hashable {
    /// `version`, when present and an integer.
    public var version: Located<Int>?
    /// `mesh`.
    public var mesh = MeshSettings()
    /// `services`, in document order; for a duplicated name only the last definition is kept.
    public var services: [Service] = []
    /// `routing`.
    public var routing = Routing()
    /// `observability`.
    public var observability = Observability()
    /// `security`.
    public var security = Security()
    /// `lint`: the level set for each code, in document order (the last setting of a
    /// code wins).
    public var lint: [LintSetting] = []

    /// Creates an empty config.
    public init() {}

    /// The service named `name`.
    public func service(named name: String) -> Service? {
        services.first { $0.name.value.hasSameBytes(as: name) }
    }

    /// The names of all services, in document order.
    public var serviceNames: [String] { services.map { $0.name.value } }
}

/// One entry of `lint`: a code and the level it is set to.
public struct LintSetting: Sendable, Hashable {
    /// The code, located at its key.
    public var code: Located<DiagnosticCode>
    /// The level.
    public var level: LintLevel

    /// Creates a setting.
    public init(code: Located<DiagnosticCode>, level: LintLevel) {
        self.code = code
        self.level = level
    }
}

/// `mesh`.
public struct MeshSettings: Sendable, Hashable {
    public var name: Located<String>?
    public var registry: RegistrySettings?
    public var defaults = PolicySet()
    public init() {}
}

/// `mesh.registry`.
public struct RegistrySettings: Sendable, Hashable {
    public var range: ByteRange
    public var binding: Located<String>?
    public var namespaceId: Located<String>?
    public var accountId: Located<String>?
}

/// The policies a service, a rule or `mesh.defaults` can set.
public struct PolicySet: Sendable, Hashable {
    public var timeout: Located<Int>?
    public var retries: RetryPolicy?
    public var loadBalancer: LoadBalancerPolicy?
    public var circuitBreaker: CircuitBreakerPolicy?
    public init() {}
}

/// `services.<name>`.
public struct Service: Sendable, Hashable {
    /// The name, located at its key.
    public var name: Located<String>
    /// The whole `"name": {...}` member.
    public var range: ByteRange
    /// Static endpoints; nil when absent (discovered from the registry).
    public var endpoints: [Endpoint]?
    public var healthCheck: HealthCheck?
    public var policies = PolicySet()
    public var fallback: Fallback?
    public var version: Located<String>?
    public var auth: ServiceAuth?

    /// Creates a service with only a name.
    public init(name: Located<String>, range: ByteRange) {
        self.name = name
        self.range = range
    }
}

/// One endpoint of a service.
public struct Endpoint: Sendable, Hashable {
    /// The endpoint's JSON value (a string or an object).
    public var range: ByteRange
    public var url: Located<String>?
    public var id: Located<String>?
    public var region: Located<String>?
    public var continent: Located<String>?
    public var location: GeoLocation?
    public var weight: Located<Double>?
    public var insecure: Located<Bool>?
    /// Whether the endpoint was written as a bare URL string.
    public var isShorthand: Bool

    /// An endpoint with only these members set: registry records and the edge router build
    /// endpoints from other text than a config.
    public init(range: ByteRange, url: Located<String>? = nil, isShorthand: Bool) {
        self.range = range
        self.url = url
        self.isShorthand = isShorthand
    }

    /// The stable id: `id`, else the URL.
    public var effectiveID: String? { id?.value ?? url?.value }

    /// Whether the endpoint says where it is.
    public var hasPlacement: Bool { region != nil || continent != nil || location != nil }
}

/// A latitude/longitude pair.
public struct GeoLocation: Sendable, Hashable {
    public var latitude: Double
    public var longitude: Double
    public var range: ByteRange

    /// A location at `range` of its text.
    public init(latitude: Double, longitude: Double, range: ByteRange) {
        self.latitude = latitude
        self.longitude = longitude
        self.range = range
    }
}

/// What a health check expects.
public enum ExpectedStatus: Sendable, Hashable {
    /// Exactly this status.
    case exact(Int)
    /// Any status of this class (`2` for `2xx`).
    case statusClass(Int)

    /// Whether `status` is healthy.
    public func accepts(_ status: Int) -> Bool {
        switch self {
        case .exact(let expected): status == expected
        case .statusClass(let leading): status / 100 == leading
        }
    }
}

/// `services.<name>.healthCheck`, with the documented defaults filled in.
public struct HealthCheck: Sendable, Hashable {
    public var range: ByteRange
    public var path: Located<String>?
    public var interval: Located<Int>?
    public var timeout: Located<Int>?
    public var expectStatus: Located<ExpectedStatus>?
    public var healthyThreshold: Located<Int>?
    public var unhealthyThreshold: Located<Int>?

    public var effectivePath: String { path?.value ?? "/health" }
    public var effectiveInterval: Int { interval?.value ?? 10_000 }
    public var effectiveTimeout: Int { timeout?.value ?? 2_000 }
    public var effectiveExpectStatus: ExpectedStatus { expectStatus?.value ?? .statusClass(2) }
    public var effectiveHealthyThreshold: Int { healthyThreshold?.value ?? 2 }
    public var effectiveUnhealthyThreshold: Int { unhealthyThreshold?.value ?? 3 }
}

/// `retries`.
public struct RetryPolicy: Sendable, Hashable {
    public var range: ByteRange
    public var attempts: Located<Int>?
    public var backoffBase: Located<Int>?
    public var backoffMax: Located<Int>?
    public var jitter: Located<String>?
    public var retryOn: [Located<String>]?
}

/// A load-balancing strategy of docs/guide/routing.md.
public enum LoadBalancingStrategy: String, Sendable, Hashable, CaseIterable {
    case roundRobin = "round-robin"
    case random
    case weighted
    case geographic
    case latency
    case leastConnections = "least-connections"
}

/// `loadBalancer`.
public struct LoadBalancerPolicy: Sendable, Hashable {
    public var range: ByteRange
    public var strategy: Located<LoadBalancingStrategy>?
    public var metric: Located<String>?
    public var seed: Located<Int>?
}

/// `circuitBreaker`.
public struct CircuitBreakerPolicy: Sendable, Hashable {
    public var range: ByteRange
    public var failureThreshold: Located<Int>?
    public var resetTimeout: Located<Int>?
    public var halfOpenRequests: Located<Int>?
    public var maxResetTimeout: Located<Int>?
}

/// `fallback`.
public enum Fallback: Sendable, Hashable {
    /// Another service, by name.
    case service(Located<String>)
    /// A fixed response.
    case response(status: Located<Int>?, body: Located<String>?, range: ByteRange)
}

/// `services.<name>.auth`.
public struct ServiceAuth: Sendable, Hashable {
    public var mode: Located<String>?
    public var allow: [Located<String>] = []
}

/// `routing`.
public struct Routing: Sendable, Hashable {
    public var rules: [Rule] = []
    public var defaultService: Located<String>?
    public init() {}
}

/// A header condition of a rule.
public enum HeaderCondition: Sendable, Hashable {
    case equals(String)
    case present
    case absent
}

/// One `headers` entry of a rule.
public struct HeaderMatch: Sendable, Hashable {
    public var name: Located<String>
    public var condition: Located<HeaderCondition>
}

/// `geo` of a rule.
public struct GeoMatch: Sendable, Hashable {
    public var range: ByteRange
    public var continents: [Located<String>]?
    public var countries: [Located<String>]?
    public var colos: [Located<String>]?
}

/// One branch of a split.
public struct SplitBranch: Sendable, Hashable {
    public var range: ByteRange
    public var service: Located<String>?
    public var weight: Located<Double>?
}

/// A routing rule.
public struct Rule: Sendable, Hashable {
    /// The rule's position in `routing.rules`.
    public var index: Int
    /// The rule's object.
    public var range: ByteRange
    public var name: Located<String>?
    public var path: Located<String>?
    public var methods: [Located<String>]?
    public var host: Located<String>?
    public var headers: [HeaderMatch] = []
    public var geo: GeoMatch?
    public var service: Located<String>?
    public var split: [SplitBranch]?
    public var splitRange: ByteRange?
    public var stickyBy: Located<String>?
    public var stripPrefix: Located<String>?
    public var policies = PolicySet()

    /// How the rule is named in messages: its name, else `#index path`.
    public var displayName: String {
        if let name = name?.value { return "'\(name)'" }
        return "#\(index) \(path?.value ?? "")"
    }
}

/// `observability`.
public struct Observability: Sendable, Hashable {
    public var sampleRate: Located<Double>?
    public var propagate: [Located<String>]?
    public var metrics: Located<Bool>?
    public var logs: Located<String>?
    public init() {}
}

/// `security`.
public struct Security: Sendable, Hashable {
    public var certificateBinding: Located<String>?
    public var defaultAuth: Located<String>?
    public init() {}
}
