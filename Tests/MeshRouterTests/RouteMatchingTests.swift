import MeshConfig
import MeshRouter
import MeshSyntax
import Testing

@Suite("Rule matchers and first-match tables")
struct RouteMatchingTests {
    /// One matcher case: a rule, a request, and the expected failure phrase (nil = matches).
    struct MatcherCase: Sendable, CustomTestStringConvertible {
        var label: String
        var rule: MatchingSupport.RuleSpec
        var method = "GET"
        var url: String
        var headers: [Pair] = []
        var cf = GeoContext()
        var failure: String?

        struct Pair: Sendable, Hashable {
            var name: String
            var value: String
        }

        var testDescription: String { label }
    }

    typealias Spec = MatchingSupport.RuleSpec
    typealias Header = MatchingSupport.RuleSpec.Header

    static let matcherCases: [MatcherCase] = [
        // Path.
        MatcherCase(label: "path matches", rule: Spec("/api/users/*"), url: "https://h/api/users/1"),
        MatcherCase(
            label: "path fails", rule: Spec("/api/users/*"), url: "https://h/api/orders/1",
            failure: "path /api/orders/1 does not match /api/users/*"),
        MatcherCase(label: "missing path", rule: Spec(nil), url: "https://h/", failure: "the rule has no path"),
        // Methods.
        MatcherCase(
            label: "method in list", rule: Spec("/*", methods: ["GET", "HEAD"]), method: "HEAD", url: "https://h/"),
        MatcherCase(
            label: "method not in list", rule: Spec("/*", methods: ["GET"]), method: "POST", url: "https://h/",
            failure: "method POST not in [GET]"),
        MatcherCase(
            label: "request method is upper-cased", rule: Spec("/*", methods: ["DELETE"]), method: "delete",
            url: "https://h/"),
        MatcherCase(
            label: "lower-case method in config", rule: Spec("/*", methods: ["put", "GET"]), method: "PUT",
            url: "https://h/"),
        MatcherCase(
            label: "empty method list matches nothing", rule: Spec("/*", methods: []), url: "https://h/",
            failure: "method GET not in []"),
        MatcherCase(
            label: "methods listed in written order", rule: Spec("/*", methods: ["PUT", "GET", "DELETE"]),
            method: "POST",
            url: "https://h/", failure: "method POST not in [PUT, GET, DELETE]"),
        MatcherCase(
            label: "method outside the common set", rule: Spec("/*", methods: ["PURGE"]), method: "PURGE",
            url: "https://h/"),
        MatcherCase(
            label: "other uncommon method", rule: Spec("/*", methods: ["PURGE"]), method: "PROPFIND", url: "https://h/",
            failure: "method PROPFIND not in [PURGE]"),
        MatcherCase(
            label: "uncommon method, common list", rule: Spec("/*", methods: ["GET"]), method: "PURGE",
            url: "https://h/",
            failure: "method PURGE not in [GET]"),
        MatcherCase(label: "uncommon method, any method", rule: Spec("/*"), method: "PURGE", url: "https://h/"),
        // Host.
        MatcherCase(label: "exact host", rule: Spec("/*", host: "api.example.com"), url: "https://api.example.com/"),
        MatcherCase(
            label: "exact host, any case", rule: Spec("/*", host: "API.Example.com"),
            url: "https://api.EXAMPLE.com:8443/"),
        MatcherCase(
            label: "exact host differs", rule: Spec("/*", host: "api.example.com"), url: "https://www.example.com/",
            failure: "host www.example.com is not api.example.com"),
        MatcherCase(
            label: "exact host is not a suffix match", rule: Spec("/*", host: "example.com"),
            url: "https://api.example.com/",
            failure: "host api.example.com is not example.com"),
        MatcherCase(
            label: "wildcard, one level", rule: Spec("/*", host: "*.example.com"), url: "https://a.example.com/"),
        MatcherCase(
            label: "wildcard, any depth", rule: Spec("/*", host: "*.example.com"), url: "https://a.b.c.example.com/"),
        MatcherCase(
            label: "wildcard, any case", rule: Spec("/*", host: "*.Example.COM"), url: "https://A.example.com/"),
        MatcherCase(
            label: "wildcard excludes the apex", rule: Spec("/*", host: "*.example.com"), url: "https://example.com/",
            failure: "host example.com is not *.example.com"),
        MatcherCase(
            label: "wildcard needs a dot boundary", rule: Spec("/*", host: "*.example.com"),
            url: "https://badexample.com/",
            failure: "host badexample.com is not *.example.com"),
        MatcherCase(
            label: "wildcard elsewhere", rule: Spec("/*", host: "*.internal.example.com"),
            url: "https://api.example.com/",
            failure: "host api.example.com is not *.internal.example.com"),
        // Headers.
        MatcherCase(
            label: "header equals", rule: Spec("/*", headers: [Header(name: "X-Env", value: .equals("canary"))]),
            url: "https://h/", headers: [.init(name: "x-env", value: "canary")]),
        MatcherCase(
            label: "header name any case", rule: Spec("/*", headers: [Header(name: "x-env", value: .equals("canary"))]),
            url: "https://h/", headers: [.init(name: "X-ENV", value: "canary")]),
        MatcherCase(
            label: "header value is case-sensitive",
            rule: Spec("/*", headers: [Header(name: "x-env", value: .equals("canary"))]),
            url: "https://h/", headers: [.init(name: "x-env", value: "Canary")],
            failure: "header x-env is 'Canary', not 'canary'"),
        MatcherCase(
            label: "header equals but absent",
            rule: Spec("/*", headers: [Header(name: "x-env", value: .equals("canary"))]),
            url: "https://h/", failure: "header x-env is absent (expected 'canary')"),
        MatcherCase(
            label: "header present", rule: Spec("/*", headers: [Header(name: "x-preview", value: .present)]),
            url: "https://h/", headers: [.init(name: "X-Preview", value: "")]),
        MatcherCase(
            label: "header must be present", rule: Spec("/*", headers: [Header(name: "x-preview", value: .present)]),
            url: "https://h/", failure: "header x-preview is absent"),
        MatcherCase(
            label: "header absent", rule: Spec("/*", headers: [Header(name: "x-debug", value: .absent)]),
            url: "https://h/"),
        MatcherCase(
            label: "header must be absent", rule: Spec("/*", headers: [Header(name: "x-debug", value: .absent)]),
            url: "https://h/", headers: [.init(name: "x-debug", value: "1")], failure: "header x-debug is present"),
        MatcherCase(
            label: "repeated headers combine", rule: Spec("/*", headers: [Header(name: "x-a", value: .equals("1, 2"))]),
            url: "https://h/", headers: [.init(name: "x-a", value: "1"), .init(name: "X-A", value: "2")]),
        MatcherCase(
            label: "first failing header is reported",
            rule: Spec("/*", headers: [Header(name: "a", value: .present), Header(name: "b", value: .present)]),
            url: "https://h/", headers: [.init(name: "a", value: "1")], failure: "header b is absent"),
        // Geo.
        MatcherCase(
            label: "continent", rule: Spec("/*", continents: ["EU"]), url: "https://h/", cf: GeoContext(continent: "EU")
        ),
        MatcherCase(
            label: "continent differs", rule: Spec("/*", continents: ["EU"]), url: "https://h/",
            cf: GeoContext(continent: "NA"),
            failure: "continent NA not in [EU]"),
        MatcherCase(
            label: "continent unknown", rule: Spec("/*", continents: ["EU"]), url: "https://h/",
            failure: "continent is unknown, rule requires [EU]"),
        MatcherCase(
            label: "country", rule: Spec("/*", countries: ["DE", "FR"]), url: "https://h/",
            cf: GeoContext(country: "fr")),
        MatcherCase(
            label: "country differs", rule: Spec("/*", countries: ["DE", "FR"]), url: "https://h/",
            cf: GeoContext(country: "US"), failure: "country US not in [DE, FR]"),
        MatcherCase(
            label: "country unknown", rule: Spec("/*", countries: ["DE"]), url: "https://h/",
            cf: GeoContext(continent: "EU"),
            failure: "country is unknown, rule requires [DE]"),
        MatcherCase(label: "colo", rule: Spec("/*", colos: ["lhr"]), url: "https://h/", cf: GeoContext(colo: "LHR")),
        MatcherCase(
            label: "colo differs", rule: Spec("/*", colos: ["LHR"]), url: "https://h/", cf: GeoContext(colo: "CDG"),
            failure: "colo CDG not in [LHR]"),
        MatcherCase(
            label: "colo unknown", rule: Spec("/*", colos: ["LHR"]), url: "https://h/",
            failure: "colo is unknown, rule requires [LHR]"),
        MatcherCase(
            label: "all geo lists", rule: Spec("/*", continents: ["EU"], countries: ["GB"], colos: ["LHR"]),
            url: "https://h/",
            cf: GeoContext(colo: "LHR", country: "GB", continent: "EU")),
        MatcherCase(
            label: "geo lists checked in order",
            rule: Spec("/*", continents: ["EU"], countries: ["GB"], colos: ["LHR"]),
            url: "https://h/", cf: GeoContext(colo: "CDG", country: "FR", continent: "EU"),
            failure: "country FR not in [GB]"),
        MatcherCase(
            label: "unconstrained fields may be unknown", rule: Spec("/*", countries: ["GB"]), url: "https://h/",
            cf: GeoContext(country: "GB")),
        MatcherCase(
            label: "empty geo list matches nothing", rule: Spec("/*", continents: []), url: "https://h/",
            cf: GeoContext(continent: "EU"), failure: "continent EU not in []"),
        // The first failing matcher, in the order path, methods, host, headers, geo.
        MatcherCase(
            label: "path before methods",
            rule: Spec(
                "/a", methods: ["GET"], host: "x.com", headers: [Header(name: "h", value: .present)], continents: ["EU"]
            ),
            method: "POST", url: "https://y.com/b", failure: "path /b does not match /a"),
        MatcherCase(
            label: "methods before host",
            rule: Spec(
                "/b", methods: ["GET"], host: "x.com", headers: [Header(name: "h", value: .present)], continents: ["EU"]
            ),
            method: "POST", url: "https://y.com/b", failure: "method POST not in [GET]"),
        MatcherCase(
            label: "host before headers",
            rule: Spec(
                "/b", methods: ["POST"], host: "x.com", headers: [Header(name: "h", value: .present)],
                continents: ["EU"]),
            method: "POST", url: "https://y.com/b", failure: "host y.com is not x.com"),
        MatcherCase(
            label: "headers before geo",
            rule: Spec(
                "/b", methods: ["POST"], host: "y.com", headers: [Header(name: "h", value: .present)],
                continents: ["EU"]),
            method: "POST", url: "https://y.com/b", failure: "header h is absent"),
        MatcherCase(
            label: "geo last",
            rule: Spec(
                "/b", methods: ["POST"], host: "y.com", headers: [Header(name: "h", value: .present)],
                continents: ["EU"]),
            method: "POST", url: "https://y.com/b", headers: [.init(name: "h", value: "")],
            failure: "continent is unknown, rule requires [EU]"),
    ]

