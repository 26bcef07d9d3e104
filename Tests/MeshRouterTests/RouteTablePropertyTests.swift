import MeshConfig
import MeshRouter
import Testing

/// Random rule tables and requests: the compiled table must pick exactly the rule a
/// naive in-order reference router (written from the spec, in the tests) picks.
@Suite("Route table property: trie == in-order reference")
struct RouteTablePropertyTests {
    typealias Spec = MatchingSupport.RuleSpec

    static let segments = ["a", "b", "ab", "api", "v1"]
    static let hosts = ["a.example.com", "b.a.example.com", "example.com", "other.com", "A.Example.com"]
    static let methods = ["GET", "POST", "PUT", "DELETE", "PURGE"]

    /// Counts printed at the end, so a run shows what it covered.
    struct Counts {
        var tables = 0
        var rules = 0
        var invalidRules = 0
        var requests = 0
        var matched = 0
        var unmatched = 0
        var matchedBeyondRoot = 0
        var mismatches = 0
    }

    @Test func trieAgreesWithReference() throws {
        var random = SeededRandom(seed: 0x5EED_D1DD_1E5)
        var counts = Counts()
        for _ in 0..<2_000 {
            let specs = (0..<Int.random(in: 1...24, using: &random)).map { _ in Self.rule(&random) }
            let rules = MatchingSupport.rules(specs)
            try #require(rules.count == specs.count)
            let table = RouteTable(rules: rules)
            counts.tables += 1
            counts.rules += specs.count
            counts.invalidRules += table.compiled.filter { $0.pattern == nil }.count
            for _ in 0..<40 {
                let request = try Self.request(&random, near: specs)
                let expected = MatchingReference.firstMatch(specs, request)
                let actual = table.firstMatch(request)
                let linear = table.compiled.firstIndex { $0.matches(request) }
                counts.requests += 1
                if let expected {
                    counts.matched += 1
                    if !(table.compiled[expected].pattern?.literalPrefixSegments.isEmpty ?? true) {
                        counts.matchedBeyondRoot += 1
                    }
                } else {
                    counts.unmatched += 1
                }
                if actual != expected || linear != expected {
                    counts.mismatches += 1
                    if counts.mismatches <= 5 {
                        Issue.record(
                            """
                            \(request.method) \(request.host) \(request.path) headers \(request.headers): \
                            table \(actual.map(String.init) ?? "none"), linear \(linear.map(String.init) ?? "none"), \
                            reference \(expected.map(String.init) ?? "none") in
                            \(MatchingSupport.configText(specs))
                            """)
                    }
                }
                if let expected, actual == expected {
                    // A matched rule must explain no failure; every earlier rule must.
                    #expect(table.compiled[expected].failure(for: request) == nil)
                    for earlier in table.compiled.prefix(expected) where earlier.failure(for: request) == nil {
                        Issue.record("rule \(earlier.index) reports no failure but did not match \(request.path)")
                    }
                }
            }
        }
        print(
            """
            route table property: \(counts.tables) tables, \(counts.rules) rules (\(counts.invalidRules) invalid patterns), \
            \(counts.requests) requests: \(counts.matched) matched (\(counts.matchedBeyondRoot) by rules below the trie root), \
            \(counts.unmatched) unmatched, \(counts.mismatches) mismatches
            """)
        #expect(counts.mismatches == 0)
        // The generator must actually exercise both outcomes and the trie below its root.
        #expect(counts.matched > counts.requests / 4)
        #expect(counts.unmatched > counts.requests / 20)
        #expect(counts.matchedBeyondRoot > counts.matched / 4)
    }

    // MARK: Generators

