/// Splits JSONC bytes into tokens, reporting lexical errors (DM101) as it goes.
///
/// The lexer never fails: every byte ends up in a token or in the whitespace between
/// two tokens, and a malformed token is still a token (an unterminated string ends at
/// the end of its line) so the parser can keep the document's structure.
struct Lexer {
    var tokens: [Token] = []
    /// The first `diagnosticLimit` diagnostics; the rest are only counted, so that a
    /// 50 MB binary file does not build millions of messages nobody will read.
    var diagnostics: [Diagnostic] = []
    /// How many diagnostics were found, kept or not.
    var diagnosticTotal = 0
    /// Whether the input ends inside an unterminated string or block comment; the
    /// closing brackets the user wrote are then inside it, so the parser does not report
    /// the containers left open at the end a second time.
    var endsInsideToken = false
    /// Whether some string has a backslash in it; without one, no two keys can be equal
    /// by their escapes, and the parser need not look for them.
    var sawEscape = false
    /// How many tokens could be a property name (strings, words and single-quoted strings),
    /// and how many are comments: the parser's bound on its node count (`Parser.nodeBound`).
    var keyLikeCount = 0
    var commentCount = 0
    /// How many tokens start a value and how many are colons: a well-formed document has
    /// one node per value, one per member and the document (`Parser.expectedNodeCount`).
    var valueStartCount = 0
    var colonCount = 0
    let dialect: JSONDialect
    let diagnosticLimit: Int

    init(dialect: JSONDialect, diagnosticLimit: Int = .max) {
        self.dialect = dialect
        self.diagnosticLimit = max(0, diagnosticLimit)
    }

    /// The length of the input being tokenized.
    private var inputCount = 0

    /// Tokenizes `bytes`; the last token is always `.endOfInput`.
    mutating func tokenize(_ bytes: [UInt8]) {
        inputCount = bytes.count
        tokens.reserveCapacity(bytes.count / 6 + 16)
        bytes.withUnsafeBufferPointer { buffer in
            scan(buffer)
        }
    }

    private mutating func scan(_ buffer: UnsafeBufferPointer<UInt8>) {
        let count = buffer.count
        var index = 0
        // A UTF-8 byte order mark at the very start is accepted as whitespace: editors on
        // Windows write it and it carries no meaning.
        if count >= 3, buffer[0] == 0xEF, buffer[1] == 0xBB, buffer[2] == 0xBF {
            index = 3
        }
        while index < count {
            let byte = buffer[index]
            switch byte {
            case 0x20, 0x09, 0x0A, 0x0D:
                // A line break and the indentation after it are one step, not one per byte.
                index = Self.skipWhitespace(buffer, from: index + 1)
            case UInt8(ascii: "{"):
                emit(.leftBrace, index, index + 1)
                index += 1
            case UInt8(ascii: "}"):
                emit(.rightBrace, index, index + 1)
                index += 1
            case UInt8(ascii: "["):
                emit(.leftBracket, index, index + 1)
                index += 1
            case UInt8(ascii: "]"):
                emit(.rightBracket, index, index + 1)
                index += 1
            case UInt8(ascii: ":"):
                emit(.colon, index, index + 1)
                index += 1
                // Most colons are followed by one space; skipping it here saves a dispatch.
                if index < count, buffer[index] == 0x20 { index += 1 }
            case UInt8(ascii: ","):
                emit(.comma, index, index + 1)
                index += 1
            case UInt8(ascii: "\""):
                index = scanString(buffer, from: index)
                // A key is followed by its colon: taking it here saves a dispatch.
                if index < count, buffer[index] == UInt8(ascii: ":") {
                    emit(.colon, index, index + 1)
                    index += 1
                    if index < count, buffer[index] == 0x20 { index += 1 }
                }
            case UInt8(ascii: "/"):
                index = scanComment(buffer, from: index)
            case UInt8(ascii: "'"):
                index = scanSingleQuoted(buffer, from: index)
            default:
                if Self.isWordByte(byte) {
                    index = scanWord(buffer, from: index)
                } else {
                    index = scanUnknown(buffer, from: index)
                }
            }
        }
        emit(.endOfInput, count, count)
    }

    @inline(__always)
    mutating func emit(_ kind: TokenKind, _ start: Int, _ end: Int) {
        if tokens.count == tokens.capacity { reserveByDensity(at: end) }
        // `kind` is a constant at almost every call, so these tests fold away.
        if kind == .string || kind == .word || kind == .unknown {
            keyLikeCount += 1
        } else if kind == .lineComment || kind == .blockComment {
            commentCount += 1
        }
        if kind.startsValue {
            valueStartCount += 1
        } else if kind == .colon {
            colonCount += 1
        }
        tokens.append(Token(kind: kind, start: Int32(truncatingIfNeeded: start), end: Int32(truncatingIfNeeded: end)))
    }

    /// Grows the token list to what the rest of the input will need at the density seen so
    /// far, plus an eighth. Doubling instead left up to half the list unused: 8 MB reserved
    /// for the 4 MB of tokens of a 2 MB config, kept for as long as the tree is.
    @inline(never)
    private mutating func reserveByDensity(at offset: Int) {
        let count = tokens.count
        // In 64 bits: on wasm32 `Int` is 32 bits, and the product overflows (and traps) from
        // about 110 kB of dense input.
        let expected = Int(clamping: Int64(count) * Int64(inputCount) / Int64(max(offset, 1)))
        tokens.reserveCapacity(max(expected + expected / 8, count + count / 4) + 16)
    }

    mutating func report(
        _ message: @autoclosure () -> String, _ start: Int, _ end: Int,
        help: [String] = [], fixes: [Fix] = []
    ) {
        diagnosticTotal += 1
        guard diagnostics.count < diagnosticLimit else { return }
        diagnostics.append(
            Diagnostic(.syntaxError, message(), at: ByteRange(start: start, end: end), help: help, fixes: fixes))
    }

    @inline(__always)
    static func isWordByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
            UInt8(ascii: "0")...UInt8(ascii: "9"),
            UInt8(ascii: "-"), UInt8(ascii: "+"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "$"):
            true
        default:
            false
        }
    }
}
