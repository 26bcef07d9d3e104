import MeshSyntax

/// A request written as JSON, the one form that `diddy-mesh route --requests` reads (a line
/// each) and that the edge router takes (edge/README.md): the `request` object of a route
/// expectations file.
///
/// ```json
/// {"method": "GET", "url": "https://api.shop.example/api/users/42",
///  "headers": {"cookie": "session=abc"},
///  "cf": {"colo": "FRA", "country": "DE", "continent": "EU", "latitude": 50.11, "longitude": 8.68}}
/// ```
///
/// Only `url` is required; `method` defaults to `GET`. Header values are strings, and a
/// header named twice (in any case) is combined with `", "` as ``RouteRequest/make(method:url:headers:cf:)``
/// combines repeated headers. `latitude` and `longitude` are numbers, or strings holding a
/// JSON number, as a Worker's `request.cf` gives them. A `null` member is the same as an
/// absent one, so a host can pass `request.cf` fields it does not have. An unknown key is an
/// error, so a misspelt `"header"` is never a request that silently has no headers.
///
/// It reads with MeshSyntax's strict JSON reader, which compiles for the edge,
/// where neither Foundation nor json-c is available; the native CLI reads the same way so
/// that both sides accept and refuse the same requests.
public enum RequestJSON {
    /// The longest request accepted, in bytes: room for a URL of
    /// ``RouteRequest/maximumURLLength`` and its headers, while a runaway line is refused
    /// before it is parsed.
    public static let maximumSize = 2 << 20

    /// The deepest nesting a request has is two levels (`cf` and `headers` inside the
    /// request); anything deeper is refused by the parser without recursing into it.
    static let maximumDepth = 4

    static let requestKeys = ["method", "url", "headers", "cf"]
    static let cfKeys = ["colo", "country", "continent", "latitude", "longitude"]

    /// The request in `bytes`, or why it is not one (a sentence naming the member at fault).
    public static func parse(_ bytes: [UInt8]) -> Result<RouteRequest, RequestError> {
        guard bytes.count <= maximumSize else {
            return .failure(
                RequestError(message: "the request is \(bytes.count) bytes long; at most \(maximumSize) are accepted"))
        }
        if let parts = bytes.withUnsafeBufferPointer(QuickRequestReader.read) {
            return RouteRequest.make(method: parts.method, url: parts.url, headers: parts.headers, cf: parts.cf)
        }
        return parseTree(bytes)
    }

    /// The general reader: the strict JSON reader's value, read member by member, with a
    /// message naming the member at fault. ``parse(_:)`` answers with
    /// ``QuickRequestReader`` first, which gives up on anything but the common shape.
    static func parseTree(_ bytes: [UInt8]) -> Result<RouteRequest, RequestError> {
        switch StrictJSONReader.read(bytes, maxDepth: maximumDepth) {
        case .failure(let error):
            return .failure(RequestError(message: "the request is not valid JSON: \(error)"))
        case .success(let root):
            var reader = Reader()
            return reader.request(root)
        }
    }

    /// Reads the members of one request, keeping the first problem found.
    private struct Reader {
        var problem: String?

        mutating func request(_ root: StrictJSONReader.Value) -> Result<RouteRequest, RequestError> {
            let members = object(root, "the request", keys: RequestJSON.requestKeys)
            if let problem { return .failure(RequestError(message: problem)) }
            guard let urlValue = members["url"] else {
                return .failure(RequestError(message: "the request needs a \"url\": {\"url\": \"https://host/path\"}"))
            }
            let url = string(urlValue, "request.url") ?? ""
            let method = members["method"].flatMap { string($0, "request.method") } ?? "GET"
            var headers: [(String, String)] = []
            if let headersValue = members["headers"] {
                for member in object(headersValue, "request.headers", keys: nil) {
                    if let value = string(member.value, "request.headers.\(member.name)") {
                        headers.append((member.name, value))
                    }
                }
            }
            var cf = GeoContext()
            if let cfValue = members["cf"] {
                let fields = object(cfValue, "request.cf", keys: RequestJSON.cfKeys)
                cf = GeoContext(
                    colo: fields["colo"].flatMap { string($0, "request.cf.colo") },
                    country: fields["country"].flatMap { string($0, "request.cf.country") },
                    continent: fields["continent"].flatMap { string($0, "request.cf.continent") },
                    latitude: fields["latitude"].flatMap { number($0, "request.cf.latitude") },
                    longitude: fields["longitude"].flatMap { number($0, "request.cf.longitude") })
            }
            if let problem { return .failure(RequestError(message: problem)) }
            return RouteRequest.make(method: method, url: url, headers: headers, cf: cf)
        }

        /// The members of an object in document order, `null` ones left out; with `keys`,
        /// a member not among them is a problem.
        mutating func object(_ value: StrictJSONReader.Value, _ what: String, keys: [String]?) -> Members {
            guard let all = value.members else {
                fail("\(what) must be an object, found \(value.nounPhrase)")
                return Members()
            }
            var members = Members()
            for member in all {
                if let keys, !keys.contains(where: { $0.hasSameBytes(as: member.name) }) {
                    fail("unknown key '\(member.name)' in \(what) (allowed: \(keys.joined(separator: ", ")))")
                    continue
                }
                guard !member.value.isNull else { continue }
                members.list.append((member.name, member.value))
            }
            return members
        }

        mutating func string(_ value: StrictJSONReader.Value, _ what: String) -> String? {
            guard let text = value.string else {
                fail("\(what) must be a string, found \(value.nounPhrase)")
                return nil
            }
            return text
        }

        /// A finite number, written as one or as a string holding one.
        mutating func number(_ value: StrictJSONReader.Value, _ what: String) -> Double? {
            if let number = value.number, number.isFinite { return number }
            if let text = value.string {
                // Held to the same number grammar as a number written bare (no `nan`, no hex).
                if let number = JSONNumber.value(of: text), number.isFinite { return number }
                fail("\(what) must be a number, found the string '\(text.prefix(scalars: 40))'")
                return nil
            }
            fail("\(what) must be a number, found \(value.nounPhrase)")
            return nil
        }

        mutating func fail(_ message: String) {
            if problem == nil { problem = message }
        }

    }

    /// An object's members in document order; a repeated key is found at its last place,
    /// as JSON parsers read it.
    private struct Members: Sequence {
        var list: [(name: String, value: StrictJSONReader.Value)] = []

        subscript(name: String) -> StrictJSONReader.Value? {
            list.last { $0.name.hasSameBytes(as: name) }?.value
        }

        func makeIterator() -> IndexingIterator<[(name: String, value: StrictJSONReader.Value)]> {
            list.makeIterator()
        }
    }
}
