import MeshConfig
import MeshRouter
import MeshSyntax
import Testing

@Suite("Shadow analysis (DM402, DM403)")
struct ShadowAnalysisTests {
    typealias S = ShadowSupport

    /// One two-rule table: the earlier rule's and the later rule's extra members, and the
    /// expected verdict for the later one.
    struct Narrowness: Sendable, CustomTestStringConvertible {
        enum Verdict: Sendable { case shadowed, duplicate, reached }
        let earlier: String
        let later: String
        let verdict: Verdict
        var testDescription: String { "{\(earlier)} then {\(later)}" }

        init(_ earlier: String, _ later: String, _ verdict: Verdict) {
            self.earlier = earlier
            self.later = later
            self.verdict = verdict
        }
    }

    static let narrowness: [Narrowness] = [
        // methods
        .init("", "\"methods\": [\"GET\"]", .shadowed),
        .init("\"methods\": [\"GET\"]", "", .reached),
        .init("\"methods\": [\"GET\", \"POST\"]", "\"methods\": [\"POST\"]", .shadowed),
        .init("\"methods\": [\"GET\"]", "\"methods\": [\"GET\", \"POST\"]", .reached),
        .init("\"methods\": [\"POST\", \"GET\"]", "\"methods\": [\"GET\", \"POST\"]", .duplicate),
        // host
        .init("", "\"host\": \"api.example.com\"", .shadowed),
        .init("\"host\": \"api.example.com\"", "", .reached),
        .init("\"host\": \"API.example.com\"", "\"host\": \"api.EXAMPLE.com\"", .duplicate),
        .init("\"host\": \"*.example.com\"", "\"host\": \"api.example.com\"", .shadowed),
        .init("\"host\": \"*.example.com\"", "\"host\": \"example.com\"", .reached),
        .init("\"host\": \"*.example.com\"", "\"host\": \"*.eu.example.com\"", .shadowed),
        .init("\"host\": \"*.example.com\"", "\"host\": \"*.example.com\"", .duplicate),
        .init("\"host\": \"*.eu.example.com\"", "\"host\": \"*.example.com\"", .reached),
        .init("\"host\": \"api.example.com\"", "\"host\": \"*.example.com\"", .reached),
        .init("\"host\": \"*.example.com\"", "\"host\": \"api.badexample.com\"", .reached),
        // headers
        .init("", "\"headers\": {\"x-env\": \"canary\"}", .shadowed),
        .init("\"headers\": {\"x-env\": true}", "\"headers\": {\"x-env\": \"canary\"}", .shadowed),
        .init("\"headers\": {\"x-env\": \"canary\"}", "\"headers\": {\"x-env\": true}", .reached),
        .init("\"headers\": {\"X-Env\": \"canary\"}", "\"headers\": {\"x-env\": \"canary\"}", .duplicate),
        .init("\"headers\": {\"x-env\": \"Canary\"}", "\"headers\": {\"x-env\": \"canary\"}", .reached),
        .init("\"headers\": {\"x-env\": false}", "\"headers\": {\"x-env\": false}", .duplicate),
        .init("\"headers\": {\"x-env\": false}", "", .reached),
        .init("\"headers\": {\"x-env\": false}", "\"headers\": {\"x-other\": true}", .reached),
        .init("\"headers\": {\"a\": true}", "\"headers\": {\"a\": \"1\", \"b\": false}", .shadowed),
        // geo
        .init("\"geo\": {\"continents\": [\"EU\", \"NA\"]}", "\"geo\": {\"continents\": [\"EU\"]}", .shadowed),
        .init("\"geo\": {\"continents\": [\"EU\"]}", "", .reached),
        .init("", "\"geo\": {\"continents\": [\"EU\"]}", .shadowed),
        .init("\"geo\": {\"countries\": [\"DE\"]}", "\"geo\": {\"continents\": [\"EU\"]}", .reached),
        .init(
            "\"geo\": {\"countries\": [\"DE\", \"FR\"]}", "\"geo\": {\"countries\": [\"FR\"], \"colos\": [\"CDG\"]}",
            .shadowed),
        .init("\"geo\": {\"colos\": [\"CDG\"]}", "\"geo\": {\"colos\": [\"cdg\"]}", .duplicate),
        // rules that match nothing are never reported
        .init("", "\"headers\": {\"x\": true, \"X\": false}", .reached),
        .init("", "\"geo\": {\"colos\": []}", .reached),
    ]

