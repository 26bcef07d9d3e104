import ArgumentParser
import Foundation
import MeshConfig
import MeshEdgeHost
import MeshRegistry
import MeshRouter

/// `diddy-mesh route [CONFIG] --url URL [--live] ...`, `diddy-mesh route [CONFIG] --requests FILE --format json`
/// and `diddy-mesh route [CONFIG] --tests FILE`.
struct RouteCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "route",
        abstract: "Run the router on one request and print the decision trace, or run route expectations.",
        discussion:
            "With --requests FILE --format json, each line of FILE is a request as JSON (the request object of a "
            + "route expectations file: {\"method\": \"GET\", \"url\": \"https://host/path\", \"headers\": {...}, "
            + "\"cf\": {\"colo\", \"country\", \"continent\", \"latitude\", \"longitude\"}}); each is routed in "
            + "order by one router, whose round-robin counters and random source carry from line to line as in a "
            + "Worker, and printed as the JSON of --format json on one line. A file with a bad line (or over "
            + "2 MiB on one line, or over 256 MiB in all) prints no decision and exits 2, naming each bad line.\n\n"
            + "With --engine wasm, the requests of --url and --requests are answered by the edge router's WebAssembly "
            + "module (make wasm builds it; --wasm PATH names another), run on WasmKit: the artifact a Worker "
            + "deploys. Its JSON is the module's decision, which leaves out skipped, rule.range, request.url and "
            + "request.headers and adds edge (edge/README.md); its text cannot say why earlier rules were "
            + "skipped, nor where the rule is in the config. With --live the module reads the registry's records "
            + "itself (mesh_set_health). A missing or broken module exits 2. --tests uses the native router only.\n\n"
            + "Exit status: 0 routed or default (every request, with --requests), 1 no route or a service the config "
            + "does not define (the trace still prints), a failing expectation or coverage below --fail-under, 2 bad "
            + "input or, with --live, a registry that cannot be read."
    )

    @OptionGroup var config: ConfigArgument

    @Option(help: "The request URL (https://host/path?query).")
    var url: String?

    @Option(help: "The request method (default: GET).")
    var method: String?

    @Option(name: .customLong("header"), help: "A request header, 'Name: value' (repeatable).")
    var headers: [String] = []

    @Option(help: "request.cf.colo (IATA code).")
    var colo: String?

    @Option(help: "request.cf.country (ISO 3166-1 alpha-2).")
    var country: String?

    @Option(help: "request.cf.continent (AF AN AS EU NA OC SA).")
    var continent: String?

    @Option(help: "request.cf.latitude.")
    var lat: Double?

    @Option(help: "request.cf.longitude.")
    var lon: Double?

    @Option(help: "Output format: text or json.")
    var format: String = "text"

    @Option(help: "A route expectations file to run instead of one request.")
    var tests: String?

    @Option(
        help: ArgumentHelp(
            "A file of requests, one JSON object a line (- for standard input), to route in order; needs "
                + "--format json.", valueName: "file"))
    var requests: String?

    @Option(name: .customLong("fail-under"), help: "With --tests: fail when rule coverage is below this percentage.")
    var failUnder: Double?

    @Flag(help: "Route with the endpoint health in the registry, as the editor's what-routes-here does.")
    var live = false

    @Option(
        help: ArgumentHelp(
            "The router that answers: native (this binary, the full trace) or wasm (the edge router's module on "
                + "WasmKit).", valueName: "engine"),
        completion: .list(RouteEngine.allCases.map(\.rawValue)))
    var engine: RouteEngine = .native

    @Option(
        help: ArgumentHelp(
            "The module of --engine wasm (default: \(EdgeRouterHost.defaultModulePath) here or at the repository "
                + "root).",
            valueName: "path"),
        completion: .file(extensions: ["wasm"]))
    var wasm: String?

    @OptionGroup var registry: RegistryOptionGroup

    func validate() throws {
        guard format == "text" || format == "json" else {
            throw ValidationError("unknown format '\(format)': use text or json")
        }
        guard [url != nil, tests != nil, requests != nil].filter({ $0 }).count == 1 else {
            throw ValidationError("give one of --url URL for one request, --requests FILE for many, or --tests FILE")
        }
        if requests != nil { try validateRequests() }
        guard (lat == nil) == (lon == nil) else {
            throw ValidationError("--lat and --lon go together")
        }
        if let failUnder, !(0...100).contains(failUnder) {
            throw ValidationError("--fail-under takes a percentage from 0 to 100")
        }
        if live, tests != nil {
            throw ValidationError("--live previews one request (--url); route tests run without live data")
        }
        if engine == .wasm { try validateWasm() }
        if wasm != nil, engine != .wasm {
            throw ValidationError("--wasm names the module of --engine wasm: add --engine wasm")
        }
    }

    /// `--engine wasm` answers what the edge router's ABI can be asked (edge/README.md): one
    /// request (with `--live`, the registry's health passed in through `mesh_set_health`) or a
    /// file of them.
    private func validateWasm() throws {
        if tests != nil {
            throw ValidationError(
                "--engine wasm routes --url or --requests; route tests (--tests) run on the native router")
        }
    }

    /// `--requests` reads every request's parts from its file and prints JSON Lines.
    private func validateRequests() throws {
        guard format == "json" else {
            throw ValidationError("--requests prints one JSON decision a line: add --format json")
        }
        let perRequest = [
            ("--method", method != nil), ("--header", !headers.isEmpty), ("--colo", colo != nil),
            ("--country", country != nil), ("--continent", continent != nil), ("--lat", lat != nil),
            ("--lon", lon != nil),
            ("--live", live),
        ].filter { $0.1 }.map { $0.0 }
        guard perRequest.isEmpty else {
            throw ValidationError(
                "--requests takes each request's method, headers and cf fields from its file, and routes without "
                    + "live data; leave out \(perRequest.joined(separator: ", "))")
        }
        if requests == "-", config.config == "-" {
            throw ValidationError("the config and --requests cannot both be standard input")
        }
    }

    func run() async throws {
        var options = RouteRunner.Options()
        options.configPath = config.config
        options.stdinName = config.stdinFilename
        options.url = url
        options.method = method ?? "GET"
        options.headers = headers
        options.cf = GeoContext(colo: colo, country: country, continent: continent, latitude: lat, longitude: lon)
        options.format = format == "json" ? .json : .text
        options.testsPath = tests
        options.requestsPath = requests
        // Decisions are written as they are made, so a long file does not build its
        // whole output in memory; JSON escapes control characters itself.
        options.write = { chunk in FileHandle.standardOutput.write(Data(chunk.utf8)) }
        options.failUnder = failUnder
        options.engine = engine
        options.wasmPath = wasm
        if live {
            let registry = self.registry
            options.live = { loaded in await LiveRoute.health(for: loaded, registry: registry) }
            options.liveListing = { loaded in await LiveRoute.listing(for: loaded, registry: registry) }
        }
        let result = live ? await RouteRunner.runWithLiveHealth(options) : RouteRunner.run(options)
        // JSON escapes control characters itself; the text trace is escaped here.
        FileHandle.standardOutput.write(Data(TerminalText.escape(result.output, keepingLayout: true).utf8))
        FileHandle.standardError.write(Data(TerminalText.escape(result.errors, keepingLayout: true).utf8))
        throw ExitCode(result.exitCode)
    }
}

