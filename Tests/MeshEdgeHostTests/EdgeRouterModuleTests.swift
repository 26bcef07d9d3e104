import Foundation
import MeshConfig
import MeshEdgeHost
import MeshRouter
import MeshSyntax
import MeshTestSupport
import Testing

/// The real edge router, `.build/wasm/diddy-mesh-router.wasm` as `make wasm` builds it, on
/// WasmKit: its answers on the shop example must name the rule, service, endpoint, fallback
/// and panic of the native router compiled into the tests (`Router.decide`), one request at a
/// time and with state carried across many; `mesh_ref` must name the rule its refs stand
/// for. CI builds the module after the Swift tests (`make test`, then `make wasm`), so there
/// these skip; `make wasm` runs the CLI's end-to-end comparison of the two engines once the
/// module is built.
@Suite("the edge router module on WasmKit", .enabled(if: BuiltModule.exists, BuiltModule.skipNote))
struct EdgeRouterModuleTests {
    static let modulePath = BuiltModule.path
    static let shop = TestPaths.packageRoot.appendingPathComponent("examples/shop/diddy-mesh.jsonc")

    static func shopBytes() throws -> [UInt8] {
        try [UInt8](Data(contentsOf: shop))
    }

    /// The shop's route plan, as `diddy-mesh config plan` compiles it: what the module loads.
    static func shopPlan() throws -> [UInt8] {
        let analysis = ConfigAnalysis(SourceText(bytes: try shopBytes()), path: "diddy-mesh.jsonc")
        return RoutePlan(analysis: analysis, configSHA256: "").encoded()
    }

    /// The native router on the same config, compiled as the module compiles it.
    static func nativeRouter() throws -> Router {
        Router(config: ConfigAnalysis(SourceText(bytes: try shopBytes()), path: "diddy-mesh.jsonc").document.config)
    }

    static let requests: [EdgeRequest] = [
        EdgeRequest(url: "https://api.shop.example/api/users/42", cf: GeoContext(continent: "EU")),
        EdgeRequest(method: "POST", url: "https://api.shop.example/api/users/42"),
        EdgeRequest(method: "POST", url: "https://api.shop.example/api/payments/charge?x=1"),
        EdgeRequest(
            url: "https://api.shop.example/api/catalog/shoes", headers: [(name: "Cookie", value: " session=abc123")]),
        EdgeRequest(url: "https://api.shop.example/api/catalog/shoes"),
        EdgeRequest(
            url: "https://shop.example/preview/a/../new", headers: [(name: "X-Preview", value: "1")],
            cf: GeoContext(colo: "FRA", country: "DE", continent: "EU")),
        EdgeRequest(
            url: "https://shop.example",
            cf: GeoContext(colo: "IAD", country: "US", continent: "NA", latitude: 38.9, longitude: -77.4)),
        EdgeRequest(url: "https://api.shop.example/api/inventory/SKU-1"),
        EdgeRequest(
            url: "https://api.shop.example/api/orders/17", headers: [(name: "a", value: "1"), (name: "A", value: "2")]),
    ]

    /// `request` as the native router takes it.
    static func native(_ request: EdgeRequest) throws -> RouteRequest {
        try RouteRequest.make(
            method: request.method, url: request.url, headers: request.headers.map { ($0.name, $0.value) },
            cf: request.cf
        ).get()
    }

    /// `{"outcome", "rule", "service", "endpoint", "fallback", "panic"}` of `decision`, as
    /// `mesh_route` writes them, the rule as `{"index", "name"}`.
    static func summary(of decision: Router.Decision, router: Router) -> [String: String] {
        let rule = decision.ruleIndex.flatMap { router.rule(at: $0) }
        return [
            "outcome": decision.outcome.rawValue, "rule": rule.map { "\($0.index) \($0.name?.value ?? "")" } ?? "none",
            "service": decision.service ?? "none", "endpoint": decision.endpoint ?? "none",
            "fallback": decision.fallback == nil ? "no" : "yes", "panic": decision.panic ? "yes" : "no",
        ]
    }

    /// The same summary of the module's answer to `request`, its ref asked of `mesh_ref`.
    static func summary(of request: EdgeRequest, on host: EdgeRouterHost) throws -> [String: String] {
        let answer = try object(host.route(request))
        var rule = answer["rule"] as? [String: Any]
        if let ref = answer["ref"] as? Int { rule = try object(host.ref(Int32(ref)))["rule"] as? [String: Any] }
        return [
            "outcome": answer["outcome"] as? String ?? "?",
            "rule": rule.map { "\($0["index"] as? Int ?? -1) \($0["name"] as? String ?? "")" } ?? "none",
            "service": answer["service"] as? String ?? "none", "endpoint": answer["endpoint"] as? String ?? "none",
            "fallback": answer["fallback"] == nil ? "no" : "yes",
            "panic": answer["panic"] as? Bool == true ? "yes" : "no",
        ]
    }