    @Test("each matcher: the earlier rule must be no narrower", arguments: narrowness)
    func matcherNarrowness(_ entry: Narrowness) throws {
        let rules = S.rules([S.rule("/api/*", entry.earlier), S.rule("/api/users/:id", entry.later)])
        let findings = ShadowAnalysis.findings(rules: rules)
        switch entry.verdict {
        case .reached:
            #expect(findings.isEmpty, "\(findings)")
        case .shadowed, .duplicate:
            let finding = try #require(findings.first)
            #expect(findings.count == 1)
            #expect(finding.kind == .shadowed, "the paths differ, so the rules are never duplicates")
            try confirm(finding, rules)
        }
        // The same matchers on identical paths: duplicates exactly when the matchers are equal.
        let same = S.rules([S.rule("/api/:id", entry.earlier), S.rule("/api/:key", entry.later)])
        let sameFindings = ShadowAnalysis.findings(rules: same)
        switch entry.verdict {
        case .reached: #expect(sameFindings.isEmpty)
        case .shadowed: #expect(sameFindings.map(\.kind) == [.shadowed])
        case .duplicate: #expect(sameFindings.map(\.kind) == [.duplicate])
        }
        for finding in sameFindings { try confirm(finding, same) }
    }

    /// The witness routes where the finding says, and the later rule accepts it.
    private func confirm(_ finding: ShadowFinding, _ rules: [Rule], sourceLocation: SourceLocation = #_sourceLocation)
        throws
    {
        let table = RouteTable(rules: rules)
        #expect(table.firstMatch(finding.witness) == finding.witnessRoute, sourceLocation: sourceLocation)
        #expect(table.compiled[finding.rule].matches(finding.witness), sourceLocation: sourceLocation)
        #expect(table.compiled[finding.earlierRule].matches(finding.witness), sourceLocation: sourceLocation)
        #expect(
            finding.witness.url == "https://\(finding.witness.host)\(finding.witness.path)",
            sourceLocation: sourceLocation)
    }

    @Test("witnesses carry what the later rule needs: method, host, headers, geo")
    func witnessRequest() throws {
        let rules = S.rules([
            S.rule("/*"),
            S.rule(
                "/shop/:id",
                "\"methods\": [\"PUT\"], \"host\": \"*.example.com\", \"headers\": {\"x-a\": true, \"x-b\": \"2\", "
                    + "\"x-c\": false}, \"geo\": {\"countries\": [\"DE\"], \"colos\": [\"FRA\"]}"
            ),
        ])
        let finding = try #require(ShadowAnalysis.findings(rules: rules).first)
        #expect(finding.witness.method == "PUT")
        #expect(finding.witness.url == "https://www.example.com/shop/x")
        #expect(finding.witness.headers == ["x-a": "1", "x-b": "2"])
        #expect(finding.witness.cf == GeoContext(colo: "FRA", country: "DE"))
        try confirm(finding, rules)
    }

    @Test("the first covering rule is named, and the witness avoids rules before it")
    func firstShadowerAndAvoidance() throws {
        let rules = S.rules([
            S.rule("/api/x", "\"methods\": [\"GET\"]"),
            S.rule("/api/y*"),
            S.rule("/api/*"),
            S.rule("/*"),
            S.rule("/api/:id", "\"methods\": [\"GET\"]"),
        ])
        let findings = ShadowAnalysis.findings(rules: rules)
        #expect(findings.map(\.rule) == [4])
        let finding = try #require(findings.first)
        #expect(finding.earlierRule == 2)
        #expect(finding.witnessRoute == 2)
        #expect(finding.witness.path == "/api/z")
        try confirm(finding, rules)
    }

    @Test("when rules even earlier take every request the covering rule would, the finding says where they go")
    func unionCover() throws {
        let rules = S.rules([
            S.rule("/a/*", "\"methods\": [\"GET\"]"),
            S.rule("/a/*", "\"methods\": [\"POST\"]"),
            S.rule("/a/*"),
            S.rule("/a/x", "\"methods\": [\"GET\", \"POST\"]"),
        ])
        let findings = ShadowAnalysis.findings(rules: rules)
        let finding = try #require(findings.first { $0.rule == 3 })
        #expect(finding.earlierRule == 2)
        #expect(finding.witnessRoute == 0)
        try confirm(finding, rules)
    }

    @Test("invalid and missing patterns are ignored")
    func invalidPatterns() {
        let rules = S.rules([
            S.rule("/a/b*c"), S.rule("/a/b*c"), "{\"service\": \"s\"}", S.rule("/a/:x"), S.rule("/a/*:y"),
        ])
        #expect(ShadowAnalysis.findings(rules: rules).isEmpty)
    }

