import Foundation
import MeshConfig
import MeshSyntax
import MeshTestSupport
import Testing

@testable import MeshRouter

/// The route plan (docs/edge.md, "The route plan"): every config of the repository reads
/// back as its routing part, routes the same as the whole config, and no damage to a plan's
/// bytes makes reading it trap.
@Suite("RoutePlan")
struct RoutePlanTests {
    /// Every `.jsonc` config of the repository: the examples, the edge tests' configs and
    /// the test fixtures (broken ones among them).
    static let configs: [URL] = {
        let root = TestPaths.packageRoot
        var found: [URL] = []
        for folder in ["examples", "edge/tests", "Tests"] {
            let enumerator = FileManager.default.enumerator(
                at: root.appendingPathComponent(folder), includingPropertiesForKeys: nil)
            while let url = enumerator?.nextObject() as? URL {
                if url.pathExtension == "jsonc" { found.append(url) }
            }
        }
        return found.sorted { $0.path < $1.path }
    }()

    static func plan(of url: URL) throws -> (analysis: ConfigAnalysis, plan: RoutePlan) {
        let source = SourceText(bytes: Array(try Data(contentsOf: url)))
        let analysis = ConfigAnalysis(source, path: url.lastPathComponent)
        return (analysis, RoutePlan(analysis: analysis, configSHA256: "digest"))
    }

    @Test("the repository has configs to plan")
    func found() {
        #expect(Self.configs.count >= 30)
    }

    @Test("a config's plan reads back as written, its model as the config's routing part")
    func roundTrip() throws {
        for url in Self.configs {
            let (analysis, plan) = try Self.plan(of: url)
            let decoded = try RoutePlan.decode(plan.encoded()).get()
            #expect(decoded == plan, "\(url.lastPathComponent)")
            #expect(decoded.config == analysis.document.config.routingPart, "\(url.lastPathComponent)")
            let errors = analysis.diagnostics.filter { $0.severity == .error }
            #expect(decoded.errors == errors.count, "\(url.lastPathComponent)")
            #expect(decoded.findings.map(\.code) == errors.prefix(RoutePlan.describedErrors).map(\.code.rawValue))
            #expect(decoded.configSHA256 == "digest")
        }
    }

    @Test("a plan's model and its router read back route every rule's request as the whole config does")
    func routesAlike() throws {
        var compared = 0
        for url in Self.configs {
            let (analysis, plan) = try Self.plan(of: url)
            let decoded = try RoutePlan.decode(plan.encoded()).get()
            let whole = analysis.document.config
            for request in Self.requests(for: whole) {
                let expected = Router(config: whole, state: RouterState(seed: 7)).route(request)
                let name = "\(url.lastPathComponent): \(request.method) \(request.url)"
                let fromModel = Router(config: decoded.config, state: RouterState(seed: 7)).route(request)
                #expect(DecisionJSON.encode(fromModel) == DecisionJSON.encode(expected), "\(name)")
                // The router the plan carries, traced (its patterns parsed when asked for) and
                // on the edge's lean path.
                let carried = decoded.router.withState(RouterState(seed: 7))
                #expect(DecisionJSON.encode(carried.route(request)) == DecisionJSON.encode(expected), "\(name)")
                let lean = decoded.router.withState(RouterState(seed: 7)).decide(request)
                let compiled = Router(config: whole, state: RouterState(seed: 7)).decide(request)
                #expect(lean == compiled, "\(name)")
                compared += 1
            }
        }
        #expect(compared >= 100)
    }

    @Test("a plan carries the router compiled from its model, part for part")
    func carriesCompiledRouter() throws {
        var rules = 0
        for url in Self.configs {
            let (_, plan) = try Self.plan(of: url)
            let name = url.lastPathComponent
            let read = try RoutePlan.decode(plan.encoded()).get().router
            let compiled = Router(config: plan.config)
            #expect(Self.parts(of: read.table) == Self.parts(of: compiled.table), "\(name)")
            #expect(Self.parts(of: read.plan) == Self.parts(of: compiled.plan), "\(name)")
            #expect(read.table.compiled.count == compiled.table.compiled.count, "\(name)")
            for (mine, theirs) in zip(read.table.compiled, compiled.table.compiled) {
                #expect(mine.pathOps == theirs.pathOps && mine.pathArena == theirs.pathArena, "\(name)")
                #expect(mine.methodMask == theirs.methodMask && mine.hasConditions == theirs.hasConditions)
                #expect(mine.pattern == theirs.pattern && mine.patternError == theirs.patternError, "\(name)")
                #expect(mine.methods == theirs.methods && mine.host == theirs.host && mine.geo == theirs.geo)
                #expect(mine.headers == theirs.headers, "\(name)")
                rules += 1
            }
        }
        #expect(rules >= 100)
    }

    /// Everything a lookup reads of a table, as comparable text: the flat programs, each
    /// rule's hot entry, and the trie (its lookup table laid out by this process's seed).
    static func parts(of table: RouteTable) -> [String] {
        [
            "\(table.hot)", "\(table.ops)", "\(table.arena)", "\(table.trie.nodes)", "\(table.trie.rules)",
            "\(table.trie.edges)", "\(table.trie.keys)",
        ]
    }

    /// Everything a decision reads of a decision plan, as comparable text (a service plan
    /// is a class, so its fields are listed one by one).
    static func parts(of plan: DecisionPlan) -> [String] {
        let services = plan.services.map { service in
            [
                service.name, String(describing: service.endpoints?.endpoints), String(describing: service.fallback),
                String(describing: service.fallbackService), "\(service.settings)",
            ].joined(separator: " ")
        }
        return services + [
            "\(plan.rules)", "\(plan.targets)", "\(String(describing: plan.defaultTarget))", "\(plan.readHeaders)",
        ]
    }

