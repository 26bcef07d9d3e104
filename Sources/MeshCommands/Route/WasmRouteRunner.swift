import Foundation
import MeshConfig
import MeshEdgeHost
import MeshRegistry
import MeshRouter
import MeshSyntax
import WireJSON

/// `diddy-mesh route --engine wasm`: the same questions as `route --url` and `route --requests`,
/// answered by the edge router's `.wasm` (edge/README.md) on WasmKit instead of the router
/// compiled into this binary, so that a preview uses the exact artifact that is deployed.
///
/// The config is found and read as for the native router, compiled into its route plan as
/// `config push` compiles it (``CompiledPlan``), and the plan handed to `mesh_load`, as a
/// Worker loads `mesh:plan`; the report's error count gives the same warning line. Each
/// request goes to `mesh_decide` as `RequestJSON`. The decision is the module's JSON:
/// `--format json` prints it (pretty for one request, a line each for `--requests`),
/// `--format text` reads it into the lines of the native trace (``EdgeDecisionText``). What
/// the module does not answer cannot be shown: why earlier rules were skipped, and the
/// matched rule's position in the config.
///
/// A module that is missing, not WebAssembly or not the edge router is exit status 2 with a
/// message saying to run `make wasm`; so is a module that traps or runs past its fuel budget.
enum WasmRouteRunner {
    /// The module `--wasm PATH` names; without it, `make wasm`'s output,
    /// `.build/wasm/diddy-mesh-router.wasm`, in the current folder if it is there, else at the
    /// root of the repository the current folder is in. Nothing else is searched: the module
    /// runs with the user's trust, so it comes only from where they pointed or built it.
    static func modulePath(_ given: String?) -> String {
        if let given { return given }
        let here = EdgeRouterHost.defaultModulePath
        if WorkspaceFile.kind(of: here) != nil { return here }
        let repository = RepositoryRoot(start: ".")
        guard !repository.startIsRoot, let root = repository.parents.last else { return here }
        return root.shown + "/" + here
    }

    static func run(_ options: RouteRunner.Options) -> RouteRunner {
        run(options, loaded: nil, live: nil)
    }

    /// `--live`: the config is loaded natively first, since where the registry is and which
    /// services register their endpoints are in it; the store's records are read with the
    /// registry reader's deadline, then handed to the module, which reads them itself.
    static func runWithLiveHealth(_ options: RouteRunner.Options) async -> RouteRunner {
        guard let read = options.liveListing, options.url != nil else { return run(options) }
        var runner = RouteRunner()
        switch ConfigLoader.loadSingle(options.configPath, stdinName: options.stdinName, command: "route") {
        case .failure(let failure):
            runner.errors += failure.report
            runner.exitCode = 2
            return runner
        case .success(let loaded):
            switch await read(loaded) {
            case .failure(let failure): return runner.failing("error: \(failure.message)")
            case .success(let live): return run(options, loaded: loaded, live: live)
            }
        }
    }

    /// Routes with the config `loaded` when it was read already (standard input is read
    /// once), else with the one the options name; `live` is handed to `mesh_set_health`.
    private static func run(
        _ options: RouteRunner.Options, loaded: ConfigLoader.Loaded?, live: RouteRunner.LiveListing?
    ) -> RouteRunner {
        var runner = RouteRunner()
        let source: ConfigSource
        let config: [UInt8]
        if let loaded {
            source = loaded.source
            config = loaded.document.source.bytes
            runner.errors += ConfigDiscovery.noteLines(loaded.notes)
        } else {
            switch ConfigDiscovery.single(
                in: options.configPath.map { [$0] } ?? [], stdinName: options.stdinName, command: "route")
            {
            case .failure(let failure):
                runner.errors += failure.report
                runner.exitCode = 2
                return runner
            case .success(let found):
                source = found.config
                runner.errors += ConfigDiscovery.noteLines(found.notes)
            }
            switch ConfigLoader.read(source) {
            case .success(let bytes): config = bytes
            case .failure(let failure): return runner.failing("error: \(failure.message)")
            }
        }
        let path = modulePath(options.wasmPath)
        let host: EdgeRouterHost
        do throws(EdgeHostError) {
            host = try EdgeRouterHost(contentsOf: path)
        } catch {
            return runner.failing("error: \(error)\n" + buildHint)
        }
        let report: JSONValue
        do throws(EdgeHostError) {
            // A config loaded already (`--live`) has its analysis begun: it is finished, not redone.
            let plan = loaded.map(CompiledPlan.init) ?? CompiledPlan(config: config, path: source.displayPath)
            report = try parse(host.load(plan: plan.bytes), from: "mesh_load")
            if let live { _ = try host.setHealth(EdgeHealthInput.json(live.listing, now: live.fetchedAt)) }
        } catch {
            return runner.failing(message(error, path: path))
        }
        let errorCount = Int(report["errors"]?.intValue ?? 0)
        runner.errors += ConfigLoader.errorsWarning(source.displayPath, errors: errorCount, "routing on") ?? ""
        if let requestsPath = options.requestsPath {
            return runRequests(requestsPath, host: host, options: options, runner: runner)
        }
        return runOne(
            host: host, options: options, rules: Int(report["rules"]?.intValue ?? 0), live: live, runner: runner)
    }

