import MeshConfig
import MeshRouter
import MeshSyntax
import Testing

/// Rule witnesses on hand-written tables: each case names the rule reported on and what
/// the report must say, with requests written `METHOD host/path` plus any headers and
/// geo fields, so a case reads like the table it tests.
@Suite("Rule witnesses")
struct RuleWitnessTests {
    struct Case: Sendable, CustomTestStringConvertible {
        var name: String
        /// The rule objects of `routing.rules`.
        var rules: [String]
        /// The rule reported on; nil for requests that no rule matches.
        var rule: Int?
        var examples: [String]
        /// Earlier rules that take part of the rule's requests, with their witnesses.
        var takers: [Int: String] = [:]
        var reach: RuleWitnessReport.Reach = .reachable

        var testDescription: String { name }
    }

    static let cases: [Case] = [
        Case(
            name: "a parameter segment avoids the literal an earlier rule takes",
            rules: [#"{"path": "/a/x", "service": "s"}"#, #"{"path": "/a/:id", "service": "s"}"#],
            rule: 1, examples: ["GET example.com/a/y", "GET example.com/a/z", "GET example.com/a/b"],
            takers: [0: "GET example.com/a/x"]),
        Case(
            name: "two earlier rules take every method between them (no single rule shadows)",
            rules: [
                #"{"path": "/a/*", "methods": ["GET"], "service": "s"}"#,
                #"{"path": "/a/*", "methods": ["POST"], "service": "s"}"#,
                #"{"path": "/a/b", "methods": ["GET", "POST"], "service": "s"}"#,
            ],
            rule: 2, examples: [], takers: [0: "GET example.com/a/b", 1: "POST example.com/a/b"],
            reach: .unreachable(.takenByEarlierRules)),
        Case(
            name: "a header an earlier rule requires: requests without it reach the rule",
            rules: [
                #"{"path": "/api/*", "headers": {"x-beta": "1"}, "service": "s"}"#,
                #"{"path": "/api/*", "service": "s"}"#,
            ],
            rule: 1, examples: ["GET example.com/api/", "GET example.com/api/x", "GET example.com/api/y"],
            takers: [0: "GET example.com/api/ x-beta=1"]),
        Case(
            name: "a wildcard host after an exact one",
            rules: [
                #"{"path": "/*", "host": "api.example.com", "service": "s"}"#,
                #"{"path": "/*", "host": "*.example.com", "service": "s"}"#,
            ],
            rule: 1, examples: ["GET www.example.com/", "GET www.example.com/x", "GET www.example.com/y"],
            takers: [0: "GET api.example.com/"]),
        Case(
            name: "geo: an unknown continent escapes the earlier continent rule",
            rules: [
                #"{"path": "/*", "geo": {"continents": ["EU"]}, "service": "s"}"#,
                #"{"path": "/*", "geo": {"countries": ["GB"]}, "service": "s"}"#,
            ],
            rule: 1,
            examples: ["GET example.com/ country=GB", "GET example.com/x country=GB", "GET example.com/y country=GB"],
            takers: [0: "GET example.com/ continent=EU country=GB"]),
        Case(
            name: "a method an earlier rule takes is left out of the examples",
            rules: [
                #"{"path": "/v1/*", "methods": ["DELETE"], "service": "s"}"#, #"{"path": "/v1/:id", "service": "s"}"#,
            ],
            rule: 1, examples: ["GET example.com/v1/x", "GET example.com/v1/y", "GET example.com/v1/z"],
            takers: [0: "DELETE example.com/v1/x"]),
        Case(
            name: "requests with another method than an earlier GET rule reach the rule",
            rules: [
                #"{"path": "/v1/*", "methods": ["GET"], "service": "s"}"#, #"{"path": "/v1/:id", "service": "s"}"#,
            ],
            rule: 1, examples: ["POST example.com/v1/x", "POST example.com/v1/y", "POST example.com/v1/z"],
            takers: [0: "GET example.com/v1/x"]),
        Case(
            name: "DM402: a broader earlier rule takes everything",
            rules: [
                #"{"path": "/users/*", "service": "s"}"#,
                #"{"path": "/users/:id", "methods": ["GET"], "service": "s"}"#,
            ],
            rule: 1, examples: [], takers: [0: "GET example.com/users/x"], reach: .unreachable(.takenByEarlierRules)),
        Case(
            name: "an invalid pattern is never reached",
            rules: [#"{"path": "/a/b*c", "service": "s"}"#], rule: 0, examples: [], reach: .unreachable(.noPattern)),
        Case(
            name: "a dot segment matches no normalized path",
            rules: [#"{"path": "/a/../b", "service": "s"}"#], rule: 0, examples: [], reach: .unreachable(.noPath)),
        Case(
            name: "an empty method list accepts no request",
            rules: [#"{"path": "/a", "methods": [], "service": "s"}"#], rule: 0, examples: [],
            reach: .unreachable(.noRequest)),
        Case(
            name: "requests no rule matches go to the default",
            rules: [#"{"path": "/", "service": "s"}"#, #"{"path": "/a/*", "service": "s"}"#], rule: nil,
            examples: ["GET example.com/x", "GET example.com/y", "GET example.com/z"]),
        Case(
            name: "a catch-all leaves nothing for the default",
            rules: [#"{"path": "/*", "service": "s"}"#], rule: nil, examples: [],
            reach: .unreachable(.takenByEarlierRules)),
        Case(
            name: "a catch-all limited to GET leaves other methods to the default",
            rules: [#"{"path": "/*", "methods": ["GET"], "service": "s"}"#], rule: nil,
            examples: ["POST example.com/", "POST example.com/x", "POST example.com/y"]),
    ]

    @Test("reports", arguments: cases)
    func report(_ testCase: Case) throws {
        let table = RouteTable(config: Self.config(testCase.rules))
        try #require(table.compiled.count == testCase.rules.count)
        let report =
            testCase.rule.map { RuleWitnesses.report(rule: $0, in: table) } ?? RuleWitnesses.unmatched(in: table)
        #expect(report.examples.map(Self.describe) == testCase.examples)
        #expect(
            Dictionary(uniqueKeysWithValues: report.takers.map { ($0.rule, Self.describe($0.witness)) })
                == testCase.takers)
        #expect(report.reach == testCase.reach)
        #expect(report.takersComplete == (testCase.rule != nil))
        // Whatever the expectations say, every request must route where the report says.
        for example in report.examples { #expect(table.firstMatch(example) == testCase.rule) }
        for taker in report.takers {
            #expect(table.firstMatch(taker.witness) == taker.rule)
            if let rule = testCase.rule { #expect(table.compiled[rule].matches(taker.witness)) }
        }
    }

    @Test("limits cut the lists short and say so")
    func limits() throws {
        let rules = (0..<6).map { #"{"path": "/a/x\#($0)", "service": "s"}"# } + [#"{"path": "/a/*", "service": "s"}"#]
        let table = RouteTable(config: Self.config(rules))
        let report = RuleWitnesses.report(rule: 6, in: table, limits: RuleWitnesses.Limits(examples: 1, takers: 2))
        #expect(report.examples.count == 1)
        #expect(report.takers.map(\.rule) == [0, 1])
        #expect(!report.takersComplete)
        let full = RuleWitnesses.report(rule: 6, in: table)
        #expect(full.takers.map(\.rule) == Array(0..<6))
        #expect(full.takersComplete)
    }

    @Test("a search cut short says undetermined, never unreachable")
    func undetermined() throws {
        let table = RouteTable(
            config: Self.config([
                #"{"path": "/a", "methods": ["GET"], "service": "s"}"#, #"{"path": "/a", "service": "s"}"#,
            ]))
        // One combination of non-path values: only GET is tried, and the first rule takes it.
        var oneCombination = RuleWitnesses.Limits()
        oneCombination.combinations = 1
        let cut = RuleWitnesses.report(rule: 1, in: table, limits: oneCombination)
        #expect(cut.reach == .undetermined)
        #expect(cut.examples.isEmpty)
        #expect(!cut.takersComplete)
        // A path search with no room at all.
        var noBudget = RuleWitnesses.Limits()
        noBudget.searchBudget = 0
        #expect(RuleWitnesses.report(rule: 1, in: table, limits: noBudget).reach == .undetermined)
        var noSearches = RuleWitnesses.Limits()
        noSearches.searches = 0
        #expect(RuleWitnesses.report(rule: 1, in: table, limits: noSearches).reach == .undetermined)
        // With the default limits, another method reaches the rule.
        let full = RuleWitnesses.report(rule: 1, in: table)
        #expect(full.reach == .reachable)
        #expect(full.examples.first.map(Self.describe) == "POST example.com/a")
    }

    @Test("a catch-all after a thousand rules: reports stay quick and bounded")
    func largeTable() throws {
        let rules =
            (0..<1000).map {
                #"{"path": "/api/v\#($0 % 7)/r\#($0)/*", "methods": ["\#(["GET", "POST", "PUT"][$0 % 3])"], "#
                    + #""service": "s"}"#
            }
            + [#"{"path": "/*", "service": "s"}"#]
        let table = RouteTable(config: Self.config(rules))
        let clock = ContinuousClock()
        var report: RuleWitnessReport?
        let elapsed = clock.measure {
            report = RuleWitnesses.report(rule: 1000, in: table, limits: RuleWitnesses.Limits(examples: 3, takers: 25))
        }
        let found = try #require(report)
        print("catch-all after 1000 rules: \(elapsed), \(found.examples.count) examples, \(found.takers.count) takers")
        #expect(found.reach == .reachable)
        #expect(found.examples.map { table.firstMatch($0) } == [1000, 1000, 1000])
        #expect(found.takers.map(\.rule) == Array(0..<25))
        #expect(!found.takersComplete)
        for taker in found.takers { #expect(table.firstMatch(taker.witness) == taker.rule) }
        // Generous for a debug build on a loaded machine; a quadratic search would take minutes.
        #expect(elapsed < .seconds(20))
    }

    @Test(
        "a sticky key header forces each branch of a split",
        arguments: ["header:x-user", "cookie:sid", "header:X-User"])
    func stickyBranches(stickyBy: String) throws {
        let config = Self.config([
            #"{"path": "/*", "split": [{"service": "a", "weight": 90}, {"service": "b", "weight": 9}, {"service": "#
                + #""c", "weight": 1}], "stickyBy": "\#(stickyBy)"}"#
        ])
        let rule = try #require(config.routing.rules.first)
        let router = Router(config: config)
        for (branch, service) in ["a", "b", "c"].enumerated() {
            let header = try #require(SplitWitness.stickyHeader(rule: rule, branch: branch))
            let request = try RouteRequest.make(url: "https://example.com/", headers: [header]).get()
            // Fresh state each time: a sticky draw must not depend on earlier draws.
            let trace = router.withState(RouterState(seed: UInt64(branch) + 7)).route(request)
            #expect(trace.split?.chosen == service)
            #expect(trace.split?.reason.hasPrefix("sticky by ") == true)
        }
    }

    @Test("no sticky header without a usable stickyBy")
    func noStickyKey() throws {
        for stickyBy in [nil, "query:x", "header:"] {
            let member = stickyBy.map { #", "stickyBy": "\#($0)""# } ?? ""
            let config = Self.config([
                #"{"path": "/*", "split": [{"service": "a", "weight": 1}, {"service": "b", "weight": 1}]\#(member)}"#
            ])
            let rule = try #require(config.routing.rules.first)
            #expect(SplitWitness.stickyHeader(rule: rule, branch: 0) == nil)
        }
    }

    @Test("usable branch positions skip branches the router never picks")
    func usableIndex() throws {
        let config = Self.config([
            #"{"path": "/*", "split": [{"service": "a", "weight": 0}, {"weight": 3}, {"service": "b", "weight": 2}, "#
                + #"{"service": "c", "weight": 1}]}"#
        ])
        let rule = try #require(config.routing.rules.first)
        #expect((0..<5).map { SplitWitness.usableIndex(ofBranch: $0, in: rule) } == [nil, nil, 0, 1, nil])
        #expect(SplitSelection.branches(of: rule).map(\.service) == ["b", "c"])
    }

    // MARK: Support

    /// A config with services `s`, `a`, `b`, `c` and the given rules, through the real parser.
    static func config(_ rules: [String]) -> MeshConfig {
        let services = ["s", "a", "b", "c"].map { #""\#($0)": {"endpoints": ["https://\#($0).example.com"]}"# }.joined(
            separator: ", ")
        let text =
            #"{"version": 1, "services": {\#(services)}, "routing": {"rules": [\#(rules.joined(separator: ",\n"))]}}"#
        return MeshDocument.analyze(SourceText(text), path: "rules.jsonc").config
    }

    /// `METHOD host/path`, then headers as `name=value` and geo fields, sorted.
    static func describe(_ request: RouteRequest) -> String {
        var words = ["\(request.method) \(request.host)\(request.path)"]
        words += request.headers.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }
        if let continent = request.cf.continent { words.append("continent=\(continent)") }
        if let country = request.cf.country { words.append("country=\(country)") }
        if let colo = request.cf.colo { words.append("colo=\(colo)") }
        return words.joined(separator: " ")
    }
}
