import MeshRouter
import MeshSyntax
import Testing

@Suite("Path patterns (the pattern table of docs/guide/routing.md)")
struct PathPatternTests {
    /// One row of docs/guide/routing.md's pattern table: a pattern, paths it must match and paths it
    /// must not.
    struct PatternCase: Sendable, CustomTestStringConvertible {
        var form: String
        var pattern: String
        var matching: [String]
        var notMatching: [String]
        var testDescription: String { "\(form): \(pattern)" }
    }

    /// An invalid pattern, the offending byte offset and a word the message must contain.
    struct InvalidPatternCase: Sendable, CustomTestStringConvertible {
        var pattern: String
        var offset: Int
        var why: String
        var testDescription: String { "\(pattern) -> \(why)" }
    }

    static let rows: [PatternCase] = [
        PatternCase(
            form: "literal segment", pattern: "/api/users",
            matching: ["/api/users"],
            notMatching: [
                "/api/users/", "/api/user", "/api/usersx", "/api/Users", "/API/users", "/api/users/1", "/api", "/",
            ]),
        PatternCase(form: "root", pattern: "/", matching: ["/"], notMatching: ["//", "/a"]),
        PatternCase(
            form: "literal with trailing slash", pattern: "/api/", matching: ["/api/"],
            notMatching: ["/api", "/api/x", "/api//"]),
        PatternCase(
            form: "empty literal segment", pattern: "/a//b", matching: ["/a//b"], notMatching: ["/a/b", "/a///b"]),
        PatternCase(
            form: ":name", pattern: "/users/:id",
            matching: ["/users/42", "/users/a-b", "/users/%2F"],
            notMatching: ["/users/", "/users", "/users/42/", "/users/42/orders", "/users//"]),
        PatternCase(
            form: ":name mid-pattern", pattern: "/users/:id/orders",
            matching: ["/users/7/orders"],
            notMatching: ["/users//orders", "/users/7/orders/", "/users/7/8/orders", "/users/orders"]),
        PatternCase(
            form: "two params", pattern: "/:tenant/:resource",
            matching: ["/acme/users", "/x/y"],
            notMatching: ["/acme", "/acme/", "//users", "/a/b/c"]),
        PatternCase(
            form: "* as a whole segment not at the end", pattern: "/a/*/c",
            matching: ["/a/b/c", "/a/anything-here/c"],
            notMatching: ["/a//c", "/a/b/x/c", "/a/c", "/a/b/c/"]),
        PatternCase(
            form: "* segment then trailing *", pattern: "/a/*/*",
            matching: ["/a/b/", "/a/b/c", "/a/b/c/d"],
            notMatching: ["/a/b", "/a//", "/a/"]),
        PatternCase(
            form: "trailing * after /", pattern: "/api/users/*",
            matching: ["/api/users/", "/api/users/42", "/api/users/42/orders", "/api/users//x"],
            notMatching: ["/api/users", "/api/usersx", "/api/user/", "/api"]),
        PatternCase(
            form: "trailing * mid-segment", pattern: "/api/user*",
            matching: ["/api/users", "/api/user-x/y", "/api/user", "/api/user/"],
            notMatching: ["/api/use", "/api/", "/api/User", "/api"]),
        PatternCase(
            form: "trailing * alone", pattern: "/*",
            matching: ["/", "/a", "/a/b/c", "//"],
            notMatching: []),
        PatternCase(
            form: "param then trailing *", pattern: "/v/:version/*",
            matching: ["/v/1/", "/v/1/a/b"],
            notMatching: ["/v/1", "/v//x", "/v/"]),
        PatternCase(
            form: "percent-encoding is literal", pattern: "/a%2Fb",
            matching: ["/a%2Fb"], notMatching: ["/a/b", "/a%2fb"]),
        PatternCase(
            form: "raw non-ASCII literal is encoded like paths", pattern: "/caf\u{E9}/*",
            matching: ["/caf%C3%A9/", "/caf%C3%A9/menu"], notMatching: ["/caf\u{E9}/x", "/cafe/x"]),
        PatternCase(
            form: "raw space literal is encoded like paths", pattern: "/my docs",
            matching: ["/my%20docs"], notMatching: ["/my docs", "/my+docs"]),
    ]

    @Test(arguments: rows)
    func patternRow(_ row: PatternCase) throws {
        let pattern = try PathPattern.parse(row.pattern).get()
        for path in row.matching {
            #expect(pattern.matches(path), "\(row.pattern) should match \(path)")
        }
        for path in row.notMatching {
            #expect(!pattern.matches(path), "\(row.pattern) should not match \(path)")
        }
    }