    /// `--url`: one request, its decision pretty-printed or as text.
    private static func runOne(
        host: EdgeRouterHost, options: RouteRunner.Options, rules: Int, live: RouteRunner.LiveListing?,
        runner: RouteRunner
    ) -> RouteRunner {
        var runner = runner
        guard let url = options.url else { return runner.failing("error: route needs --url URL (or --requests FILE)") }
        let headers: [(String, String)]
        switch RouteRunner.headerPairs(options.headers) {
        case .success(let pairs): headers = pairs
        case .failure(let failure): return runner.failing("error: \(failure.message)")
        }
        let request = EdgeRequest(
            method: options.method, url: url, headers: headers.map { (name: $0.0, value: $0.1) }, cf: options.cf)
        let decision: JSONValue
        do throws(EdgeHostError) {
            decision = try parse(host.decide(request), from: "mesh_decide")
        } catch {
            return runner.failing(message(error, path: host.path))
        }
        switch options.format {
        case .json:
            runner.output = WireJSON.serialize(decision, pretty: true) + "\n"
        default:
            runner.output = EdgeDecisionText.format(decision, url: url, rules: rules)
            if let live {
                let age = max(0, Date().timeIntervalSince1970 - live.fetchedAt)
                runner.output += "   live health: \(live.registry), read \(LiveChecks.describeAge(age))\n"
            }
            runner.output += "   engine: wasm, \(host.path)\n"
        }
        runner.exitCode = reachesAService(decision) ? 0 : 1
        return runner
    }

    /// `--requests`: every line through `mesh_decide` twice. The first pass finds the lines
    /// the module refuses, so that a file with a bad line prints no decision, as with the
    /// native router; `mesh_reset` then gives the router fresh state, and the second pass
    /// prints each decision as the module wrote it, a line each, state carried from line to
    /// line. Nothing is kept between lines, so memory does not grow with the file.
    private static func runRequests(
        _ requestsPath: String, host: EdgeRouterHost, options: RouteRunner.Options, runner: RouteRunner
    ) -> RouteRunner {
        var runner = runner
        let read = requestsPath == "-" ? FileReader.readStandardInput() : FileReader.read(requestsPath)
        let bytes: [UInt8]
        switch read {
        case .success(let found): bytes = found
        case .failure(let failure): return runner.failing("error: \(failure.message)")
        }
        let shownPath = requestsPath == "-" ? "<stdin>" : requestsPath
        let lines = RouteBatch.lines(of: bytes)
        var problems: [String] = []
        do throws(EdgeHostError) {
            for line in lines {
                do throws(EdgeHostError) {
                    _ = try host.decide(request: Array(bytes[line.range]))
                } catch {
                    guard case .refused(_, _, let message) = error else { throw error }
                    problems.append("error: \(shownPath):\(line.number): \(message)")
                }
            }
            if let refusal = RouteBatch.refusal(problems: problems, lines: lines.count, path: shownPath) {
                runner.errors += refusal
                runner.exitCode = 2
                return runner
            }
            try host.reset()
            var chunk = ""
            var collected = ""
            for line in lines {
                let answer: [UInt8]
                do throws(EdgeHostError) {
                    answer = try host.decide(request: Array(bytes[line.range]))
                } catch {
                    // The first pass took this line, so only a module that answers the same
                    // bytes differently gets here; the line it refused is still named.
                    guard case .refused(_, _, let message) = error else { throw error }
                    return runner.failing("error: \(shownPath):\(line.number): \(message)")
                }
                if !reachesAService(try parse(answer, from: "mesh_decide")) { runner.exitCode = 1 }
                chunk += String(decoding: answer, as: UTF8.self) + "\n"
                if chunk.utf8.count >= RouteBatch.chunkSize {
                    if let write = options.write { write(chunk) } else { collected += chunk }
                    chunk = ""
                }
            }
            if let write = options.write { write(chunk) } else { collected += chunk }
            runner.output += collected
        } catch {
            return runner.failing(message(error, path: host.path))
        }
        return runner
    }

    /// Whether the decision ends at a service the config defines: it names one and has a
    /// policy, which the router resolves only for a defined service (`RouteRunner`'s
    /// `reachesAService` asks the same of a native trace).
    static func reachesAService(_ decision: JSONValue) -> Bool {
        decision["service"]?.stringValue != nil && !(decision["policy"]?.isNull ?? true)
    }

    /// An answer of `call` as JSON; the module always answers JSON, so anything else is a
    /// broken module.
    private static func parse(_ bytes: [UInt8], from call: String) throws(EdgeHostError) -> JSONValue {
        switch WireJSON.parse(bytes) {
        case .success(let value) where value.objectValue != nil: return value
        case .success: throw .badAnswer(call: call, reason: "it is not a JSON object")
        case .failure(let error): throw .badAnswer(call: call, reason: "it is not JSON (\(error))")
        }
    }

    /// The stderr lines of a failed call: the module's own sentence for a request or config
    /// it refuses, as the native router words it; otherwise what went wrong with the module.
    private static func message(_ error: EdgeHostError, path: String) -> String {
        switch error {
        case .refused(_, _, let sentence): "error: \(sentence)"
        case .inputTooLarge: "error: \(error)"
        default: "error: the edge router module '\(path)' failed: \(error)\n" + buildHint
        }
    }

    /// What fixes a module that is missing or broken: building it again.
    private static let buildHint =
        "note: run `make wasm` at the repository root to build \(EdgeRouterHost.defaultModulePath), "
        + "or name a module with --wasm PATH"
}
