import MeshConfig
import MeshRouter
import Testing

/// The six strategies of docs/target-selection.md. Every test is deterministic:
/// randomness is seeded and state is a fresh `RouterState`.
@Suite("Load balancing strategies")
struct LoadBalancerTests {
    typealias S = SelectionSupport

    // MARK: round-robin

    @Test("round-robin goes through the kept endpoints in order, per router instance")
    func roundRobin() throws {
        let config = S.config(service: S.endpoints(["a", "b", "c"]))
        #expect(try S.picks(7, config) == ["a", "b", "c", "a", "b", "c", "a"])
        #expect(try S.picks(2, config) == ["a", "b"], "a fresh instance starts again")
        let health = S.health(["b": EndpointHealth(status: .unhealthy, ageSeconds: 1)])
        #expect(try S.picks(4, config, health: health) == ["a", "c", "a", "c"])
        let reason = try S.select(config).strategy?.reason
        #expect(reason == "next in order: 1 of 3")
    }

    // MARK: random

    @Test("random with a seed option is reproducible and uniform")
    func seededRandom() throws {
        let config = S.config(
            service: S.endpoints(["a", "b", "c"]) + ", \"loadBalancer\": {\"strategy\": \"random\", \"seed\": 42}")
        let first = try S.picks(9_000, config)
        let again = try S.picks(9_000, config, state: RouterState(seed: 999))
        #expect(first == again, "the seed option alone decides the sequence")
        for (name, count) in S.counts(first) {
            #expect(abs(count - 3_000) < 150, "\(name) picked \(count) times of 9000")
        }
        let other = S.config(
            service: S.endpoints(["a", "b", "c"]) + ", \"loadBalancer\": {\"strategy\": \"random\", \"seed\": 43}")
        #expect(try S.picks(50, other) != Array(first.prefix(50)))
        #expect(try S.select(config).strategy?.reason.hasSuffix("(seed 42)") == true)
    }

    @Test("random without a seed option follows the router instance's seed")
    func instanceRandom() throws {
        let config = S.config(service: S.endpoints(["a", "b", "c", "d"]) + ", \"loadBalancer\": \"random\"")
        let one = try S.picks(200, config, state: RouterState(seed: 7))
        #expect(one == (try S.picks(200, config, state: RouterState(seed: 7))))
        #expect(one != (try S.picks(200, config, state: RouterState(seed: 8))))
        #expect(Set(one) == ["a", "b", "c", "d"])
    }

    // MARK: weighted

    @Test("smooth weighted round-robin follows nginx's sequence for weights 5, 1, 1")
    func nginxSequence() throws {
        let config = S.config(
            service: S.endpoints([("a", "\"weight\": 5"), ("b", "\"weight\": 1"), ("c", "\"weight\": 1")])
                + ", \"loadBalancer\": \"weighted\"")
        #expect(try S.picks(14, config) == ["a", "a", "b", "a", "c", "a", "a", "a", "a", "b", "a", "c", "a", "a"])
        #expect(try S.select(config).strategy?.reason == "smooth weighted round-robin (weight 5 of 7)")
    }

    @Test(
        "weighted over 10,000 picks lands within 1% of the weights",
        arguments: [
            [("a", 5.0), ("b", 3.0), ("c", 2.0)],
            [("a", 0.7), ("b", 0.2), ("c", 0.1)],
            [("a", 1.0), ("b", 1.0), ("c", 3.5), ("d", 10.0)],
        ])
    func weightedDistribution(weights: [(String, Double)]) throws {
        let config = S.config(
            service: S.endpoints(weights.map { ($0.0, "\"weight\": \($0.1)") }) + ", \"loadBalancer\": \"weighted\"")
        let counts = S.counts(try S.picks(10_000, config))
        let total = weights.reduce(0) { $0 + $1.1 }
        for (name, weight) in weights {
            let share = Double(counts[name] ?? 0) / 10_000
            #expect(abs(share - weight / total) <= 0.01, "\(name): \(share) for weight share \(weight / total)")
        }
    }

    @Test("endpoints without a weight count as 1")
    func defaultWeight() throws {
        let config = S.config(
            service: S.endpoints([("a", "\"weight\": 3"), ("b", "")]) + ", \"loadBalancer\": \"weighted\"")
        #expect(S.counts(try S.picks(400, config)) == ["a": 300, "b": 100])
    }

