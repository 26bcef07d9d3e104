import Foundation
import MeshConfig
import MeshRouter
import MeshSyntax

// Route-table figures for tables of 10, 1,000 and 10,000 rules: compile time, latency of
// one first-match decision, heap allocations per decision, and the same requests through a
// linear scan and through Python werkzeug's Map.match, as ratios.

/// Prints the router figures. `runs` is how many times the table is compiled for the
/// compile-time median; lookups are timed over many rounds of 1,000 requests.
func runRouterBenchmark(runs: Int) {
    if let tracePath = ProcessInfo.processInfo.environment[RouterAllocationProbe.environmentKey] {
        // This process is the allocation probe launched below: count, report, stop.
        RouterAllocationProbe.runChild(tracePath: tracePath)
        exit(0)
    }
    if let rounds = ProcessInfo.processInfo.environment["DIDDY_MESH_DECIDE_LOOP"].flatMap({ Int($0) }) {
        // For profilers: Router.decide on the 10,000-rule mixed table and nothing else.
        let table = RouterBenchTable(
            ruleCount: 10_000, mixedTargets: ProcessInfo.processInfo.environment["DIDDY_MESH_DECIDE_PLAIN"] == nil)
        let router = Router(config: table.config)
        var checksum = 0
        for _ in 0..<rounds {
            for request in table.requests { checksum &+= router.decide(request, health: table.health).ruleIndex ?? 0 }
        }
        RouterTiming.sink(checksum)
        exit(0)
    }
    print("\n== router: first-match decisions (release figures are the meaningful ones) ==")
    let allocations = RouterAllocationProbe.launch()
    if let control = allocations.match[0] {
        print("allocation probe check: \(control.lookups) deliberate array allocations counted as \(control.mallocs)")
    }
    for size in RouterBenchTable.sizes {
        let table = RouterBenchTable(ruleCount: size)
        let compile = RouterTiming.median(of: max(3, runs)) { _ = RouteTable(rules: table.rules) }
        let routes = RouteTable(rules: table.rules)
        let trie = RouterTiming.perCall(table.requests, rounds: size >= 10_000 ? 40 : 100) { routes.firstMatch($0) }
        let linear = RouterTiming.perCall(table.requests, rounds: size >= 10_000 ? 3 : 20) { request in
            routes.compiled.firstIndex { $0.matches(request) }
        }
        let beforeCatchAll = table.requests.filter { (routes.firstMatch($0) ?? Int.max) < table.rules.count - 1 }.count
        let agree = table.requests.allSatisfy { request in
            routes.firstMatch(request) == routes.compiled.firstIndex { $0.matches(request) }
        }
        let heapDelta = RouterAllocationProbe.bytesInUseDelta(table.requests, rounds: 100) { routes.firstMatch($0) }

        print(
            "\n-- \(size) rules (\(routes.nodeCount) trie nodes), \(table.requests.count) requests, "
                + "\(beforeCatchAll) matched by a rule before the catch-all --"
        )
        print(String(format: "compile:        %.2f ms (median of %d)", compile * 1000, max(3, runs)))
        print(
            String(
                format:
                    "firstMatch:     median %.0f ns, p99 %.0f ns, mean %.0f ns (per call, timer overhead %.0f ns "
                    + "subtracted)",
                trie.median, trie.p99, trie.mean, RouterTiming.overhead))
        print(
            String(
                format: "linear scan:    median %.0f ns, p99 %.0f ns -> the table is %.1fx faster (same answers: %@)",
                linear.median, linear.p99, linear.median / max(trie.median, 1), agree ? "yes" : "NO"))
        // A whole decision: match, the trace's skipped-rule reasons, endpoint selection
        // and policies. It builds the trace, so it allocates, unlike the match itself.
        let router = Router(config: table.config)
        // What a router adds to the compiled table: the plan `decide` reads (rule targets,
        // prepared endpoints). Route-test runs build one router per expectation.
        let planTime = RouterTiming.median(of: max(3, runs)) {
            _ = Router(config: table.config, table: routes, state: RouterState())
        }
        let sharedTime = RouterTiming.median(of: max(3, runs)) { _ = router.withState(RouterState()) }
        print(
            String(
                format:
                    "router setup:   %.2f ms (median of %d; decision plan over the compiled table), %.4f ms with "
                    + "withState(_:) sharing it",
                planTime * 1000, max(3, runs), sharedTime * 1000))
        let full = RouterTiming.perCall(table.requests, rounds: size >= 10_000 ? 1 : 10) {
            router.route($0).rule?.index
        }
        let decide = RouterTiming.perCall(table.requests, rounds: size >= 10_000 ? 10 : 20) {
            router.decide($0).ruleIndex
        }
        print(
            String(
                format:
                    "decision:       median %.0f ns, p99 %.0f ns (Router.decide: match + split + geographic endpoint "
                    + "selection)",
                decide.median, decide.p99))
        print("decide allocs:  " + allocationLine(allocations.decide[size]))
        // The same rule shapes targeting every strategy, sticky and random splits and a
        // fallback, with a health snapshot that excludes some endpoints and has stale records.
        let mixed = RouterBenchTable(ruleCount: size, mixedTargets: true)
        let mixedRouter = Router(config: mixed.config)
        let mixedDecide = RouterTiming.perCall(mixed.requests, rounds: size >= 10_000 ? 10 : 20) {
            mixedRouter.decide($0, health: mixed.health).ruleIndex
        }
        let agreeMixed = mixed.requests.allSatisfy { request in
            // Fresh, equally seeded states: both paths must make the same first pick.
            let lean = Router(config: mixed.config, table: mixedRouter.table, state: RouterState(seed: 7)).decide(
                request, health: mixed.health)
            let traced = Router(config: mixed.config, table: mixedRouter.table, state: RouterState(seed: 7)).route(
                request, health: mixed.health)
            return lean.ruleIndex == traced.rule?.index && lean.service == traced.service
                && lean.endpoint == traced.endpoint
        }
        print(
            String(
                format:
                    "decision mixed: median %.0f ns, p99 %.0f ns (all six strategies, splits, health filtering; same "
                    + "answers as route: %@)",
                mixedDecide.median, mixedDecide.p99, agreeMixed ? "yes" : "NO"))
        print("mixed allocs:   " + allocationLine(allocations.mixed[size]))
        print(
            String(
                format:
                    "traced preview: median %.0f ns, p99 %.0f ns (Router.route: also explains every earlier rule and "
                    + "resolves policies)",
                full.median, full.p99))
        if let peer = RouterWerkzeugPeer.measure(table) {
            print(
                String(
                    format:
                        "werkzeug %@ Map.match (in-process, %d rules): median %.0f ns, p99 %.0f ns -> the table is "
                        + "%.1fx faster",
                    peer.version, peer.rules, peer.median, peer.p99, peer.median / max(trie.median, 1)))
        } else {
            print("werkzeug: not available (pip install werkzeug)")
        }
        print("allocations:    " + allocationLine(allocations.match[size]) + " (firstMatch)")
        if let heapDelta {
            print(
                "heap in use:    \(heapDelta) bytes delta over \(table.requests.count * 100) decisions (glibc "
                    + "malloc_stats; a state, so it misses blocks freed in the call)"
            )
        }
        if size >= 10_000 {
            let verdict = trie.median < 1_000 ? "met" : "NOT met"
            let decisionVerdict = decide.median < 1_000 && mixedDecide.median < 1_000 ? "met" : "NOT met"
            print(
                String(
                    format: "goal < 1 us median at 10,000 rules: match %@, whole decision %@; compile < 50 ms: %@",
                    verdict, decisionVerdict, compile < 0.050 ? "met" : "NOT met"))
        }
    }
}

