import MeshSyntax

/// Path normalization as the WHATWG URL parser does it for http(s) URLs, which is what
/// `new URL(request.url).pathname` gives a Worker.
public enum PathNormalizer {
    /// The normalized form of a raw path: `\` is `/`, `.` and `..` segments (also written
    /// `%2e`) are resolved, an empty path is `/`, characters outside the path
    /// percent-encode set are percent-encoded, and existing percent-encoding is kept.
    public static func normalize(_ raw: String) -> String {
        var segments: [Substring] = []
        let unified = raw.replacingBackslashes
        var body = Substring(unified)
        if body.hasPrefix("/") { body = body.dropFirst() }
        let parts = body.split(separator: "/", omittingEmptySubsequences: false)
        for (position, part) in parts.enumerated() {
            let isLast = position == parts.count - 1
            let lowered = part.lowercased()
            if lowered == ".." || lowered == ".%2e" || lowered == "%2e." || lowered == "%2e%2e" {
                if !segments.isEmpty { segments.removeLast() }
                if isLast { segments.append("") }
            } else if lowered == "." || lowered == "%2e" {
                if isLast { segments.append("") }
            } else {
                segments.append(part)
            }
        }
        var path = "/"
        path.reserveCapacity(raw.utf8.count + 1)
        for (position, segment) in segments.enumerated() {
            if position > 0 { path += "/" }
            path += percentEncoded(segment)
        }
        return path
    }

    /// Percent-encodes what the WHATWG path percent-encode set lists (C0 controls, space,
    /// `"`, `#`, `<`, `>`, `?`, `^`, `` ` ``, `{`, `}`, and every non-ASCII byte; `^` joined
    /// the set in 2025, whatwg/url#846).
    static func percentEncoded(_ segment: Substring) -> String {
        guard segment.utf8.contains(where: needsEncoding) else { return String(segment) }
        return PercentEncoding.encode(segment) { !needsEncoding($0) }
    }

    static func needsEncoding(_ byte: UInt8) -> Bool {
        byte <= 0x20 || byte >= 0x7F || "\"#<>?^`{}".utf8.contains(byte)
    }
}