    @Test("duplicates: same path language and matchers")
    func duplicates() throws {
        let rules = S.rules([
            S.rule("/a/:id/*", "\"methods\": [\"GET\"]"), S.rule("/a/*/*", "\"methods\": [\"GET\"]"), S.rule("/b"),
            S.rule("/b"),
        ])
        let findings = ShadowAnalysis.findings(rules: rules)
        #expect(findings.map(\.kind) == [.duplicate, .duplicate])
        #expect(findings.map(\.rule) == [1, 3])
        #expect(findings.map(\.earlierRule) == [0, 2])
        for finding in findings { try confirm(finding, rules) }
    }

    /// The shadowing property of issue 3: random two-rule tables of random patterns over
    /// {a, b}. The analysis reports the later rule exactly when brute force over every path
    /// of up to 7 bytes finds no path of it that the earlier rule misses (beyond the bound,
    /// the procedure's counterexample is checked instead), and every witness routes, on the
    /// real route table, to the earlier rule.
    @Test("random pattern pairs: findings agree with brute force and every witness routes to the shadowing rule")
    func randomPairs() throws {
        let bound = 7
        let paths = S.allPaths(maxLength: bound)
        var random = SeededRandom(seed: 0x5EED_0402)
        var counts = (tables: 0, shadowed: 0, duplicates: 0, reached: 0, beyondBound: 0, confirmed: 0)
        for _ in 0..<1_500 {
            let earlier = S.randomPattern(&random)
            let later = S.randomPattern(&random)
            let rules = S.rules([S.rule(earlier), S.rule(later)])
            counts.tables += 1
            let earlierPieces = S.pieces(earlier)
            let laterPieces = S.pieces(later)
            let bruteCovered = paths.allSatisfy { !S.matches(laterPieces, $0) || S.matches(earlierPieces, $0) }
            let findings = ShadowAnalysis.findings(rules: rules)
            #expect(findings.count <= 1)
            if let finding = findings.first {
                #expect(bruteCovered, "\(later) after \(earlier): reported, but brute force finds a path it keeps")
                #expect(finding.rule == 1 && finding.earlierRule == 0)
                let table = RouteTable(rules: rules)
                #expect(
                    table.firstMatch(finding.witness) == 0, "\(later) after \(earlier): witness \(finding.witness.path)"
                )
                #expect(S.matches(laterPieces, finding.witness.path), "\(later): witness \(finding.witness.path)")
                if table.firstMatch(finding.witness) == 0 { counts.confirmed += 1 }
                let bruteEqual = paths.allSatisfy { S.matches(laterPieces, $0) == S.matches(earlierPieces, $0) }
                if finding.kind == .duplicate {
                    counts.duplicates += 1
                    #expect(bruteEqual, "\(later) duplicates \(earlier)?")
                } else {
                    counts.shadowed += 1
                }
            } else {
                counts.reached += 1
                if bruteCovered {
                    // Covered up to the bound only: the procedure must know a longer path.
                    guard
                        case .notIncluded(let counterexample) = PatternInclusion.check(
                            try PathPattern.parse(later).get(), within: try PathPattern.parse(earlier).get())
                    else {
                        Issue.record("\(later) after \(earlier): brute force says shadowed, nothing reported")
                        continue
                    }
                    counts.beyondBound += 1
                    #expect(
                        counterexample.utf8.count > bound && S.matches(laterPieces, counterexample)
                            && !S.matches(earlierPieces, counterexample))
                }
            }
        }
        print(
            "shadowing property: \(counts.tables) two-rule tables: \(counts.shadowed) shadowed + "
                + "\(counts.duplicates) duplicates reported, \(counts.confirmed) witnesses routed to the shadowing "
                + "rule, \(counts.reached) reached (\(counts.beyondBound) decided by a path beyond the \(bound)-byte "
                + "bound)"
        )
        #expect(counts.shadowed > 50 && counts.duplicates > 5 && counts.reached > 200)
    }

    /// Larger random tables with methods: every finding's witness routes where it says,
    /// the named rule is the first that covers the later one, and no covered rule is missed.
    @Test("random four-rule tables with methods: first shadower, routed witnesses, nothing missed")
    func randomTables() throws {
        let bound = 6
        let paths = S.allPaths(maxLength: bound)
        let methodChoices: [[String]?] = [nil, ["GET"], ["POST"], ["GET", "POST"]]
        var random = SeededRandom(seed: 0x5EED_4444)
        var counts = (tables: 0, findings: 0, viaEarlierRules: 0)
        for _ in 0..<400 {
            var texts: [String] = []
            var specs: [(pieces: [ShadowSupport.Piece], methods: Set<String>?)] = []
            for _ in 0..<4 {
                let path = random.next() % 3 == 0 ? "/a/*" : S.randomPattern(&random)
                let methods = methodChoices[Int(random.next() % 4)]
                texts.append(
                    S.rule(
                        path, methods.map { "\"methods\": [\($0.map { "\"\($0)\"" }.joined(separator: ", "))]" } ?? ""))
                specs.append((S.pieces(path), methods.map(Set.init)))
            }
            let rules = S.rules(texts)
            let table = RouteTable(rules: rules)
            counts.tables += 1
            let findings = ShadowAnalysis.findings(rules: rules)
            // Brute-force coverage over paths x {GET, POST, PUT}.
            func covers(_ earlier: Int, _ later: Int) -> Bool {
                for method in ["GET", "POST", "PUT"] where specs[later].methods?.contains(method) ?? true {
                    guard specs[earlier].methods?.contains(method) ?? true else { return false }
                }
                return paths.allSatisfy { !S.matches(specs[later].pieces, $0) || S.matches(specs[earlier].pieces, $0) }
            }
            for later in 1..<4 {
                let finding = findings.first { $0.rule == later }
                // Methods by brute force, paths by the procedure (checked against brute
                // force above), so the first cover is exact, not only up to a bound.
                let firstCover = try (0..<later).first { earlier in
                    guard covers(earlier, later) else { return false }
                    let inner = try #require(table.compiled[later].pattern)
                    let outer = try #require(table.compiled[earlier].pattern)
                    return PatternInclusion.check(inner, within: outer).isIncluded
                }
                #expect(finding?.earlierRule == firstCover, "\(texts): rule \(later)")
                guard let finding else { continue }
                counts.findings += 1
                #expect(table.firstMatch(finding.witness) == finding.witnessRoute)
                #expect(table.compiled[later].matches(finding.witness))
                if finding.witnessRoute != finding.earlierRule {
                    counts.viaEarlierRules += 1
                    // Then no request of the later rule reaches the earlier one at all.
                    for method in ["GET", "POST", "PUT"] {
                        for path in paths {
                            let request = try RouteRequest.make(method: method, url: "https://example.com" + path).get()
                            if table.compiled[later].matches(request) {
                                #expect(table.firstMatch(request) != finding.earlierRule, "\(texts): \(method) \(path)")
                            }
                        }
                    }
                }
            }
        }
        print(
            "shadowing tables: \(counts.tables) four-rule tables, \(counts.findings) findings confirmed on the route "
                + "table (\(counts.viaEarlierRules) whose witness is taken by an even earlier rule)"
        )
    }

    @Test("1,000 and 5,000 realistic rules, and 1,000 rules of one shape, analyse quickly")
    func performance() {
        for count in [1_000, 5_000] {
            var texts: [String] = []
            for index in 0..<count {
                let service = "svc\(index / 10)"
                switch index % 5 {
                case 0: texts.append(S.rule("/api/\(service)/*"))
                case 1: texts.append(S.rule("/api/\(service)/items/:id", "\"methods\": [\"GET\"]"))
                case 2: texts.append(S.rule("/api/\(service)/v\(index)", "\"host\": \"*.example.com\""))
                case 3: texts.append(S.rule("/static/\(service)/\(index)*"))
                default: texts.append(S.rule("/\(service)/:a/:b", "\"headers\": {\"x-tenant\": \"t\(index)\"}"))
                }
            }
            let rules = S.rules(texts)
            let clock = ContinuousClock()
            let start = clock.now
            let findings = ShadowAnalysis.findings(rules: rules)
            let elapsed = clock.now - start
            print("shadow analysis: \(count) rules in \(elapsed), \(findings.count) findings")
            // Every /api/svcN/... rule after /api/svcN/* is shadowed by it.
            // Per ten rules: the second /api/svcN/* duplicates the first, which shadows the
            // two items and two host rules.
            #expect(findings.count == count / 2)
            #expect(findings.filter { $0.kind == .duplicate }.count == count / 10)
            #expect(elapsed < .seconds(count / 200))
        }
        // The worst case for the index: every rule has the same shape, so each is compared
        // with every earlier one (only the cheap matcher comparison fails).
        let texts = (0..<1_000).map { S.rule("/:tenant/*", "\"methods\": [\"M\($0)\"]") }
        let rules = S.rules(texts)
        let clock = ContinuousClock()
        let start = clock.now
        let findings = ShadowAnalysis.findings(rules: rules)
        print("shadow analysis: 1000 rules of one shape /:tenant/* in \(clock.now - start), \(findings.count) findings")
        #expect(findings.isEmpty)
    }
}