/// "N mallocs in M calls -> x per call", or why there is no count.
private func allocationLine(_ count: RouterAllocationProbe.Count?) -> String {
    guard let count else { return "mtrace probe unavailable (needs glibc's libc_malloc_debug.so.0)" }
    return
        "\(count.mallocs) mallocs in \(count.lookups) calls (glibc mtrace in a child process) -> \(count.perCall) "
        + "per call"
}

/// A realistic generated rule table and requests against it.
struct RouterBenchTable {
    static let sizes = [10, 1_000, 10_000]

    /// The rules, parsed from generated config text as users would write them.
    let rules: [Rule]
    /// The whole config, whose one service has endpoints in two regions, for full decisions.
    let config: MeshConfig
    /// The rule patterns, methods and hosts, for the werkzeug peer.
    let written: [(path: String, methods: [String]?, host: String?)]
    let requests: [RouteRequest]
    /// Live data for the mixed table (empty for the plain one).
    let health: HealthSnapshot

    /// - Parameter mixedTargets: false: every rule targets one geographic service, requests
    ///   carry no geo fields. True: rules cycle through services with every strategy,
    ///   sticky (header and cookie) and random splits and a fallback; requests carry colos,
    ///   sticky headers and cookies; ``health`` excludes, degrades and ages some endpoints.
    init(ruleCount: Int, mixedTargets: Bool = false) {
        var written: [(path: String, methods: [String]?, host: String?)] = [
            ("/:tenant/admin/*", ["GET"], "admin.example.com"),
            ("/:tenant/.well-known/*", nil, nil),
        ]
        var index = 0
        while written.count < ruleCount - 1 {
            let service = "svc-\(index / 8)"
            switch index % 8 {
            case 0: written.append(("/api/v1/\(service)/users/:id", ["GET"], nil))
            case 1: written.append(("/api/v1/\(service)/users/*", ["GET", "POST"], nil))
            case 2: written.append(("/api/v2/\(service)/*", nil, "*.example.com"))
            case 3: written.append(("/static/\(service)/*", ["GET", "HEAD"], nil))
            case 4: written.append(("/api/v1/\(service)/orders/:id/items/*", nil, nil))
            case 5: written.append(("/\(service)/health", ["GET"], nil))
            case 6: written.append(("/api/v1/\(service)/search*", ["GET"], nil))
            default: written.append(("/api/v1/\(service)/*/meta", nil, "api.example.com"))
            }
            index += 1
        }
        written.append(("/*", nil, nil))
        self.written = written

        let targets = [
            "\"service\": \"s\"",
            "\"split\": [{\"service\": \"w\", \"weight\": 80}, {\"service\": \"l\", \"weight\": 20}], \"stickyBy\": "
                + "\"header:X-User-Id\"",
            "\"service\": \"r\"",
            "\"split\": [{\"service\": \"c\", \"weight\": 1}, {\"service\": \"x\", \"weight\": 1}]",
            "\"service\": \"l\"",
            "\"service\": \"p\"",
            "\"service\": \"x\", \"loadBalancer\": {\"strategy\": \"weighted\"}",
            "\"split\": [{\"service\": \"s\", \"weight\": 9}, {\"service\": \"w\", \"weight\": 1}], \"stickyBy\": "
                + "\"cookie:session\"",
        ]
        let json = written.enumerated().map { position, rule -> String in
            let target = mixedTargets ? targets[position % targets.count] : targets[0]
            var members = ["\"path\": \"\(rule.path)\"", target]
            if let methods = rule.methods {
                members.append("\"methods\": [\(methods.map { "\"\($0)\"" }.joined(separator: ", "))]")
            }
            if let host = rule.host { members.append("\"host\": \"\(host)\"") }
            return "{\(members.joined(separator: ", "))}"
        }
        let service = """
            {"endpoints": [{"url": "https://eu.example.workers.dev", "region": "WEU", "continent": "EU"},
                           {"url": "https://us.example.workers.dev", "region": "ENAM", "continent": "NA"}],
             "loadBalancer": "geographic", "retries": 2}
            """
        let endpoints = { (name: String, count: Int, extra: String) in
            (0..<count).map {
                "{\"url\": \"https://\(name)\($0).example.workers.dev\", \"id\": \"\(name)-\($0)\"\(extra)}"
            }.joined(separator: ", ")
        }
        let others =
            mixedTargets
            ? """
            , "w": {"endpoints": [\(endpoints("w", 3, ", \"weight\": 3"))], "loadBalancer": "weighted"},
              "l": {"endpoints": [\(endpoints("l", 4, ""))], "loadBalancer": {"strategy": "latency", "metric": "p50"}},
              "r": {"endpoints": [\(endpoints("r", 3, ""))], "loadBalancer": "round-robin"},
              "c": {"endpoints": [\(endpoints("c", 3, ""))], "loadBalancer": "least-connections"},
              "x": {"endpoints": [\(endpoints("x", 3, ""))], "loadBalancer": {"strategy": "random", "seed": 42}},
              "p": {"endpoints": [\(endpoints("p", 2, ""))], "loadBalancer": "round-robin", "fallback": "s"}
            """ : ""
        let text =
            "{\"version\": 1, \"services\": {\"s\": \(service)\(others)}, \"routing\": {\"rules\": "
            + "[\n\(json.joined(separator: ",\n"))\n]}}"
        config = MeshDocument.analyze(SourceText(text), path: "router-bench.jsonc").config
        rules = config.routing.rules

        // 1,000 requests spread over the services, including near misses that fall
        // through to the catch-all and paths deeper than any rule.
        var seed: UInt64 = 0x00C0_FFEE
        let services = max(1, index / 8)
        var requests: [RouteRequest] = []
        for _ in 0..<1_000 {
            seed = seed &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            let service = "svc-\(Int(seed >> 33) % services)"
            let (method, url): (String, String)
            switch Int(seed >> 20) % 10 {
            case 0: (method, url) = ("GET", "https://api.example.com/api/v1/\(service)/users/42")
            case 1: (method, url) = ("POST", "https://api.example.com/api/v1/\(service)/users/42/avatar")
            case 2: (method, url) = ("GET", "https://eu.example.com/api/v2/\(service)/catalog/items?page=2")
            case 3: (method, url) = ("GET", "https://cdn.example.net/static/\(service)/js/app.3f9a.js")
            case 4: (method, url) = ("PUT", "https://api.example.com/api/v1/\(service)/orders/981/items/7")
            case 5: (method, url) = ("GET", "https://api.example.com/\(service)/health")
            case 6: (method, url) = ("GET", "https://api.example.com/api/v1/\(service)/search?q=shoes")
            case 7: (method, url) = ("GET", "https://api.example.com/api/v1/\(service)/profile/meta")
            case 8: (method, url) = ("GET", "https://api.example.com/api/v1/svc-missing-\(seed % 256)/x")
            default: (method, url) = ("DELETE", "https://api.example.com/api/v1/\(service)/users/42/a/b/c/d/e")
            }
            guard mixedTargets else {
                if case .success(let request) = RouteRequest.make(method: method, url: url) { requests.append(request) }
                continue
            }
            let colos = ["LHR", "IAD", "NRT", "XXX"]
            var headers: [(String, String)] = []
            if seed % 3 != 0 { headers.append(("x-user-id", "user-\(seed % 5_000)")) }
            if seed % 4 != 0 { headers.append(("cookie", "theme=dark; session=s\(seed % 977); lang=en")) }
            let cf = GeoContext(colo: colos[Int(seed >> 40) % colos.count], latitude: 51.5, longitude: -0.1)
            if case .success(let request) = RouteRequest.make(method: method, url: url, headers: headers, cf: cf) {
                requests.append(request)
            }
        }
        self.requests = requests
        health =
            mixedTargets
            ? HealthSnapshot(records: [
                "l": [
                    "l-0": EndpointHealth(status: .healthy, latencyMs: 40),
                    "l-1": EndpointHealth(status: .healthy, latencyMs: 12),
                    "l-2": EndpointHealth(status: .unhealthy, latencyMs: 3),
                    "l-3": EndpointHealth(status: .healthy, latencyMs: 1, ageSeconds: 600),
                ],
                "r": [
                    "r-1": EndpointHealth(status: .healthy, circuit: .open), "r-2": EndpointHealth(status: .degraded),
                ],
                "c": [
                    "c-0": EndpointHealth(status: .healthy, inFlight: 4),
                    "c-2": EndpointHealth(status: .healthy, inFlight: 4),
                ],
                "p": [
                    "p-0": EndpointHealth(status: .unhealthy), "p-1": EndpointHealth(status: .healthy, circuit: .open),
                ],
            ]) : .empty
    }
}

