import MeshSyntax

/// Builds the typed ``MeshConfig`` from a syntax tree, taking only values of the right
/// type; everything else has been reported by the validator.
struct ModelBuilder {
    let tree: SyntaxTree
    /// The previous version's services, reused for services whose text is the same.
    var previous: PieceCache?
    /// Filled with this version's services, for the next version.
    var pieces: PieceCache?

    mutating func build() -> MeshConfig {
        var config = MeshConfig()
        guard let root = tree.rootValue, tree.kind(root) == .object else { return config }
        config.version = integer("version", in: root)
        if let mesh = object("mesh", in: root) { config.mesh = meshSettings(mesh) }
        if let services = object("services", in: root) { config.services = self.services(services) }
        if let routing = object("routing", in: root) { config.routing = self.routing(routing) }
        if let observability = object("observability", in: root) {
            config.observability = self.observability(observability)
        }
        if let security = object("security", in: root) { config.security = self.security(security) }
        if let lint = object("lint", in: root) { config.lint = self.lint(lint) }
        return config
    }

    // MARK: Sections

    private func meshSettings(_ node: NodeID) -> MeshSettings {
        var settings = MeshSettings()
        settings.name = string("name", in: node)
        if let registry = object("registry", in: node) {
            settings.registry = RegistrySettings(
                range: tree.range(registry), binding: string("binding", in: registry),
                namespaceId: string("namespaceId", in: registry), accountId: string("accountId", in: registry))
        }
        if let defaults = object("defaults", in: node) { settings.defaults = policies(defaults) }
        return settings
    }

    /// Mutating, like ``cachedService(_:value:)``, so that the cache is recorded into in
    /// place: passing `&self.pieces` to a non-mutating method made Swift copy `self`,
    /// sharing the cache, which then copied itself whole on the first record.
    private mutating func services(_ node: NodeID) -> [Service] {
        let members = tree.members(of: node)
        // Reserved: a service is a large value, and growing the array moved them all.
        var byName: [String: Int] = [:]
        byName.reserveCapacity(members.count)
        var result: [Service] = []
        result.reserveCapacity(members.count)
        for member in members {
            guard let value = member.value, tree.kind(value) == .object else { continue }
            let service = cachedService(member, value: value)
            if let existing = byName[member.name] {
                result[existing] = service
            } else {
                byName[member.name] = result.count
                result.append(service)
            }
        }
        return result
    }

    /// The service of `member`: the previous version's, moved, when its text is the same
    /// (``PieceCache``), else built.
    private mutating func cachedService(_ member: ObjectMember, value: NodeID) -> Service {
        guard previous != nil || pieces != nil else { return service(member, value: value) }
        let range = tree.range(member.node)
        let key = pieces?.recordedKey(at: range, in: tree.source) ?? PieceCache.key(at: range, in: tree.source)
        if let cached = previous?.piece(key), let service = cached.service {
            let moved = service.shifted(by: range.start - cached.start)
            pieces?.recordService(moved, key: key, start: range.start)
            pieces?.reused += 1
            return moved
        }
        let service = self.service(member, value: value)
        pieces?.recordService(service, key: key, start: range.start)
        pieces?.computed += 1
        return service
    }

    private func service(_ member: ObjectMember, value: NodeID) -> Service {
        var service = Service(
            name: Located(member.name, at: tree.range(member.key)), range: tree.range(member.node))
        var endpoints: NodeID?
        var healthCheck: NodeID?
        var policies = PolicyNodes()
        var fallback: NodeID?
        var version: NodeID?
        var auth: NodeID?
        forEachField(of: value, ServiceKey.self) { key, value in
            switch key {
            case .endpoints: endpoints = value
            case .healthCheck: healthCheck = value
            case .timeout: policies.timeout = value
            case .retries: policies.retries = value
            case .loadBalancer: policies.loadBalancer = value
            case .circuitBreaker: policies.circuitBreaker = value
            case .fallback: fallback = value
            case .version: version = value
            case .auth: auth = value
            }
        }
        if let endpoints = array(at: endpoints) {
            service.endpoints = tree.elements(of: endpoints).compactMap(endpoint)
        }
        service.healthCheck = self.healthCheck(healthCheck)
        service.policies = self.policies(policies)
        service.fallback = self.fallback(fallback)
        service.version = string(at: version)
        if let auth = object(at: auth) {
            var mode: NodeID?
            var allow: NodeID?
            forEachField(of: auth, AuthKey.self) { key, value in
                switch key {
                case .mode: mode = value
                case .allow: allow = value
                }
            }
            service.auth = ServiceAuth(mode: string(at: mode), allow: strings(at: allow) ?? [])
        }
        return service
    }

