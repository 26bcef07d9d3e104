import Foundation
import MeshConfig
import MeshRouter
import MeshSyntax

// The native side of `make bench-edge` (Benchmarks/edge/bench_edge.mjs, docs/edge.md): the
// same configs and the same requests that the wasm router is timed on, routed by the same
// MeshRouter code compiled natively, so that the two can be set side by side as ratios.
//
// `diddy-mesh-bench --edge-configs DIR [--runs N]` reads every `NAME.jsonc` in DIR with its
// `NAME.requests.jsonl` (one request a line, as JSON, as `route --requests` reads them)
// and prints one JSON object a line per config, times in nanoseconds:
//
// - `load`: what mesh_load does before it answers: `RoutePlan.decode` of the config's route
//   plan (compiled once beforehand, as `config push` compiles it), which reads the router it
//   carries compiled, median and best of N;
// - `route`: `Router.route(_:health:explainingSkippedRules: false)` on requests parsed
//   beforehand: the traced decision alone, which the module no longer answers (docs/edge.md,
//   "What the module answers");
// - `decideJSON`: `RequestJSON.parse` of the request's bytes, that call, and
//   `DecisionJSON.encode` of the trace: the traced decision with JSON in and out;
// - `lean`: `Router.decide`, the allocation-free decision of docs/benchmarks.md ("Routing"),
//   which `mesh_route` calls: the native side of the Worker's path.
//
// The router's state carries from one decision to the next, as in the module.
enum EdgeBenchmark {
    struct Config {
        let name: String
        let bytes: [UInt8]
        let requests: [[UInt8]]
    }

    static func run(directory: String, runs: Int) -> Int32 {
        let configs: [Config]
        do {
            configs = try read(directory)
        } catch {
            FileHandle.standardError.write(Data("edge bench: \(error)\n".utf8))
            return 2
        }
        if configs.isEmpty {
            FileHandle.standardError.write(
                Data("edge bench: no NAME.jsonc with NAME.requests.jsonl in \(directory)\n".utf8))
            return 2
        }
        for config in configs {
            guard let line = measure(config, runs: runs) else { return 1 }
            print(line)
        }
        return 0
    }

    /// The configs of `directory`, in name order, each with its requests.
    static func read(_ directory: String) throws -> [Config] {
        let names = try FileManager.default.contentsOfDirectory(atPath: directory).filter { $0.hasSuffix(".jsonc") }
        return try names.sorted().compactMap { file in
            let name = String(file.dropLast(".jsonc".count))
            let requestsPath = "\(directory)/\(name).requests.jsonl"
            guard FileManager.default.fileExists(atPath: requestsPath) else { return nil }
            let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: "\(directory)/\(file)")))
            let lines = try Data(contentsOf: URL(fileURLWithPath: requestsPath)).split(separator: UInt8(ascii: "\n"))
            return Config(name: name, bytes: bytes, requests: lines.map { [UInt8]($0) })
        }
    }

    /// One JSON line of figures for `config`, or nil (after saying why) when a request is
    /// refused: the wasm side routes every one, so both must.
    static func measure(_ config: Config, runs: Int) -> String? {
        var parsed: [RouteRequest] = []
        for (number, bytes) in config.requests.enumerated() {
            switch RequestJSON.parse(bytes) {
            case .success(let request): parsed.append(request)
            case .failure(let error):
                FileHandle.standardError.write(
                    Data("edge bench: \(config.name) request \(number + 1): \(error.message)\n".utf8))
                return nil
            }
        }
        let loads = max(3, config.bytes.count > 500_000 ? runs : runs * 3)
        var loadTimes: [Double] = []
        var router: Router?
        let plan = RoutePlan(
            analysis: ConfigAnalysis(SourceText(bytes: config.bytes), path: "diddy-mesh.jsonc"), configSHA256: ""
        ).encoded()
        for _ in 0..<loads {
            let start = RouterTiming.now()
            guard case .success(let decoded) = RoutePlan.decode(plan) else { return nil }
            router = decoded.router
            loadTimes.append(Double(RouterTiming.now() - start))
        }
        loadTimes.sort()
        guard let router else { return nil }
        let rounds = max(3, runs)
        // One pass first: the first decisions touch the table and the plan for the first time.
        _ = RouterTiming.perCall(parsed, rounds: 1) { router.route($0, explainingSkippedRules: false).rule?.index }
        let route = RouterTiming.perCall(parsed, rounds: rounds) {
            router.route($0, explainingSkippedRules: false).rule?.index
        }
        var answerBytes = 0
        let decideJSON = RouterTiming.perCall(config.requests, rounds: rounds) { bytes in
            guard case .success(let request) = RequestJSON.parse(bytes) else { return nil }
            let answer = DecisionJSON.encode(router.route(request, explainingSkippedRules: false))
            answerBytes &+= answer.count
            return answer.count
        }
        let lean = RouterTiming.perCall(parsed, rounds: rounds) { router.decide($0).ruleIndex }
        let requestBytes = config.requests.reduce(0) { $0 + $1.count }
        let figures = [
            "\"load\": {\"median\": \(loadTimes[loadTimes.count / 2]), \"best\": \(loadTimes[0]), \"runs\": \(loads)}",
            "\"route\": \(json(route))", "\"decideJSON\": \(json(decideJSON))", "\"lean\": \(json(lean))",
            "\"requestBytes\": \(requestBytes / max(1, config.requests.count))",
            "\"answerBytes\": \(answerBytes / max(1, config.requests.count * rounds))",
        ]
        return
            "{\"name\": \"\(config.name)\", \"rules\": \(router.config.routing.rules.count), \"requests\": "
            + "\(parsed.count), \"rounds\": \(rounds), \"timerOverhead\": \(RouterTiming.overhead), "
            + figures.joined(separator: ", ") + "}"
    }

    private static func json(_ figures: RouterTiming.Figures) -> String {
        "{\"median\": \(figures.median), \"p99\": \(figures.p99), \"mean\": \(figures.mean)}"
    }
}
