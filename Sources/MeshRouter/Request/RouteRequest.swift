import MeshSyntax

/// The Workers geo fields of `request.cf` that rules and strategies read. Missing fields
/// are unknown, never a mismatch by accident: a rule with a geo matcher does not match a
/// request whose field is unknown.
public struct GeoContext: Sendable, Hashable {
    /// The data center, as an IATA code (`LHR`).
    public var colo: String?
    /// ISO 3166-1 alpha-2 (`GB`).
    public var country: String?
    /// `AF AN AS EU NA OC SA`.
    public var continent: String?
    /// Degrees.
    public var latitude: Double?
    /// Degrees.
    public var longitude: Double?

    /// Creates a context; codes are upper-cased as Cloudflare reports them.
    public init(
        colo: String? = nil, country: String? = nil, continent: String? = nil, latitude: Double? = nil,
        longitude: Double? = nil
    ) {
        self.colo = colo?.asciiUppercased
        self.country = country?.asciiUppercased
        self.continent = continent?.asciiUppercased
        self.latitude = latitude
        self.longitude = longitude
    }
}

/// Why a request could not be built.
public struct RequestError: Error, Sendable, Hashable, CustomStringConvertible {
    /// A sentence for the user.
    public let message: String

    public var description: String { message }
}

/// A request as the router sees it: method, normalized URL parts, headers and geo.
public struct RouteRequest: Sendable, Hashable {
    /// The method in upper case.
    public var method: String
    /// The URL as given.
    public var url: String
    /// `http` or `https`.
    public var scheme: String
    /// The host in lower case, without the port.
    public var host: String
    /// The port, when written.
    public var port: Int?
    /// The normalized path, as `new URL(url).pathname` in Workers.
    public var path: String
    /// The query without `?`, never used for matching.
    public var query: String?
    /// Header values by lower-cased name (header names are case-insensitive).
    public var headers: NameMap<String>
    /// The geo fields.
    public var cf: GeoContext

    /// The longest URL accepted (Cloudflare's own limit is 16 KB for the whole request line;
    /// this is generous and keeps a pasted megabyte from being routed).
    public static let maximumURLLength = 1 << 20

    /// Builds a request from its parts, normalizing the path as the WHATWG URL parser does.
    public static func make(
        method: String = "GET", url: String, headers: [(String, String)] = [], cf: GeoContext = GeoContext()
    ) -> Result<RouteRequest, RequestError> {
        guard url.utf8.count <= maximumURLLength else {
            return .failure(
                RequestError(
                    message: "the URL is \(url.utf8.count) bytes long; at most \(maximumURLLength) are accepted"))
        }
        let methodName = method.asciiUppercased
        guard Self.isToken(methodName) else {
            return .failure(RequestError(message: "invalid HTTP method '\(method)'"))
        }
        let parts: URLParts
        switch URLParts.parse(url) {
        case .success(let parsed): parts = parsed
        case .failure(let error): return .failure(error)
        }
        var headerMap: NameMap<String> = [:]
        headerMap.reserveCapacity(headers.count)
        for (name, value) in headers {
            let key = name.asciiLowercased.trimmingHTTPWhitespace
            guard Self.isToken(key) else {
                return .failure(RequestError(message: "invalid header name '\(name)'"))
            }
            // Repeated headers combine with ", " as the Fetch API's Headers does.
            if let existing = headerMap[key] {
                headerMap[key] = existing + ", " + value.trimmingHTTPWhitespace
            } else {
                headerMap[key] = value.trimmingHTTPWhitespace
            }
        }
        return .success(
            RouteRequest(
                method: methodName, url: url, scheme: parts.scheme, host: parts.host, port: parts.port,
                path: PathNormalizer.normalize(parts.rawPath), query: parts.query, headers: headerMap, cf: cf))
    }

    /// Whether `text` is an RFC 9110 token: not empty, and token characters only.
    static func isToken(_ text: String) -> Bool {
        text.withUTF8Bytes { !$0.isEmpty && $0.allSatisfy(isTokenByte) }
    }

    /// RFC 9110 token characters, for methods and header names. A switch rather than a
    /// search of the punctuation's text: it runs for every byte of every header name.
    static func isTokenByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
            UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "!"), UInt8(ascii: "#"), UInt8(ascii: "$"),
            UInt8(ascii: "%"), UInt8(ascii: "&"), UInt8(ascii: "'"), UInt8(ascii: "*"), UInt8(ascii: "+"),
            UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "^"), UInt8(ascii: "_"), UInt8(ascii: "`"),
            UInt8(ascii: "|"), UInt8(ascii: "~"):
            return true
        default:
            return false
        }
    }
}

