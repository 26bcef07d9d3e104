import MeshConfig
import MeshRegistry
import MeshRouter
import MeshSyntax
import MeshWire
import WireJSON

/// What `route` prints and how it exits, apart from argument parsing so tests can run it
/// in-process: 0 routed or default, 1 no route, an undefined service or failing
/// expectations, 2 bad input.
public struct RouteRunner: Sendable {
    public var output = ""
    public var errors = ""
    public var exitCode: Int32 = 0

    /// The options of `route`.
    public struct Options: Sendable {
        /// The config: a file, a folder holding one, `-`, or nil to search (``ConfigDiscovery``).
        public var configPath: String?
        /// `--stdin-filename`: the name standard input goes by in messages.
        public var stdinName: String?
        public var url: String?
        public var method = "GET"
        public var headers: [String] = []
        public var cf = GeoContext()
        public var format: CheckFormat = .text
        public var testsPath: String?
        /// `--requests`: a JSON Lines file of requests (``RouteBatch``), or `-` for standard input.
        public var requestsPath: String?
        /// Where `--requests` writes its decisions as they are made; nil collects them in
        /// ``RouteRunner/output``, as the other forms do.
        public var write: (@Sendable (String) -> Void)?
        public var failUnder: Double?
        /// `--engine`: which router answers.
        public var engine: RouteEngine = .native
        /// `--wasm`: the edge router module of `--engine wasm`; nil for the default
        /// (``WasmRouteRunner/modulePath(_:)``).
        public var wasmPath: String?
        /// When set (`--live`), reads the registry's health for the loaded config, or says
        /// why it cannot.
        public var live: (@Sendable (ConfigLoader.Loaded) async -> Result<LiveHealth, FileReader.Failure>)?
        /// When set (`--live` with `--engine wasm`), reads the registry's live data as the
        /// store holds it, for the edge router to read itself, or says why it cannot.
        public var liveListing: (@Sendable (ConfigLoader.Loaded) async -> Result<LiveListing, FileReader.Failure>)?
        public init() {}
    }

    /// The live data of `route --live`: the snapshot, where it was read and when.
    public struct LiveHealth: Sendable {
        public var snapshot: HealthSnapshot
        /// The registry, as ``ResolvedRegistry`` describes it.
        public var registry: String
        /// Seconds between the read and the trace.
        public var age: Double

        /// Creates the live data of one run.
        public init(snapshot: HealthSnapshot, registry: String, age: Double) {
            self.snapshot = snapshot
            self.registry = registry
            self.age = age
        }
    }

    /// The live data of `route --engine wasm --live`: the store's records, where and when they
    /// were read.
    public struct LiveListing: Sendable {
        public var listing: HealthListing
        /// The registry, as ``ResolvedRegistry`` describes it.
        public var registry: String
        /// When it was read, epoch seconds.
        public var fetchedAt: Double

        /// Creates the live data of one run.
        public init(listing: HealthListing, registry: String, fetchedAt: Double) {
            self.listing = listing
            self.registry = registry
            self.fetchedAt = fetchedAt
        }
    }

    /// A config loaded and a request parsed: what routing needs besides health.
    private struct Prepared {
        let loaded: ConfigLoader.Loaded
        let router: Router
        let request: RouteRequest?
    }

    /// Runs one request, or the expectations file, without live data; with
    /// ``Options/engine`` `.wasm`, one request or a file of them through the edge router's
    /// module (``WasmRouteRunner``).
    public static func run(_ options: Options) -> RouteRunner {
        if options.engine == .wasm { return WasmRouteRunner.run(options) }
        var runner = RouteRunner()
        guard let prepared = runner.prepare(options) else { return runner }
        return runner.finish(prepared, options: options, live: nil)
    }

    /// Runs one request with the live data `options.live` reads (`route --live`); without
    /// it, as ``run(_:)``. A registry that cannot be read is exit status 2: a preview that
    /// silently left the health out would not be what was asked for.
    public static func runWithLiveHealth(_ options: Options) async -> RouteRunner {
        if options.engine == .wasm { return await WasmRouteRunner.runWithLiveHealth(options) }
        var runner = RouteRunner()
        guard let prepared = runner.prepare(options) else { return runner }
        guard let live = options.live, prepared.request != nil else {
            return runner.finish(prepared, options: options, live: nil)
        }
        switch await live(prepared.loaded) {
        case .success(let health): return runner.finish(prepared, options: options, live: health)
        case .failure(let failure): return runner.failing("error: \(failure.message)")
        }
    }

