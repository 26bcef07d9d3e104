import Foundation
import MeshRouter

/// Counts heap allocations per routing decision with glibc's own malloc tracer.
///
/// `mtrace()` only records when `libc_malloc_debug.so.0` is preloaded, which has to happen
/// when a process starts, so the bench runs itself again with it preloaded (and tiny config
/// figures). That child sees the environment key, builds the same tables, traces exactly
/// the lookups, and prints one line per table; the parent reads those lines.
enum RouterAllocationProbe {
    static let environmentKey = "DIDDY_MESH_ROUTER_ALLOC_PROBE"

    struct Count {
        var lookups: Int
        var mallocs: Int

        /// Mallocs per call, as printed.
        var perCall: String { String(format: "%.3f", Double(mallocs) / Double(max(lookups, 1))) }
    }

    /// The child's counts by table size: `match` for `RouteTable.firstMatch`, `decide` for
    /// `Router.decide` (match, split and endpoint selection) on the bench table, and
    /// `mixed` for `Router.decide` on the table with mixed targets and a health snapshot.
    struct Counts {
        var match: [Int: Count] = [:]
        var decide: [Int: Count] = [:]
        var mixed: [Int: Count] = [:]
    }

    private static let libraryCandidates = [
        "/usr/lib/x86_64-linux-gnu/libc_malloc_debug.so.0", "/lib/x86_64-linux-gnu/libc_malloc_debug.so.0",
        "/usr/lib/aarch64-linux-gnu/libc_malloc_debug.so.0", "/lib/aarch64-linux-gnu/libc_malloc_debug.so.0",
    ]

