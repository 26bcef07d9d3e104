import MeshRouter
import Testing

@Suite("Request normalization (WHATWG pathname)")
struct NormalizationTests {
    /// A URL and the pathname `new URL(url).pathname` gives in Workers.
    struct NormalizationCase: Sendable, CustomTestStringConvertible {
        var url: String
        var path: String
        var query: String?
        var testDescription: String { "\(url) -> \(path)" }
    }

    /// A request that must be refused, and a phrase the error must contain.
    struct BadRequestCase: Sendable, CustomTestStringConvertible {
        var method: String
        var url: String
        var why: String
        var testDescription: String { "\(method) \(url.prefix(40)) -> \(why)" }
    }

    static let cases: [NormalizationCase] = [
        NormalizationCase(url: "https://h/a/./b", path: "/a/b"),
        NormalizationCase(url: "https://h/a/../b", path: "/b"),
        NormalizationCase(url: "https://h/a/b/../../c", path: "/c"),
        NormalizationCase(url: "https://h/../../a", path: "/a"),
        NormalizationCase(url: "https://h/a/..", path: "/"),
        NormalizationCase(url: "https://h/a/.", path: "/a/"),
        NormalizationCase(url: "https://h/a/b/..", path: "/a/"),
        NormalizationCase(url: "https://h/.", path: "/"),
        NormalizationCase(url: "https://h//", path: "//"),
        NormalizationCase(url: "https://h/a//b", path: "/a//b"),
        NormalizationCase(url: "https://h/a/%2F/b", path: "/a/%2F/b"),
        NormalizationCase(url: "https://h/a%2fb", path: "/a%2fb"),
        NormalizationCase(url: "https://h/a/%2e%2e/b", path: "/b"),
        NormalizationCase(url: "https://h/a/%2E%2E/b", path: "/b"),
        NormalizationCase(url: "https://h/a/.%2e/b", path: "/b"),
        NormalizationCase(url: "https://h/a/%2e./b", path: "/b"),
        NormalizationCase(url: "https://h/a/%2e/b", path: "/a/b"),
        NormalizationCase(url: "https://h/a/...", path: "/a/..."),
        NormalizationCase(url: "https://h/a/%2e%2e%2e", path: "/a/%2e%2e%2e"),
        NormalizationCase(url: "https://h/a\\b\\..\\c", path: "/a/c"),
        NormalizationCase(url: "https://h\\a\\b", path: "/a/b"),
        NormalizationCase(url: "https://h", path: "/"),
        NormalizationCase(url: "https://h?x=1", path: "/", query: "x=1"),
        NormalizationCase(url: "https://h/a?b=/c/../d", path: "/a", query: "b=/c/../d"),
        NormalizationCase(url: "https://h/a?", path: "/a", query: ""),
        NormalizationCase(url: "https://h/a#frag?x", path: "/a"),
        NormalizationCase(url: "https://h/a b", path: "/a%20b"),
        NormalizationCase(url: "https://h/caf\u{E9}", path: "/caf%C3%A9"),
        NormalizationCase(url: "https://h/\u{65E5}\u{672C}", path: "/%E6%97%A5%E6%9C%AC"),
        NormalizationCase(url: "https://h/a\"<>`{}^|", path: "/a%22%3C%3E%60%7B%7D%5E|"),
        NormalizationCase(url: "https://h/%41%zz%", path: "/%41%zz%"),
        NormalizationCase(url: "https://h/a\tb\nc", path: "/abc"),
        NormalizationCase(url: "  https://h/a  ", path: "/a"),
        NormalizationCase(url: "HTTPS://H/A", path: "/A"),
        NormalizationCase(url: "https:h/a", path: "/a"),
        NormalizationCase(url: "https:///h/a", path: "/a"),
    ]

    @Test(arguments: cases)
    func pathname(_ row: NormalizationCase) throws {
        let request = try MatchingSupport.request("GET", row.url)
        #expect(request.path == row.path)
        #expect(request.query == row.query)
    }

    @Test func hostPortAndSchemeAreNormalized() throws {
        let request = try MatchingSupport.request("get", "HTTPS://user:pw@API.Example.COM:443/x")
        #expect(request.method == "GET")
        #expect(request.scheme == "https")
        #expect(request.host == "api.example.com")
        #expect(request.port == nil)
        #expect(try MatchingSupport.request("GET", "http://h:8080/").port == 8080)
    }