    @Test(arguments: matcherCases)
    func matcher(_ row: MatcherCase) throws {
        let rule = try MatchingSupport.compiled(row.rule)
        let request = try MatchingSupport.request(
            row.method, row.url, headers: row.headers.map { ($0.name, $0.value) }, cf: row.cf)
        #expect(rule.failure(for: request) == row.failure)
        #expect(rule.matches(request) == (row.failure == nil))
        let table = RouteTable(rules: [rule.rule])
        #expect(table.firstMatch(request) == (row.failure == nil ? 0 : nil))
    }

    @Test func compiledRuleExposesItsMatchers() throws {
        let rule = try MatchingSupport.compiled(
            Spec(
                "/api/:id", methods: ["get", "POST"], host: "*.Example.com",
                headers: [Header(name: "X-A", value: .absent)], countries: ["gb"]))
        #expect(rule.index == 0)
        #expect(rule.pattern?.source == "/api/:id")
        #expect(rule.patternError == nil)
        #expect(rule.methods == ["GET", "POST"])
        #expect(rule.host?.pattern == "*.example.com")
        #expect(rule.host?.isWildcard == true)
        #expect(rule.headers == [HeaderRequirement(name: "x-a", condition: .absent)])
        #expect(rule.geo?.countries == ["GB"])
        #expect(rule.geo?.continents == nil)
    }

