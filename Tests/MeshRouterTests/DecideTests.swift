import MeshConfig
import MeshRouter
import MeshSyntax
import Testing

/// `Router.decide` is the hot path and `Router.route` the traced preview; they must give
/// the same rule, service and endpoint, and advance a router's state the same way. These
/// properties run both on random configs (every strategy, splits with and without
/// `stickyBy`, fallbacks, registry-discovered services), random health snapshots and
/// random requests.
@Suite("Router.decide agrees with Router.route")
struct DecideTests {
    private typealias S = SelectionSupport

    @Test(
        "fresh routers with equal seeds: decide gives route's rule, service, endpoint, fallback, panic and policy"
    )
    func freshRoutersAgree() throws {
        var random = Fuzz(seed: 0xDEC1DE)
        var tally = Tally()
        for _ in 0..<300 {
            let mesh = random.mesh()
            let table = RouteTable(config: mesh.config)
            for _ in 0..<4 {
                let health = random.health(for: mesh)
                for _ in 0..<12 {
                    let request = try random.request()
                    let seed = random.next()
                    let leanRouter = Router(config: mesh.config, table: table, state: RouterState(seed: seed))
                    let lean = leanRouter.decide(request, health: health)
                    let traced = Router(config: mesh.config, table: table, state: RouterState(seed: seed)).route(
                        request, health: health)
                    tally.count(traced)
                    tally.compare(
                        Answer(lean, router: leanRouter, request: request, health: health), traced,
                        "seed \(seed), \(mesh.text), \(request.method) \(request.path) \(request.headers) \(request.cf)"
                    )
                    if tally.mismatches >= Tally.reportLimit { return }
                }
            }
        }
        print("decide == route on fresh routers: \(tally.summary)")
        tally.expectCoverage()
    }

    @Test("one router each over a sequence: round-robin, weighted cycles and draws advance alike")
    func sequencesAgree() throws {
        var random = Fuzz(seed: 0x5E9_0E9CE)
        var tally = Tally()
        for _ in 0..<200 {
            let mesh = random.mesh()
            let seed = random.next()
            let table = RouteTable(config: mesh.config)
            let leanState = RouterState(seed: seed)
            let tracedState = RouterState(seed: seed)
            let mixedState = RouterState(seed: seed)
            let lean = Router(config: mesh.config, table: table, state: leanState)
            let traced = Router(config: mesh.config, table: table, state: tracedState)
            // A third router alternates the two entry points on one state: they share it.
            let mixed = traced.withState(mixedState)
            var health = random.health(for: mesh)
            for step in 0..<60 {
                // A new snapshot now and then: endpoints leave and rejoin, cycles restart.
                if step % 15 == 14 { health = random.health(for: mesh) }
                // Requests in flight through each router, for least-connections.
                if random.chance(0.2), let (service, endpoint) = random.inFlight(in: mesh) {
                    for state in [leanState, tracedState, mixedState] {
                        state.beginRequest(service: service, endpoint: endpoint)
                    }
                }
                let request = try random.request()
                let decision = lean.decide(request, health: health)
                let trace = traced.route(request, health: health)
                let alternate =
                    step.isMultiple(of: 2)
                    ? Answer(mixed.decide(request, health: health), router: mixed, request: request, health: health)
                    : Answer(mixed.route(request, health: health))
                tally.count(trace)
                let context =
                    "step \(step), seed \(seed), \(mesh.text), \(request.method) \(request.path) \(request.cf)"
                tally.compare(Answer(decision, router: lean, request: request, health: health), trace, context)
                tally.compare(alternate, trace, "alternating decide/route, " + context)
                if tally.mismatches >= Tally.reportLimit { return }
            }
        }
        print("decide == route over sequences on one router: \(tally.summary)")
        tally.expectCoverage()
    }

