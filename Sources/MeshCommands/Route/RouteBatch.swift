import MeshRouter
import MeshSyntax
import MeshWire
import WireJSON

/// `diddy-mesh route CONFIG --requests FILE --format json`: many requests, one JSON object a
/// line (JSON Lines, the request form of ``RequestJSON``, which the edge router takes too),
/// each answered with the JSON of `route --format json` on one line, in order.
///
/// The requests are routed in order by one router, so its state (round-robin counters,
/// smooth weighted cycles, the random source) carries from one line to the next as it does
/// in a Worker isolate and in the edge router's `mesh_route`; the first line sees fresh
/// state, as `route --url` does. That is what lets edge/tests/parity.test.mjs compare ten
/// thousand decisions of the two in one run of each.
///
/// Every line is read before any is routed, so a file with a bad line prints no decision:
/// the run exits 2 with each bad line's number and problem (at most
/// ``maximumProblems``). Blank lines are skipped. The file is read with `FileReader`'s cap,
/// each line is held to ``RequestJSON/maximumSize``, and the decisions are written as they
/// are made, so memory does not grow with the number of requests.
struct RouteBatch {
    /// At most this many bad lines are described; the rest are counted.
    static let maximumProblems = 20
    /// Decisions are handed to the writer in chunks of about this many bytes.
    static let chunkSize = 64 * 1024

    /// Why the file cannot be routed, one `error:` line per problem.
    var errors = ""
    /// 0 every request reached a defined service, 1 some did not, 2 bad input.
    var exitCode: Int32 = 0

    /// Routes every request of `bytes` (the file `path`) with `router`, handing the
    /// decisions to `write` in chunks; `source` is the config, for the rules' positions.
    static func run(
        _ bytes: [UInt8], path: String, router: Router, source: SourceText, write: (String) -> Void
    ) -> RouteBatch {
        run(bytes, path: path, write: write) { request, _ in
            let trace = router.route(request)
            let json = WireJSON.serialize(TraceJSON.encode(trace) { JSONFormatter.range($0, in: source) })
            return .decision(json, reachesAService: RouteRunner.reachesAService(trace, in: router.config))
        }
    }

    /// What a router answers for one line of the file.
    enum Answer {
        /// The decision's JSON on one line, and whether it reached a defined service.
        case decision(String, reachesAService: Bool)
        /// The run stops with this error (`error: ...`); what was written stays.
        case stop(String)
    }

    /// The loop every router's `--requests` runs: every line of `bytes` (the file `path`) is
    /// parsed, and `check` says what else makes a request one this router cannot take (nil
    /// when it can), before any is routed; then `answer` answers each request with its line
    /// number, in order, and the decisions go to `write` in chunks. Each line is parsed again
    /// when it is routed, so that nothing is kept between the two passes.
    static func run(
        _ bytes: [UInt8], path: String, check: (RouteRequest) -> String? = { _ in nil }, write: (String) -> Void,
        answer: (RouteRequest, _ line: Int) -> Answer
    ) -> RouteBatch {
        var batch = RouteBatch()
        let lines = Self.lines(of: bytes)
        var problems: [String] = []
        for line in lines {
            switch RequestJSON.parse(Array(bytes[line.range])) {
            case .failure(let error):
                problems.append("error: \(path):\(line.number): \(error.message)")
            case .success(let request):
                if let problem = check(request) { problems.append("error: \(path):\(line.number): \(problem)") }
            }
        }
        if let refusal = refusal(problems: problems, lines: lines.count, path: path) {
            batch.errors = refusal
            batch.exitCode = 2
            return batch
        }
        var chunk = ""
        for line in lines {
            // Checked above: every line parses.
            guard case .success(let request) = RequestJSON.parse(Array(bytes[line.range])) else { continue }
            switch answer(request, line.number) {
            case .stop(let error):
                batch.errors = error + "\n"
                batch.exitCode = 2
                return batch
            case .decision(let json, let reachesAService):
                if !reachesAService { batch.exitCode = 1 }
                chunk += json + "\n"
            }
            if chunk.utf8.count >= chunkSize {
                write(chunk)
                chunk = ""
            }
        }
        if !chunk.isEmpty { write(chunk) }
        return batch
    }

    /// Why a file with `lines` requests and these bad lines (`error: path:line: ...` each)
    /// is not routed at all, or nil when it can be: the same words whichever router checked.
    static func refusal(problems: [String], lines: Int, path: String) -> String? {
        if !problems.isEmpty {
            var errors = problems.prefix(maximumProblems).joined(separator: "\n") + "\n"
            if problems.count > maximumProblems {
                errors += "error: \(path): \(problems.count - maximumProblems) more bad lines not shown\n"
            }
            return errors
        }
        guard lines > 0 else {
            return "error: \(path) holds no request: write one JSON object a line, {\"url\": \"https://host/path\"}\n"
        }
        return nil
    }

    /// One line of the file that holds something besides blanks: its byte range (without
    /// the line break) and its 1-based number.
    struct Line {
        var range: Range<Int>
        var number: Int
    }

    static func lines(of bytes: [UInt8]) -> [Line] {
        var lines: [Line] = []
        var start = 0
        var number = 1
        while start < bytes.count {
            let end = bytes[start...].firstIndex(of: UInt8(ascii: "\n")) ?? bytes.count
            if bytes[start..<end].contains(where: { !Self.isBlank($0) }) {
                lines.append(Line(range: start..<end, number: number))
            }
            start = end + 1
            number += 1
        }
        return lines
    }

    /// JSON's whitespace.
    static func isBlank(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D
    }
}