    @Test func firstMatchFollowsDocumentOrder() throws {
        let table = RouteTable(
            rules: MatchingSupport.rules([
                Spec("/api/*", methods: ["POST"]), // 0: general, but only POST
                Spec("/api/users/:id"), // 1: specific
                Spec("/api/users/*"), // 2: shadowed for single segments by 1
                Spec("/:tenant/users/admin"), // 3: sits at the root of the trie
                Spec("/api/user*", host: "*.example.com"), // 4
                Spec("/*"), // 5: catch-all
            ]))
        let expectations: [(String, String, Int?)] = [
            ("POST", "https://h/api/users/1", 0),
            ("GET", "https://h/api/users/1", 1),
            ("GET", "https://h/api/users/1/orders", 2),
            ("GET", "https://h/api/users/admin", 1),
            ("GET", "https://h/acme/users/admin", 3),
            ("GET", "https://a.example.com/api/users", 4),
            ("GET", "https://example.com/api/users", 5),
            ("GET", "https://h/", 5),
        ]
        for (method, url, expected) in expectations {
            #expect(table.firstMatch(try MatchingSupport.request(method, url)) == expected, "\(method) \(url)")
        }
    }

    @Test func earlierRootRuleBeatsDeeperTrieRule() throws {
        // The root rule comes first in document order, so it must win even though the
        // walk could go deeper; a later root rule must lose to an earlier deep one.
        let table = RouteTable(
            rules: MatchingSupport.rules([Spec("/:a/b/c"), Spec("/x/b/c"), Spec("/x/*"), Spec("/:a/*")]))
        #expect(table.firstMatch(try MatchingSupport.request("GET", "https://h/x/b/c")) == 0)
        #expect(table.firstMatch(try MatchingSupport.request("GET", "https://h/x/b/d")) == 2)
        #expect(table.firstMatch(try MatchingSupport.request("GET", "https://h/y/b/d")) == 3)
        #expect(table.firstMatch(try MatchingSupport.request("GET", "https://h/y")) == nil)
    }

