import MeshConfig
import MeshRouter
import MeshSyntax
import Testing

/// Health filtering, stale records, fallback and panic (docs/target-selection.md).
@Suite("Endpoint selection: health filtering, fallback and panic")
struct SelectionTests {
    typealias S = SelectionSupport

    @Test("a fresh unhealthy record or an open circuit excludes; degraded, half-open and missing records keep")
    func filtering() throws {
        let config = S.config(service: S.endpoints(["a", "b", "c", "d", "e", "f"]))
        let health = S.health([
            "a": EndpointHealth(status: .unhealthy, latencyMs: 40, ageSeconds: 5),
            "b": EndpointHealth(status: .healthy, ageSeconds: 5, circuit: .open),
            "c": EndpointHealth(status: .degraded, ageSeconds: 5),
            "d": EndpointHealth(status: .healthy, ageSeconds: 5, circuit: .halfOpen),
            "e": EndpointHealth(status: .healthy, latencyMs: 12, ageSeconds: 5),
        ])
        let decision = try S.select(config, health: health)
        let byName = Dictionary(uniqueKeysWithValues: decision.endpoints.map { (S.name($0.url) ?? "", $0) })
        #expect(byName["a"]?.kept == false)
        #expect(byName["a"]?.reason == "unhealthy (fresh record)")
        #expect(byName["a"]?.latencyMs == 40)
        #expect(byName["b"]?.kept == false)
        #expect(byName["b"]?.reason == "circuit open")
        #expect(byName["c"]?.kept == true)
        #expect(byName["c"]?.reason == "degraded: kept")
        #expect(byName["d"]?.kept == true)
        #expect(byName["d"]?.circuit == .halfOpen)
        #expect(byName["e"]?.reason == "healthy")
        #expect(byName["e"]?.status == .healthy)
        #expect(byName["f"]?.kept == true)
        #expect(byName["f"]?.reason == "no record: kept")
        #expect(byName["f"]?.status == .unknown)
        #expect(decision.panic == false)
        #expect(decision.fallback == nil)
        #expect(["c", "d", "e", "f"].contains(S.name(decision.endpoint) ?? ""))
        #expect(
            decision.endpoints.map(\.id) == ["a", "b", "c", "d", "e", "f"].map(S.url),
            "traces keep the configured order")
    }

    @Test("both reasons are given when a record is unhealthy and its circuit open")
    func combinedReasons() throws {
        let config = S.config(service: S.endpoints(["a", "b"]))
        let health = S.health(["a": EndpointHealth(status: .unhealthy, ageSeconds: 1, circuit: .open)])
        let decision = try S.select(config, health: health)
        #expect(decision.endpoints.first?.reason == "unhealthy (fresh record), circuit open")
        #expect(S.name(decision.endpoint) == "b")
    }

    @Test("a stale record is unknown: kept, shown as stale with its age, its latency not ranked")
    func staleRecord() throws {
        let config = S.config(service: S.endpoints(["a", "b"]) + ", \"loadBalancer\": \"latency\"")
        let health = S.health(
            [
                "a": EndpointHealth(status: .unhealthy, latencyMs: 1, ewmaMs: 1, ageSeconds: 95, circuit: .open),
                "b": EndpointHealth(status: .healthy, latencyMs: 50, ewmaMs: 50, ageSeconds: 3),
            ], staleAfterSeconds: 30)
        let decision = try S.select(config, health: health)
        let stale = try #require(decision.endpoints.first)
        #expect(stale.kept)
        #expect(stale.stale)
        #expect(stale.status == .unknown)
        #expect(stale.ageSeconds == 95)
        #expect(stale.reason == "stale record (95 s old): kept")
        #expect(decision.endpoints.last?.stale == false)
        #expect(S.name(decision.endpoint) == "b", "the stale 1 ms latency must not win")
    }

    @Test("a record exactly at the staleness limit is still fresh")
    func stalenessBoundary() throws {
        let config = S.config(service: S.endpoints(["a", "b"]))
        let health = S.health(["a": EndpointHealth(status: .unhealthy, ageSeconds: 30)], staleAfterSeconds: 30)
        let decision = try S.select(config, health: health)
        #expect(decision.endpoints.first?.kept == false)
    }

    @Test("nothing usable and a fallback service: the fallback answers, no endpoint, no panic")
    func fallbackService() throws {
        let config = S.config(
            service: S.endpoints(["a"]) + ", \"fallback\": \"spare\"",
            extraServices: "\"spare\": {\(S.endpoints(["z"]))}")
        let health = S.health(["a": EndpointHealth(status: .unhealthy, ageSeconds: 1)])
        let decision = try S.select(config, health: health)
        #expect(decision.fallback == .service("spare"))
        #expect(decision.endpoint == nil)
        #expect(decision.strategy == nil)
        #expect(decision.panic == false)
        #expect(decision.endpoints.count == 1)
    }

    @Test("a fallback response keeps its status and body; without a status it is a 503")
    func fallbackResponse() throws {
        let unhealthy = S.health(["a": EndpointHealth(status: .unhealthy, ageSeconds: 1)])
        let withStatus = S.config(service: S.endpoints(["a"]) + ", \"fallback\": {\"status\": 502, \"body\": \"down\"}")
        #expect(try S.select(withStatus, health: unhealthy).fallback == .response(status: 502, body: "down"))
        let bare = S.config(service: S.endpoints(["a"]) + ", \"fallback\": {\"body\": \"later\"}")
        #expect(try S.select(bare, health: unhealthy).fallback == .response(status: 503, body: "later"))
    }

    @Test("a fallback is not used while some endpoint is usable")
    func fallbackUnused() throws {
        let config = S.config(service: S.endpoints(["a", "b"]) + ", \"fallback\": {\"status\": 503}")
        let decision = try S.select(config, health: S.health(["a": EndpointHealth(status: .unhealthy, ageSeconds: 1)]))
        #expect(decision.fallback == nil)
        #expect(S.name(decision.endpoint) == "b")
    }

    @Test("nothing usable and no fallback: panic, all endpoints used, and the trace says so")
    func panic() throws {
        let config = S.config(service: S.endpoints(["a", "b"]))
        let health = S.health([
            "a": EndpointHealth(status: .unhealthy, ageSeconds: 1),
            "b": EndpointHealth(status: .healthy, ageSeconds: 1, circuit: .open),
        ])
        let state = RouterState()
        let first = try S.select(config, health: health, state: state)
        let second = try S.select(config, health: health, state: state)
        #expect(first.panic)
        #expect(first.fallback == nil)
        #expect(first.endpoints.allSatisfy { $0.kept && $0.reason.contains("panic") })
        #expect(
            first.endpoints.first?.reason.hasPrefix("unhealthy (fresh record)") == true, "the original reason stays")
        #expect(first.strategy?.reason.hasPrefix("panic") == true)
        #expect(Set([first.endpoint, second.endpoint].compactMap(S.name)) == ["a", "b"], "panic mode still balances")
    }

    @Test("without static endpoints the registry's registrations are used; static ones win when present")
    func registrations() throws {
        let registered = S.config(service: S.endpoints(["r1", "r2"])).service(named: "svc")?.endpoints ?? []
        var snapshot = S.health(["r1": EndpointHealth(status: .unhealthy, ageSeconds: 1)])
        snapshot.registrations["svc"] = registered
        let discovered = S.config(service: "\"version\": \"1.0.0\"")
        let decision = try S.select(discovered, health: snapshot)
        #expect(decision.endpoints.map(\.url) == [S.url("r1"), S.url("r2")])
        #expect(S.name(decision.endpoint) == "r2")
        let fixed = S.config(service: S.endpoints(["s1"]))
        #expect(try S.select(fixed, health: snapshot).endpoints.map(\.url) == [S.url("s1")])
    }

    @Test("a service with no endpoints at all picks nothing and does not panic")
    func noEndpoints() throws {
        let decision = try S.select(S.config(service: "\"version\": \"1.0.0\""))
        #expect(decision.endpoint == nil)
        #expect(decision.endpoints.isEmpty)
        #expect(decision.panic == false)
        #expect(decision.strategy?.reason.contains("no endpoints") == true)
        let withFallback = try S.select(S.config(service: "\"fallback\": {\"status\": 404}"))
        #expect(withFallback.fallback == .response(status: 404, body: nil))
    }

    @Test("health records are looked up by the endpoint's id when it has one")
    func recordsByID() throws {
        let config = S.config(service: S.endpoints([("a", "\"id\": \"alpha\""), ("b", "")]))
        let snapshot = HealthSnapshot(records: ["svc": ["alpha": EndpointHealth(status: .unhealthy, ageSeconds: 1)]])
        let decision = try S.select(config, health: snapshot)
        #expect(decision.endpoints.first?.id == "alpha")
        #expect(decision.endpoints.first?.kept == false)
        #expect(S.name(decision.endpoint) == "b")
    }

    @Test("strategy precedence: rule override, then service, then mesh.defaults, then round-robin")
    func strategyPrecedence() throws {
        let defaultsOnly = S.config(service: S.endpoints(["a", "b"]), defaults: "\"loadBalancer\": \"weighted\"")
        #expect(try S.select(defaultsOnly).strategy?.name == "weighted")
        let serviceToo = S.config(
            service: S.endpoints(["a", "b"]) + ", \"loadBalancer\": \"latency\"",
            defaults: "\"loadBalancer\": \"weighted\"")
        #expect(try S.select(serviceToo).strategy?.name == "latency")
        let override = S.config(service: "\"loadBalancer\": {\"strategy\": \"random\", \"seed\": 3}").service(
            named: "svc")?.policies.loadBalancer
        #expect(try S.select(serviceToo, override: override).strategy?.name == "random")
        #expect(try S.select(S.config(service: S.endpoints(["a", "b"]))).strategy?.name == "round-robin")
    }
}
