/// The kind of a lexical token of JSONC.
public enum TokenKind: UInt8, Sendable, Hashable {
    case leftBrace, rightBrace, leftBracket, rightBracket, colon, comma
    case string, number
    case trueKeyword, falseKeyword, nullKeyword
    /// A run of letters, digits and `.+-_` that is neither a number nor a keyword
    /// (`tru`, `NaN`, an unquoted key); the parser decides what to say about it.
    case word
    case lineComment, blockComment
    /// Bytes that cannot start any token (`'`, `#`, a control character, invalid UTF-8).
    case unknown
    case endOfInput

    /// Whether the token is a comment, which the parser skips but the tree keeps.
    public var isTrivia: Bool { self == .lineComment || self == .blockComment }

    /// Whether a value can start with this token.
    public var startsValue: Bool {
        switch self {
        case .leftBrace, .leftBracket, .string, .number, .trueKeyword, .falseKeyword, .nullKeyword, .word: true
        default: false
        }
    }
}

/// One token: its kind and its bytes.
///
/// Whitespace is not stored: it is exactly the gap between two tokens, so the token
/// list plus the source bytes still reproduce the document byte for byte.
public struct Token: Sendable, Hashable {
    /// What the token is.
    public var kind: TokenKind
    /// Offset of the first byte.
    public var start: Int32
    /// Offset one past the last byte.
    public var end: Int32

    /// The token's bytes as a range.
    public var range: ByteRange { ByteRange(start: Int(start), end: Int(end)) }
}