/// `route --live`: the health of the config's registry, read as the editor reads it
/// (``RoutePreview/health(for:from:)``).
enum LiveRoute {
    static func health(for loaded: ConfigLoader.Loaded, registry: RegistryOptionGroup) async -> Result<
        RouteRunner.LiveHealth, FileReader.Failure
    > {
        switch registry.reader(document: loaded.document, configPath: loaded.source.registryPath) {
        case .failure(let error):
            return .failure(FileReader.Failure(message: "live health unavailable: \(error)"))
        case .success(let (reader, description)):
            switch await RoutePreview.health(for: loaded.document.config, from: reader) {
            case .value(let snapshot, let fetchedAt):
                let age = max(0, Date().timeIntervalSince1970 - fetchedAt)
                return .success(RouteRunner.LiveHealth(snapshot: snapshot, registry: description, age: age))
            case .unavailable(let error):
                return .failure(FileReader.Failure(message: "live health unavailable: \(error)"))
            }
        }
    }

    /// The same registry's records as the store holds them, for `--engine wasm`, whose module
    /// reads them itself (``RegistryReader/healthListing(registeredServices:)``).
    static func listing(for loaded: ConfigLoader.Loaded, registry: RegistryOptionGroup) async -> Result<
        RouteRunner.LiveListing, FileReader.Failure
    > {
        switch registry.reader(document: loaded.document, configPath: loaded.source.registryPath) {
        case .failure(let error):
            return .failure(FileReader.Failure(message: "live health unavailable: \(error)"))
        case .success(let (reader, description)):
            let registered = loaded.document.config.services.filter { $0.endpoints == nil }.map(\.name.value)
            switch await reader.healthListing(registeredServices: registered) {
            case .value(let listing, let fetchedAt):
                return .success(RouteRunner.LiveListing(listing: listing, registry: description, fetchedAt: fetchedAt))
            case .unavailable(let error):
                return .failure(FileReader.Failure(message: "live health unavailable: \(error)"))
            }
        }
    }
}

extension RouteEngine: ExpressibleByArgument {}
