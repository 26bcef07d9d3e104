import MeshConfig
import MeshRouter
import MeshSyntax
import MeshWire
import WireJSON

/// What `route` prints and how it exits, apart from argument parsing so tests can run it
/// in-process: 0 routed or default, 1 no route (or failing expectations), 2 bad input.
public struct RouteRunner: Sendable {
    public var output = ""
    public var errors = ""
    public var exitCode: Int32 = 0

    /// The options of `route`.
    public struct Options: Sendable {
        public var configPath = ""
        public var url: String?
        public var method = "GET"
        public var headers: [String] = []
        public var cf = GeoContext()
        public var format: CheckFormat = .text
        public var testsPath: String?
        public var failUnder: Double?
        public init() {}
    }

    /// Runs one request, or the expectations file.
    public static func run(_ options: Options) -> RouteRunner {
        var runner = RouteRunner()
        let document: MeshDocument
        switch ConfigLoader.load(options.configPath) {
        case .success(let loaded): document = loaded
        case .failure(let failure): return runner.failing("error: \(failure.message)")
        }
        let errorCount = document.diagnostics.filter { $0.severity == .error }.count
        if errorCount > 0 {
            runner.errors +=
                "warning: \(options.configPath) has \(errorCount) error\(errorCount == 1 ? "" : "s") (see diddy-mesh "
                + "check); routing on the parts that parse\n"
        }
        let router = Router(config: document.config)
        let source = document.source
        let path = options.configPath
        if let testsPath = options.testsPath {
            return runner.runTests(testsPath, router: router, source: source, configPath: path, options: options)
        }
        guard let url = options.url else {
            return runner.failing("error: route needs --url URL (or --tests FILE)")
        }
        var headers: [(String, String)] = []
        for header in options.headers {
            guard let colon = header.firstIndex(of: ":") else {
                return runner.failing("error: invalid --header '\(header)': write 'Name: value'")
            }
            headers.append((String(header[..<colon]), String(header[header.index(after: colon)...])))
        }
        let request: RouteRequest
        switch RouteRequest.make(method: options.method, url: url, headers: headers, cf: options.cf) {
        case .success(let made): request = made
        case .failure(let error): return runner.failing("error: \(error.message)")
        }
        let trace = router.route(request)
        switch options.format {
        case .json:
            runner.output =
                WireJSON.serialize(TraceJSON.encode(trace) { JSONFormatter.range($0, in: source) }, pretty: true) + "\n"
        default:
            runner.output = TraceText.format(trace) { range in
                let position = OutputPosition(range.start, in: source)
                return "\(path):\(position.line):\(position.column)"
            }
        }
        runner.exitCode = trace.outcome == .noRoute ? 1 : 0
        return runner
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

    private mutating func failing(_ message: String) -> RouteRunner {
        errors += message + "\n"
        exitCode = 2
        return self
    }
}
