import MeshConfig
import MeshRouter
import Testing

/// Split branches: probabilities, seeded draws and sticky keys (docs/guide/routing.md, target
/// selection step 1).
@Suite("Split selection")
struct SplitTests {
    /// The first rule of a config whose routing has `rule` (JSON members of one rule).
    static func rule(_ members: String) throws -> Rule {
        let config = SelectionSupport.config(
            """
            {"services": {"a": {}, "b": {}, "c": {}}, "routing": {"rules": [{"path": "/*", \(members)}]}}
            """)
        return try #require(config.routing.rules.first)
    }

    static let canary = "\"split\": [{\"service\": \"a\", \"weight\": 90}, {\"service\": \"b\", \"weight\": 10}]"

    @Test("probabilities are weight / total; branches without a service or a positive weight are left out")
    func probabilities() throws {
        let rule = try Self.rule(
            "\"split\": [{\"service\": \"a\", \"weight\": 3}, {\"weight\": 5}, {\"service\": \"b\", \"weight\": 0}, "
                + "{\"service\": \"c\", \"weight\": 1}]"
        )
        let branches = SplitSelection.branches(of: rule)
        #expect(
            branches == [
                SplitBranchTrace(service: "a", weight: 3, probability: 0.75),
                SplitBranchTrace(service: "c", weight: 1, probability: 0.25),
            ])
        var random = SeededRandom(seed: 1)
        let decision = try #require(
            SplitSelection.choose(rule: rule, request: try SelectionSupport.request(), random: &random))
        #expect(decision.branches == branches)
    }

    @Test("no usable split: nil")
    func noSplit() throws {
        var random = SeededRandom(seed: 1)
        let request = try SelectionSupport.request()
        #expect(
            SplitSelection.choose(rule: try Self.rule("\"service\": \"a\""), request: request, random: &random) == nil)
        #expect(
            SplitSelection.choose(
                rule: try Self.rule("\"split\": [{\"service\": \"a\", \"weight\": -1}]"), request: request,
                random: &random) == nil)
        #expect(SplitSelection.choose(rule: try Self.rule("\"split\": []"), request: request, random: &random) == nil)
    }

    @Test(
        "10,000 random draws land near the weights, and the same seed gives the same draws",
        arguments: [
            "\"split\": [{\"service\": \"a\", \"weight\": 90}, {\"service\": \"b\", \"weight\": 10}]",
            "\"split\": [{\"service\": \"a\", \"weight\": 1}, {\"service\": \"b\", \"weight\": 1}, {\"service\": "
                + "\"c\", \"weight\": 2}]",
            "\"split\": [{\"service\": \"a\", \"weight\": 0.5}, {\"service\": \"b\", \"weight\": 99.5}]",
        ])
    func randomDistribution(split: String) throws {
        let rule = try Self.rule(split)
        let request = try SelectionSupport.request()
        var random = SeededRandom(seed: 2024)
        var chosen: [String] = []
        for _ in 0..<10_000 {
            let decision = try #require(SplitSelection.choose(rule: rule, request: request, random: &random))
            chosen.append(decision.chosen)
        }
        let counts = SelectionSupport.counts(chosen)
        for branch in SplitSelection.branches(of: rule) {
            let share = Double(counts[branch.service] ?? 0) / 10_000
            #expect(abs(share - branch.probability) < 0.015, "\(branch.service): \(share) for \(branch.probability)")
        }
        var replay = SeededRandom(seed: 2024)
        let again = try (0..<100).map { _ in
            try #require(SplitSelection.choose(rule: rule, request: request, random: &replay)).chosen
        }
        #expect(again == Array(chosen.prefix(100)))
    }

    @Test("the reason of a random draw shows the draw")
    func randomReason() throws {
        var random = SeededRandom(seed: 5)
        let decision = try #require(
            SplitSelection.choose(
                rule: try Self.rule(Self.canary), request: try SelectionSupport.request(), random: &random))
        #expect(decision.reason.hasPrefix("random draw 0."))
        #expect(decision.reason.count == "random draw 0.1234".count)
    }

    @Test("sticky by header: the same key picks the same branch on every instance and seed")
    func stickyHeader() throws {
        let rule = try Self.rule(Self.canary + ", \"stickyBy\": \"header:X-User\"")
        for user in ["alice", "bob", "carol", "user-17", "🦊"] {
            let request = try SelectionSupport.request(headers: [("x-user", user)])
            var chosen: Set<String> = []
            for seed in UInt64(0)..<20 {
                var random = RouterState(seed: seed).makeRandom()
                let decision = try #require(SplitSelection.choose(rule: rule, request: request, random: &random))
                chosen.insert(decision.chosen)
                #expect(decision.reason.hasPrefix("sticky by header:X-User (hash 0."))
            }
            #expect(chosen.count == 1, "\(user) moved between branches")
        }
    }

    @Test("the sticky hash is pinned: it must not change between versions or machines")
    func stableHash() {
        // FNV-1a 64 then SplitMix64's mixer; these values are part of the routing contract.
        #expect(SplitSelection.stableUnit("") == SeededRandom.unit(SeededRandom.mix(0xCBF2_9CE4_8422_2325)))
        #expect(
            SeededRandom.unit(SeededRandom.mix(0xAF63_DC4C_8601_EC8C)) == SplitSelection.stableUnit("a"),
            "FNV-1a 64 of 'a'")
        for (key, value) in SelectionPins.hashes {
            #expect(SplitSelection.stableUnit(key) == value, "stable hash of \(key)")
        }
    }

    @Test("sticky keys spread over the branches by weight")
    func stickyDistribution() throws {
        let rule = try Self.rule(Self.canary + ", \"stickyBy\": \"cookie:session\"")
        var counts: [String: Int] = [:]
        var random = SeededRandom(seed: 0)
        for user in 0..<10_000 {
            let request = try SelectionSupport.request(headers: [("cookie", "session=user-\(user)")])
            let decision = try #require(SplitSelection.choose(rule: rule, request: request, random: &random))
            counts[decision.chosen, default: 0] += 1
        }
        #expect(abs(Double(counts["a"] ?? 0) / 10_000 - 0.9) < 0.015, "\(counts)")
    }

    @Test("sticky by cookie reads the cookie header; names are case-sensitive and quotes are dropped")
    func stickyCookie() throws {
        let request = try SelectionSupport.request(headers: [
            ("Cookie", "theme=dark; session=\"abc123\" ; Session=other")
        ])
        #expect(SplitSelection.stickyKey("cookie:session", in: request) == .value("abc123"))
        #expect(SplitSelection.stickyKey("cookie:Session", in: request) == .value("other"))
        #expect(SplitSelection.stickyKey("cookie:missing", in: request) == .absent)
        #expect(
            SplitSelection.stickyKey("header:COOKIE", in: request)
                == .value("theme=dark; session=\"abc123\" ; Session=other"))
        #expect(SplitSelection.stickyKey("ip", in: request) == .unsupported)
        #expect(SplitSelection.stickyKey("query:x", in: request) == .unsupported)
        #expect(SplitSelection.stickyKey("header:", in: request) == .unsupported)
    }

    @Test("without the sticky key the draw is random and the reason says the key was absent")
    func stickyAbsent() throws {
        let rule = try Self.rule(Self.canary + ", \"stickyBy\": \"cookie:session\"")
        var random = SeededRandom(seed: 9)
        let decision = try #require(
            SplitSelection.choose(
                rule: rule, request: try SelectionSupport.request(headers: [("cookie", "other=1")]), random: &random))
        #expect(decision.reason.hasPrefix("cookie:session absent: random draw 0."))
        let empty = try SelectionSupport.request(headers: [("cookie", "session=")])
        #expect(SplitSelection.stickyKey("cookie:session", in: empty) == .absent, "an empty value is no key")
    }

    @Test("a draw maps to branches in document order; the last branch owns the rounding sliver")
    func branchMapping() {
        let branches = [
            SplitBranchTrace(service: "a", weight: 1, probability: 0.25),
            SplitBranchTrace(service: "b", weight: 3, probability: 0.75),
        ]
        #expect(SplitSelection.branch(at: 0, in: branches) == "a")
        #expect(SplitSelection.branch(at: 0.2499, in: branches) == "a")
        #expect(SplitSelection.branch(at: 0.25, in: branches) == "b")
        #expect(SplitSelection.branch(at: 0.999_999_999, in: branches) == "b")
        #expect(SplitSelection.branch(at: 1, in: branches) == "b")
    }
}

/// Pinned sticky hashes (see `SplitTests.stableHash`).
enum SelectionPins {
    /// Computed independently (Python) from the definition: FNV-1a 64, SplitMix64 mixer,
    /// top 53 bits scaled to [0, 1).
    static let hashes: [String: Double] = [
        "alice": 0.7727254287806008,
        "session-1": 0.5609938213330858,
        "user-42": 0.4768919313585631,
        "🦊": 0.16182422275735975,
    ]
}
