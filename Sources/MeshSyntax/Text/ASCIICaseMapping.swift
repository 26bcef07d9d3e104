/// Case mapping and trimming of ASCII only, for the text HTTP and the router compare: methods
/// and header names (RFC 9110 tokens, ASCII by definition), hosts (ASCII once a URL parser has
/// applied IDNA; the WHATWG host parser lowercases ASCII letters only), URL schemes, geo codes
/// (IATA and ISO 3166 letters) and strategy keywords.
///
/// Only ASCII letters change; every other byte stays as it is, so a non-ASCII letter is never
/// equal to its other case. That is what the standards above say, and it keeps the Unicode
/// tables that `uppercased()` and `lowercased()` need out of the edge router's module
/// (docs/edge.md, "What is left"). The results are the same as theirs for ASCII text.
extension String {
    /// The text with ASCII `a` to `z` upper-cased; the text itself when it has none.
    package var asciiUppercased: String {
        mappingASCIILetters(from: UInt8(ascii: "a")...UInt8(ascii: "z"))
    }

    /// The text with ASCII `A` to `Z` lower-cased; the text itself when it has none.
    package var asciiLowercased: String {
        mappingASCIILetters(from: UInt8(ascii: "A")...UInt8(ascii: "Z"))
    }

    /// The text without the HTTP whitespace (space, tab, CR and LF; the Fetch standard's
    /// definition) at either end, as the Fetch API's `Headers` normalizes a value; the text
    /// itself when there is none.
    package var trimmingHTTPWhitespace: String {
        trimmingBytes(where: Self.isHTTPWhitespace)
    }

    /// The text without the bytes `isTrimmed` accepts at either end; the text itself, not a
    /// copy, when there are none. `isTrimmed` accepts ASCII bytes only, so the cuts fall
    /// between scalars.
    package func trimmingBytes(where isTrimmed: (UInt8) -> Bool) -> String {
        withUTF8Bytes { bytes in
            let kept = bytes.untrimmed(where: isTrimmed)
            if kept.count == bytes.count { return self }
            return String(decoding: UnsafeBufferPointer(rebasing: bytes[kept]), as: UTF8.self)
        }
    }

    /// The text with the letters in `letters` moved to the other case; the text itself when
    /// it has none.
    private func mappingASCIILetters(from letters: ClosedRange<UInt8>) -> String {
        withUTF8Bytes { bytes in
            guard bytes.contains(where: { letters.contains($0) }) else { return self }
            // Written in place: mapping into an array first allocated twice per string.
            return String(unsafeUninitializedCapacity: bytes.count) { mapped in
                for index in 0..<bytes.count {
                    let byte = bytes[index]
                    mapped[index] = letters.contains(byte) ? byte ^ 0x20 : byte
                }
                return bytes.count
            }
        }
    }

    private static func isHTTPWhitespace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D
    }
}

extension StringProtocol {
    /// Runs `body` on the text's UTF-8 bytes in place. A native string's (or substring's)
    /// bytes are contiguous; walking them through a buffer skips the per-byte index checks of
    /// `String.UTF8View`, which cost much of a decision in the wasm build. Inlinable, so
    /// that a caller in another module gets it specialized for its result type instead of
    /// looking up generic metadata on every call.
    @inlinable
    package func withUTF8Bytes<Result>(_ body: (UnsafeBufferPointer<UInt8>) -> Result) -> Result {
        if let result = utf8.withContiguousStorageIfAvailable(body) { return result }
        return Array(utf8).withUnsafeBufferPointer(body)
    }
}

extension UnsafeBufferPointer<UInt8> {
    /// The positions left once the bytes `isTrimmed` accepts are dropped from either end.
    package func untrimmed(where isTrimmed: (UInt8) -> Bool) -> Range<Int> {
        var start = 0
        var end = count
        while start < end, isTrimmed(self[start]) { start += 1 }
        while end > start, isTrimmed(self[end - 1]) { end -= 1 }
        return start..<end
    }
}
