import MeshConfig
import MeshRouter
import MeshSyntax
import MeshWire
import WireJSON

/// Runs route expectations through the router and measures rule coverage.
public struct RouteTestsReport: Sendable {
    /// The outcome of one test.
    public struct Result: Sendable {
        public var expectation: RouteExpectation
        /// The decision, or nil when the request itself was invalid.
        public var trace: DecisionTrace?
        /// `(field, expected, actual)` for every expectation that failed.
        public var mismatches: [(field: String, expected: String, actual: String)]
        public var passed: Bool { mismatches.isEmpty }
    }

    public var results: [Result]
    /// Every rule: index and name.
    public var rules: [(index: Int, name: String?)]
    /// Indices of the rules some test routed through.
    public var exercised: Set<Int>

    public var passedCount: Int { results.filter(\.passed).count }
    public var failedCount: Int { results.count - passedCount }

    /// Exercised rules as a percentage (100 when there are no rules).
    public var coverage: Double {
        rules.isEmpty ? 100 : Double(exercised.count) * 100 / Double(rules.count)
    }

    /// Runs `expectations`, each with fresh router state (counters, random source), so a
    /// test's round-robin pick does not depend on the tests before it.
    public static func run(_ expectations: [RouteExpectation], router: Router) -> RouteTestsReport {
        var results: [Result] = []
        var exercised = Set<Int>()
        for expectation in expectations {
            switch RouteRequest.make(
                method: expectation.method, url: expectation.url, headers: expectation.headers, cf: expectation.cf)
            {
            case .failure(let error):
                results.append(
                    Result(
                        expectation: expectation, trace: nil,
                        mismatches: [("request", "a valid request", error.message)]))
            case .success(let request):
                let fresh = router.withState(RouterState())
                let trace = fresh.route(request)
                if let rule = trace.rule { exercised.insert(rule.index) }
                results.append(
                    Result(expectation: expectation, trace: trace, mismatches: mismatches(expectation, trace)))
            }
        }
        let rules = router.config.routing.rules.map { (index: $0.index, name: $0.name?.value) }
        return RouteTestsReport(results: results, rules: rules, exercised: exercised)
    }

    static func mismatches(_ expectation: RouteExpectation, _ trace: DecisionTrace) -> [(
        field: String, expected: String, actual: String
    )] {
        var found: [(String, String, String)] = []
        func compare(_ field: String, _ expected: String?, _ actual: String?) {
            guard let expected, expected != actual else { return }
            found.append((field, "'\(expected)'", actual.map { "'\($0)'" } ?? "none"))
        }
        compare("outcome", expectation.expectedOutcome, trace.outcome.rawValue)
        compare("service", expectation.expectedService, trace.service)
        compare("endpoint", expectation.expectedEndpoint, trace.endpoint)
        compare("forwardPath", expectation.expectedForwardPath, trace.policy?.forwardPath)
        if let rule = expectation.expectedRule {
            let actual =
                trace.rule.map { matched in matched.name.map { "'\($0)' (#\(matched.index))" } ?? "#\(matched.index)" }
                ?? "none"
            let matches: Bool
            switch rule {
            case .name(let name): matches = trace.rule?.name == name
            case .index(let index): matches = trace.rule?.index == index
            }
            if !matches { found.append(("rule", rule.description, actual)) }
        }
        return found
    }

    /// The coverage as people write it: `80%`, `28.6%` (rounded to one decimal).
    public var coveragePercent: String {
        let tenths = (coverage * 10).rounded() / 10
        return tenths.rounded() == tenths ? "\(Int(tenths))%" : "\(tenths)%"
    }

    /// The rules no expectation reached, as `#3 'legacy'`.
    public var notExercised: [String] {
        rules.filter { !exercised.contains($0.index) }.map { rule in
            "#\(rule.index)" + (rule.name.map { " '\($0)'" } ?? "")
        }
    }

    /// `4/5 rules exercised (80%); not exercised: #3 'legacy'`.
    public var coverageSentence: String {
        let missing = notExercised
        var sentence = "\(exercised.count)/\(rules.count) rules exercised (\(coveragePercent))"
        if !missing.isEmpty { sentence += "; not exercised: " + missing.joined(separator: ", ") }
        return sentence
    }

    /// The human report.
    public func text(path: String) -> String {
        var output = ""
        for result in results {
            output +=
                "\(result.passed ? "PASS" : "FAIL") \(result.expectation.name) (\(path):\(result.expectation.line))\n"
            for mismatch in result.mismatches {
                output += "  \(mismatch.field): expected \(mismatch.expected), got \(mismatch.actual)\n"
            }
        }
        output += "\(passedCount) passed, \(failedCount) failed\n"
        output += coverageSentence + "\n"
        return output
    }

    /// The JSON report; `range` converts rule ranges as for `route --format json`.
    public func json(range: (ByteRange) -> JSONValue) -> JSONValue {
        [
            "tests": .array(
                results.map { result in
                    var object: JSONObject = [
                        "name": .string(result.expectation.name),
                        "line": .int(Int64(result.expectation.line)),
                        "passed": .bool(result.passed),
                        "mismatches": .array(
                            result.mismatches.map {
                                [
                                    "field": .string($0.field), "expected": .string($0.expected),
                                    "actual": .string($0.actual),
                                ]
                            }),
                    ]
                    object["trace"] = result.trace.map { TraceJSON.encode($0, range: range) } ?? .null
                    return .object(object)
                }),
            "summary": ["passed": .int(Int64(passedCount)), "failed": .int(Int64(failedCount))],
            "coverage": [
                "rules": .int(Int64(rules.count)),
                "exercised": .int(Int64(exercised.count)),
                "percent": JSONValue.number(coverage),
                "notExercised": .array(
                    rules.filter { !exercised.contains($0.index) }.map { rule in
                        ["index": .int(Int64(rule.index)), "name": rule.name.map { .string($0) } ?? .null]
                    }),
            ],
        ]
    }
}
