import CJSONC
import Foundation
import MeshConfig
import MeshRouter
import MeshSyntax

// Prints parse and check figures for generated configs and compares them, in the same
// run, with json-c parsing the same bytes and with JSON Schema validators checking the
// same file against our schema. Usage: diddy-mesh-bench [--size-mb N]... [--runs N]
// `--edge-configs DIR` prints only the native figures that Benchmarks/edge/bench_edge.mjs sets
// beside the wasm router's (EdgeBenchmark.swift).

struct Options {
    var sizes: [Int] = []
    var runs = 15
    var schemaPath = "schemas/diddy-mesh.schema.json"
    var skipPeers = false
    var edgeConfigs: String?
}

func parseOptions() -> Options {
    var options = Options()
    var arguments = CommandLine.arguments.dropFirst()
    while let argument = arguments.popFirst() {
        switch argument {
        case "--size-mb": if let value = arguments.popFirst().flatMap({ Int($0) }) { options.sizes.append(value) }
        case "--runs": if let value = arguments.popFirst().flatMap({ Int($0) }) { options.runs = max(1, value) }
        case "--schema": if let value = arguments.popFirst() { options.schemaPath = value }
        case "--no-peers": options.skipPeers = true
        case "--edge-configs": options.edgeConfigs = arguments.popFirst()
        case "--parse-loop":
            // For profilers: parse the 1 MB config N times and nothing else.
            let count = arguments.popFirst().flatMap { Int($0) } ?? 20
            let source = SourceText(ConfigGenerator.config(approximateBytes: 1_000_000))
            for _ in 0..<count { _ = JSONParser.parse(source, options: ParseOptions(dialect: .jsonc)) }
            exit(0)
        default: FileHandle.standardError.write(Data("unknown argument \(argument)\n".utf8))
        }
    }
    if options.sizes.isEmpty { options.sizes = [1, 10] }
    return options
}

/// The median and minimum of `runs` timings of `body`, in seconds.
func measure(runs: Int, _ body: () -> Void) -> (median: Double, best: Double) {
    var times: [Double] = []
    for _ in 0..<runs {
        let start = DispatchTime.now().uptimeNanoseconds
        body()
        times.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
    }
    times.sort()
    return (times[times.count / 2], times[0])
}

/// Times `first` and `second` alternately, `runs` times each.
func measurePair(runs: Int, _ first: () -> Void, _ second: () -> Void) -> (
    first: (median: Double, best: Double), second: (median: Double, best: Double)
) {
    var firstTimes: [Double] = []
    var secondTimes: [Double] = []
    for _ in 0..<runs {
        firstTimes.append(measure(runs: 1, first).best)
        secondTimes.append(measure(runs: 1, second).best)
    }
    firstTimes.sort()
    secondTimes.sort()
    return ((firstTimes[firstTimes.count / 2], firstTimes[0]), (secondTimes[secondTimes.count / 2], secondTimes[0]))
}

func peakRSSMegabytes() -> Double {
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    return Double(usage.ru_maxrss) / 1024
}

/// json-c's tokener on the same bytes, the C baseline the issue names.
func jsonCParse(_ bytes: [UInt8]) -> Bool {
    guard let tokener = json_tokener_new_ex(1024) else { return false }
    defer { json_tokener_free(tokener) }
    let object = bytes.withUnsafeBufferPointer { buffer in
        buffer.baseAddress.map { base in
            base.withMemoryRebound(to: CChar.self, capacity: buffer.count) {
                json_tokener_parse_ex(tokener, $0, Int32(buffer.count))
            }
        } ?? nil
    }
    let ok = object != nil
    json_object_put(object)
    return ok
}

/// Runs a command and returns its wall time in seconds and exit status.
func run(_ arguments: [String]) -> (seconds: Double, status: Int32, output: String)? {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = arguments
    let pipe = Pipe()
    process.standardOutput = pipe
    process.standardError = pipe
    let start = DispatchTime.now().uptimeNanoseconds
    do { try process.run() } catch { return nil }
    let data = pipe.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return (
        Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9, process.terminationStatus,
        String(decoding: data, as: UTF8.self)
    )
}

/// Runs a command with its output discarded and returns its wall time and exit status.
/// It uses posix_spawn and waitpid directly: Foundation's `Process.waitUntilExit` polls,
/// which added tens of milliseconds to every measured run.
func spawnTimed(_ arguments: [String]) -> (seconds: Double, status: Int32, peakRSSMegabytes: Double)? {
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
    posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
    let argv = (["/usr/bin/env"] + arguments).map { strdup($0) } + [nil]
    defer { for argument in argv { free(argument) } }
    var pid = pid_t()
    let start = DispatchTime.now().uptimeNanoseconds
    guard posix_spawn(&pid, "/usr/bin/env", &actions, nil, argv, environ) == 0 else { return nil }
    var status: Int32 = 0
    var usage = rusage()
    wait4(pid, &status, 0, &usage)
    let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
    let exitStatus = (status >> 8) & 0xFF
    return exitStatus == 127 ? nil : (seconds, exitStatus, Double(usage.ru_maxrss) / 1024)
}

/// The run with the median wall time of `count` runs of a command.
func medianRun(_ count: Int, _ arguments: [String]) -> (seconds: Double, status: Int32, peakRSSMegabytes: Double)? {
    var results: [(seconds: Double, status: Int32, peakRSSMegabytes: Double)] = []
    for _ in 0..<count {
        guard let result = spawnTimed(arguments) else { return nil }
        results.append(result)
    }
    results.sort { $0.seconds < $1.seconds }
    return results[results.count / 2]
}

func format(_ seconds: Double) -> String { String(format: "%.2f ms", seconds * 1000) }