    /// Runs the child and returns its counts by table size (empty when it cannot run).
    static func launch() -> Counts {
        guard let library = libraryCandidates.first(where: { FileManager.default.fileExists(atPath: $0) }),
            let executable = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")
        else { return Counts() }
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "diddy-mesh-router-alloc-\(getpid())")
        try? FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = ["--size-mb", "0", "--no-peers", "--runs", "1"]
        var environment = ProcessInfo.processInfo.environment
        environment[environmentKey] = directory.path
        environment["LD_PRELOAD"] = library
        process.environment = environment
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = FileHandle.nullDevice
        do { try process.run() } catch { return Counts() }
        let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        var counts = Counts()
        for line in output.split(separator: "\n") {
            let words = line.split(separator: " ")
            let fields = words.compactMap { Int($0) }
            guard words.count == 4, fields.count == 3 else { continue }
            let count = Count(lookups: fields[1], mallocs: fields[2])
            switch words[0] {
            case "router-alloc": counts.match[fields[0]] = count
            case "router-alloc-decide": counts.decide[fields[0]] = count
            case "router-alloc-mixed": counts.mixed[fields[0]] = count
            default: break
            }
        }
        return counts
    }

    /// The child's work: trace 10 passes over each table's requests.
    static func runChild(tracePath directory: String) {
        typealias Toggle = @convention(c) () -> Void
        guard let start = tracerSymbol("mtrace"), let stop = tracerSymbol("muntrace") else { return }
        let startTracing = unsafeBitCast(start, to: Toggle.self)
        let stopTracing = unsafeBitCast(stop, to: Toggle.self)
        // A control first: 100 deliberate array allocations must be counted as 100.
        var control = 0
        setenv("MALLOC_TRACE", "\(directory)/mtrace-control.txt", 1)
        startTracing()
        for value in 0..<100 { control &+= [Int](repeating: value, count: 8).count }
        stopTracing()
        RouterTiming.sink(control)
        if let mallocs = countMallocs(in: "\(directory)/mtrace-control.txt") { print("router-alloc 0 100 \(mallocs)") }

        for size in RouterBenchTable.sizes {
            let table = RouterBenchTable(ruleCount: size)
            let routes = RouteTable(rules: table.rules)
            var checksum = 0
            for request in table.requests { checksum &+= routes.firstMatch(request) ?? 0 }
            let file = "\(directory)/mtrace-\(size).txt"
            setenv("MALLOC_TRACE", file, 1)
            startTracing()
            for _ in 0..<10 {
                for request in table.requests { checksum &+= routes.firstMatch(request) ?? 0 }
            }
            stopTracing()
            RouterTiming.sink(checksum)
            if let mallocs = countMallocs(in: file) {
                print("router-alloc \(size) \(table.requests.count * 10) \(mallocs)")
            }

            // Whole decisions. One untraced pass first: the router state stores each
            // round-robin key and weighted cycle the first time it sees them, once per
            // router, which is set-up rather than the per-decision cost measured here.
            let router = Router(config: table.config)
            traceDecisions("router-alloc-decide", size: size, requests: table.requests, directory: directory) {
                router.decide($0).ruleIndex
            }
            let mixed = RouterBenchTable(ruleCount: size, mixedTargets: true)
            let mixedRouter = Router(config: mixed.config)
            traceDecisions("router-alloc-mixed", size: size, requests: mixed.requests, directory: directory) {
                mixedRouter.decide($0, health: mixed.health).ruleIndex
            }
        }
    }

    /// Warms `decide` up with one pass over `requests`, then traces 10 passes and prints
    /// `<label> <size> <calls> <mallocs>`.
    private static func traceDecisions(
        _ label: String, size: Int, requests: [RouteRequest], directory: String,
        _ decide: (RouteRequest) -> Int?
    ) {
        typealias Toggle = @convention(c) () -> Void
        guard let start = tracerSymbol("mtrace"), let stop = tracerSymbol("muntrace") else { return }
        var checksum = 0
        for request in requests { checksum &+= decide(request) ?? 0 }
        let file = "\(directory)/mtrace-\(label)-\(size).txt"
        setenv("MALLOC_TRACE", file, 1)
        unsafeBitCast(start, to: Toggle.self)()
        for _ in 0..<10 {
            for request in requests { checksum &+= decide(request) ?? 0 }
        }
        unsafeBitCast(stop, to: Toggle.self)()
        RouterTiming.sink(checksum)
        if let mallocs = countMallocs(in: file) { print("\(label) \(size) \(requests.count * 10) \(mallocs)") }
    }

    /// The allocations an mtrace file records: lines "@ caller + 0xaddress 0xsize" for
    /// malloc and calloc, "@ caller > 0xaddress 0xsize" for the new block of a realloc.
    private static func countMallocs(in file: String) -> Int? {
        guard let trace = try? String(contentsOfFile: file, encoding: .utf8), trace.contains("= Start") else {
            return nil
        }
        return trace.split(separator: "\n").filter { line in
            let fields = line.split(separator: " ")
            return fields.count >= 3 && fields[0] == "@" && (fields[2] == "+" || fields[2] == ">")
        }.count
    }

    /// The working `mtrace`/`muntrace` of the preloaded library. libc.so.6 exports no-op
    /// stubs under the default symbol version, so a plain `dlsym` finds those; the real
    /// ones carry only the architecture's base version and need `dlvsym`, itself looked up
    /// through `dlsym` because Swift's Glibc module does not declare it.
    private static func tracerSymbol(_ name: String) -> UnsafeMutableRawPointer? {
        typealias VersionedLookup =
            @convention(c) (UnsafeMutableRawPointer?, UnsafePointer<CChar>, UnsafePointer<CChar>) ->
            UnsafeMutableRawPointer?
        guard let handle = dlopen("libc_malloc_debug.so.0", RTLD_NOW | RTLD_NOLOAD), let lookup = dlsym(nil, "dlvsym")
        else { return nil }
        let versioned = unsafeBitCast(lookup, to: VersionedLookup.self)
        for version in ["GLIBC_2.2.5", "GLIBC_2.17", "GLIBC_2.0"] {
            if let symbol = versioned(handle, name, version) { return symbol }
        }
        return nil
    }

    /// glibc's bytes in use before and after the lookups. This is a state, not a counter:
    /// an allocation freed within the call leaves it unchanged, hence the mtrace child.
    /// Nil when glibc's statistics cannot be read.
    static func bytesInUseDelta(_ requests: [RouteRequest], rounds: Int, _ decide: (RouteRequest) -> Int?) -> Int? {
        var checksum = 0
        guard let before = bytesInUse() else { return nil }
        for _ in 0..<rounds {
            for request in requests { checksum &+= decide(request) ?? 0 }
        }
        guard let after = bytesInUse() else { return nil }
        RouterTiming.sink(checksum)
        return after - before
    }

    /// The "in use bytes" total of glibc's `malloc_stats()` (what `mallinfo2()` reports as
    /// `uordblks + hblkhd`). `malloc.h` is not in Swift's Glibc module, and `malloc_stats`
    /// has the one signature that is safe to call through `dlsym`; it writes to stderr,
    /// which is pointed at a temporary file for the call.
    private static func bytesInUse() -> Int? {
        typealias Stats = @convention(c) () -> Void
        guard let symbol = dlsym(nil, "malloc_stats") else { return nil }
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("diddy-mesh-malloc-stats-\(getpid())")
            .path
        let file = open(path, O_CREAT | O_TRUNC | O_RDWR, 0o600)
        guard file >= 0 else { return nil }
        defer {
            close(file)
            unlink(path)
        }
        let saved = dup(STDERR_FILENO)
        guard saved >= 0 else { return nil }
        dup2(file, STDERR_FILENO)
        unsafeBitCast(symbol, to: Stats.self)()
        dup2(saved, STDERR_FILENO)
        close(saved)
        guard let text = try? String(contentsOfFile: path, encoding: .utf8),
            let total = text.range(of: "Total (incl. mmap):")
        else { return nil }
        let line = text[total.upperBound...].split(separator: "\n").first { $0.contains("in use bytes") }
        return line.flatMap { Int($0.split(separator: "=").last?.trimmingCharacters(in: .whitespaces) ?? "") }
    }
}