    @Test("nothing usable and a fallback service: decide follows it once, as route does")
    func fallbackServiceIsFollowed() throws {
        let config = S.config(
            service: S.endpoints(["a"]) + ", \"fallback\": \"spare\"",
            extraServices: "\"spare\": {\(S.endpoints(["y", "z"])), \"fallback\": \"svc\"}")
        let health = S.health(["a": EndpointHealth(status: .unhealthy)])
        let lean = Router(config: config, state: RouterState(seed: 1))
        let traced = Router(config: config, state: RouterState(seed: 1))
        for _ in 0..<4 {
            let request = try S.request()
            let decision = lean.decide(request, health: health)
            let trace = traced.route(request, health: health)
            #expect(trace.fallback == .service("spare"))
            #expect(decision.service == "svc")
            #expect(decision.endpoint == trace.endpoint)
            #expect(S.name(decision.endpoint) == "y" || S.name(decision.endpoint) == "z")
        }
    }

    @Test("a service discovered from the registry: decide reads the snapshot's registrations")
    func registeredEndpoints() throws {
        let source = S.config(service: S.endpoints([("r1", "\"region\": \"WEU\""), ("r2", "\"region\": \"ENAM\"")]))
        let registered = try #require(source.service(named: "svc")?.endpoints)
        let config = S.config(
            "{\"services\": {\"svc\": {\"loadBalancer\": \"geographic\"}}, \"routing\": {\"default\": \"svc\"}}")
        let health = HealthSnapshot(registrations: ["svc": registered])
        let request = try S.request(cf: GeoContext(colo: "IAD"))
        let decision = Router(config: config).decide(request, health: health)
        #expect(S.name(decision.endpoint) == "r2")
        #expect(decision.endpoint == Router(config: config).route(request, health: health).endpoint)
        #expect(Router(config: config).decide(request).endpoint == nil, "no registrations, no endpoint")
    }
}

// MARK: - Random meshes, snapshots and requests

/// A generated config with what the generator knows about it.
private struct Mesh {
    var config: MeshConfig
    var text: String
    /// Endpoint ids (an endpoint's `id`, else its URL) by service, for health records.
    var ids: [String: [String]]
    /// Services without static endpoints, with the endpoint objects the registry may list.
    var discovered: [String: [Endpoint]]
}

/// What the runs covered, so a generator that stopped producing a case is noticed.
private struct Tally {
    var decisions = 0
    var outcomes: [String: Int] = [:]
    var strategies: [String: Int] = [:]
    var splits = 0
    var stickySplits = 0
    var fallbacks = 0
    var followed = 0
    var panics = 0
    var withEndpoint = 0
    var mismatches = 0

    /// A property that fails usually fails everywhere; the first few cases say enough.
    static let reportLimit = 5

    /// Records an issue when `lean` is not what the trace says.
    mutating func compare(
        _ lean: Answer, _ trace: DecisionTrace, _ context: String, sourceLocation: SourceLocation = #_sourceLocation
    ) {
        let routed = Answer(trace)
        guard lean != routed else { return }
        mismatches += 1
        Issue.record(
            Comment(rawValue: "decide gave \(lean); route gave \(routed) (\(context))"), sourceLocation: sourceLocation)
    }

    mutating func count(_ trace: DecisionTrace) {
        decisions += 1
        outcomes[trace.outcome.rawValue, default: 0] += 1
        if let strategy = trace.strategy?.name, trace.endpoint != nil { strategies[strategy, default: 0] += 1 }
        if let split = trace.split {
            splits += 1
            if split.reason.hasPrefix("sticky by") { stickySplits += 1 }
        }
        if trace.fallback != nil { fallbacks += 1 }
        if trace.fallback != nil, trace.endpoint != nil { followed += 1 }
        if trace.panic { panics += 1 }
        if trace.endpoint != nil { withEndpoint += 1 }
    }