let options = parseOptions()
if let directory = options.edgeConfigs {
    exit(EdgeBenchmark.run(directory: directory, runs: options.runs))
}
print(
    "diddy-mesh benchmark: \(ProcessInfo.processInfo.activeProcessorCount) cores, \(options.runs) runs per figure "
        + "(median; best in brackets)"
)
for size in options.sizes {
    let text = ConfigGenerator.config(approximateBytes: size * 1_000_000)
    let bytes = Array(text.utf8)
    let megabytes = Double(bytes.count) / 1_000_000
    let source = SourceText(bytes: bytes)
    print("\n== generated config: \(String(format: "%.2f", megabytes)) MB ==")

    let sanity = MeshDocument.analyze(source, path: "bench.jsonc")
    print(
        "services: \(sanity.config.services.count), rules: \(sanity.config.routing.rules.count), diagnostics: "
            + "\(sanity.diagnostics.count)"
    )

    let check = measure(runs: options.runs) {
        let document = MeshDocument.analyze(SourceText(bytes: bytes), path: "bench.jsonc")
        _ = RouterChecks.diagnostics(for: document.config, tree: document.tree)
    }
    print(
        "full check in-process (line index, parse, schema, semantic and router checks): \(format(check.median)) "
            + "[\(format(check.best))]"
    )

    // Ours and json-c alternate within each run, so that drift in the machine's speed
    // (other tenants, frequency changes) affects both sides alike.
    let strictBytes = Array(ConfigGenerator.strippingComments(text).utf8)
    let parse = measure(runs: options.runs) { _ = JSONParser.parse(source, options: ParseOptions(dialect: .jsonc)) }
    let jsonC = measure(runs: options.runs) { _ = jsonCParse(strictBytes) }
    let (parseAlternating, jsonCAlternating) = measurePair(
        runs: options.runs, { _ = JSONParser.parse(source, options: ParseOptions(dialect: .jsonc)) },
        { _ = jsonCParse(strictBytes) })
    let parseThroughput = megabytes / parse.median
    let jsonCThroughput = Double(strictBytes.count) / 1_000_000 / jsonC.median
    print(
        "parse (MeshSyntax):             \(format(parse.median)) [\(format(parse.best))]  "
            + "\(String(format: "%.0f", parseThroughput)) MB/s"
    )
    print(
        "parse (json-c 0.16, same data): \(format(jsonC.median)) [\(format(jsonC.best))]  "
            + "\(String(format: "%.0f", jsonCThroughput)) MB/s"
    )
    print(
        String(
            format:
                "ratio parse MeshSyntax / json-c throughput, each run on its own: %.2fx (medians), %.2fx (best runs)",
            parseThroughput / jsonCThroughput,
            (megabytes / parse.best) / (Double(strictBytes.count) / 1_000_000 / jsonC.best)))
    let alternatingRatio =
        (megabytes / parseAlternating.median) / (Double(strictBytes.count) / 1_000_000 / jsonCAlternating.median)
    print(
        "ratio with the two alternating (json-c's many small allocations then miss a warm heap): "
            + String(format: "%.2fx", alternatingRatio)
            + " (medians: ours \(format(parseAlternating.median)), json-c \(format(jsonCAlternating.median)))")
    print(String(format: "peak RSS so far: %.1f MB", peakRSSMegabytes()))

    guard !options.skipPeers else { continue }
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("diddy-mesh-bench-\(size)")
    try? FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    let jsonFile = directory.appendingPathComponent("generated.json").path
    _ = FileManager.default.createFile(atPath: jsonFile, contents: Data(strictBytes))
    let schema = URL(fileURLWithPath: options.schemaPath).path

    // Python's jsonschema, timed inside Python so interpreter start-up is not counted.
    let script = """
        import json, sys, time, jsonschema
        schema = json.load(open(sys.argv[1]))
        data = open(sys.argv[2], 'rb').read()
        validator = jsonschema.Draft202012Validator(schema)
        times = []
        for _ in range(int(sys.argv[3])):
            start = time.perf_counter(); errors = list(validator.iter_errors(json.loads(data))); times.append(time.perf_counter() - start)
        times.sort(); print(times[len(times)//2], len(errors))
        """
    if let result = run(["python3", "-c", script, schema, jsonFile, String(max(3, options.runs / 3))]),
        result.status == 0,
        let seconds = Double(result.output.split(separator: " ").first ?? "")
    {
        print(
            "python jsonschema (parse + validate, in-process): \(format(seconds))  -> diddy-mesh check is "
                + "\(String(format: "%.1f", seconds / check.median))x faster"
        )
    } else {
        print("python jsonschema: not available (pip install jsonschema)")
    }
    // check-jsonschema as a user runs it, against our own CLI run the same way.
    if let peer = medianRun(3, ["check-jsonschema", "--schemafile", schema, jsonFile]) {
        print("check-jsonschema CLI wall time (median of 3): \(format(peer.seconds)) (exit \(peer.status))")
    } else {
        print("check-jsonschema: not available (pip install check-jsonschema)")
    }
    let binary = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent(
        "diddy-mesh"
    ).path
    let cliFile = directory.appendingPathComponent("generated.mesh.jsonc").path
    _ = FileManager.default.createFile(atPath: cliFile, contents: Data(bytes))
    if FileManager.default.isExecutableFile(atPath: binary),
        let ours = medianRun(5, [binary, "check", "--quiet", cliFile])
    {
        print(
            "diddy-mesh check CLI wall time (median of 5): \(format(ours.seconds)) (exit \(ours.status)), peak RSS "
                + "\(String(format: "%.1f", ours.peakRSSMegabytes)) MB"
        )
    }
}

runRouterBenchmark(runs: options.runs)

await RegistryBenchmark.run(runs: options.runs)
