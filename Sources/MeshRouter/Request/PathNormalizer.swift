import MeshSyntax

/// Path normalization as the WHATWG URL parser does it for http(s) URLs, which is what
/// `new URL(request.url).pathname` gives a Worker.
public enum PathNormalizer {
    /// The normalized form of a raw path: `\` is `/`, `.` and `..` segments (also written
    /// `%2e`) are resolved, an empty path is `/`, characters outside the path
    /// percent-encode set are percent-encoded, and existing percent-encoding is kept.
    public static func normalize(_ raw: String) -> String {
        isNormal(raw) ? raw : normalizedBySegments(raw)
    }

    /// The general form of ``normalize(_:)``, for any path.
    static func normalizedBySegments(_ raw: String) -> String {
        var segments: [Substring] = []
        let unified = raw.replacingBackslashes
        var body = Substring(unified)
        if body.hasPrefix("/") { body = body.dropFirst() }
        let parts = body.split(separator: "/", omittingEmptySubsequences: false)
        for (position, part) in parts.enumerated() {
            let isLast = position == parts.count - 1
            let lowered = String(part).asciiLowercased
            if ["..", ".%2e", "%2e.", "%2e%2e"].contains(where: lowered.hasSameBytes) {
                if !segments.isEmpty { segments.removeLast() }
                if isLast { segments.append("") }
            } else if lowered.hasSameBytes(as: ".") || lowered.hasSameBytes(as: "%2e") {
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
        switch byte {
        case 0...0x20, 0x7F...0xFF, UInt8(ascii: "\""), UInt8(ascii: "#"), UInt8(ascii: "<"), UInt8(ascii: ">"),
            UInt8(ascii: "?"), UInt8(ascii: "^"), UInt8(ascii: "`"), UInt8(ascii: "{"), UInt8(ascii: "}"):
            return true
        default:
            return false
        }
    }

    /// Whether `raw` is its own normal form, which most request paths are: it starts with
    /// `/` and has no `\`, no `%` (which might spell a dot), no byte to percent-encode and
    /// no `.` or `..` segment. One pass over the bytes, where the general form splits,
    /// lower-cases and joins every segment.
    static func isNormal(_ raw: String) -> Bool {
        raw.withUTF8Bytes { bytes in
            guard bytes.first == UInt8(ascii: "/") else { return false }
            // The current segment's length, and how many of its bytes are dots.
            var length = 0
            var dots = 0
            for byte in bytes.dropFirst() {
                if byte == UInt8(ascii: "/") {
                    if dots == length, length == 1 || length == 2 { return false }
                    length = 0
                    dots = 0
                    continue
                }
                if byte == UInt8(ascii: "\\") || byte == UInt8(ascii: "%") || needsEncoding(byte) { return false }
                length += 1
                if byte == UInt8(ascii: ".") { dots += 1 }
            }
            return !(dots == length && (length == 1 || length == 2))
        }
    }
}
