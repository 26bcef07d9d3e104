import MeshSyntax

/// The routing part of a config in the route plan's binary form (docs/edge.md, "The route
/// plan"): what the router reads to decide, and nothing else, with every value's range so
/// that a config read back is equal to the one written (``routingPart``).
///
/// Written natively by `diddy-mesh config plan` and `config push`; read by the edge router,
/// beside the router compiled from it, without the JSONC parser, the schema or the checks.
/// Each type's write and read sit side by side below, in the same order: a member added to
/// one must be added to the other, and `RoutePlanTests` fails for every fixture config until
/// it is.
extension MeshConfig {
    /// The members the router reads: `mesh` (name, registry, defaults), each service's
    /// name, range, endpoints, policies and fallback, and `routing`. Health checks, a
    /// service's version and auth, `observability`, `security`, `lint` and `version` are
    /// left out: no decision reads them.
    public var routingPart: MeshConfig {
        var part = MeshConfig()
        part.mesh = mesh
        part.services = services.map { service in
            var kept = Service(name: service.name, range: service.range)
            kept.endpoints = service.endpoints
            kept.policies = service.policies
            kept.fallback = service.fallback
            return kept
        }
        part.routing = routing
        return part
    }

    /// Writes ``routingPart``.
    public func writeRouting(into writer: inout BinaryWriter) {
        writer.optional(mesh.name, ModelCoding.write)
        writer.optional(mesh.registry) { writer, registry in
            writer.range(registry.range)
            writer.optional(registry.binding, ModelCoding.write)
            writer.optional(registry.namespaceId, ModelCoding.write)
            writer.optional(registry.accountId, ModelCoding.write)
        }
        ModelCoding.write(&writer, mesh.defaults)
        writer.array(services) { writer, service in
            ModelCoding.write(&writer, service.name)
            writer.range(service.range)
            writer.optional(service.endpoints) { writer, endpoints in writer.array(endpoints, ModelCoding.write) }
            ModelCoding.write(&writer, service.policies)
            writer.optional(service.fallback, ModelCoding.write)
        }
        writer.array(routing.rules, ModelCoding.write)
        writer.optional(routing.defaultService, ModelCoding.write)
    }

    /// Reads what ``writeRouting(into:)`` wrote: a config equal to that config's
    /// ``routingPart``. After `reader` records a failure the config is incomplete, and the
    /// caller discards it.
    public static func readRouting(from reader: inout BinaryReader) -> MeshConfig {
        var config = MeshConfig()
        config.mesh.name = reader.optional(ModelCoding.string)
        config.mesh.registry = reader.optional { reader in
            RegistrySettings(
                range: reader.range(), binding: reader.optional(ModelCoding.string),
                namespaceId: reader.optional(ModelCoding.string), accountId: reader.optional(ModelCoding.string)
            )
        }
        config.mesh.defaults = ModelCoding.policies(&reader)
        config.services = reader.array { reader in
            var service = Service(name: ModelCoding.string(&reader), range: reader.range())
            service.endpoints = reader.optional { reader in
                reader.array(ModelCoding.endpoint)
            }
            service.policies = ModelCoding.policies(&reader)
            service.fallback = reader.optional(ModelCoding.fallback)
            return service
        }
        config.routing.rules = reader.array(ModelCoding.rule)
        config.routing.defaultService = reader.optional(ModelCoding.string)
        return config
    }
}

/// Each model type's write and read, side by side.
private enum ModelCoding {
    // MARK: Located values

    static func write(_ writer: inout BinaryWriter, _ value: Located<String>) {
        writer.string(value.value)
        writer.range(value.range)
    }

    static func string(_ reader: inout BinaryReader) -> Located<String> {
        Located(reader.string(), at: reader.range())
    }

    static func write(_ writer: inout BinaryWriter, _ value: Located<Int>) {
        writer.integer(value.value)
        writer.range(value.range)
    }

    /// An optional integer member. A value wider than this platform's `Int` (32 bits on
    /// wasm32) reads as absent, as the model builder leaves such a number out there
    /// (`SyntaxTree.integer`); the analysis that wrote the plan reported it as out of range.
    static func integer(_ reader: inout BinaryReader) -> Located<Int>? {
        guard reader.bool() else { return nil }
        let value = reader.wideInteger()
        let range = reader.range()
        return Int(exactly: value).map { Located($0, at: range) }
    }

