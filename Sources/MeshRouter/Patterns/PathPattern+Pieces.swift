extension PathPattern {
    /// What a stretch of a pattern's text is, for editors that colour it.
    public enum PieceKind: Sendable, Hashable {
        /// Bytes matched as written, slashes included.
        case literal
        /// `:name`.
        case parameter
        /// `*`, a whole segment in the middle or the rest of the path at the end.
        case wildcard
    }

    /// The pattern's text cut into literal, parameter and wildcard stretches, as byte
    /// offsets into ``source``, in order and covering it. Read from the compiled items, so
    /// an editor colours exactly what the router matches.
    public var pieces: [(kind: PieceKind, range: Range<Int>)] {
        var result: [(kind: PieceKind, range: Range<Int>)] = []
        var offset = 0
        for item in items {
            let kind: PieceKind
            let length: Int
            switch item {
            case .literal(let bytes):
                (kind, length) = (.literal, bytes.count)
            case .segment(let name?):
                (kind, length) = (.parameter, 1 + name.utf8.count)
            case .segment(nil), .rest:
                (kind, length) = (.wildcard, 1)
            }
            result.append((kind, offset..<(offset + length)))
            offset += length
        }
        // The items always spell the source; if they ever did not, colour nothing rather
        // than colour the wrong bytes.
        return offset == source.utf8.count ? result : []
    }
}