    var summary: String {
        let byOutcome = outcomes.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")
        let byStrategy = strategies.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")
        return "\(decisions) decisions (\(byOutcome)); \(withEndpoint) with an endpoint, by strategy: \(byStrategy); "
            + "\(splits) splits (\(stickySplits) sticky), \(fallbacks) fallbacks (\(followed) followed to an "
            + "endpoint), \(panics) panics"
    }

    func expectCoverage() {
        for strategy in LoadBalancingStrategy.allCases {
            #expect(strategies[strategy.rawValue, default: 0] > 0, "no pick by \(strategy.rawValue)")
        }
        #expect(splits > 0 && stickySplits > 0 && fallbacks > 0 && followed > 0 && panics > 0)
        #expect(outcomes.count == 3, "routed, default and no route all occur")
    }
}

/// Random choices from the router's own seeded source, so a failure replays exactly.
private struct Fuzz {
    var random: SeededRandom

    init(seed: UInt64) {
        random = SeededRandom(seed: seed)
    }

    mutating func next() -> UInt64 { random.next() }
    mutating func below(_ bound: Int) -> Int { random.nextIndex(below: bound) }
    mutating func chance(_ probability: Double) -> Bool { random.nextUnit() < probability }

    mutating func pick<T>(_ values: [T]) -> T {
        values[below(values.count)]
    }

    static let services = ["a", "b", "c", "checkout-service-europe-west"]

    mutating func mesh() -> Mesh {
        var ids: [String: [String]] = [:]
        var discoveredNames: [String] = []
        var services: [String] = []
        for name in Self.services where chance(0.9) {
            var members: [String] = []
            if chance(0.15) {
                discoveredNames.append(name)
            } else {
                let (json, endpointIDs) = endpoints(service: name, count: below(5))
                members.append("\"endpoints\": [\(json)]")
                ids[name] = endpointIDs
            }
            if chance(0.85) { members.append("\"loadBalancer\": \(balancer())") }
            if chance(0.3) {
                let fallback =
                    chance(0.7)
                    ? "\"\(pick(Self.services + ["ghost", name]))\"" : "{\"status\": 503, \"body\": \"later\"}"
                members.append("\"fallback\": \(fallback)")
            }
            services.append("\"\(name)\": {\(members.joined(separator: ", "))}")
        }
        var rules: [String] = []
        for _ in 0..<(1 + below(10)) {
            if chance(0.04) {
                rules.append("\"not a rule\"")
                continue
            }
            var members = [
                "\"path\": \"\(pick(["/*", "/api/*", "/api/:id", "/api/users/*", "/static/*", "/x", "/api/*/meta"]))\""
            ]
            if chance(0.3) { members.append("\"methods\": \(pick(["[\"GET\"]", "[\"POST\", \"PUT\"]"]))") }
            let target = below(100)
            if target < 55 {
                members.append("\"service\": \"\(pick(Self.services + ["ghost"]))\"")
            } else if target < 90 {
                let branches = (0..<(1 + below(3))).map { _ in
                    let weight = chance(0.95) ? ", \"weight\": \(pick(["1", "2", "3", "0.5", "0", "-1", "10"]))" : ""
                    return "{\"service\": \"\(pick(Self.services + ["ghost"]))\"\(weight)}"
                }
                members.append("\"split\": [\(branches.joined(separator: ", "))]")
                if chance(0.6) {
                    let sticky = pick(["header:X-User", "header:x-user", "cookie:sid", "COOKIE:sid", "ip", "header:"])
                    members.append("\"stickyBy\": \"\(sticky)\"")
                }
                if chance(0.2) { members.append("\"service\": \"a\"") }
            }
            if chance(0.2) { members.append("\"loadBalancer\": \(balancer())") }
            rules.append("{\(members.joined(separator: ", "))}")
        }
        var routing = "\"rules\": [\(rules.joined(separator: ", "))]"
        if chance(0.6) { routing += ", \"default\": \"\(pick(Self.services + ["ghost"]))\"" }
        let defaults = chance(0.3) ? "\"mesh\": {\"defaults\": {\"loadBalancer\": \(balancer())}}, " : ""
        let text = "{\(defaults)\"services\": {\(services.joined(separator: ", "))}, \"routing\": {\(routing)}}"
        let config = SelectionSupport.config(text)

        // Endpoints the registry may list for the discovered services, built by the parser.
        var discovered: [String: [Endpoint]] = [:]
        for name in discoveredNames {
            let (json, endpointIDs) = endpoints(service: name, count: 1 + below(3))
            let registry = SelectionSupport.config("{\"services\": {\"r\": {\"endpoints\": [\(json)]}}}")
            discovered[name] = registry.service(named: "r")?.endpoints ?? []
            ids[name] = endpointIDs
        }
        return Mesh(config: config, text: text, ids: ids, discovered: discovered)
    }