    /// Loads the config and parses the request; nil (with the error recorded) on bad input.
    private mutating func prepare(_ options: Options) -> Prepared? {
        let loaded: ConfigLoader.Loaded
        switch ConfigLoader.loadSingle(options.configPath, stdinName: options.stdinName, command: "route") {
        case .success(let found): loaded = found
        case .failure(let failure):
            errors += failure.report
            exitCode = 2
            return nil
        }
        errors += ConfigDiscovery.noteLines(loaded.notes) + (loaded.errorsWarning("routing on") ?? "")
        let router = Router(config: loaded.document.config)
        if options.testsPath != nil || options.requestsPath != nil {
            return Prepared(loaded: loaded, router: router, request: nil)
        }
        guard let url = options.url else {
            _ = failing("error: route needs --url URL (or --tests FILE)")
            return nil
        }
        let headers: [(String, String)]
        switch Self.headerPairs(options.headers) {
        case .success(let pairs): headers = pairs
        case .failure(let failure):
            _ = failing("error: \(failure.message)")
            return nil
        }
        switch RouteRequest.make(method: options.method, url: url, headers: headers, cf: options.cf) {
        case .success(let request): return Prepared(loaded: loaded, router: router, request: request)
        case .failure(let error):
            _ = failing("error: \(error.message)")
            return nil
        }
    }

    /// Routes the request (or runs the expectations) and renders the answer.
    private mutating func finish(_ prepared: Prepared, options: Options, live: LiveHealth?) -> RouteRunner {
        let source = prepared.loaded.document.source
        let path = prepared.loaded.source.displayPath
        guard let request = prepared.request else {
            if let requestsPath = options.requestsPath {
                return runRequests(requestsPath, router: prepared.router, source: source, options: options)
            }
            guard let testsPath = options.testsPath else { return self }
            return runTests(testsPath, router: prepared.router, source: source, configPath: path, options: options)
        }
        let trace = RoutePreview.trace(request, router: prepared.router, health: live?.snapshot ?? .empty)
        switch options.format {
        case .json:
            output =
                WireJSON.serialize(TraceJSON.encode(trace) { JSONFormatter.range($0, in: source) }, pretty: true) + "\n"
        default:
            output = TraceText.format(trace) { range in
                let position = OutputPosition(range.start, in: source)
                return "\(path):\(position.line):\(position.column)"
            }
            if let live {
                output += "   live health: \(live.registry), read \(LiveChecks.describeAge(live.age))\n"
            }
        }
        exitCode = Self.reachesAService(trace, in: prepared.router.config) ? 0 : 1
        return self
    }

    /// Each `--header 'Name: value'` split at its first colon (the value keeps its spaces,
    /// which the request trims), or the first one without a colon.
    static func headerPairs(_ headers: [String]) -> Result<[(String, String)], FileReader.Failure> {
        var pairs: [(String, String)] = []
        for header in headers {
            guard let colon = header.firstIndex(of: ":") else {
                return .failure(FileReader.Failure(message: "invalid --header '\(header)': write 'Name: value'"))
            }
            pairs.append((String(header[..<colon]), String(header[header.index(after: colon)...])))
        }
        return .success(pairs)
    }

    /// Whether the trace ends at a service the config defines: not when no rule and no
    /// default matched, a split had no usable branch, or the service named is not defined.
    static func reachesAService(_ trace: DecisionTrace, in config: MeshConfig) -> Bool {
        guard let service = trace.service else { return false }
        return config.service(named: service) != nil
    }

    private mutating func runTests(
        _ testsPath: String, router: Router, source: SourceText, configPath: String, options: Options
    ) -> RouteRunner {
        let expectations: [RouteExpectation]
        switch FileReader.read(testsPath) {
        case .failure(let failure):
            return failing("error: \(failure.message)")
        case .success(let bytes):
            switch RouteExpectationsFile.parse(SourceText(bytes: bytes), path: testsPath) {
            case .success(let parsed): expectations = parsed
            case .failure(let failure): return failing(failure.messages.map { "error: \($0)" }.joined(separator: "\n"))
            }
        }
        let report = RouteTestsReport.run(expectations, router: router)
        switch options.format {
        case .json:
            output = WireJSON.serialize(report.json { JSONFormatter.range($0, in: source) }, pretty: true) + "\n"
        default:
            output = report.text(path: testsPath)
        }
        let coverageMet = options.failUnder.map { report.coverage >= $0 } ?? true
        if !coverageMet, let threshold = options.failUnder {
            let missing = report.notExercised
            errors +=
                "error: rule coverage \(report.coveragePercent) is below --fail-under \(TraceText.number(threshold))%"
                + (missing.isEmpty ? "" : "; not exercised: " + missing.joined(separator: ", ")) + "\n"
        }
        exitCode = report.failedCount == 0 && coverageMet ? 0 : 1
        return self
    }

    /// `--requests`: every line of the file routed in order by one router (``RouteBatch``).
    private mutating func runRequests(
        _ requestsPath: String, router: Router, source: SourceText, options: Options
    ) -> RouteRunner {
        let read = requestsPath == "-" ? FileReader.readStandardInput() : FileReader.read(requestsPath)
        let bytes: [UInt8]
        switch read {
        case .success(let found): bytes = found
        case .failure(let failure): return failing("error: \(failure.message)")
        }
        var collected = ""
        let batch = RouteBatch.run(
            bytes, path: requestsPath == "-" ? "<stdin>" : requestsPath, router: router, source: source
        ) { chunk in
            if let write = options.write { write(chunk) } else { collected += chunk }
        }
        output += collected
        errors += batch.errors
        exitCode = batch.exitCode
        return self
    }

    mutating func failing(_ message: String) -> RouteRunner {
        errors += message + "\n"
        exitCode = 2
        return self
    }
}