    private func endpoint(_ node: NodeID) -> Endpoint? {
        switch tree.kind(node) {
        case .string:
            guard let url = tree.string(node) else { return nil }
            return Endpoint(range: tree.range(node), url: Located(url, at: tree.range(node)), isShorthand: true)
        case .object:
            var endpoint = Endpoint(range: tree.range(node), isShorthand: false)
            var location: NodeID?
            forEachField(of: node, EndpointKey.self) { key, value in
                switch key {
                case .url: endpoint.url = string(at: value)
                case .id: endpoint.id = string(at: value)
                case .region: endpoint.region = string(at: value)
                case .continent: endpoint.continent = string(at: value)
                case .weight: endpoint.weight = number(at: value)
                case .insecure: endpoint.insecure = bool(at: value)
                case .location: location = value
                }
            }
            if let location = object(at: location) {
                var lat: NodeID?
                var lon: NodeID?
                forEachField(of: location, LocationKey.self) { key, value in
                    switch key {
                    case .lat: lat = value
                    case .lon: lon = value
                    }
                }
                if let lat = number(at: lat), let lon = number(at: lon) {
                    endpoint.location = GeoLocation(
                        latitude: lat.value, longitude: lon.value, range: tree.range(location))
                }
            }
            return endpoint
        default:
            return nil
        }
    }

    private func healthCheck(_ value: NodeID?) -> HealthCheck? {
        guard let value else { return nil }
        let range = tree.range(value)
        switch tree.kind(value) {
        case .string:
            return HealthCheck(range: range, path: tree.string(value).map { Located($0, at: range) })
        case .object:
            var check = HealthCheck(range: range)
            var expectStatus: NodeID?
            forEachField(of: value, HealthCheckKey.self) { key, value in
                switch key {
                case .path: check.path = string(at: value)
                case .interval: check.interval = integer(at: value)
                case .timeout: check.timeout = integer(at: value)
                case .healthyThreshold: check.healthyThreshold = integer(at: value)
                case .unhealthyThreshold: check.unhealthyThreshold = integer(at: value)
                case .expectStatus: expectStatus = value
                }
            }
            if let status = expectStatus {
                if let exact = tree.integer(status) {
                    check.expectStatus = Located(.exact(exact), at: tree.range(status))
                } else if let text = tree.string(status), let first = text.first?.wholeNumberValue, text.count == 3,
                    text.hasSuffix("xx")
                {
                    check.expectStatus = Located(.statusClass(first), at: tree.range(status))
                }
            }
            return check
        default:
            return nil
        }
    }

    /// The value nodes of the policy keys of one object (a service, a rule or
    /// `mesh.defaults`), gathered by the pass that reads the object's other keys.
    private struct PolicyNodes {
        var timeout: NodeID?
        var retries: NodeID?
        var loadBalancer: NodeID?
        var circuitBreaker: NodeID?
    }

    private func policies(_ node: NodeID) -> PolicySet {
        var nodes = PolicyNodes()
        forEachField(of: node, PolicyKey.self) { key, value in
            switch key {
            case .timeout: nodes.timeout = value
            case .retries: nodes.retries = value
            case .loadBalancer: nodes.loadBalancer = value
            case .circuitBreaker: nodes.circuitBreaker = value
            }
        }
        return policies(nodes)
    }

    private func policies(_ nodes: PolicyNodes) -> PolicySet {
        var set = PolicySet()
        set.timeout = integer(at: nodes.timeout)
        set.retries = retries(nodes.retries)
        set.loadBalancer = loadBalancer(nodes.loadBalancer)
        if let breaker = object(at: nodes.circuitBreaker) {
            var policy = CircuitBreakerPolicy(range: tree.range(breaker))
            forEachField(of: breaker, CircuitBreakerKey.self) { key, value in
                switch key {
                case .failureThreshold: policy.failureThreshold = integer(at: value)
                case .resetTimeout: policy.resetTimeout = integer(at: value)
                case .halfOpenRequests: policy.halfOpenRequests = integer(at: value)
                case .maxResetTimeout: policy.maxResetTimeout = integer(at: value)
                }
            }
            set.circuitBreaker = policy
        }
        return set
    }

