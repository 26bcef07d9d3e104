import Foundation
import MeshConfig
import MeshEdgeHost
import MeshRegistry
import MeshRouter
import MeshSyntax
import MeshWire
import WireJSON

/// `diddy-mesh route --engine wasm`: the same questions as `route --url` and `route --requests`,
/// decided by the edge router's `.wasm` (edge/README.md) on WasmKit, so that a preview's
/// decision is the exact artifact's that is deployed.
///
/// The config is loaded as for the native router, compiled into its route plan as `config
/// push` compiles it (``CompiledPlan``), and the plan handed to `mesh_load`, as a Worker loads
/// `mesh:plan`; the report's error count gives the same warning line. Each request goes to
/// `mesh_route` in the field form, as the Worker sends it. The deployed module answers what a
/// Worker forwards with, not why (the trace is not in it, to keep it small: docs/edge.md), so
/// the explanation is the native router's trace for the same request, state and health,
/// shown only after checking that the two agree on every member the module answers
/// (``EdgeDecisionCheck``). Where they differ, the module was built from other sources than
/// this binary: that is exit status 2, with each differing member named. `--format json`
/// prints the native decision with the module's `edge` member (`retryableMethod`,
/// `serviceFallback`) last.
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
    /// once), else with the one the options name; `live` is handed to `mesh_set_health` and
    /// read into the native router's snapshot.
    private static func run(
        _ options: RouteRunner.Options, loaded: ConfigLoader.Loaded?, live: RouteRunner.LiveListing?
    ) -> RouteRunner {
        var runner = RouteRunner()
        let config: ConfigLoader.Loaded
        if let loaded {
            config = loaded
        } else {
            switch ConfigLoader.loadSingle(options.configPath, stdinName: options.stdinName, command: "route") {
            case .failure(let failure):
                runner.errors += failure.report
                runner.exitCode = 2
                return runner
            case .success(let found): config = found
            }
        }
        runner.errors += ConfigDiscovery.noteLines(config.notes)
        let path = modulePath(options.wasmPath)
        let host: EdgeRouterHost
        do throws(EdgeHostError) {
            host = try EdgeRouterHost(contentsOf: path)
        } catch {
            return runner.failing("error: \(error)\n" + buildHint)
        }
        let report: JSONObject
        do throws(EdgeHostError) {
            // The analysis the load began is finished, not redone.
            report = try parse(host.load(plan: CompiledPlan(config).bytes), from: "mesh_load")
            if let live {
                _ = try host.setHealth(
                    EdgeHealthFields.write(EdgeHealthInput.envelope(live.listing, now: live.fetchedAt)))
            }
        } catch {
            return runner.failing(message(error, path: path))
        }
        let errorCount = Int(report["errors"]?.intValue ?? 0)
        runner.errors += ConfigLoader.errorsWarning(config.source.displayPath, errors: errorCount, "routing on") ?? ""
        let health =
            live.map {
                $0.listing.snapshot(
                    for: config.document.config, staleAfter: Double(EdgeHealthInput.staleAfterSeconds),
                    now: Double(EdgeHealthInput.milliseconds($0.fetchedAt)) / 1000)
            } ?? .empty
        var session = Session(
            host: host, router: Router(config: config.document.config), health: health, source: config.document.source)
        if let requestsPath = options.requestsPath {
            return runRequests(requestsPath, session: &session, options: options, runner: runner)
        }
        return runOne(session: &session, options: options, path: config.source.displayPath, live: live, runner: runner)
    }

    /// The module and the native router with the same config, health and state, deciding
    /// each request in turn; what the module's refs name is asked once per ref.
    private struct Session {
        let host: EdgeRouterHost
        let router: Router
        let health: HealthSnapshot
        let source: SourceText
        var named: [Int64: JSONObject] = [:]

        /// Both decisions of `request`: the native trace as JSON with the module's `edge`
        /// member last, or the members on which the module decides otherwise.
        mutating func decide(_ request: RouteRequest) throws(EdgeHostError) -> Decided {
            let answer = try parse(host.route(EdgeRequest(request)), from: "mesh_route")
            var names: JSONObject?
            if let ref = answer["ref"]?.intValue {
                if named[ref] == nil {
                    named[ref] = try parse(host.ref(Int32(truncatingIfNeeded: ref)), from: "mesh_ref")
                }
                names = named[ref]
            }
            let trace = router.route(request, health: health)
            let source = source
            guard case .object(var decision) = TraceJSON.encode(trace, range: { JSONFormatter.range($0, in: source) })
            else { throw .badAnswer(call: "mesh_route", reason: "the native decision is not a JSON object") }
            let edge = EdgeDecisionCheck.edge(answer, named: names)
            let differences = EdgeDecisionCheck.differences(
                module: EdgeDecisionCheck.moduleView(answer, named: names),
                native: EdgeDecisionCheck.nativeView(
                    decision, serviceFallback: edge["serviceFallback"]?.boolValue ?? false))
            decision["edge"] = .object(edge)
            return Decided(
                trace: trace, json: decision, differences: differences,
                reachesAService: RouteRunner.reachesAService(trace, in: router.config))
        }

        /// Both decisions of `request` when they agree; otherwise the error lines, naming the
        /// request as `named` when the two disagree.
        mutating func agreeing(_ request: RouteRequest, named: String) -> Result<Decided, Failure> {
            let decided: Decided
            do throws(EdgeHostError) {
                decided = try decide(request)
            } catch {
                return .failure(Failure(message: message(error, path: host.path)))
            }
            guard decided.differences.isEmpty else {
                return .failure(
                    Failure(message: disagreement(decided.differences, module: host.path, request: named)))
            }
            return .success(decided)
        }
    }

    /// Why a request has no decision to show: the module failed, or it decides otherwise
    /// than the native router; the error lines.
    private struct Failure: Error {
        let message: String
    }

    /// One request's decisions, as ``Session/decide(_:)`` answers them.
    private struct Decided {
        var trace: DecisionTrace
        var json: JSONObject
        var differences: [String]
        var reachesAService: Bool
    }

    /// `--url`: one request, its decision pretty-printed or as text.
    private static func runOne(
        session: inout Session, options: RouteRunner.Options, path: String, live: RouteRunner.LiveListing?,
        runner: RouteRunner
    ) -> RouteRunner {
        var runner = runner
        guard let url = options.url else { return runner.failing("error: route needs --url URL (or --requests FILE)") }
        let request: RouteRequest
        switch RouteRunner.headerPairs(options.headers).map({ headers in
            RouteRequest.make(method: options.method, url: url, headers: headers, cf: options.cf)
        }) {
        case .failure(let failure): return runner.failing("error: \(failure.message)")
        case .success(.failure(let error)): return runner.failing("error: \(error.message)")
        case .success(.success(let made)): request = made
        }
        let decided: Decided
        switch session.agreeing(request, named: "\(request.method) \(url)") {
        case .failure(let failure): return runner.failing(failure.message)
        case .success(let both): decided = both
        }
        switch options.format {
        case .json:
            runner.output = WireJSON.serialize(.object(decided.json), pretty: true) + "\n"
        default:
            let source = session.source
            runner.output = TraceText.format(decided.trace) { range in
                let position = OutputPosition(range.start, in: source)
                return "\(path):\(position.line):\(position.column)"
            }
            if let live {
                let age = max(0, Date().timeIntervalSince1970 - live.fetchedAt)
                runner.output += "   live health: \(live.registry), read \(LiveChecks.describeAge(age))\n"
            }
            runner.output += "   engine: wasm, \(session.host.path) (this binary's router decides alike and explains)\n"
        }
        runner.exitCode = decided.reachesAService ? 0 : 1
        return runner
    }

    /// `--requests`: every line read as the native router reads it, and any line the module's
    /// field form cannot carry refused, before anything is printed, as with the native
    /// router; then each line decided by both, state carried from line to line, and printed
    /// as a line of JSON. Nothing is kept between lines, so memory does not grow with the file.
    private static func runRequests(
        _ requestsPath: String, session: inout Session, options: RouteRunner.Options, runner: RouteRunner
    ) -> RouteRunner {
        var runner = runner
        let read = requestsPath == "-" ? FileReader.readStandardInput() : FileReader.read(requestsPath)
        let bytes: [UInt8]
        switch read {
        case .success(let found): bytes = found
        case .failure(let failure): return runner.failing("error: \(failure.message)")
        }
        let shownPath = requestsPath == "-" ? "<stdin>" : requestsPath
        var collected = ""
        let batch = RouteBatch.run(
            bytes, path: shownPath,
            check: { request in
                guard case .failure(let error) = EdgeRequest(request).fields else { return nil }
                return error.message
            },
            write: { chunk in
                if let write = options.write { write(chunk) } else { collected += chunk }
            },
            answer: { request, line in
                switch session.agreeing(request, named: "\(shownPath):\(line)") {
                case .failure(let failure): return .stop(failure.message)
                case .success(let decided):
                    return .decision(
                        WireJSON.serialize(.object(decided.json)), reachesAService: decided.reachesAService)
                }
            })
        runner.output += collected
        runner.errors += batch.errors
        runner.exitCode = batch.exitCode
        return runner
    }

    /// The error of a module that decides `request` otherwise than this binary's router.
    private static func disagreement(_ differences: [String], module: String, request: String) -> String {
        "error: the edge router module '\(module)' and this binary's router decide \(request) differently:\n"
            + differences.map { "  \($0)\n" }.joined()
            + "note: the preview explains only a decision both make; a module built from other sources than this "
            + "binary differs: run `make wasm` at the repository root, or name the deployed module with --wasm PATH"
    }

    /// An answer of `call` as JSON; the module always answers JSON, so anything else is a
    /// broken module.
    private static func parse(_ bytes: [UInt8], from call: String) throws(EdgeHostError) -> JSONObject {
        switch WireJSON.parse(bytes) {
        case .success(.object(let object)): return object
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
