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
/// It reads with MeshSyntax's parser in the strict dialect, which compiles for the edge,
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

    /// The general reader: the strict JSON parser's tree, read member by member, with a
    /// message naming the member at fault. ``parse(_:)`` answers with
    /// ``QuickRequestReader`` first, which gives up on anything but the common shape.
    static func parseTree(_ bytes: [UInt8]) -> Result<RouteRequest, RequestError> {
        let tree = JSONParser.parse(
            SourceText(bytes: bytes), options: ParseOptions(dialect: .strict, maxDepth: maximumDepth, maxDiagnostics: 1)
        )
        if let error = tree.diagnostics.first(where: { $0.severity == .error }) {
            return .failure(RequestError(message: "the request is not valid JSON: \(error.message)"))
        }
        guard let root = tree.rootValue else {
            return .failure(RequestError(message: "the request is empty; write {\"url\": \"https://host/path\"}"))
        }
        var reader = Reader(tree: tree)
        return reader.request(root)
    }

    /// Reads the members of one parsed request, keeping the first problem found.
    private struct Reader {
        let tree: SyntaxTree
        var problem: String?

        mutating func request(_ node: NodeID) -> Result<RouteRequest, RequestError> {
            let members = object(node, "the request", keys: RequestJSON.requestKeys)
            if let problem { return .failure(RequestError(message: problem)) }
            guard let urlNode = members["url"] else {
                return .failure(RequestError(message: "the request needs a \"url\": {\"url\": \"https://host/path\"}"))
            }
            let url = string(urlNode, "request.url") ?? ""
            let method = members["method"].flatMap { string($0, "request.method") } ?? "GET"
            var headers: [(String, String)] = []
            if let headersNode = members["headers"] {
                for member in object(headersNode, "request.headers", keys: nil) {
                    if let value = string(member.value, "request.headers.\(member.name)") {
                        headers.append((member.name, value))
                    }
                }
            }
            var cf = GeoContext()
            if let cfNode = members["cf"] {
                let fields = object(cfNode, "request.cf", keys: RequestJSON.cfKeys)
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
        mutating func object(_ node: NodeID, _ what: String, keys: [String]?) -> Members {
            guard tree.kind(node) == .object else {
                fail("\(what) must be an object, found \(tree.kind(node).nounPhrase)")
                return Members()
            }
            var members = Members()
            for member in tree.members(of: node) {
                if let keys, !keys.contains(member.name) {
                    fail("unknown key '\(member.name)' in \(what) (allowed: \(keys.joined(separator: ", ")))")
                    continue
                }
                guard let value = member.value, tree.kind(value) != .nullLiteral else { continue }
                members.list.append((member.name, value))
            }
            return members
        }

        mutating func string(_ node: NodeID, _ what: String) -> String? {
            guard let text = tree.string(node) else {
                fail("\(what) must be a string, found \(tree.kind(node).nounPhrase)")
                return nil
            }
            return text
        }

        /// A finite number, written as one or as a string holding one.
        mutating func number(_ node: NodeID, _ what: String) -> Double? {
            if let value = tree.number(node), value.isFinite { return value }
            if let text = tree.string(node) {
                // Held to the same number grammar as a number written bare (no `nan`, no hex).
                if let value = JSONNumber.value(of: text), value.isFinite { return value }
                fail("\(what) must be a number, found the string '\(text.prefix(40))'")
                return nil
            }
            fail("\(what) must be a number, found \(tree.kind(node).nounPhrase)")
            return nil
        }

        mutating func fail(_ message: String) {
            if problem == nil { problem = message }
        }

    }

    /// An object's members in document order; a repeated key is found at its last place,
    /// as JSON parsers read it.
    private struct Members: Sequence {
        var list: [(name: String, value: NodeID)] = []

        subscript(name: String) -> NodeID? {
            list.last { $0.name == name }?.value
        }

        func makeIterator() -> IndexingIterator<[(name: String, value: NodeID)]> {
            list.makeIterator()
        }
    }
}