    /// Endpoint JSON and the ids their health records use.
    private mutating func endpoints(service: String, count: Int) -> (String, [String]) {
        var objects: [String] = []
        var ids: [String] = []
        for index in 0..<count {
            let url = "https://\(service)-\(index).example.com"
            if chance(0.1) {
                objects.append("\"\(url)\"")
                ids.append(url)
                continue
            }
            var members: [String] = []
            if chance(0.95) { members.append("\"url\": \"\(url)\"") }
            // Now and then two endpoints share an id.
            let id = chance(0.4) ? "\(service)-id-\(below(count + 1))" : nil
            if let id { members.append("\"id\": \"\(id)\"") }
            if chance(0.6) { members.append("\"region\": \"\(pick(["WEU", "weu", "ENAM", "EEU", "OC", "NEAS"]))\"") }
            if chance(0.3) { members.append("\"continent\": \"\(pick(["EU", "NA", "AS", "OC"]))\"") }
            if chance(0.35) {
                let (lat, lon) = pick([
                    (51.5, -0.12), (52.2, 21.0), (38.9, -77.4), (35.7, 139.7), (-33.9, 151.2), (51.5, -0.12),
                ])
                members.append("\"location\": {\"lat\": \(lat), \"lon\": \(lon)}")
            }
            if chance(0.5) { members.append("\"weight\": \(pick(["1", "2", "3", "0.5", "0", "-1", "10"]))") }
            objects.append("{\(members.joined(separator: ", "))}")
            if let id { ids.append(id) } else if members.first?.hasPrefix("\"url\"") == true { ids.append(url) }
        }
        return (objects.joined(separator: ", "), ids)
    }

    private mutating func balancer() -> String {
        let strategy = pick(LoadBalancingStrategy.allCases).rawValue
        guard chance(0.5) else { return "\"\(strategy)\"" }
        var members: [String] = []
        if chance(0.8) { members.append("\"strategy\": \"\(strategy)\"") }
        if chance(0.4) { members.append("\"metric\": \"\(pick(["p50", "ewma", "max"]))\"") }
        if chance(0.4) { members.append("\"seed\": \(below(4))") }
        return "{\(members.joined(separator: ", "))}"
    }

    mutating func health(for mesh: Mesh) -> HealthSnapshot {
        var records: NameMap<NameMap<EndpointHealth>> = [:]
        // Sorted: dictionary order changes from run to run, and the draws must not.
        for service in mesh.ids.keys.sorted() where chance(0.75) {
            for id in mesh.ids[service] ?? [] where chance(0.7) {
                let status = pick([HealthStatus.healthy, .healthy, .degraded, .unhealthy, .unknown])
                let circuit = pick([CircuitState.closed, .closed, .closed, .open, .halfOpen])
                // Few distinct latencies, so ties happen.
                let latency: Double? = chance(0.7) ? pick([1, 2, 2, 5, 40, -1, Double.infinity]) : nil
                let ewma: Double? = chance(0.5) ? pick([1.5, 2, 30]) : nil
                let age: Double? = chance(0.6) ? pick([0, 5, 29, 31, 600]) : nil
                let inFlight: Int? = chance(0.4) ? below(4) : nil
                records[service, default: [:]][id] = EndpointHealth(
                    status: status, latencyMs: latency, ewmaMs: ewma, ageSeconds: age,
                    circuit: circuit, inFlight: inFlight)
            }
        }
        var registrations: NameMap<[Endpoint]> = [:]
        for service in mesh.discovered.keys.sorted() where chance(0.8) {
            registrations[service] = mesh.discovered[service]
        }
        return HealthSnapshot(records: records, registrations: registrations, staleAfterSeconds: 30)
    }

