import MeshSyntax

/// The parts of an endpoint URL that the config checks care about.
public struct EndpointURL: Sendable, Hashable {
    /// The scheme in lower case (`https`).
    public var scheme: String
    /// The host in lower case.
    public var host: String
    /// The port, if written.
    public var port: Int?
    /// The path and anything after it, possibly empty.
    public var rest: String

    /// Why a URL was rejected.
    public struct Problem: Error, Sendable, Hashable {
        /// A phrase saying what is wrong.
        public var message: String
    }

    /// Parses an absolute `http(s)://host[:port][/path]` URL, the form a Worker's `fetch` accepts.
    ///
    /// It works on the text's UTF-8 bytes in place, and maps case without Unicode's
    /// tables when the text is ASCII: the checks are ASCII-level, and configs can list
    /// thousands of endpoints.
    public static func parse(_ text: String) -> Result<EndpointURL, Problem> {
        text.withUTF8Bytes(parse)
    }

    private static func parse(_ bytes: UnsafeBufferPointer<UInt8>) -> Result<EndpointURL, Problem> {
        guard let separator = Self.schemeSeparator(in: bytes) else {
            return .failure(Problem(message: "it is not an absolute URL (expected 'https://host')"))
        }
        let scheme = String(decoding: bytes[..<separator], as: UTF8.self).lowercasedFast
        guard scheme == "https" || scheme == "http" else {
            let message: String =
                scheme.isEmpty ? "the scheme is missing" : "the scheme '\(scheme)' is not http or https"
            return .failure(Problem(message: message))
        }
        let hostStart = separator + 3
        var authorityEnd = hostStart
        while authorityEnd < bytes.count, bytes[authorityEnd] != UInt8(ascii: "/"),
            bytes[authorityEnd] != UInt8(ascii: "?"),
            bytes[authorityEnd] != UInt8(ascii: "#")
        {
            authorityEnd += 1
        }
        var authority = bytes[hostStart..<authorityEnd]
        if let at = authority.lastIndex(of: UInt8(ascii: "@")) { authority = authority[(at + 1)...] }
        var host = authority
        var port: Int?
        if let colon = authority.lastIndex(of: UInt8(ascii: ":")), authority.last != UInt8(ascii: "]") {
            host = authority[..<colon]
            let portText = String(decoding: authority[(colon + 1)...], as: UTF8.self)
            guard let value = Int(portText), value >= 1, value <= 65535 else {
                return .failure(Problem(message: "the port '\(portText)' is not a number from 1 to 65535"))
            }
            port = value
        }
        guard !host.isEmpty else { return .failure(Problem(message: "the host is missing")) }
        if let bad = host.first(where: {
            $0 <= 0x20 || $0 == UInt8(ascii: "\\") || $0 == UInt8(ascii: "%") || $0 == UInt8(ascii: "<")
                || $0 == UInt8(ascii: ">")
        }) {
            return .failure(
                Problem(
                    message: bad <= 0x20
                        ? "the host contains white space" : "the host contains '\(Character(Unicode.Scalar(bad)))'"))
        }
        if bytes.contains(where: { $0 == 0x20 || $0 == 0x09 || $0 == 0x0A || $0 == 0x0D }) {
            return .failure(Problem(message: "it contains white space"))
        }
        return .success(
            EndpointURL(
                scheme: scheme, host: String(decoding: host, as: UTF8.self).lowercasedFast, port: port,
                rest: String(decoding: bytes[authorityEnd...], as: UTF8.self)))
    }

    /// The offset of the first `://`, if any.
    private static func schemeSeparator(in bytes: UnsafeBufferPointer<UInt8>) -> Int? {
        guard bytes.count >= 3 else { return nil }
        for index in 0...(bytes.count - 3)
        where bytes[index] == UInt8(ascii: ":") && bytes[index + 1] == UInt8(ascii: "/")
            && bytes[index + 2] == UInt8(ascii: "/")
        {
            return index
        }
        return nil
    }

    /// A comparison key, so that two spellings of one endpoint compare equal: scheme and
    /// host lower-cased, default port and trailing slash dropped.
    public var comparisonKey: String {
        // Appended piece by piece: interpolation cost more than the rest of the
        // duplicate check, which builds one key per endpoint on every analysis.
        var key = scheme
        key.reserveCapacity(scheme.utf8.count + 3 + host.utf8.count + 6 + rest.utf8.count)
        key += "://"
        key += host
        if let port, port != (scheme == "https" ? 443 : 80) {
            key += ":"
            key += String(port)
        }
        var rest = Substring(self.rest)
        while rest.hasSuffix("/") { rest = rest.dropLast() }
        key += rest
        return key
    }
}
