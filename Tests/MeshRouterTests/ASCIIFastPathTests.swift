import MeshSyntax
import MeshTestSupport
import Testing

@testable import MeshRouter

/// The byte-level paths of request reading, on random text mixing ASCII, dots, percents,
/// backslashes, ASCII and Unicode whitespace and letters whose Unicode case mapping changes
/// their length: case mapping and trimming touch ASCII only, and paths and cookies read by
/// bytes as they read by characters.
@Suite("ASCII fast paths of request reading")
struct ASCIIFastPathTests {
    static let alphabet: [String] = [
        "a", "z", "A", "Z", "0", "-", ".", ".", "/", "/", "%", "2", "e", "E", "\\", " ", "\t", "\n",
        "\u{0B}", "\u{1F}", "\u{7F}", "\u{E9}", "\u{A0}", "\u{85}", "\u{2028}", "\u{3000}", "\u{DF}", "\u{130}", "?",
        "#", "^", "{", "\u{1F600}",
    ]

    /// Random text of up to 12 symbols of the alphabet.
    static func texts(seed: UInt64, count: Int) -> [String] {
        var random = SplitMix(seed: seed)
        return (0..<count).map { _ in
            (0..<random.next(below: 13)).map { _ in alphabet[random.next(below: alphabet.count)] }.joined()
        }
    }

    /// `text` with each byte in `letters` moved to the other case, byte by byte.
    static func mapped(_ text: String, _ letters: ClosedRange<UInt8>) -> String {
        String(decoding: text.utf8.map { letters.contains($0) ? $0 ^ 0x20 : $0 }, as: UTF8.self)
    }

    /// `text` without space, tab, CR and LF at either end, scalar by scalar.
    static func httpTrimmed(_ text: String) -> String {
        let scalars = text.unicodeScalars
        let space: Set<Unicode.Scalar> = [" ", "\t", "\r", "\n"]
        var start = scalars.startIndex
        var end = scalars.endIndex
        while start < end, space.contains(scalars[start]) { start = scalars.index(after: start) }
        while end > start, space.contains(scalars[scalars.index(before: end)]) { end = scalars.index(before: end) }
        return String(scalars[start..<end])
    }

    /// Only ASCII letters change case and only HTTP whitespace is trimmed, whatever else the
    /// text holds; on ASCII text the case mappings are Unicode's own.
    @Test func caseMappingAndTrimmingOfASCII() {
        var ascii = 0
        for text in Self.texts(seed: 16, count: 20_000) {
            let upper = text.asciiUppercased
            let lower = text.asciiLowercased
            #expect(Array(upper.utf8) == Array(Self.mapped(text, 0x61...0x7A).utf8), "upper \(text.debugDescription)")
            #expect(Array(lower.utf8) == Array(Self.mapped(text, 0x41...0x5A).utf8), "lower \(text.debugDescription)")
            #expect(
                Array(text.trimmingHTTPWhitespace.utf8) == Array(Self.httpTrimmed(text).utf8),
                "trimmed \(text.debugDescription)")
            if text.utf8.allSatisfy({ $0 < 0x80 }) {
                ascii += 1
                #expect(upper == text.uppercased() && lower == text.lowercased(), "\(text.debugDescription)")
            }
        }
        // Both kinds of text come up.
        #expect(ascii > 1_000 && ascii < 19_000)
    }

    @Test func normalPathsAreTheirOwnNormalForm() {
        var fast = 0
        for text in Self.texts(seed: 61, count: 20_000) {
            for raw in ["/" + text, text] {
                #expect(
                    PathNormalizer.normalize(raw) == PathNormalizer.normalizedBySegments(raw),
                    "normalize \(raw.debugDescription)")
                if PathNormalizer.isNormal(raw) { fast += 1 }
            }
        }
        // Both branches are exercised: a fast path never taken would compare nothing.
        #expect(fast > 1_000)
        #expect(fast < 39_000)
    }

    @Test func cookiesReadByteByByteAsByCharacters() {
        var random = SplitMix(seed: 0xC00C1E)
        let pieces = ["a", "b", "session", "Session", "=", "=", ";", ";", " ", "\t", "\"", "x1", "", ",", "\r"]
        let names = ["a", "b", "session", "Session", "x1", "", " a"]
        var found = 0
        for _ in 0..<20_000 {
            let header = (0..<random.next(below: 14)).map { _ in pieces[random.next(below: pieces.count)] }.joined()
            let name = names[random.next(below: names.count)]
            let bytes = SplitSelection.cookie(named: name, in: Substring(header))
            let characters = Self.cookieByCharacters(named: name, in: Substring(header))
            #expect(bytes == characters, "cookie \(name.debugDescription) in \(header.debugDescription)")
            if bytes != nil { found += 1 }
        }
        // Both answers come up: a cookie found and none.
        #expect(found > 1_000)
        #expect(found < 19_000)
    }

    /// Headers with other text split at the same bytes, and names compare byte for byte, as
    /// a Worker's JavaScript compares them: a decomposed é is another name.
    @Test(
        arguments: [
            ("naïve=1; café=\"é\"", "café", "é"),
            ("café=1", "cafe\u{301}", nil),
            ("cafe\u{301}=2; café=1", "cafe\u{301}", "2"),
            ("a=\u{1F600}; b=2", "b", "2"),
            ("=\u{301}x=1; x=2", "x", "2"),
        ] as [(String, String, String?)])
    func nonASCIICookiesByBytes(header: String, name: String, expected: String?) {
        let found = SplitSelection.cookie(named: name, in: Substring(header)).map { Array($0.utf8) }
        #expect(found == expected.map { Array($0.utf8) })
    }

    /// The reference: the cookie read character by character, as the router read it before.
    static func cookieByCharacters(named name: String, in header: Substring) -> Substring? {
        func trimmed(_ text: Substring) -> Substring {
            var result = text
            while let first = result.first, first == " " || first == "\t" { result = result.dropFirst() }
            while let last = result.last, last == " " || last == "\t" { result = result.dropLast() }
            return result
        }
        var rest = header
        while !rest.isEmpty {
            let end = rest.firstIndex(of: ";") ?? rest.endIndex
            let pair = rest[..<end]
            rest = end == rest.endIndex ? rest[end...] : rest[rest.index(after: end)...]
            guard let equals = pair.firstIndex(of: "=") else { continue }
            guard trimmed(pair[..<equals]) == name else { continue }
            var value = trimmed(pair[pair.index(after: equals)...])
            if value.count >= 2, value.hasPrefix("\""), value.hasSuffix("\"") {
                value = value.dropFirst().dropLast()
            }
            return value
        }
        return nil
    }
}