    /// A service and endpoint id to count a request in flight for.
    mutating func inFlight(in mesh: Mesh) -> (String, String)? {
        let services = mesh.ids.filter { !$0.value.isEmpty }.keys.sorted()
        guard !services.isEmpty else { return nil }
        let service = pick(services)
        return (service, pick(mesh.ids[service] ?? [""]))
    }

    mutating func request() throws -> RouteRequest {
        var headers: [(String, String)] = []
        if chance(0.5) { headers.append(("X-User", "user-\(below(20))")) }
        if chance(0.4) { headers.append(("Cookie", pick(["a=1; sid=s\(below(20))", "sid=\"q\"", "sid=", "other=1"]))) }
        let cf = GeoContext(
            colo: chance(0.6) ? pick(["LHR", "IAD", "NRT", "SYD", "WAW", "XXX"]) : nil,
            country: chance(0.3) ? pick(["GB", "US", "PL", "JP"]) : nil,
            continent: chance(0.3) ? pick(["EU", "NA", "AS", "OC"]) : nil,
            latitude: chance(0.5) ? 48.8 : nil, longitude: chance(0.5) ? pick([2.3, -100.0]) : nil)
        let path = pick(["/", "/api/1", "/api/users/7", "/api/x/meta", "/static/a.js", "/x", "/zzz"])
        return try RouteRequest.make(
            method: pick(["GET", "POST", "PUT", "DELETE"]), url: "https://api.example.com" + path,
            headers: headers, cf: cf
        ).get()
    }
}

/// What both entry points answer, for comparison: `decide`'s decision with the policy and
/// candidates its router resolves for it (what the edge's `mesh_route` writes), or the same
/// fields read from `route`'s trace.
struct Answer: Equatable, CustomStringConvertible {
    var rule: Int?
    var service: String?
    var endpoint: String?
    var outcome: DecisionTrace.Outcome
    var fallback: FallbackTrace?
    var panic: Bool
    var policy: EffectivePolicy?
    /// The candidates' URLs, without the endpoints that have none.
    var candidates: [String]

    init(_ decision: Router.Decision, router: Router, request: RouteRequest, health: HealthSnapshot) {
        rule = decision.ruleIndex
        service = decision.service
        endpoint = decision.endpoint
        outcome = decision.outcome
        fallback = decision.fallback
        panic = decision.panic
        policy = router.policy(of: decision, for: request)
        candidates = router.candidateURLs(of: decision, health: health)
    }

    init(_ trace: DecisionTrace) {
        rule = trace.rule?.index
        service = trace.service
        endpoint = trace.endpoint
        outcome = trace.outcome
        fallback = trace.fallback
        panic = trace.panic
        policy = trace.policy
        candidates = trace.endpoints.map(\.url).filter { !$0.isEmpty }
    }

    var description: String {
        "rule \(rule.map(String.init) ?? "-"), service \(service ?? "-"), endpoint \(endpoint ?? "-"), "
            + "\(outcome.rawValue), fallback \(fallback.map { "\($0)" } ?? "-"), panic \(panic), "
            + "policy \(policy.map { "\($0)" } ?? "-"), candidates \(candidates)"
    }
}
