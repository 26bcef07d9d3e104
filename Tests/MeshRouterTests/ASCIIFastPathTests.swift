import MeshSyntax
import MeshTestSupport
import Testing

@testable import MeshRouter

/// The ASCII fast paths of request reading give what the Unicode-aware forms give, on
/// random text mixing ASCII, dots, percents, backslashes, ASCII and Unicode whitespace and
/// letters whose case mapping changes their length.
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

    /// The trimming every request used before the fast path, as the reference.
    static func unicodeTrimmed(_ text: String) -> String {
        let scalars = text.unicodeScalars
        var start = scalars.startIndex
        var end = scalars.endIndex
        while start < end, scalars[start].properties.isWhitespace { start = scalars.index(after: start) }
        while end > start, scalars[scalars.index(before: end)].properties.isWhitespace {
            end = scalars.index(before: end)
        }
        return String(scalars[start..<end])
    }

    @Test func caseMappingAndTrimmingAgreeWithUnicode() {
        for text in Self.texts(seed: 16, count: 20_000) {
            #expect(text.uppercasedFast == text.uppercased(), "uppercased \(text.debugDescription)")
            #expect(text.lowercasedFast == text.lowercased(), "lowercased \(text.debugDescription)")
            #expect(text.trimmingSpaces == Self.unicodeTrimmed(text), "trimmed \(text.debugDescription)")
        }
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
            let bytes = SplitSelection.cookieInASCII(named: name, in: Substring(header))
            let characters = SplitSelection.cookieByCharacters(named: name, in: Substring(header))
            #expect(bytes == characters, "cookie \(name.debugDescription) in \(header.debugDescription)")
            if bytes != nil { found += 1 }
        }
        // Both answers come up: a cookie found and none.
        #expect(found > 1_000)
        #expect(found < 19_000)
    }
}
