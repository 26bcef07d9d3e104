import MeshConfig
import MeshRouter
import Testing

/// Random rule tables (the route table property test's generator): every example a
/// report gives routes to its rule, every taker witness is a request of the rule that
/// routes to the named earlier rule, and random requests never contradict a report (a
/// rule called unreachable gets none of them; an earlier rule that takes one of the
/// rule's requests is named when the list says it is complete).
@Suite("Rule witness property: reports agree with routing")
struct RuleWitnessPropertyTests {
    typealias Spec = MatchingSupport.RuleSpec

    struct Counts {
        var tables = 0
        var rules = 0
        var examples = 0
        var takers = 0
        var unreachable = 0
        var undetermined = 0
        var requests = 0
        var contradictions = 0
    }

    @Test func reportsAgreeWithRouting() throws {
        var random = SeededRandom(seed: 0xD1DD_3E5)
        var counts = Counts()
        for _ in 0..<250 {
            let specs = (0..<Int.random(in: 1...8, using: &random)).map { _ in RouteTablePropertyTests.rule(&random) }
            let rules = MatchingSupport.rules(specs)
            try #require(rules.count == specs.count)
            let table = RouteTable(rules: rules)
            counts.tables += 1
            var reports = table.compiled.indices.map { RuleWitnesses.report(rule: $0, in: table) }
            let unmatched = RuleWitnesses.unmatched(in: table)
            counts.rules += reports.count
            for report in reports {
                let rule = try #require(report.rule)
                counts.examples += report.examples.count
                counts.takers += report.takers.count
                if case .unreachable = report.reach { counts.unreachable += 1 }
                if report.reach == .undetermined { counts.undetermined += 1 }
                for example in report.examples {
                    // The reference router shares no matching code with the table.
                    #expect(table.firstMatch(example) == rule)
                    #expect(MatchingReference.firstMatch(specs, example) == rule)
                }
                for taker in report.takers {
                    #expect(taker.rule < rule)
                    #expect(table.firstMatch(taker.witness) == taker.rule)
                    #expect(MatchingReference.firstMatch(specs, taker.witness) == taker.rule)
                    #expect(table.compiled[rule].matches(taker.witness))
                }
                #expect(report.takersComplete)
            }
            for example in unmatched.examples { #expect(table.firstMatch(example) == nil) }
            // Shadowing findings are full takeovers: the rule is unreachable and the
            // finding's witness route is among its takers.
            for finding in ShadowAnalysis.findings(rules: rules) {
                #expect(reports[finding.rule].reach == .unreachable(.takenByEarlierRules))
                #expect(reports[finding.rule].takers.contains { $0.rule == finding.witnessRoute })
            }
            for _ in 0..<60 {
                let request = try RouteTablePropertyTests.request(&random, near: specs)
                counts.requests += 1
                let route = table.firstMatch(request)
                var contradiction: String?
                if let route, reports[route].reach != .reachable {
                    contradiction = "rule \(route) gets the request but its report says \(reports[route].reach)"
                }
                if route == nil, unmatched.reach != .reachable {
                    contradiction = "no rule matches the request but the unmatched report says \(unmatched.reach)"
                }
                for position in table.compiled.indices where table.compiled[position].matches(request) {
                    if let route, route < position, !reports[position].takers.contains(where: { $0.rule == route }) {
                        contradiction = "rule \(route) takes a request of rule \(position) but is not among its takers"
                    }
                }
                if let contradiction {
                    counts.contradictions += 1
                    if counts.contradictions <= 5 {
                        Issue.record(
                            Comment(
                                rawValue: "\(contradiction): \(request.method) \(request.host)\(request.path) "
                                    + "\(request.headers) \(request.cf)\n\(MatchingSupport.configText(specs))")
                        )
                    }
                }
            }
            reports.removeAll()
        }
        print(
            """
            rule witness property: \(counts.tables) tables, \(counts.rules) rules, \(counts.examples) examples, \
            \(counts.takers) taker witnesses, \(counts.unreachable) unreachable, \(counts.undetermined) undetermined, \
            \(counts.requests) random requests, \(counts.contradictions) contradictions
            """)
        #expect(counts.contradictions == 0)
        #expect(counts.undetermined == 0)
        // The generator must produce both reachable and unreachable rules, and takers.
        #expect(counts.unreachable > counts.rules / 50)
        #expect(counts.takers > counts.rules / 5)
        #expect(counts.examples > counts.rules)
    }
}