    static func write(_ writer: inout BinaryWriter, _ value: Located<Double>) {
        writer.double(value.value)
        writer.range(value.range)
    }

    static func double(_ reader: inout BinaryReader) -> Located<Double> {
        Located(reader.double(), at: reader.range())
    }

    static func write(_ writer: inout BinaryWriter, _ value: Located<Bool>) {
        writer.bool(value.value)
        writer.range(value.range)
    }

    static func bool(_ reader: inout BinaryReader) -> Located<Bool> {
        Located(reader.bool(), at: reader.range())
    }

    static func write(_ writer: inout BinaryWriter, _ values: [Located<String>]) {
        writer.array(values, write)
    }

    static func strings(_ reader: inout BinaryReader) -> [Located<String>] {
        reader.array(string)
    }

    // MARK: Policies

    static func write(_ writer: inout BinaryWriter, _ policies: PolicySet) {
        writer.optional(policies.timeout, write)
        writer.optional(policies.retries) { writer, retries in
            writer.range(retries.range)
            writer.optional(retries.attempts, write)
            writer.optional(retries.backoffBase, write)
            writer.optional(retries.backoffMax, write)
            writer.optional(retries.jitter, write)
            writer.optional(retries.retryOn, write)
        }
        writer.optional(policies.loadBalancer) { writer, balancer in
            writer.range(balancer.range)
            writer.optional(balancer.strategy) { writer, strategy in
                writer.string(strategy.value.rawValue)
                writer.range(strategy.range)
            }
            writer.optional(balancer.metric, write)
            writer.optional(balancer.seed, write)
        }
        writer.optional(policies.circuitBreaker) { writer, breaker in
            writer.range(breaker.range)
            writer.optional(breaker.failureThreshold, write)
            writer.optional(breaker.resetTimeout, write)
            writer.optional(breaker.halfOpenRequests, write)
            writer.optional(breaker.maxResetTimeout, write)
        }
    }

    /// An optional strategy, written by name; a name this router does not know fails.
    static func strategy(_ reader: inout BinaryReader) -> Located<LoadBalancingStrategy>? {
        guard reader.bool() else { return nil }
        let start = reader.offset
        let name = reader.string()
        let range = reader.range()
        guard let strategy = reader.strategy(named: name, readAt: start) else { return nil }
        return Located(strategy, at: range)
    }

    static func policies(_ reader: inout BinaryReader) -> PolicySet {
        var policies = PolicySet()
        policies.timeout = integer(&reader)
        policies.retries = reader.optional { reader in
            RetryPolicy(
                range: reader.range(), attempts: integer(&reader),
                backoffBase: integer(&reader), backoffMax: integer(&reader),
                jitter: reader.optional(string), retryOn: reader.optional(strings))
        }
        policies.loadBalancer = reader.optional { reader in
            LoadBalancerPolicy(
                range: reader.range(),
                strategy: strategy(&reader),
                metric: reader.optional(string), seed: integer(&reader))
        }
        policies.circuitBreaker = reader.optional { reader in
            CircuitBreakerPolicy(
                range: reader.range(), failureThreshold: integer(&reader),
                resetTimeout: integer(&reader), halfOpenRequests: integer(&reader),
                maxResetTimeout: integer(&reader))
        }
        return policies
    }

    // MARK: Services

    static func write(_ writer: inout BinaryWriter, _ endpoint: Endpoint) {
        writer.range(endpoint.range)
        writer.optional(endpoint.url, write)
        writer.optional(endpoint.id, write)
        writer.optional(endpoint.region, write)
        writer.optional(endpoint.continent, write)
        writer.optional(endpoint.location) { writer, location in
            writer.double(location.latitude)
            writer.double(location.longitude)
            writer.range(location.range)
        }
        writer.optional(endpoint.weight, write)
        writer.optional(endpoint.insecure, write)
        writer.bool(endpoint.isShorthand)
    }

    static func endpoint(_ reader: inout BinaryReader) -> Endpoint {
        let range = reader.range()
        var endpoint = Endpoint(range: range, url: reader.optional(string), isShorthand: false)
        endpoint.id = reader.optional(string)
        endpoint.region = reader.optional(string)
        endpoint.continent = reader.optional(string)
        endpoint.location = reader.optional { reader in
            GeoLocation(latitude: reader.double(), longitude: reader.double(), range: reader.range())
        }
        endpoint.weight = reader.optional(double)
        endpoint.insecure = reader.optional(bool)
        endpoint.isShorthand = reader.bool()
        return endpoint
    }

