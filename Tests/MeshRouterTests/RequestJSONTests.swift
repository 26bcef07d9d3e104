import MeshRouter
import MeshSyntax
import Testing

/// `RequestJSON`, the request form of `diddy-mesh route --requests` and of the edge router:
/// what it accepts, what it makes of it, and the sentence it answers for what it refuses.
@Suite("RequestJSON")
struct RequestJSONTests {
    private func parse(_ text: String) -> Result<RouteRequest, RequestError> {
        RequestJSON.parse(Array(text.utf8))
    }

    @Test("a full request: method, normalized URL, headers and cf as RouteRequest.make builds them")
    func fullRequest() throws {
        let request = try parse(
            """
            {"method": "post", "url": "https://API.Shop.Example:443/api/./users/42?x=1",
             "headers": {"Cookie": "session=abc", "X-Preview": " 1 "},
             "cf": {"colo": "fra", "country": "de", "continent": "eu", "latitude": 50.11, "longitude": "8.68"}}
            """
        ).get()
        let expected = try RouteRequest.make(
            method: "POST", url: "https://API.Shop.Example:443/api/./users/42?x=1",
            headers: [("Cookie", "session=abc"), ("X-Preview", " 1 ")],
            cf: GeoContext(colo: "FRA", country: "DE", continent: "EU", latitude: 50.11, longitude: 8.68)
        ).get()
        #expect(request == expected)
        #expect(request.path == "/api/users/42")
        #expect(request.headers["x-preview"] == "1")
    }

    @Test("only the URL is required; null members are absent; a header named twice is combined")
    func defaults() throws {
        let minimal = try parse(#"{"url": "https://x.example/"}"#).get()
        #expect(minimal.method == "GET")
        #expect(minimal.path == "/")
        #expect(minimal.headers.isEmpty)
        #expect(minimal.cf == GeoContext())
        #expect(try parse(#"{"url": "https://x.example"}"#).get().path == "/")
        let nulls = try parse(#"{"url": "https://x.example/", "method": null, "cf": {"colo": null}, "headers": null}"#)
            .get()
        #expect(nulls == minimal)
        let twice = try parse(#"{"url": "https://x.example/", "headers": {"X-A": "1", "x-a": "2"}}"#).get()
        #expect(twice.headers == ["x-a": "1, 2"])
    }

    @Test(
        "what is refused, and the sentence that says why",
        arguments: [
            ("", "the request is not valid JSON: expected a JSON value, found end of input at byte 0"),
            ("[]", "the request must be an object, found an array"),
            (#"{"method": "GET"}"#, #"the request needs a "url": {"url": "https://host/path"}"#),
            (#"{"url": 5}"#, "request.url must be a string, found a number"),
            (
                #"{"url": "https://x.example/", "header": {}}"#,
                "unknown key 'header' in the request (allowed: method, url, headers, cf)"
            ),
            (#"{"url": "https://x.example/", "headers": []}"#, "request.headers must be an object, found an array"),
            (
                #"{"url": "https://x.example/", "headers": {"a": true}}"#,
                "request.headers.a must be a string, found a boolean"
            ),
            (
                #"{"url": "https://x.example/", "cf": {"city": "Berlin"}}"#,
                "unknown key 'city' in request.cf (allowed: colo, country, continent, latitude, longitude)"
            ),
            (
                #"{"url": "https://x.example/", "cf": {"latitude": "0x10"}}"#,
                "request.cf.latitude must be a number, found the string '0x10'"
            ),
            (
                #"{"url": "https://x.example/", "cf": {"longitude": "nan"}}"#,
                "request.cf.longitude must be a number, found the string 'nan'"
            ),
            (
                #"{"url": "https://x.example/", "cf": {"latitude": "+1"}}"#,
                "request.cf.latitude must be a number, found the string '+1'"
            ),
            (
                #"{"url": "https://x.example/", "cf": {"latitude": "01"}}"#,
                "request.cf.latitude must be a number, found the string '01'"
            ),
            (
                #"{"url": "https://x.example/", "cf": {"latitude": "1e999"}}"#,
                "request.cf.latitude must be a number, found the string '1e999'"
            ),
            (
                #"{"url": "https://x.example/", "cf": {"latitude": "1 2"}}"#,
                "request.cf.latitude must be a number, found the string '1 2'"
            ),
            (
                #"{"url": "https://x.example/", "cf": {"latitude": ""}}"#,
                "request.cf.latitude must be a number, found the string ''"
            ),
            (#"{"url": "https://x.example/", "cf": {"colo": 1}}"#, "request.cf.colo must be a string, found a number"),
            (#"{"url": "ftp://x.example/"}"#, "unsupported scheme 'ftp': Workers route http and https requests"),
            (#"{"url": "https://x.example/", "method": "GE T"}"#, "invalid HTTP method 'GE T'"),
            (#"{"url": "https://x.example/", "headers": {"a b": "1"}}"#, "invalid header name 'a b'"),
        ])
    func refusals(_ text: String, _ message: String) {
        guard case .failure(let error) = parse(text) else {
            Issue.record("\(text) was accepted")
            return
        }
        #expect(error.message == message)
    }

    @Test("a number in a string is read as a JSON number, with JSON whitespace around it")
    func numbersInStrings() throws {
        let request = try parse(
            #"{"url": "https://x.example/", "cf": {"latitude": " -33.5e0\n", "longitude": "\t151"}}"#
        ).get()
        #expect(request.cf.latitude == -33.5)
        #expect(request.cf.longitude == 151)
    }

    @Test("JSON beyond the strict dialect is refused: comments, trailing commas, deep nesting, bad UTF-8")
    func strictJSON() {
        for text in [
            #"{"url": "https://x.example/"} // why"#, #"{"url": "https://x.example/",}"#,
            #"{"url": "https://x.example/", "cf": {"colo": [[[[[[1]]]]]]}}"#,
        ] {
            #expect(throws: RequestError.self) { try parse(text).get() }
        }
        #expect(throws: RequestError.self) { try RequestJSON.parse([0x7B, 0xFF, 0x7D]).get() }
    }

    @Test("a request over the size limit is refused before it is parsed")
    func sizeLimit() {
        let padding = String(repeating: " ", count: RequestJSON.maximumSize)
        let result = RequestJSON.parse(Array((#"{"url": "https://x.example/"}"# + padding).utf8))
        guard case .failure(let error) = result else {
            Issue.record("a request of \(RequestJSON.maximumSize + 28) bytes was accepted")
            return
        }
        #expect(error.message.hasSuffix("bytes long; at most \(RequestJSON.maximumSize) are accepted"))
    }
}