    /// A request for each rule (its path with each parameter and wildcard filled in, its
    /// host, first method and header values) and one no rule names.
    static func requests(for config: MeshConfig) -> [RouteRequest] {
        var requests: [RouteRequest] = []
        for rule in config.routing.rules {
            let path = (rule.path?.value ?? "/").split(separator: "/", omittingEmptySubsequences: false).map {
                $0.hasPrefix(":") || $0.hasPrefix("*") ? "x1" : String($0)
            }.joined(separator: "/")
            let host = rule.host?.value.replacingOccurrences(of: "*", with: "a") ?? "example.com"
            var headers: [(String, String)] = []
            for header in rule.headers {
                if case .equals(let value) = header.condition.value { headers.append((header.name.value, value)) }
                if case .present = header.condition.value { headers.append((header.name.value, "1")) }
            }
            let country = rule.geo?.countries?.first?.value
            let made = RouteRequest.make(
                method: rule.methods?.first?.value ?? "GET",
                url: "https://\(host)\(path.hasPrefix("/") ? "" : "/")\(path)",
                headers: headers, cf: GeoContext(country: country, latitude: 50, longitude: 8))
            if case .success(let request) = made { requests.append(request) }
        }
        if case .success(let request) = RouteRequest.make(url: "https://nowhere.example/zz/unrouted") {
            requests.append(request)
        }
        return requests
    }

    /// A request for each rule of the shop, for the routers read from damaged plans.
    static let shopRequests: [RouteRequest] = {
        let url = TestPaths.packageRoot.appendingPathComponent("examples/shop/diddy-mesh.jsonc")
        guard let bytes = try? Data(contentsOf: url) else { return [] }
        return requests(for: ConfigAnalysis(SourceText(bytes: Array(bytes)), path: "shop").document.config)
    }()

    /// The shop's plan, the sample the damage tests start from.
    static func shopPlan() throws -> [UInt8] {
        try plan(of: TestPaths.packageRoot.appendingPathComponent("examples/shop/diddy-mesh.jsonc")).plan.encoded()
    }

    @Test("every truncation of a plan is refused as damaged")
    func truncations() throws {
        let bytes = try Self.shopPlan()
        for length in 0..<bytes.count {
            guard case .failure(let error) = RoutePlan.decode(Array(bytes.prefix(length))) else {
                Issue.record("the first \(length) bytes of \(bytes.count) were read as a plan")
                continue
            }
            #expect(!error.message.isEmpty)
        }
    }

    @Test("random damage is refused or read, never a trap; what is read writes back to the same bytes")
    func randomDamage() throws {
        let original = try Self.shopPlan()
        var random = SplitMix(seed: 0x91A4)
        var refused = 0
        var read = 0
        for _ in 0..<20_000 {
            var bytes = original
            for _ in 0...random.next(below: 4) {
                let at = RoutePlan.magic.count + random.next(below: bytes.count - RoutePlan.magic.count)
                switch random.next(below: 4) {
                case 0: bytes[at] = UInt8(random.next(below: 256))
                case 1: bytes[at] ^= 1 << UInt8(random.next(below: 8))
                case 2: bytes.insert(UInt8(random.next(below: 256)), at: at)
                default: bytes.remove(at: at)
                }
            }
            switch RoutePlan.decode(bytes) {
            case .failure:
                refused += 1
            case .success(let plan):
                read += 1
                // Bytes, not values: damage can make a weight NaN, which is unequal to itself.
                #expect(try RoutePlan.decode(plan.encoded()).get().encoded() == plan.encoded())
                // The router it carries answers without trapping, whatever it decides.
                for request in Self.shopRequests {
                    let decision = plan.router.decide(request)
                    _ = plan.router.policy(of: decision, for: request)
                    _ = plan.router.candidateURLs(of: decision)
                }
            }
        }
        #expect(refused > 10_000)
        #expect(read > 0)
    }

    /// Inputs that are not a plan this build reads, and what the refusal must say.
    static let refusals: [(name: String, bytes: [UInt8], saying: String)] = [
        ("a config's text", Array("  {\"services\": {}}".utf8), "this is a config's text, not its route plan"),
        ("a JSONC comment first", Array("// mesh\n{}".utf8), "this is a config's text"),
        ("other bytes", [0x00, 0x61, 0x73, 0x6D], "these bytes are not a route plan"),
        ("the magic alone", RoutePlan.magic, "the route plan is damaged: the input ends early"),
        ("another format", RoutePlan.magic + [2, 0], "the route plan is format 2 and this router reads format 3"),
        (
            "a huge string length", RoutePlan.magic + [3, 0xFF, 0xFF, 0xFF, 0xFF, 0x07],
            "the route plan is damaged: the input ends early"
        ),
        (
            "a huge count of findings", RoutePlan.magic + [3, 0, 0, 0, 0xFF, 0xFF, 0xFF, 0x7F],
            "elements runs past the end of the input"
        ),
    ]

    @Test("what is not a plan is refused with a reason", arguments: 0..<refusals.count)
    func refusal(_ index: Int) {
        let sample = Self.refusals[index]
        guard case .failure(let error) = RoutePlan.decode(sample.bytes) else {
            Issue.record("\(sample.name) was read as a plan")
            return
        }
        #expect(error.message.contains(sample.saying), "\(sample.name): \(error.message)")
    }

    @Test("bytes after the plan's end are refused")
    func trailingBytes() throws {
        guard case .failure(let error) = RoutePlan.decode(try Self.shopPlan() + [0]) else {
            Issue.record("a plan with a byte after its end was read")
            return
        }
        #expect(error.message.contains("1 bytes follow the plan's end"))
    }
}
