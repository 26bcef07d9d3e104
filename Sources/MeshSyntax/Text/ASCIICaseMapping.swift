/// Case mapping and trimming that skip Unicode's tables when the text is ASCII.
///
/// A request's method, header names and geo codes are ASCII on almost every request, and
/// the edge router maps and trims a dozen of them per decision; the Unicode-aware
/// `uppercased()`, `lowercased()` and `properties.isWhitespace` cost most of a decision in
/// wasm (docs/edge.md, "Where the time and the bytes go"). A config's endpoint URLs are
/// ASCII too, and `check` maps thousands of them. For ASCII text the results are the same
/// as theirs, so each falls back to the Unicode-aware form only for other text.
extension String {
    /// `uppercased()`: the text itself when nothing needs mapping.
    package var uppercasedFast: String {
        mappingASCIILetters(from: UInt8(ascii: "a")...UInt8(ascii: "z")) ?? uppercased()
    }

    /// `lowercased()`: the text itself when nothing needs mapping.
    package var lowercasedFast: String {
        mappingASCIILetters(from: UInt8(ascii: "A")...UInt8(ascii: "Z")) ?? lowercased()
    }

    /// The text with Unicode whitespace removed from both ends; the text itself when both
    /// ends are ASCII and not whitespace, since an ASCII byte is a whole scalar.
    package var trimmingSpaces: String {
        let endsAreText = withUTF8Bytes { bytes in
            guard let first = bytes.first, let last = bytes.last else { return true }
            return Self.isASCIINonSpace(first) && Self.isASCIINonSpace(last)
        }
        if endsAreText { return self }
        let scalars = unicodeScalars
        var start = scalars.startIndex
        var end = scalars.endIndex
        while start < end, scalars[start].properties.isWhitespace { start = scalars.index(after: start) }
        while end > start, scalars[scalars.index(before: end)].properties.isWhitespace {
            end = scalars.index(before: end)
        }
        return String(scalars[start..<end])
    }

    /// For ASCII text, the text with the letters in `letters` moved to the other case (the
    /// text itself when it has none); nil for text with a non-ASCII byte.
    private func mappingASCIILetters(from letters: ClosedRange<UInt8>) -> String? {
        withUTF8Bytes { bytes in
            var needsMapping = false
            for byte in bytes {
                if byte >= 0x80 { return nil }
                if letters.contains(byte) { needsMapping = true }
            }
            guard needsMapping else { return self }
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

    /// An ASCII byte that is not Unicode whitespace (U+0009 to U+000D and the space are the
    /// only ASCII scalars with the White_Space property).
    private static func isASCIINonSpace(_ byte: UInt8) -> Bool {
        byte < 0x80 && byte != 0x20 && !(0x09...0x0D).contains(byte)
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