    @Test func emptyTableAndConfigInit() throws {
        #expect(RouteTable(rules: []).firstMatch(try MatchingSupport.request("GET", "https://h/")) == nil)
        #expect(RouteTable(rules: []).nodeCount == 1)
        let config = MatchingSupport.config([Spec("/a"), Spec("/b")])
        let table = RouteTable(config: config)
        #expect(table.compiled.map(\.index) == [0, 1])
        #expect(table.firstMatch(try MatchingSupport.request("GET", "https://h/b")) == 1)
    }

    @Test func literalPrefixesShareTrieNodes() {
        let table = RouteTable(
            rules: MatchingSupport.rules([Spec("/api/v1/a/*"), Spec("/api/v1/b/*"), Spec("/api/v2/*"), Spec("/*")]))
        // root, api, v1, a, b, v2
        #expect(table.nodeCount == 6)
    }

    @Test func hundredThousandRules() throws {
        var specs: [Spec] = []
        for index in 0..<100_000 {
            switch index % 4 {
            case 0: specs.append(Spec("/api/v1/svc-\(index)/*", methods: ["GET"]))
            case 1: specs.append(Spec("/api/v1/svc-\(index)/:id"))
            case 2: specs.append(Spec("/static/\(index)/*", host: "*.example.com"))
            default: specs.append(Spec("/api/v1/svc-\(index)/items/*"))
            }
        }
        specs.append(Spec("/*"))
        let rules = MatchingSupport.rules(specs)
        #expect(rules.count == 100_001)
        let table = RouteTable(rules: rules)
        #expect(table.compiled.count == 100_001)
        let probes: [(String, String, Int?)] = [
            ("GET", "https://h/api/v1/svc-99996/x", 99_996),
            ("POST", "https://h/api/v1/svc-99996/x", 100_000),
            ("GET", "https://h/api/v1/svc-99997/x", 99_997),
            ("GET", "https://h/api/v1/svc-99999/items/1", 99_999),
            ("GET", "https://cdn.example.com/static/99998/app.js", 99_998),
            ("GET", "https://example.com/static/99998/app.js", 100_000),
            ("GET", "https://h/nothing/here", 100_000),
        ]
        for (method, url, expected) in probes {
            let request = try MatchingSupport.request(method, url)
            #expect(table.firstMatch(request) == expected, "\(method) \(url)")
        }
    }
}