/// The parts of an absolute http(s) URL, before path normalization.
struct URLParts {
    var scheme: String
    var host: String
    var port: Int?
    var rawPath: String
    var query: String?

    static func parse(_ text: String) -> Result<URLParts, RequestError> {
        // The URL parser removes every C0 control and space from both ends of its input, then
        // every ASCII tab and newline from what is left.
        let trimmed = text.trimmingBytes { $0 <= 0x20 }
        let bytes = trimmed.withUTF8Bytes { $0.filter { $0 != 0x09 && $0 != 0x0A && $0 != 0x0D } }
        guard let colon = bytes.firstIndex(of: UInt8(ascii: ":")), colon > 0,
            bytes[..<colon].allSatisfy({ isSchemeByte($0) })
        else {
            return .failure(
                RequestError(
                    message:
                        "'\(trimmed.prefix(scalars: 80))' is not an absolute URL: it has no scheme "
                        + "(write https://host/path)"
                ))
        }
        let scheme = String(decoding: bytes[..<colon], as: UTF8.self).asciiLowercased
        guard scheme.hasSameBytes(as: "https") || scheme.hasSameBytes(as: "http") else {
            return .failure(
                RequestError(message: "unsupported scheme '\(scheme)': Workers route http and https requests"))
        }
        // Special schemes treat '\' like '/' and ignore extra slashes before the host.
        var index = colon + 1
        while index < bytes.count, bytes[index] == UInt8(ascii: "/") || bytes[index] == UInt8(ascii: "\\") {
            index += 1
        }
        let hostStart = index
        while index < bytes.count, !Self.endsHost(bytes[index]) { index += 1 }
        var authority = bytes[hostStart..<index]
        if let at = authority.lastIndex(of: UInt8(ascii: "@")) { authority = authority[(at + 1)...] }
        var hostBytes = authority
        var port: Int?
        if let portColon = authority.lastIndex(of: UInt8(ascii: ":")), authority.last != UInt8(ascii: "]") {
            hostBytes = authority[..<portColon]
            let portText = String(decoding: authority[(portColon + 1)...], as: UTF8.self)
            if !portText.isEmpty {
                guard let value = Int(portText), (0...65535).contains(value) else {
                    return .failure(RequestError(message: "invalid port '\(portText)'"))
                }
                port = value
            }
        }
        let host = String(decoding: hostBytes, as: UTF8.self).asciiLowercased
        guard !host.isEmpty else { return .failure(RequestError(message: "the URL has no host")) }
        if host.withUTF8Bytes({ $0.contains(where: Self.isForbiddenInHost) }) {
            return .failure(RequestError(message: "invalid host '\(host.prefix(scalars: 80))'"))
        }
        let pathStart = index
        while index < bytes.count, bytes[index] != UInt8(ascii: "?"), bytes[index] != UInt8(ascii: "#") { index += 1 }
        let rawPath = String(decoding: bytes[pathStart..<index], as: UTF8.self)
        var query: String?
        if index < bytes.count, bytes[index] == UInt8(ascii: "?") {
            let queryStart = index + 1
            var queryEnd = queryStart
            while queryEnd < bytes.count, bytes[queryEnd] != UInt8(ascii: "#") { queryEnd += 1 }
            query = String(decoding: bytes[queryStart..<queryEnd], as: UTF8.self)
        }
        let defaultPort = scheme.hasSameBytes(as: "https") ? 443 : 80
        return .success(
            URLParts(scheme: scheme, host: host, port: port == defaultPort ? nil : port, rawPath: rawPath, query: query)
        )
    }

    /// Whether `byte` ends the authority: `/`, `\`, `?` or `#`.
    static func endsHost(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "/"), UInt8(ascii: "\\"), UInt8(ascii: "?"), UInt8(ascii: "#"): true
        default: false
        }
    }

    /// Control characters, the space and `<>^|%`, which no host may hold.
    static func isForbiddenInHost(_ byte: UInt8) -> Bool {
        switch byte {
        case 0...0x20, UInt8(ascii: "<"), UInt8(ascii: ">"), UInt8(ascii: "^"), UInt8(ascii: "|"), UInt8(ascii: "%"):
            true
        default: false
        }
    }

    static func isSchemeByte(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte | 0x20)
            || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
            || byte == UInt8(ascii: "+") || byte == UInt8(ascii: "-") || byte == UInt8(ascii: ".")
    }
}