    private func retries(_ value: NodeID?) -> RetryPolicy? {
        guard let value else { return nil }
        let range = tree.range(value)
        if let attempts = tree.integer(value) {
            return RetryPolicy(range: range, attempts: Located(attempts, at: range))
        }
        guard tree.kind(value) == .object else { return nil }
        var policy = RetryPolicy(range: range)
        var backoff: NodeID?
        forEachField(of: value, RetryKey.self) { key, value in
            switch key {
            case .attempts: policy.attempts = integer(at: value)
            case .backoff: backoff = value
            case .retryOn: policy.retryOn = strings(at: value)
            }
        }
        if let backoff = object(at: backoff) {
            forEachField(of: backoff, BackoffKey.self) { key, value in
                switch key {
                case .base: policy.backoffBase = integer(at: value)
                case .max: policy.backoffMax = integer(at: value)
                case .jitter: policy.jitter = string(at: value)
                }
            }
        }
        return policy
    }

    private func loadBalancer(_ value: NodeID?) -> LoadBalancerPolicy? {
        guard let value else { return nil }
        let range = tree.range(value)
        func strategy(_ located: Located<String>?) -> Located<LoadBalancingStrategy>? {
            guard let located, let strategy = LoadBalancingStrategy(rawValue: located.value) else { return nil }
            return Located(strategy, at: located.range)
        }
        switch tree.kind(value) {
        case .string:
            return LoadBalancerPolicy(
                range: range, strategy: strategy(tree.string(value).map { Located($0, at: range) }))
        case .object:
            var policy = LoadBalancerPolicy(range: range)
            forEachField(of: value, LoadBalancerKey.self) { key, value in
                switch key {
                case .strategy: policy.strategy = strategy(string(at: value))
                case .metric: policy.metric = string(at: value)
                case .seed: policy.seed = integer(at: value)
                }
            }
            return policy
        default:
            return nil
        }
    }

    private func fallback(_ value: NodeID?) -> Fallback? {
        guard let value else { return nil }
        switch tree.kind(value) {
        case .string:
            return tree.string(value).map { .service(Located($0, at: tree.range(value))) }
        case .object:
            var status: NodeID?
            var body: NodeID?
            forEachField(of: value, FallbackKey.self) { key, value in
                switch key {
                case .status: status = value
                case .body: body = value
                }
            }
            return .response(status: integer(at: status), body: string(at: body), range: tree.range(value))
        default:
            return nil
        }
    }

    private func routing(_ node: NodeID) -> Routing {
        var routing = Routing()
        routing.defaultService = string("default", in: node)
        if let rules = array("rules", in: node) {
            let elements = tree.elements(of: rules)
            routing.rules.reserveCapacity(elements.count)
            for (index, element) in elements.enumerated() where tree.kind(element) == .object {
                routing.rules.append(rule(element, index: index))
            }
        }
        return routing
    }