    /// A random rule: mostly valid patterns over a small alphabet, some invalid ones, and
    /// now and then methods, a host, headers or geo.
    static func rule(_ random: inout SeededRandom) -> Spec {
        var spec = Spec(pattern(&random))
        if random.chance(25) {
            spec.methods = Array(methods.shuffled(using: &random).prefix(Int.random(in: 1...2, using: &random)))
        }
        if random.chance(15) {
            spec.host = random.pick(["a.example.com", "*.example.com", "example.com", "*.a.example.com"])
        }
        if random.chance(12) {
            let value: MatchingSupport.HeaderValue = random.pick([.equals("1"), .equals("2"), .present, .absent])
            spec.headers = [.init(name: random.pick(["x-a", "X-A", "x-b"]), value: value)]
        }
        if random.chance(8) { spec.continents = random.pick([["EU"], ["eu", "NA"]]) }
        if random.chance(5) { spec.countries = random.pick([["GB"], ["FR", "DE"]]) }
        if random.chance(3) { spec.colos = [random.pick(["LHR", "CDG"])] }
        return spec
    }

    static func pattern(_ random: inout SeededRandom) -> String {
        if random.chance(4) {
            return random.pick(["/a*b", "/:", "/a:b", "/:x/:x", "/**", "/a/*b/c", "/:1", "a/b", "", "/a:b*", "/:x*"])
        }
        var text = ""
        var names = 0
        let count = Int.random(in: 0...4, using: &random)
        for position in 0..<count {
            text += "/"
            let isLast = position == count - 1
            // Leading literals are likelier, as in real tables, so most rules sit below
            // the trie's root and the prefix walk is what the test exercises.
            let roll = Int.random(in: 0..<100, using: &random)
            switch position == 0 && roll < 85 ? 0 : roll {
            case 0..<62: text += random.pick(segments)
            case 62..<76:
                text += ":p\(names)"
                names += 1
            case 76..<86: text += "*"
            case 86..<93: text += isLast ? random.pick(segments) + "*" : random.pick(segments)
            default: text += isLast ? "" : random.pick(segments)
            }
        }
        if count == 0 { return random.pick(["/", "/*"]) }
        return text
    }

    /// A request: half the time a path built to fit one of the rules, otherwise random.
    static func request(_ random: inout SeededRandom, near specs: [Spec]) throws -> RouteRequest {
        var path: String
        if random.chance(55), let written = random.pick(specs).path, written.hasPrefix("/") {
            path = instantiate(written, &random)
        } else {
            path = ""
            for _ in 0..<Int.random(in: 0...5, using: &random) {
                path += "/" + (random.chance(8) ? "" : random.pick(segments + ["x", "abc"]))
            }
            if path.isEmpty { path = "/" }
        }
        var headers: [(String, String)] = []
        if random.chance(30) { headers.append((random.pick(["x-a", "X-A"]), random.pick(["1", "2"]))) }
        if random.chance(20) { headers.append(("x-b", "1")) }
        let cf = GeoContext(
            colo: random.chance(50) ? random.pick(["LHR", "CDG", "SFO"]) : nil,
            country: random.chance(50) ? random.pick(["GB", "FR", "US"]) : nil,
            continent: random.chance(60) ? random.pick(["EU", "NA"]) : nil)
        return try MatchingSupport.request(
            random.pick(methods), "https://" + random.pick(hosts) + path, headers: headers, cf: cf)
    }

    /// A path the written pattern probably accepts (or nearly does): parameters and `*`
    /// become segments, a trailing `*` some suffix, with occasional perturbations.
    static func instantiate(_ pattern: String, _ random: inout SeededRandom) -> String {
        var parts: [String] = []
        for segment in pattern.dropFirst().split(separator: "/", omittingEmptySubsequences: false) {
            if segment.hasPrefix(":") || segment == "*" {
                parts.append(random.chance(5) ? "" : random.pick(segments + ["42"]))
            } else {
                parts.append(String(segment))
            }
        }
        var path = "/" + parts.joined(separator: "/")
        if path.hasSuffix("*") {
            path.removeLast()
            path += random.pick(["", "x", "/", "/a", "b/c", "s/a/b"])
        }
        if random.chance(10) { path += random.pick(["/", "x", "/a"]) }
        return path
    }
}