    // MARK: geographic

    /// Endpoints in London (WEU), Warsaw (EEU) and Virginia (ENAM).
    static let geoConfig = S.config(
        service: S.endpoints([
            ("lon", "\"region\": \"WEU\", \"location\": {\"lat\": 51.5, \"lon\": -0.12}"),
            ("waw", "\"region\": \"EEU\", \"continent\": \"EU\", \"location\": {\"lat\": 52.23, \"lon\": 21.01}"),
            ("iad", "\"region\": \"ENAM\", \"location\": {\"lat\": 38.9, \"lon\": -77.4}"),
        ]) + ", \"loadBalancer\": \"geographic\"")

    @Test("geographic: the request colo's region first")
    func sameRegion() throws {
        let request = try S.request(cf: GeoContext(colo: "LHR", country: "GB", continent: "EU"))
        let decision = try S.select(Self.geoConfig, request: request)
        #expect(S.name(decision.endpoint) == "lon")
        #expect(decision.strategy?.reason == "nearest healthy: WEU, same region")
        let ashburn = try S.request(cf: GeoContext(colo: "IAD"))
        #expect(S.name(try S.select(Self.geoConfig, request: ashburn).endpoint) == "iad")
    }

    @Test("geographic: the country decides when the colo is not in the table; US by longitude")
    func regionFromCountry() throws {
        let vienna = try S.request(cf: GeoContext(colo: "XYZ", country: "AT"))
        #expect(S.name(try S.select(Self.geoConfig, request: vienna).endpoint) == "waw")
        let newYork = try S.request(cf: GeoContext(country: "US", latitude: 40.7, longitude: -74))
        #expect(S.name(try S.select(Self.geoConfig, request: newYork).endpoint) == "iad")
    }

    @Test("geographic: same continent when the region has no healthy endpoint")
    func sameContinent() throws {
        let request = try S.request(cf: GeoContext(colo: "LHR", continent: "EU"))
        let health = S.health(["lon": EndpointHealth(status: .unhealthy, ageSeconds: 1)])
        let decision = try S.select(Self.geoConfig, request: request, health: health)
        #expect(S.name(decision.endpoint) == "waw")
        #expect(decision.strategy?.reason == "nearest healthy: same continent EU")
    }

    @Test("geographic: the nearest known location when region and continent do not help")
    func nearestByDistance() throws {
        // Dakar: no endpoint in Africa, so distance decides: London (~4,300 km) before
        // Warsaw (~5,000 km) and Virginia (~6,300 km).
        let request = try S.request(cf: GeoContext(country: "SN", continent: "AF", latitude: 14.7, longitude: -17.4))
        let decision = try S.select(Self.geoConfig, request: request)
        #expect(S.name(decision.endpoint) == "lon")
        #expect(decision.strategy?.reason.hasPrefix("nearest healthy: ") == true)
        #expect(decision.strategy?.reason.hasSuffix(" km away") == true)
        let paris = try S.request(cf: GeoContext(latitude: 48.8566, longitude: 2.3522))
        #expect(try S.select(Self.geoConfig, request: paris).strategy?.reason == "nearest healthy: 343 km away")
    }

    @Test("geographic: nothing known about the request means round-robin over all")
    func geographicUnknown() throws {
        let picks = try S.picks(3, Self.geoConfig)
        #expect(picks == ["lon", "waw", "iad"])
        #expect(try S.select(Self.geoConfig).strategy?.reason.contains("round-robin") == true)
    }