    private func rule(_ node: NodeID, index: Int) -> Rule {
        var rule = Rule(index: index, range: tree.range(node))
        var headers: NodeID?
        var geo: NodeID?
        var split: NodeID?
        var policies = PolicyNodes()
        forEachField(of: node, RuleKey.self) { key, value in
            switch key {
            case .name: rule.name = string(at: value)
            case .path: rule.path = string(at: value)
            case .methods: rule.methods = strings(at: value)
            case .host: rule.host = string(at: value)
            case .headers: headers = value
            case .geo: geo = value
            case .service: rule.service = string(at: value)
            case .split: split = value
            case .stickyBy: rule.stickyBy = string(at: value)
            case .stripPrefix: rule.stripPrefix = string(at: value)
            case .timeout: policies.timeout = value
            case .retries: policies.retries = value
            case .loadBalancer: policies.loadBalancer = value
            case .circuitBreaker: policies.circuitBreaker = value
            }
        }
        if let headers = object(at: headers) {
            for member in tree.members(of: headers) {
                guard let value = member.value else { continue }
                let condition: HeaderCondition
                if let text = tree.string(value) {
                    condition = .equals(text)
                } else if let flag = tree.bool(value) {
                    condition = flag ? .present : .absent
                } else {
                    continue
                }
                rule.headers.append(
                    HeaderMatch(
                        name: Located(member.name, at: tree.range(member.key)),
                        condition: Located(condition, at: tree.range(value))))
            }
        }
        if let geo = object(at: geo) {
            var match = GeoMatch(range: tree.range(geo))
            forEachField(of: geo, GeoKey.self) { key, value in
                switch key {
                case .continents: match.continents = strings(at: value)
                case .countries: match.countries = strings(at: value)
                case .colos: match.colos = strings(at: value)
                }
            }
            rule.geo = match
        }
        if let split = array(at: split) {
            rule.splitRange = tree.range(split)
            rule.split = tree.elements(of: split).compactMap { branch in
                guard tree.kind(branch) == .object else { return nil }
                var service: NodeID?
                var weight: NodeID?
                forEachField(of: branch, SplitBranchKey.self) { key, value in
                    switch key {
                    case .service: service = value
                    case .weight: weight = value
                    }
                }
                return SplitBranch(range: tree.range(branch), service: string(at: service), weight: number(at: weight))
            }
        }
        rule.policies = self.policies(policies)
        return rule
    }

    private func observability(_ node: NodeID) -> Observability {
        var result = Observability()
        if let tracing = object("tracing", in: node) {
            result.sampleRate = number("sampleRate", in: tracing)
            result.propagate = strings("propagate", in: tracing)
        }
        result.metrics = bool("metrics", in: node)
        result.logs = string("logs", in: node)
        return result
    }

    private func security(_ node: NodeID) -> Security {
        var result = Security()
        if let mtls = object("mtls", in: node) { result.certificateBinding = string("certificateBinding", in: mtls) }
        result.defaultAuth = string("defaultAuth", in: node)
        return result
    }

    private func lint(_ node: NodeID) -> [LintSetting] {
        tree.members(of: node).compactMap { member in
            guard let code = DiagnosticCode(rawValue: member.name), code.isConfigurable, let value = member.value,
                let name = tree.string(value), let level = LintLevel(rawValue: name)
            else { return nil }
            return LintSetting(code: Located(code, at: tree.range(member.key)), level: level)
        }
    }

    // MARK: Typed member access

    /// Calls `body` with each member of `node` whose key is a case of `Key`, in document
    /// order, so that assigning in `body` keeps the last of duplicate keys, as
    /// ``SyntaxTree/lastValue(named:in:)`` does.
    private func forEachField<Key: ObjectKeys>(of node: NodeID, _: Key.Type, _ body: (Key, NodeID?) -> Void) {
        let ordered = Key.ordered
        tree.forEachMember(of: node, among: Key.names) { index, value in body(ordered[index], value) }
    }

    private func value(_ key: String, in object: NodeID) -> NodeID? {
        tree.lastValue(named: key, in: object)
    }

    private func object(_ key: String, in node: NodeID) -> NodeID? {
        object(at: value(key, in: node))
    }

    private func array(_ key: String, in node: NodeID) -> NodeID? {
        array(at: value(key, in: node))
    }

    private func string(_ key: String, in node: NodeID) -> Located<String>? {
        string(at: value(key, in: node))
    }

    private func integer(_ key: String, in node: NodeID) -> Located<Int>? {
        integer(at: value(key, in: node))
    }

    private func number(_ key: String, in node: NodeID) -> Located<Double>? {
        number(at: value(key, in: node))
    }

    private func bool(_ key: String, in node: NodeID) -> Located<Bool>? {
        bool(at: value(key, in: node))
    }

    private func strings(_ key: String, in node: NodeID) -> [Located<String>]? {
        strings(at: value(key, in: node))
    }

    private func object(at value: NodeID?) -> NodeID? {
        guard let value, tree.kind(value) == .object else { return nil }
        return value
    }

    private func array(at value: NodeID?) -> NodeID? {
        guard let value, tree.kind(value) == .array else { return nil }
        return value
    }

    private func string(at value: NodeID?) -> Located<String>? {
        guard let value, let text = tree.string(value) else { return nil }
        return Located(text, at: tree.range(value))
    }