    /// `bytes` read as a JSON object.
    static func object(_ bytes: [UInt8]) throws -> [String: Any] {
        let value = try JSONSerialization.jsonObject(with: Data(bytes))
        return try #require(value as? [String: Any], "not a JSON object: \(String(decoding: bytes, as: UTF8.self))")
    }

    @Test("loading the shop answers its report")
    func report() throws {
        let host = try EdgeRouterHost(contentsOf: Self.modulePath)
        let report = String(decoding: try host.load(plan: Self.shopPlan()), as: UTF8.self)
        #expect(report.hasPrefix(#"{"errors":0,"warnings":0,"services":8,"rules":7,"#), "\(report)")
        #expect(try host.report() == Array(report.utf8))
    }

    @Test("each request, with fresh state, gets the native router's decision")
    func oneAtATime() throws {
        let host = try EdgeRouterHost(contentsOf: Self.modulePath)
        _ = try host.load(plan: Self.shopPlan())
        let router = try Self.nativeRouter()
        for request in Self.requests {
            try host.reset()
            let expected = Self.summary(
                of: router.withState(RouterState()).decide(try Self.native(request), health: .empty), router: router)
            #expect(try Self.summary(of: request, on: host) == expected, "\(request.url)")
        }
    }

    @Test("state carries from decision to decision as in the native router")
    func stateCarries() throws {
        let host = try EdgeRouterHost(contentsOf: Self.modulePath)
        _ = try host.load(plan: Self.shopPlan())
        let router = try Self.nativeRouter()
        var random = SplitMix(seed: 16)
        for round in 0..<300 {
            let request = Self.requests[random.next(below: Self.requests.count)]
            let expected = Self.summary(of: router.decide(try Self.native(request), health: .empty), router: router)
            let answer = try Self.summary(of: request, on: host)
            #expect(answer == expected, "decision \(round), \(request.url)")
            if answer != expected { break }
        }
    }

    @Test("refusals carry the module's sentence and leave it usable")
    func refusals() throws {
        let host = try EdgeRouterHost(contentsOf: Self.modulePath)
        let beforeLoad = #expect(throws: EdgeHostError.self) { try host.route(EdgeRequest(url: "https://x.example/")) }
        #expect(
            beforeLoad == .refused(.noConfig, call: "mesh_route", message: "no config is loaded: call mesh_load first")
        )
        _ = try host.load(plan: Self.shopPlan())
        let native = RouteRequest.make(url: "not a url")
        guard case .failure(let expected) = native else {
            Issue.record("the native router took 'not a url'")
            return
        }
        let refused = #expect(throws: EdgeHostError.self) { try host.route(EdgeRequest(url: "not a url")) }
        #expect(refused == .refused(.badRequest, call: "mesh_route", message: expected.message))
        // JSON is not the field form: the module reads only that (docs/edge.md).
        let json = #expect(throws: EdgeHostError.self) {
            try host.route(request: Array(#"{"url":"https://x.example/"}"#.utf8))
        }
        #expect(
            json
                == .refused(
                    .badRequest, call: "mesh_route", message: "the request's fields must each start with a NUL byte"))
        // What the field form cannot carry is refused by the host, before the module is called.
        let empty = #expect(throws: EdgeHostError.self) {
            try host.route(EdgeRequest(url: "https://x.example/", cf: GeoContext(colo: "")))
        }
        #expect(
            empty
                == .refused(
                    .badRequest, call: "mesh_route",
                    message: "request.cf.colo is empty, which the edge router's field form cannot carry "
                        + "(an empty field is an absent one)"))
        #expect(try !host.route(EdgeRequest(url: "https://api.shop.example/api/users/1")).isEmpty)
    }

    @Test("the default budgets leave room: a load and a decision spend under a twentieth of theirs")
    func fuelHeadroom() throws {
        let host = try EdgeRouterHost(contentsOf: Self.modulePath)
        let plan = try Self.shopPlan()
        _ = try host.load(plan: plan)
        let loadFuel = host.lastFuelSpent
        _ = try host.route(Self.requests[0])
        let decideFuel = host.lastFuelSpent
        let limits = host.limits
        #expect(loadFuel > 0 && loadFuel * 20 < limits.fuel(forInput: plan.count), "load spent \(loadFuel)")
        #expect(decideFuel > 0 && decideFuel * 20 < limits.fuel(forInput: 200), "decide spent \(decideFuel)")
    }
}

/// The module `make wasm` builds, where the tests find it; a suite's traits cannot refer to
/// the suite itself, so this lives apart.
enum BuiltModule {
    static let path = TestPaths.packageRoot.appendingPathComponent(EdgeRouterHost.defaultModulePath).path
    static let exists = FileManager.default.fileExists(atPath: path)
    static let skipNote: Comment =
        "no .build/wasm/diddy-mesh-router.wasm: run `make wasm` to build the edge router, then these tests run"
}