    @Test("geographic: ties within a region take turns")
    func geographicTies() throws {
        let config = S.config(
            service: S.endpoints([
                ("a", "\"region\": \"WEU\""), ("b", "\"region\": \"WEU\""), ("c", "\"region\": \"ENAM\""),
            ])
                + ", \"loadBalancer\": \"geographic\"")
        let request = try S.request(cf: GeoContext(colo: "CDG"))
        #expect(try S.picks(4, config, request: request) == ["a", "b", "a", "b"])
        #expect(
            try S.select(config, request: request).strategy?.reason
                == "nearest healthy: WEU, same region (2 tied, round-robin)")
    }

    // MARK: latency

    @Test("latency: lowest EWMA by default, p50 when asked; unknown ranks last")
    func latency() throws {
        let health = S.health([
            "a": EndpointHealth(status: .healthy, latencyMs: 19, ewmaMs: 40, ageSeconds: 1),
            "b": EndpointHealth(status: .healthy, latencyMs: 25, ewmaMs: 22.5, ageSeconds: 1),
        ])
        let ewma = S.config(service: S.endpoints(["c", "a", "b"]) + ", \"loadBalancer\": \"latency\"")
        let byEWMA = try S.select(ewma, health: health)
        #expect(S.name(byEWMA.endpoint) == "b")
        #expect(byEWMA.strategy?.reason == "lowest latency 22.5 ms (ewma)")
        let p50 = S.config(
            service: S.endpoints(["c", "a", "b"])
                + ", \"loadBalancer\": {\"strategy\": \"latency\", \"metric\": \"p50\"}")
        let byP50 = try S.select(p50, health: health)
        #expect(S.name(byP50.endpoint) == "a")
        #expect(byP50.strategy?.reason == "lowest latency 19 ms (p50)")
    }

    @Test("latency: EWMA falls back to p50; ties take turns; nothing known means round-robin")
    func latencyFallbacks() throws {
        let config = S.config(service: S.endpoints(["a", "b", "c"]) + ", \"loadBalancer\": \"latency\"")
        let health = S.health([
            "a": EndpointHealth(status: .healthy, latencyMs: 10, ageSeconds: 1),
            "b": EndpointHealth(status: .healthy, latencyMs: 30, ewmaMs: 10, ageSeconds: 1),
            "c": EndpointHealth(status: .healthy, latencyMs: 11, ewmaMs: 11, ageSeconds: 1),
        ])
        #expect(try S.picks(4, config, health: health) == ["a", "b", "a", "b"])
        #expect(try S.picks(3, config) == ["a", "b", "c"])
        #expect(try S.select(config).strategy?.reason == "no latency known (3 tied, round-robin)")
    }

    // MARK: least-connections

    @Test("least-connections: fewest in flight on this instance; ties take turns")
    func leastConnections() throws {
        let config = S.config(service: S.endpoints(["a", "b", "c"]) + ", \"loadBalancer\": \"least-connections\"")
        let state = RouterState()
        state.beginRequest(service: "svc", endpoint: S.url("a"))
        state.beginRequest(service: "svc", endpoint: S.url("a"))
        state.beginRequest(service: "svc", endpoint: S.url("b"))
        let decision = try S.select(config, state: state)
        #expect(S.name(decision.endpoint) == "c")
        #expect(decision.strategy?.reason == "fewest in flight: 0")
        state.beginRequest(service: "svc", endpoint: S.url("c"))
        #expect(try S.picks(2, config, state: state) == ["b", "c"])
        state.endRequest(service: "svc", endpoint: S.url("a"))
        state.endRequest(service: "svc", endpoint: S.url("a"))
        state.endRequest(service: "svc", endpoint: S.url("a"))
        #expect(state.inFlight(service: "svc", endpoint: S.url("a")) == 0, "unmatched ends do not go negative")
        #expect(try S.select(config, state: state).endpoint == S.url("a"))
    }

    @Test("least-connections: in-flight counts in the snapshot are used for previews")
    func leastConnectionsHint() throws {
        let config = S.config(service: S.endpoints(["a", "b"]) + ", \"loadBalancer\": \"least-connections\"")
        let health = S.health([
            "a": EndpointHealth(status: .healthy, ageSeconds: 1, inFlight: 9),
            "b": EndpointHealth(status: .healthy, ageSeconds: 1, inFlight: 2),
        ])
        let decision = try S.select(config, health: health)
        #expect(S.name(decision.endpoint) == "b")
        #expect(decision.strategy?.reason == "fewest in flight: 2")
    }

    @Test("RouterState is safe to share between concurrent requests")
    func concurrentState() async throws {
        let state = RouterState()
        await withTaskGroup(of: Void.self) { group in
            for _ in 0..<8 {
                group.addTask {
                    for _ in 0..<1_000 {
                        state.beginRequest(service: "svc", endpoint: "x")
                        _ = state.nextRoundRobin("svc", count: 3)
                        state.endRequest(service: "svc", endpoint: "x")
                    }
                }
            }
        }
        #expect(state.inFlight(service: "svc", endpoint: "x") == 0)
        #expect(state.nextRoundRobin("svc", count: 8_001) == 8_000, "every increment was counted")
    }
}