    private func integer(at value: NodeID?) -> Located<Int>? {
        guard let value, let number = tree.integer(value) else { return nil }
        return Located(number, at: tree.range(value))
    }

    private func number(at value: NodeID?) -> Located<Double>? {
        guard let value, let number = tree.number(value) else { return nil }
        return Located(number, at: tree.range(value))
    }

    private func bool(at value: NodeID?) -> Located<Bool>? {
        guard let value, let flag = tree.bool(value) else { return nil }
        return Located(flag, at: tree.range(value))
    }

    private func strings(at value: NodeID?) -> [Located<String>]? {
        guard let array = array(at: value) else { return nil }
        return tree.elements(of: array).compactMap { element in
            tree.string(element).map { Located($0, at: tree.range(element)) }
        }
    }
}

// MARK: Keys

/// The keys the model reads of one kind of object, read in one pass over its members.
private protocol ObjectKeys: RawRepresentable where RawValue == String {
    /// Every key, in the order of ``names``.
    static var ordered: [Self] { get }
    /// Each key's UTF-8 bytes, as ``SyntaxTree/forEachMember(of:among:_:)`` compares them.
    static var names: [[UInt8]] { get }
}

extension ObjectKeys where Self: CaseIterable {
    /// The UTF-8 bytes of every case's key, in `allCases` order.
    fileprivate static func keyBytes() -> [[UInt8]] { allCases.map { Array($0.rawValue.utf8) } }
}

private enum ServiceKey: String, CaseIterable, ObjectKeys {
    case endpoints, healthCheck, timeout, retries, loadBalancer, circuitBreaker, fallback, version, auth
    static let ordered = Array(allCases)
    static let names = keyBytes()
}

private enum AuthKey: String, CaseIterable, ObjectKeys {
    case mode, allow
    static let ordered = Array(allCases)
    static let names = keyBytes()
}

private enum EndpointKey: String, CaseIterable, ObjectKeys {
    case url, id, region, continent, weight, insecure, location
    static let ordered = Array(allCases)
    static let names = keyBytes()
}

private enum LocationKey: String, CaseIterable, ObjectKeys {
    case lat, lon
    static let ordered = Array(allCases)
    static let names = keyBytes()
}

private enum HealthCheckKey: String, CaseIterable, ObjectKeys {
    case path, interval, timeout, healthyThreshold, unhealthyThreshold, expectStatus
    static let ordered = Array(allCases)
    static let names = keyBytes()
}

private enum PolicyKey: String, CaseIterable, ObjectKeys {
    case timeout, retries, loadBalancer, circuitBreaker
    static let ordered = Array(allCases)
    static let names = keyBytes()
}

private enum CircuitBreakerKey: String, CaseIterable, ObjectKeys {
    case failureThreshold, resetTimeout, halfOpenRequests, maxResetTimeout
    static let ordered = Array(allCases)
    static let names = keyBytes()
}

private enum RetryKey: String, CaseIterable, ObjectKeys {
    case attempts, backoff, retryOn
    static let ordered = Array(allCases)
    static let names = keyBytes()
}

private enum BackoffKey: String, CaseIterable, ObjectKeys {
    case base, max, jitter
    static let ordered = Array(allCases)
    static let names = keyBytes()
}

private enum LoadBalancerKey: String, CaseIterable, ObjectKeys {
    case strategy, metric, seed
    static let ordered = Array(allCases)
    static let names = keyBytes()
}

private enum FallbackKey: String, CaseIterable, ObjectKeys {
    case status, body
    static let ordered = Array(allCases)
    static let names = keyBytes()
}

private enum RuleKey: String, CaseIterable, ObjectKeys {
    case name, path, methods, host, headers, geo, service, split, stickyBy, stripPrefix
    case timeout, retries, loadBalancer, circuitBreaker
    static let ordered = Array(allCases)
    static let names = keyBytes()
}

private enum GeoKey: String, CaseIterable, ObjectKeys {
    case continents, countries, colos
    static let ordered = Array(allCases)
    static let names = keyBytes()
}

private enum SplitBranchKey: String, CaseIterable, ObjectKeys {
    case service, weight
    static let ordered = Array(allCases)
    static let names = keyBytes()
}
