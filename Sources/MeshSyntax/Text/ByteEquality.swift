extension StringProtocol {
    /// Whether the two texts are the same UTF-8 bytes: how JSON compares member names (RFC
    /// 8259, section 8.3) and HTTP compares tokens. `==` on `String` compares by canonical
    /// equivalence instead, which links the standard library's Unicode normalization tables
    /// into the edge router's module (docs/edge.md, "What is left"); the two agree on every
    /// ASCII text.
    @inlinable
    package func hasSameBytes<Other: StringProtocol>(as other: Other) -> Bool {
        // Counting a native string's bytes is O(1), and most texts compared differ in length.
        guard utf8.count == other.utf8.count else { return false }
        return withUTF8Bytes { mine in other.withUTF8Bytes { theirs in mine.elementsEqual(theirs) } }
    }

    /// Whether the text's UTF-8 bytes sort before `other`'s: the order JavaScript's default
    /// sort gives ASCII text, and the order `<` on `String` gives it too, without the
    /// Unicode tables `<` needs for other text.
    @inlinable
    package func precedesByBytes<Other: StringProtocol>(_ other: Other) -> Bool {
        withUTF8Bytes { mine in
            other.withUTF8Bytes { theirs in mine.lexicographicallyPrecedes(theirs) }
        }
    }
}

extension RawRepresentable where Self: CaseIterable, RawValue == String {
    /// The case whose raw value is `text`, byte for byte; nil when none is. The synthesized
    /// `init(rawValue:)` matches with a `String` switch, which compares by canonical
    /// equivalence and so links the Unicode tables into the edge router's module.
    package init?(rawBytes text: String) {
        guard let found = Self.allCases.first(where: { $0.rawValue.hasSameBytes(as: text) }) else { return nil }
        self = found
    }
}

extension Optional where Wrapped: StringProtocol {
    /// Whether there is a text and it is `other`'s bytes (``StringProtocol/hasSameBytes(as:)``).
    @inlinable
    package func hasSameBytes<Other: StringProtocol>(as other: Other) -> Bool {
        if let text = self { text.hasSameBytes(as: other) } else { false }
    }
}