    /// A fallback: tag 0 and a service, or tag 1 and a response.
    static func write(_ writer: inout BinaryWriter, _ fallback: Fallback) {
        switch fallback {
        case .service(let name):
            writer.count(0)
            write(&writer, name)
        case .response(let status, let body, let range):
            writer.count(1)
            writer.optional(status, write)
            writer.optional(body, write)
            writer.range(range)
        }
    }

    static func fallback(_ reader: inout BinaryReader) -> Fallback {
        let start = reader.offset
        switch reader.count() {
        case 0:
            return .service(string(&reader))
        case 1:
            return .response(status: integer(&reader), body: reader.optional(string), range: reader.range())
        case let tag:
            reader.fail("fallback kind \(tag) is not one of this router's", at: start)
            return .response(status: nil, body: nil, range: ByteRange(start: 0, end: 0))
        }
    }

    // MARK: Rules

    static func write(_ writer: inout BinaryWriter, _ rule: Rule) {
        writer.count(rule.index)
        writer.range(rule.range)
        writer.optional(rule.name, write)
        writer.optional(rule.path, write)
        writer.optional(rule.methods, write)
        writer.optional(rule.host, write)
        writer.array(rule.headers) { writer, header in
            write(&writer, header.name)
            switch header.condition.value {
            case .equals(let value):
                writer.count(0)
                writer.string(value)
            case .present:
                writer.count(1)
            case .absent:
                writer.count(2)
            }
            writer.range(header.condition.range)
        }
        writer.optional(rule.geo) { writer, geo in
            writer.range(geo.range)
            writer.optional(geo.continents, write)
            writer.optional(geo.countries, write)
            writer.optional(geo.colos, write)
        }
        writer.optional(rule.service, write)
        writer.optional(rule.split) { writer, branches in
            writer.array(branches) { writer, branch in
                writer.range(branch.range)
                writer.optional(branch.service, write)
                writer.optional(branch.weight, write)
            }
        }
        writer.optional(rule.splitRange) { writer, range in writer.range(range) }
        writer.optional(rule.stickyBy, write)
        writer.optional(rule.stripPrefix, write)
        write(&writer, rule.policies)
    }

    static func rule(_ reader: inout BinaryReader) -> Rule {
        var rule = Rule(index: reader.count(), range: reader.range())
        rule.name = reader.optional(string)
        rule.path = reader.optional(string)
        rule.methods = reader.optional(strings)
        rule.host = reader.optional(string)
        rule.headers = reader.array { reader in
            let name = string(&reader)
            let start = reader.offset
            let condition: HeaderCondition
            switch reader.count() {
            case 0: condition = .equals(reader.string())
            case 1: condition = .present
            case 2: condition = .absent
            case let tag:
                reader.fail("header condition \(tag) is not one of this router's", at: start)
                condition = .absent
            }
            return HeaderMatch(name: name, condition: Located(condition, at: reader.range()))
        }
        rule.geo = reader.optional { reader in
            GeoMatch(
                range: reader.range(), continents: reader.optional(strings),
                countries: reader.optional(strings), colos: reader.optional(strings))
        }
        rule.service = reader.optional(string)
        rule.split = reader.optional { reader in
            reader.array { reader in
                SplitBranch(
                    range: reader.range(), service: reader.optional(string), weight: reader.optional(double)
                )
            }
        }
        rule.splitRange = reader.optional { reader in reader.range() }
        rule.stickyBy = reader.optional(string)
        rule.stripPrefix = reader.optional(string)
        rule.policies = policies(&reader)
        return rule
    }
}

extension BinaryReader {
    /// The load-balancing strategy a plan names `name` (written by its raw value, read at
    /// `start`); a name this router does not know fails there, as damage does.
    public mutating func strategy(named name: String, readAt start: Int) -> LoadBalancingStrategy? {
        guard let strategy = LoadBalancingStrategy(rawBytes: name) else {
            fail("'\(name.prefix(scalars: 40))' is not a load-balancing strategy of this router", at: start)
            return nil
        }
        return strategy
    }
}