/// Python werkzeug's `Map.match` on the equivalent table, timed inside Python so the
/// interpreter's start-up is not counted.
enum RouterWerkzeugPeer {
    struct Figures {
        var version: String
        var rules: Int
        var median: Double
        var p99: Double
    }

    // A trailing `*` becomes two werkzeug rules (the prefix itself, and the prefix
    // followed by `<path:rest>`), since werkzeug's path converter never matches nothing.
    // Hosts are left out: werkzeug's host matching must be on for every rule or none.
    // werkzeug orders rules by specificity, not document order, so only its speed is
    // compared here, never its answers.
    static let script = """
        import sys, time, importlib.metadata
        from werkzeug.routing import Map, Rule
        from werkzeug.exceptions import HTTPException
        from werkzeug.routing.exceptions import RoutingException

        def convert(pattern):
            parts, names, rest = [], 0, None
            segments = pattern[1:].split('/')
            for i, segment in enumerate(segments):
                if i == len(segments) - 1 and segment.endswith('*'):
                    rest = segment[:-1]
                    break
                if segment.startswith(':'):
                    parts.append('<' + segment[1:] + '>')
                elif segment == '*':
                    parts.append('<w%d>' % names)
                    names += 1
                else:
                    parts.append(segment)
            base = '/' + '/'.join(parts)
            if rest is None:
                return [base]
            prefix = (base + '/' if parts else '/') + rest
            return [prefix, prefix + '<path:rest>']

        rules = []
        for index, line in enumerate(open(sys.argv[1])):
            methods, pattern = line.rstrip('\\n').split('\\t')
            for path in convert(pattern):
                rules.append(Rule(path, endpoint='r%d' % index, methods=methods.split(',') if methods else None))
        adapter = Map(rules, strict_slashes=False, merge_slashes=False).bind('api.example.com')
        requests = [line.rstrip('\\n').split('\\t') for line in open(sys.argv[2])]

        def decide(method, path):
            try:
                adapter.match(path, method=method)
            except (HTTPException, RoutingException):
                pass

        for method, path in requests:
            decide(method, path)
        clock = time.perf_counter_ns
        overhead = sorted(-clock() + clock() for _ in range(10000))[5000]
        samples = []
        for _ in range(int(sys.argv[3])):
            for method, path in requests:
                start = clock()
                decide(method, path)
                samples.append(clock() - start - overhead)
        samples.sort()
        print(importlib.metadata.version('werkzeug'), len(rules), samples[len(samples) // 2], samples[len(samples) * 99 // 100])
        """

    static func measure(_ table: RouterBenchTable) -> Figures? {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "diddy-mesh-router-werkzeug-\(getpid())")
        try? FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let rulesFile = directory.appendingPathComponent("rules.tsv")
        let requestsFile = directory.appendingPathComponent("requests.tsv")
        let rules = table.written.map { "\(($0.methods ?? []).joined(separator: ","))\t\($0.path)\n" }.joined()
        let requests = table.requests.map { "\($0.method)\t\($0.path)\n" }.joined()
        guard (try? Data(rules.utf8).write(to: rulesFile)) != nil,
            (try? Data(requests.utf8).write(to: requestsFile)) != nil
        else { return nil }

        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", script, rulesFile.path, requestsFile.path, "5"]
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = FileHandle.nullDevice
        do { try process.run() } catch { return nil }
        let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        let fields = output.split(whereSeparator: \.isWhitespace)
        guard process.terminationStatus == 0, fields.count == 4, let count = Int(fields[1]),
            let median = Double(fields[2]), let p99 = Double(fields[3])
        else { return nil }
        return Figures(version: String(fields[0]), rules: count, median: median, p99: p99)
    }
}
