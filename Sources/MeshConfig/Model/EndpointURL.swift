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

    /// The parse, with every step an index loop over `bytes`: the generic algorithms of a
    /// buffer slice (`lastIndex(of:)`, `first(where:)`, `String(decoding:)` of a slice) cost
    /// several times the loop itself here, with dynamic casts among them.
    private static func parse(_ bytes: UnsafeBufferPointer<UInt8>) -> Result<EndpointURL, Problem> {
        guard let separator = Self.schemeSeparator(in: bytes) else {
            return .failure(Problem(message: "it is not an absolute URL (expected 'https://host')"))
        }
        let scheme = text(of: bytes, 0..<separator).unicodeLowercased
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
        // The user information ends at the authority's last `@`, the port starts after its
        // last `:` unless the authority ends an IPv6 address (`[::1]`).
        var authorityStart = hostStart
        if let at = lastIndex(of: UInt8(ascii: "@"), in: bytes, hostStart..<authorityEnd) { authorityStart = at + 1 }
        var hostEnd = authorityEnd
        var port: Int?
        if authorityEnd > authorityStart, bytes[authorityEnd - 1] != UInt8(ascii: "]"),
            let colon = lastIndex(of: UInt8(ascii: ":"), in: bytes, authorityStart..<authorityEnd)
        {
            hostEnd = colon
            let portText = text(of: bytes, (colon + 1)..<authorityEnd)
            guard let value = Int(portText), value >= 1, value <= 65535 else {
                return .failure(Problem(message: "the port '\(portText)' is not a number from 1 to 65535"))
            }
            port = value
        }
        guard hostEnd > authorityStart else { return .failure(Problem(message: "the host is missing")) }
        for index in authorityStart..<hostEnd {
            let byte = bytes[index]
            guard
                byte <= 0x20 || byte == UInt8(ascii: "\\") || byte == UInt8(ascii: "%") || byte == UInt8(ascii: "<")
                    || byte == UInt8(ascii: ">")
            else { continue }
            return .failure(
                Problem(
                    message: byte <= 0x20
                        ? "the host contains white space" : "the host contains '\(Character(Unicode.Scalar(byte)))'"))
        }
        for byte in bytes where byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D {
            return .failure(Problem(message: "it contains white space"))
        }
        return .success(
            EndpointURL(
                scheme: scheme, host: text(of: bytes, authorityStart..<hostEnd).unicodeLowercased, port: port,
                rest: text(of: bytes, authorityEnd..<bytes.count)))
    }

    /// The text of `bytes` in `range`, with invalid UTF-8 repaired.
    private static func text(of bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> String {
        String(decoding: UnsafeBufferPointer(rebasing: bytes[range]), as: UTF8.self)
    }

    /// The offset of the last `byte` in `range` of `bytes`, if any.
    private static func lastIndex(of byte: UInt8, in bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> Int? {
        var index = range.upperBound
        while index > range.lowerBound {
            index -= 1
            if bytes[index] == byte { return index }
        }
        return nil
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

extension String {
    /// `lowercased()`, mapping ASCII text without the Unicode tables. A config's endpoint URL
    /// is compared with the others the way a browser would once it has mapped the host
    /// (IDNA lower-cases every letter), and `check` maps thousands of them, nearly all ASCII.
    /// The router, which sees hosts after a URL parser has applied IDNA, maps ASCII only.
    fileprivate var unicodeLowercased: String {
        withUTF8Bytes { $0.allSatisfy { $0 < 0x80 } } ? asciiLowercased : lowercased()
    }
}
