import MeshSyntax
import MeshTestSupport
import Testing

@testable import MeshRouter

/// `RequestFields` reads the edge router's field form as `RequestJSON` reads the same values
/// written as JSON: the same request, or the same refusal with the same message. Random
/// requests mix methods, URLs, headers (repeated, in any case, non-ASCII) and geo fields
/// (codes, coordinates a number reader must refuse), absent or present.
@Suite("RequestFields")
struct RequestFieldsTests {
    static let methods: [String?] = [nil, "GET", "post", "G T", "caf\u{E9}", "DELETE"]
    static let urls = [
        "https://x.example/a/b?c=1", "http://H:8080/..//x/./y", "ftp://x.example/", "",
        "https://x.example/caf\u{E9}", " https://x.example/%2e/", "https://x.example/\u{1F600}",
    ]
    static let headerNames = ["accept", "Accept", "x-a", "cookie", "a b", "\u{E9}", ""]
    static let headerValues = ["1", " v ", "a\"b", "", "\u{E9}t\u{E9}", "s=1; t=2", "\\"]
    static let codes = ["FRA", "de", "eu", "\u{E9}", " x "]
    static let coordinates = ["50.11", "-8", "1e999", "nan", " 1 ", "+1", "0x10", "01", "1.5e3", "-0", "x"]

    /// The request's values written both ways.
    struct Sample {
        var method: String?
        var url: String
        var headers: [(String, String)]
        var geo: [String?]

        var fields: [UInt8] {
            var text = "\0" + (method ?? "") + "\0" + url
            for value in geo { text += "\0" + (value ?? "") }
            for (name, value) in headers { text += "\0" + name + "\0" + value }
            return Array(text.utf8)
        }

        var json: [UInt8] {
            var json = JSONTextWriter()
            json.beginObject()
            if let method {
                json.key("method")
                json.string(method)
            }
            json.key("url")
            json.string(url)
            json.key("headers")
            json.beginObject()
            for (name, value) in headers {
                json.key(name)
                json.string(value)
            }
            json.endObject()
            json.key("cf")
            json.beginObject()
            for (key, value) in zip(RequestJSON.cfKeys, geo) {
                json.key(key)
                if let value { json.string(value) } else { json.null() }
            }
            json.endObject()
            json.endObject()
            return json.bytes
        }
    }

    static func sample(_ random: inout SplitMix) -> Sample {
        func pick<T>(_ values: [T]) -> T { values[random.next(below: values.count)] }
        // Most requests are well formed, so that routing is reached as often as refusals.
        let url = random.next(below: 4) == 0 ? pick(urls) : urls[0]
        let headers = (0..<random.next(below: 4)).map { _ in (pick(headerNames), pick(headerValues)) }
        let geo: [String?] = (0..<5).map { field in
            guard random.next(below: 2) == 0 else { return nil }
            return field < 3 ? pick(codes) : (random.next(below: 3) == 0 ? pick(coordinates) : "50.11")
        }
        return Sample(method: pick(methods), url: url, headers: headers, geo: geo)
    }

    @Test("the field form reads as the same request written as JSON, refusals included")
    func agreesWithJSON() {
        var random = SplitMix(seed: 0xF1E1D5)
        var routed = 0
        var mismatches = 0
        let total = 20_000
        for _ in 0..<total {
            let sample = Self.sample(&random)
            let fields = RequestFields.parse(sample.fields)
            let json = RequestJSON.parse(sample.json)
            if case .success = fields { routed += 1 }
            if fields != json, mismatches < 5 {
                mismatches += 1
                Issue.record("\(String(decoding: sample.json, as: UTF8.self)): \(fields) != \(json)")
            }
        }
        // Both outcomes are exercised.
        #expect(routed > total / 4, "\(routed) of \(total) were requests")
        #expect(routed < total * 9 / 10, "\(routed) of \(total) were requests")
    }

