/// The parser's cursor over the token list, its node arena and its diagnostics sink.
extension Parser {
    var current: Token {
        @inline(__always) get { tokens[position] }
    }

    /// Whether a value can start at `token`; a single-quoted string counts, so that it is
    /// kept as an (already reported) value rather than skipped as junk.
    @inline(__always)
    func startsValue(_ token: Token) -> Bool {
        token.kind.startsValue || isSingleQuotedString(token)
    }

    /// Whether a property can start at `token`: a string, or a word or single-quoted
    /// string that the member reports as an unquoted key.
    @inline(__always)
    func startsKey(_ token: Token) -> Bool {
        token.kind == .string || token.kind == .word || isSingleQuotedString(token)
    }

    /// The lexer makes a whole single-quoted string one `.unknown` token starting with `'`;
    /// any other `.unknown` token never starts with `'`.
    @inline(__always)
    func isSingleQuotedString(_ token: Token) -> Bool {
        token.kind == .unknown && token.end - token.start >= 2 && bytes[Int(token.start)] == UInt8(ascii: "'")
    }

    /// The tokens that end a member whatever came before them.
    static func endsMember(_ kind: TokenKind) -> Bool {
        kind == .comma || kind == .rightBrace || kind == .rightBracket || kind == .endOfInput
    }

    /// Whether the last non-comment token before the cursor is a string that the lexer
    /// reported as unterminated; a separator after it was probably swallowed by it.
    func followsUnterminatedString() -> Bool {
        var index = position - 1
        while index >= 0, tokens[index].kind.isTrivia { index -= 1 }
        guard index >= 0, tokens[index].kind == .string else { return false }
        let token = tokens[index]
        return token.end - token.start < 2 || bytes[Int(token.end) - 1] != UInt8(ascii: "\"")
            || Self.endsWithEscapedQuote(bytes, start: Int(token.start), end: Int(token.end))
    }

    /// Whether the quote that ends `start..<end` is escaped (`"abc\"` at a line end is unterminated).
    static func endsWithEscapedQuote(_ bytes: UnsafeBufferPointer<UInt8>, start: Int, end: Int) -> Bool {
        var backslashes = 0
        var index = end - 2
        while index > start, bytes[index] == UInt8(ascii: "\\") {
            backslashes += 1
            index -= 1
        }
        return backslashes % 2 == 1
    }

    /// The kind of the first non-comment token after token index `index`.
    func peekKind(after index: Int) -> TokenKind {
        tokens[peekIndex(after: index)].kind
    }

    /// The index of the first non-comment token after token index `index` (the end of
    /// input token when there is none).
    func peekIndex(after index: Int) -> Int {
        var next = min(index + 1, tokens.count - 1)
        while next < tokens.count - 1, tokens[next].kind.isTrivia { next += 1 }
        return next
    }

    @inline(__always)
    mutating func advance() {
        if position < tokens.count - 1 { position += 1 }
    }

    @inline(__always)
    mutating func skipTrivia() {
        while tokens[position].kind.isTrivia { position += 1 }
    }

    /// The end of the last non-comment token before token index `index`, so that nodes
    /// never swallow the comments that follow them.
    @inline(__always)
    func lastNonTriviaEnd(before index: Int) -> Int {
        var candidate = index - 1
        while candidate >= 0 {
            if !tokens[candidate].kind.isTrivia { return Int(tokens[candidate].end) }
            candidate -= 1
        }
        return 0
    }

    func describe(_ token: Token) -> String {
        switch token.kind {
        case .endOfInput: return "end of input"
        case .string:
            let text = source.text(
                in: ByteRange(start: token.range.start, end: min(token.range.end, token.range.start + 200)))
            var shown = Lexer.displayable(text, limit: 40)
            if shown.hasSuffix("...") { shown += "\"" }
            return "string \(shown)"
        case .number: return "number \(Lexer.displayable(source.text(in: token.range)))"
        default:
            return "'\(Lexer.displayable(source.text(in: token.range)))'"
        }
    }

    // MARK: Arena

    /// Opens a node under `parent`. Nodes nest strictly: every node started after this one
    /// and before its ``finishNode(_:at:)`` is one of its descendants, which is what lets
    /// ``RawNode`` derive children and siblings from `subtreeEnd`.
    @inline(__always)
    mutating func startNode(_ kind: SyntaxKind, at start: Int, parent: Int32) -> Int32 {
        let id = Int32(truncatingIfNeeded: nodeCount)
        guard nodeCount < nodes.count else {
            overflowed = true
            return id
        }
        let offset = Int32(truncatingIfNeeded: start)
        nodes.initializeElement(
            at: nodeCount, to: RawNode(start: offset, end: offset, parent: parent, subtreeEnd: id + 1))
        kinds.initializeElement(at: nodeCount, to: kind)
        nodeCount += 1
        return id
    }

    @inline(__always)
    mutating func finishNode(_ node: Int32, at end: Int) {
        let index = Int(node)
        guard index < nodeCount else { return }
        nodes[index].end = Int32(truncatingIfNeeded: max(Int(nodes[index].start), end))
        nodes[index].subtreeEnd = Int32(truncatingIfNeeded: nodeCount)
    }

    /// Where `node` starts (0 for a node that did not fit, see `overflowed`).
    func nodeStart(_ node: Int32) -> Int {
        Int(node) < nodeCount ? Int(nodes[Int(node)].start) : 0
    }

    // MARK: Diagnostics

    mutating func report(
        _ message: String,
        _ range: ByteRange,
        code: DiagnosticCode = .syntaxError,
        related: [RelatedInformation] = [],
        help: [String] = [],
        fixes: [Fix] = []
    ) {
        add(Diagnostic(code, message, at: range, related: related, help: help, fixes: fixes))
    }

    mutating func add(_ diagnostic: Diagnostic) {
        diagnosticTotal += 1
        if diagnostics.count < diagnosticLimit {
            diagnostics.append(diagnostic)
        }
    }
}
