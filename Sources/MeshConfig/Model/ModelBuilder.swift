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
        if let endpoints = array("endpoints", in: value) {
            service.endpoints = tree.elements(of: endpoints).compactMap(endpoint)
        }
        service.healthCheck = healthCheck(in: value)
        service.policies = policies(value)
        service.fallback = fallback(in: value)
        service.version = string("version", in: value)
        if let auth = object("auth", in: value) {
            service.auth = ServiceAuth(mode: string("mode", in: auth), allow: strings("allow", in: auth) ?? [])
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
            endpoint.url = string("url", in: node)
            endpoint.id = string("id", in: node)
            endpoint.region = string("region", in: node)
            endpoint.continent = string("continent", in: node)
            endpoint.weight = number("weight", in: node)
            endpoint.insecure = bool("insecure", in: node)
            if let location = object("location", in: node), let lat = number("lat", in: location),
                let lon = number("lon", in: location)
            {
                endpoint.location = GeoLocation(latitude: lat.value, longitude: lon.value, range: tree.range(location))
            }
            return endpoint
        default:
            return nil
        }
    }

    private func healthCheck(in service: NodeID) -> HealthCheck? {
        guard let value = value("healthCheck", in: service) else { return nil }
        let range = tree.range(value)
        switch tree.kind(value) {
        case .string:
            return HealthCheck(range: range, path: tree.string(value).map { Located($0, at: range) })
        case .object:
            var check = HealthCheck(range: range)
            check.path = string("path", in: value)
            check.interval = integer("interval", in: value)
            check.timeout = integer("timeout", in: value)
            check.healthyThreshold = integer("healthyThreshold", in: value)
            check.unhealthyThreshold = integer("unhealthyThreshold", in: value)
            if let status = self.value("expectStatus", in: value) {
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

    private func policies(_ node: NodeID) -> PolicySet {
        var set = PolicySet()
        set.timeout = integer("timeout", in: node)
        set.retries = retries(in: node)
        set.loadBalancer = loadBalancer(in: node)
        if let breaker = object("circuitBreaker", in: node) {
            set.circuitBreaker = CircuitBreakerPolicy(
                range: tree.range(breaker),
                failureThreshold: integer("failureThreshold", in: breaker),
                resetTimeout: integer("resetTimeout", in: breaker),
                halfOpenRequests: integer("halfOpenRequests", in: breaker),
                maxResetTimeout: integer("maxResetTimeout", in: breaker)
            )
        }
        return set
    }

    private func retries(in node: NodeID) -> RetryPolicy? {
        guard let value = value("retries", in: node) else { return nil }
        let range = tree.range(value)
        if let attempts = tree.integer(value) {
            return RetryPolicy(range: range, attempts: Located(attempts, at: range))
        }
        guard tree.kind(value) == .object else { return nil }
        var policy = RetryPolicy(range: range, attempts: integer("attempts", in: value))
        if let backoff = object("backoff", in: value) {
            policy.backoffBase = integer("base", in: backoff)
            policy.backoffMax = integer("max", in: backoff)
            policy.jitter = string("jitter", in: backoff)
        }
        policy.retryOn = strings("retryOn", in: value)
        return policy
    }

    private func loadBalancer(in node: NodeID) -> LoadBalancerPolicy? {
        guard let value = value("loadBalancer", in: node) else { return nil }
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
            return LoadBalancerPolicy(
                range: range, strategy: strategy(string("strategy", in: value)),
                metric: string("metric", in: value), seed: integer("seed", in: value))
        default:
            return nil
        }
    }

    private func fallback(in node: NodeID) -> Fallback? {
        guard let value = value("fallback", in: node) else { return nil }
        switch tree.kind(value) {
        case .string:
            return tree.string(value).map { .service(Located($0, at: tree.range(value))) }
        case .object:
            return .response(
                status: integer("status", in: value), body: string("body", in: value), range: tree.range(value))
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
        rule.name = string("name", in: node)
        rule.path = string("path", in: node)
        rule.methods = strings("methods", in: node)
        rule.host = string("host", in: node)
        if let headers = object("headers", in: node) {
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
        if let geo = object("geo", in: node) {
            rule.geo = GeoMatch(
                range: tree.range(geo), continents: strings("continents", in: geo),
                countries: strings("countries", in: geo), colos: strings("colos", in: geo))
        }
        rule.service = string("service", in: node)
        if let split = array("split", in: node) {
            rule.splitRange = tree.range(split)
            rule.split = tree.elements(of: split).compactMap { branch in
                guard tree.kind(branch) == .object else { return nil }
                return SplitBranch(
                    range: tree.range(branch), service: string("service", in: branch),
                    weight: number("weight", in: branch))
            }
        }
        rule.stickyBy = string("stickyBy", in: node)
        rule.stripPrefix = string("stripPrefix", in: node)
        rule.policies = policies(node)
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

    private func value(_ key: String, in object: NodeID) -> NodeID? {
        tree.lastValue(named: key, in: object)
    }

    private func object(_ key: String, in node: NodeID) -> NodeID? {
        guard let value = value(key, in: node), tree.kind(value) == .object else { return nil }
        return value
    }

    private func array(_ key: String, in node: NodeID) -> NodeID? {
        guard let value = value(key, in: node), tree.kind(value) == .array else { return nil }
        return value
    }

    private func string(_ key: String, in node: NodeID) -> Located<String>? {
        guard let value = value(key, in: node), let text = tree.string(value) else { return nil }
        return Located(text, at: tree.range(value))
    }

    private func integer(_ key: String, in node: NodeID) -> Located<Int>? {
        guard let value = value(key, in: node), let number = tree.integer(value) else { return nil }
        return Located(number, at: tree.range(value))
    }

    private func number(_ key: String, in node: NodeID) -> Located<Double>? {
        guard let value = value(key, in: node), let number = tree.number(value) else { return nil }
        return Located(number, at: tree.range(value))
    }

    private func bool(_ key: String, in node: NodeID) -> Located<Bool>? {
        guard let value = value(key, in: node), let flag = tree.bool(value) else { return nil }
        return Located(flag, at: tree.range(value))
    }

    private func strings(_ key: String, in node: NodeID) -> [Located<String>]? {
        guard let array = array(key, in: node) else { return nil }
        return tree.elements(of: array).compactMap { element in
            tree.string(element).map { Located($0, at: tree.range(element)) }
        }
    }
}
