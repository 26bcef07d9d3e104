import Foundation
import MeshConfig
import MeshEdgeHost
import MeshRouter
import MeshSyntax
import MeshTestSupport
import Testing

/// The real edge router, `.build/wasm/diddy-mesh-router.wasm` as `make wasm` builds it, on
/// WasmKit: its answers on the shop example must be, byte for byte, what the native router
/// compiled into the tests answers in the module's form (`DecisionJSON`), one request at a
/// time and with state carried across many. CI builds the module after the Swift tests
/// (`make test`, then `make wasm`), so there these skip; `make wasm` runs the CLI's
/// end-to-end comparison of the two engines once the module is built.
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

    /// The decision without `edge`, the last member, which only the edge router answers
    /// (what a Worker needs besides the trace: whether the method may be retried, ...); a
    /// module built before it has none.
    static func withoutEdgeMember(_ answer: [UInt8]) -> [UInt8] {
        let text = String(decoding: answer, as: UTF8.self)
        guard let start = text.range(of: #","edge":{"#, options: .backwards), text.hasSuffix("}}"),
            !text[start.upperBound...].dropLast(2).contains("{")
        else { return answer }
        return Array((text[..<start.lowerBound] + "}").utf8)
    }

    @Test("loading the shop answers its report")
    func report() throws {
        let host = try EdgeRouterHost(contentsOf: Self.modulePath)
        let report = String(decoding: try host.load(plan: Self.shopPlan()), as: UTF8.self)
        #expect(report.hasPrefix(#"{"errors":0,"warnings":0,"services":8,"rules":7,"#), "\(report)")
        #expect(try host.report() == Array(report.utf8))
    }

    @Test("each request, with fresh state, gets the native router's decision byte for byte")
    func oneAtATime() throws {
        let host = try EdgeRouterHost(contentsOf: Self.modulePath)
        _ = try host.load(plan: Self.shopPlan())
        for request in Self.requests {
            try host.reset()
            let expected = DecisionJSON.encode(
                try Self.nativeRouter().route(Self.native(request), explainingSkippedRules: false))
            let answer = Self.withoutEdgeMember(try host.decide(request))
            #expect(
                String(decoding: answer, as: UTF8.self) == String(decoding: expected, as: UTF8.self), "\(request.url)")
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
            let expected = DecisionJSON.encode(router.route(try Self.native(request), explainingSkippedRules: false))
            let answer = Self.withoutEdgeMember(try host.decide(request))
            #expect(answer == expected, "decision \(round), \(request.url)")
            if answer != expected { break }
        }
    }

    @Test("refusals carry the module's sentence and leave it usable")
    func refusals() throws {
        let host = try EdgeRouterHost(contentsOf: Self.modulePath)
        let beforeLoad = #expect(throws: EdgeHostError.self) { try host.decide(EdgeRequest(url: "https://x.example/")) }
        #expect(
            beforeLoad == .refused(.noConfig, call: "mesh_decide", message: "no config is loaded: call mesh_load first")
        )
        _ = try host.load(plan: Self.shopPlan())
        let native = RouteRequest.make(url: "not a url")
        guard case .failure(let expected) = native else {
            Issue.record("the native router took 'not a url'")
            return
        }
        let refused = #expect(throws: EdgeHostError.self) { try host.decide(EdgeRequest(url: "not a url")) }
        #expect(refused == .refused(.badRequest, call: "mesh_decide", message: expected.message))
        let unknownKey = #expect(throws: EdgeHostError.self) {
            try host.decide(request: Array(#"{"url":"https://x.example/","header":{}}"#.utf8))
        }
        #expect(
            unknownKey
                == .refused(
                    .badRequest, call: "mesh_decide",
                    message: "unknown key 'header' in the request (allowed: method, url, headers, cf)"))
        #expect(try !host.decide(EdgeRequest(url: "https://api.shop.example/api/users/1")).isEmpty)
    }

    @Test("the default budgets leave room: a load and a decision spend under a twentieth of theirs")
    func fuelHeadroom() throws {
        let host = try EdgeRouterHost(contentsOf: Self.modulePath)
        let plan = try Self.shopPlan()
        _ = try host.load(plan: plan)
        let loadFuel = host.lastFuelSpent
        _ = try host.decide(Self.requests[0])
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