    /// `input` (with `|` for each NUL) read as fields: the request's method, path and header
    /// count, or the refusal's message.
    func check(_ input: String, _ expected: String, sourceLocation: SourceLocation = #_sourceLocation) {
        var bytes: [UInt8] = input.utf8.map { $0 == UInt8(ascii: "|") ? 0 : $0 }
        if let invalid = bytes.firstIndex(of: UInt8(ascii: "~")) { bytes[invalid] = 0xFF }
        let answer: String
        switch RequestFields.parse(bytes) {
        case .success(let request):
            answer = "\(request.method) \(request.path) \(request.headers.count) \(request.cf.country ?? "-")"
        case .failure(let error):
            answer = error.message
        }
        #expect(answer == expected, sourceLocation: sourceLocation)
    }

    @Test("fields: requests and each fault's message")
    func faults() {
        check("||https://x.example/a||de|||", "GET /a 0 DE")
        check("|put|https://x.example/b/../c||||1|2|Cookie|a=1|cookie|b=2", "PUT /c 1 -")
        check("", "the request's fields must each start with a NUL byte")
        check("{\"url\": \"https://x.example/\"}", "the request's fields must each start with a NUL byte")
        check(
            "|GET|https://x.example/",
            "the request has 2 fields; it needs seven (method, url, colo, country, "
                + "continent, latitude, longitude) before its headers")
        check("||https://x.example/||||||accept", "the request's last header, 'accept', has no value")
        check("||https://x.example/||||~|||", "field 6 of the request is not valid UTF-8")
        check("||https://x.example/||||north|", "request.cf.latitude must be a number, found the string 'north'")
        check("||https://x.example/|||||1e999", "request.cf.longitude must be a number, found the string '1e999'")
        check("|G T|https://x.example/|||||", "invalid HTTP method 'G T'")
        check("|||||||", "'' is not an absolute URL: it has no scheme (write https://host/path)")
    }

    @Test("write: what parse reads back is the request make makes of the same parts, or a refusal naming the part")
    func writeReadsBack() {
        var random = SplitMix(seed: 0x5E11D)
        var written = 0
        for _ in 0..<5_000 {
            let sample = Self.sample(&random)
            let cf = GeoContext(
                colo: sample.geo[0], country: sample.geo[1], continent: sample.geo[2],
                latitude: sample.geo[3].flatMap { JSONNumber.value(of: $0) },
                longitude: sample.geo[4].flatMap { JSONNumber.value(of: $0) })
            let method = sample.method ?? "GET"
            let headers = sample.headers.map { (name: $0.0, value: $0.1) }
            guard
                case .success(let bytes) = RequestFields.write(
                    method: method, url: sample.url, headers: headers, cf: cf)
            else { continue }
            written += 1
            let made = RouteRequest.make(method: method, url: sample.url, headers: sample.headers, cf: cf)
            // A coordinate that is not finite is written as absent, as JSON writes it as null.
            let finite = GeoContext(
                colo: cf.colo, country: cf.country, continent: cf.continent,
                latitude: cf.latitude.flatMap { $0.isFinite ? $0 : nil },
                longitude: cf.longitude.flatMap { $0.isFinite ? $0 : nil })
            let expected = RouteRequest.make(method: method, url: sample.url, headers: sample.headers, cf: finite)
            #expect(RequestFields.parse(bytes) == expected, "\(made)")
        }
        #expect(written > 4_000, "\(written) of 5,000 written")
        let refusals: [(GeoContext, String, String)] = [
            (GeoContext(colo: ""), "GET", "request.cf.colo is empty"),
            (GeoContext(continent: ""), "GET", "request.cf.continent is empty"),
            (GeoContext(), "", "request.method is empty"),
            (GeoContext(country: "D\0E"), "GET", "request.cf.country holds a NUL byte"),
        ]
        for (cf, method, expected) in refusals {
            let answer = RequestFields.write(method: method, url: "https://x.example/", headers: [], cf: cf)
            guard case .failure(let error) = answer else {
                Issue.record("\(expected): written")
                continue
            }
            #expect(error.message.hasPrefix(expected), "\(error.message)")
        }
        let header = RequestFields.write(
            method: "GET", url: "https://x.example/", headers: [(name: "x-a", value: "1\02")], cf: GeoContext())
        #expect(
            header.map { _ in "written" }
                == .failure(
                    RequestError(
                        message:
                            "request.headers.x-a holds a NUL byte, which the edge router's field form cannot carry")))
    }
}