    @Test(arguments: rows)
    func patternRowThroughTheRouter(_ row: PatternCase) throws {
        // The same rows through a one-rule table, so the trie's prefix walk agrees.
        let table = RouteTable(rules: MatchingSupport.rules([.init(row.pattern)]))
        for path in row.matching {
            let request = try MatchingSupport.request("GET", "https://example.com" + path)
            #expect(table.firstMatch(request) == 0, "\(row.pattern) should route \(path) (normalized \(request.path))")
        }
        for path in row.notMatching where !path.contains("\u{E9}") && !path.contains(" ") {
            let request = try MatchingSupport.request("GET", "https://example.com" + path)
            guard request.path == path else { continue }
            #expect(table.firstMatch(request) == nil, "\(row.pattern) should not route \(path)")
        }
    }

    @Test func capturesNamedParameters() throws {
        let pattern = try PathPattern.parse("/users/:id/orders/:order_2/*").get()
        #expect(pattern.parameterNames == ["id", "order_2"])
        #expect(pattern.captures("/users/42/orders/abc/x/y") == ["id": "42", "order_2": "abc"])
        #expect(pattern.captures("/users/42/orders/") == nil)
        #expect(try PathPattern.parse("/a/*/b").get().captures("/a/z/b") == [:])
    }

    @Test func literalPrefixSegments() throws {
        let expected: [(String, [String])] = [
            ("/api/users/:id", ["api", "users"]),
            ("/api/users/*", ["api", "users"]),
            ("/api/user*", ["api"]),
            ("/api/users", ["api", "users"]),
            ("/api/users/", ["api", "users"]),
            ("/", []),
            ("/*", []),
            ("/:tenant/api", []),
            ("/a/*/c", ["a"]),
            ("/a//b", ["a", "", "b"]),
            ("/my docs/x", ["my%20docs", "x"]),
        ]
        for (text, segments) in expected {
            #expect(try PathPattern.parse(text).get().literalPrefixSegments == segments, "\(text)")
        }
    }

    static let invalid: [InvalidPatternCase] = [
        InvalidPatternCase(pattern: "", offset: 0, why: "empty"),
        InvalidPatternCase(pattern: "api/users", offset: 0, why: "must start with '/'"),
        InvalidPatternCase(pattern: "*", offset: 0, why: "must start with '/'"),
        InvalidPatternCase(pattern: "/a*b", offset: 2, why: "'*' may appear only"),
        InvalidPatternCase(pattern: "/a/*b", offset: 3, why: "'*' may appear only"),
        InvalidPatternCase(pattern: "/a/b*/c", offset: 4, why: "'*' may appear only"),
        InvalidPatternCase(pattern: "/**", offset: 1, why: "'*' may appear only"),
        InvalidPatternCase(pattern: "/*x/y", offset: 1, why: "'*' may appear only"),
        InvalidPatternCase(pattern: "/a/b:c", offset: 4, why: "':' may appear only at the start"),
        InvalidPatternCase(pattern: "/a:b*", offset: 2, why: "':' may appear only at the start"),
        InvalidPatternCase(pattern: "/:", offset: 1, why: "must be followed by a parameter name"),
        InvalidPatternCase(pattern: "/:1id", offset: 1, why: "invalid parameter name '1id'"),
        InvalidPatternCase(pattern: "/:id-x", offset: 1, why: "invalid parameter name 'id-x'"),
        InvalidPatternCase(pattern: "/:id*", offset: 1, why: "invalid parameter name 'id*'"),
        InvalidPatternCase(pattern: "/:id/:id", offset: 5, why: "appears twice"),
        InvalidPatternCase(pattern: "/a?x=1", offset: 2, why: "'?' cannot appear"),
        InvalidPatternCase(pattern: "/a#top", offset: 2, why: "'#' cannot appear"),
    ]

    @Test(arguments: invalid)
    func invalidPattern(_ row: InvalidPatternCase) {
        switch PathPattern.parse(row.pattern) {
        case .success(let pattern):
            Issue.record("\(row.pattern) parsed as \(pattern.items)")
        case .failure(let error):
            #expect(error.offset == row.offset, "\(error.message)")
            #expect(error.message.contains(row.why), "\(error.message)")
        }
    }

    @Test(arguments: invalid)
    func invalidPatternNeverMatches(_ row: InvalidPatternCase) throws {
        let rule = try MatchingSupport.compiled(.init(row.pattern))
        #expect(rule.pattern == nil)
        #expect(rule.patternError?.offset == row.offset)
        #expect(rule.patternError?.message.contains(row.why) == true, "\(rule.patternError?.message ?? "no error")")
        let request = try MatchingSupport.request("GET", "https://example.com/a*b")
        #expect(!rule.matches(request))
        #expect(rule.failure(for: request)?.hasPrefix("path pattern \(row.pattern) is invalid: ") == true)
        #expect(RouteTable(rules: [rule.rule]).firstMatch(request) == nil)
    }
}