    @Test func queryStringsNeverTakePartInMatching() throws {
        let table = RouteTable(rules: MatchingSupport.rules([.init("/search"), .init("/search/*")]))
        #expect(table.firstMatch(try MatchingSupport.request("GET", "https://h/search?q=/search/x")) == 0)
        #expect(table.firstMatch(try MatchingSupport.request("GET", "https://h/search/?q=1")) == 1)
    }

    @Test func normalizedPathsMatchTheirPatterns() throws {
        // Dot segments resolve before matching: /api/x/../users reaches /api/users.
        let table = RouteTable(
            rules: MatchingSupport.rules([.init("/api/users"), .init("/api/%2e%2e/*"), .init("/*")]))
        #expect(table.firstMatch(try MatchingSupport.request("GET", "https://h/api/x/../users")) == 0)
        #expect(table.firstMatch(try MatchingSupport.request("GET", "https://h/api/%2e%2e/users")) == 2)
        #expect(table.firstMatch(try MatchingSupport.request("GET", "https://h/api/./users/")) == 2)
    }

    static let bad: [BadRequestCase] = [
        BadRequestCase(method: "GET", url: "example.com/a", why: "no scheme"),
        BadRequestCase(method: "GET", url: "/api/users", why: "no scheme"),
        BadRequestCase(method: "GET", url: "", why: "no scheme"),
        BadRequestCase(method: "GET", url: "ftp://example.com/a", why: "unsupported scheme 'ftp'"),
        BadRequestCase(method: "GET", url: "https://", why: "no host"),
        BadRequestCase(method: "GET", url: "https:///", why: "no host"),
        BadRequestCase(method: "GET", url: "https://exa mple.com/", why: "invalid host"),
        BadRequestCase(method: "GET", url: "https://h:99999/", why: "invalid port"),
        BadRequestCase(method: "GET", url: "https://h:80a/", why: "invalid port"),
        BadRequestCase(method: "GE T", url: "https://h/", why: "invalid HTTP method"),
        BadRequestCase(method: "", url: "https://h/", why: "invalid HTTP method"),
        BadRequestCase(
            method: "GET", url: "https://h/" + String(repeating: "a", count: RouteRequest.maximumURLLength),
            why: "at most"),
    ]

    @Test(arguments: bad)
    func badRequestsAreRefusedClearly(_ row: BadRequestCase) {
        switch RouteRequest.make(method: row.method, url: row.url) {
        case .success(let request):
            Issue.record("accepted as \(request.host) \(request.path)")
        case .failure(let error):
            #expect(error.message.contains(row.why), "\(error.message)")
        }
    }

    @Test func invalidHeaderNameIsRefused() {
        guard case .failure(let error) = RouteRequest.make(url: "https://h/", headers: [("x y", "1")]) else {
            Issue.record("accepted a header name with a space")
            return
        }
        #expect(error.message.contains("invalid header name"))
    }

    @Test func nonASCIIPathRoutesEncoded() throws {
        let table = RouteTable(rules: MatchingSupport.rules([.init("/caf%C3%A9/*"), .init("/*")]))
        let request = try MatchingSupport.request("GET", "https://h/caf\u{E9}/\u{1F600}")
        #expect(request.path == "/caf%C3%A9/%F0%9F%98%80")
        #expect(table.firstMatch(request) == 0)
    }

    @Test func hundredKilobytePathGetsAnAnswer() throws {
        let segment = String(repeating: "x", count: 99) + "/"
        let long = "/api/" + String(repeating: segment, count: 1_000) + "end"
        let request = try MatchingSupport.request("GET", "https://h" + long)
        #expect(request.path.utf8.count > 100_000)
        let table = RouteTable(
            rules: MatchingSupport.rules([.init("/api/:id"), .init("/api/*/end"), .init("/api/*"), .init("/*")]))
        #expect(table.firstMatch(request) == 2)
        let reason = try #require(table.compiled[0].failure(for: request))
        #expect(reason.utf8.count < 300, "the path is clipped in messages")
        #expect(reason.contains("does not match /api/:id"))
    }
}