/// Per-call timing with the clock's own cost measured and subtracted.
enum RouterTiming {
    struct Figures {
        var median: Double
        var p99: Double
        var mean: Double
    }

    /// The cost of reading the clock twice, in ns.
    static let overhead: Double = {
        var samples: [UInt64] = []
        for _ in 0..<20_000 {
            let start = now()
            samples.append(now() - start)
        }
        samples.sort()
        return Double(samples[samples.count / 2])
    }()

    @inline(never)
    static func now() -> UInt64 {
        var time = timespec()
        clock_gettime(CLOCK_MONOTONIC, &time)
        return UInt64(time.tv_sec) * 1_000_000_000 + UInt64(time.tv_nsec)
    }

    /// Keeps answers observable so the timed calls cannot be optimized away.
    @inline(never)
    static func sink(_ value: Int) {
        if value == Int.min { print("") }
    }

    static func median(of runs: Int, _ body: () -> Void) -> Double {
        var times: [Double] = []
        for _ in 0..<runs {
            let start = now()
            body()
            times.append(Double(now() - start) / 1e9)
        }
        times.sort()
        return times[times.count / 2]
    }

    /// Times each call of `decide` separately, over `rounds` passes of `requests` (parsed
    /// requests, or their bytes for the edge benchmark's decisions from JSON).
    static func perCall<Request>(_ requests: [Request], rounds: Int, _ decide: (Request) -> Int?) -> Figures {
        var samples: [Double] = []
        samples.reserveCapacity(requests.count * rounds)
        var checksum = 0
        let base = overhead
        let whole = now()
        for round in 0..<rounds {
            for request in requests {
                let start = now()
                let answer = decide(request)
                let elapsed = now() - start
                samples.append(max(0, Double(elapsed) - base))
                checksum &+= answer ?? round
            }
        }
        sink(checksum)
        let total = Double(now() - whole) / Double(requests.count * rounds) - base
        samples.sort()
        return Figures(median: samples[samples.count / 2], p99: samples[samples.count * 99 / 100], mean: max(0, total))
    }
}
