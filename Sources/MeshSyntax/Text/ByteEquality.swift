extension StringProtocol {
    /// Whether the two texts are the same UTF-8 bytes: how JSON compares member names (RFC
    /// 8259, section 8.3) and HTTP compares tokens. `==` on `String` compares by canonical
    /// equivalence instead, which links the standard library's Unicode normalization tables
    /// into the edge router's module (docs/edge.md, "What is left"); the two agree on every
    /// ASCII text.
    @inlinable
    package func hasSameBytes<Other: StringProtocol>(as other: Other) -> Bool {
        withUTF8Bytes { mine in
            other.withUTF8Bytes { theirs in
                mine.count == theirs.count && mine.elementsEqual(theirs)
            }
        }
    }
}
