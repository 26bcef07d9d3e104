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
    ///
    /// It works on bytes: the URL parser splits code points at `/`, and neither `/` nor `\\`
    /// nor a dot occurs inside a UTF-8 sequence, so the segments are the same.
    static func normalizedBySegments(_ raw: String) -> String {
        raw.withUTF8Bytes { input in
            // Special schemes treat `\\` as `/`.
            var body = input.map { $0 == UInt8(ascii: "\\") ? UInt8(ascii: "/") : $0 }[...]
            if body.first == UInt8(ascii: "/") { body = body.dropFirst() }
            let parts = body.split(separator: UInt8(ascii: "/"), omittingEmptySubsequences: false)
            var segments: [ArraySlice<UInt8>] = []
            for (position, part) in parts.enumerated() {
                let isLast = position == parts.count - 1
                switch dotSegment(part) {
                case 2:
                    if !segments.isEmpty { segments.removeLast() }
                    if isLast { segments.append([]) }
                case 1:
                    if isLast { segments.append([]) }
                default:
                    segments.append(part)
                }
            }
            var path: [UInt8] = [UInt8(ascii: "/")]
            path.reserveCapacity(input.count + 1)
            for (position, segment) in segments.enumerated() {
                if position > 0 { path.append(UInt8(ascii: "/")) }
                appendEncoded(segment, to: &path)
            }
            return String(decoding: path, as: UTF8.self)
        }
    }

    /// 1 for a `.` segment and 2 for a `..` segment, each dot also written `%2e` in either
    /// case; 0 for any other segment.
    static func dotSegment(_ segment: ArraySlice<UInt8>) -> Int {
        var dots = 0
        var index = segment.startIndex
        while index < segment.endIndex {
            if segment[index] == UInt8(ascii: ".") {
                index += 1
            } else if segment[index] == UInt8(ascii: "%"), segment.endIndex - index >= 3,
                segment[index + 1] == UInt8(ascii: "2"), segment[index + 2] | 0x20 == UInt8(ascii: "e")
            {
                index += 3
            } else {
                return 0
            }
            dots += 1
            if dots > 2 { return 0 }
        }
        return dots
    }

    /// Appends `bytes` percent-encoded where the WHATWG path percent-encode set says (C0
    /// controls, space, `"`, `#`, `<`, `>`, `?`, `^`, `` ` ``, `{`, `}`, and every non-ASCII
    /// byte; `^` joined the set in 2025, whatwg/url#846).
    static func appendEncoded<Bytes: Collection<UInt8>>(_ bytes: Bytes, to output: inout [UInt8]) {
        guard bytes.contains(where: needsEncoding) else {
            output.append(contentsOf: bytes)
            return
        }
        PercentEncoding.encode(bytes: bytes, keeping: { !needsEncoding($0) }, into: &output)
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
