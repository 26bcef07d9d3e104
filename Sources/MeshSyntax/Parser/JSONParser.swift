/// The recovering JSONC parser.
///
/// `parse` never throws and never traps on any input: it returns a lossless tree plus
/// diagnostics. Recovery follows the shape of the document: a missing comma or colon is
/// reported and assumed, junk is wrapped in `.error` nodes, and an unclosed bracket is
/// closed at the first token that can only belong to an enclosing structure.
public enum JSONParser {
    /// Parses `source` as the given dialect.
    public static func parse(_ source: SourceText, options: ParseOptions = ParseOptions()) -> SyntaxTree {
        // Each stage keeps one diagnostic more than the cap so that the merge below can
        // tell whether anything was left out.
        let limit = max(0, options.maxDiagnostics)
        let keep = limit == .max ? limit : limit + 1
        var lexer = Lexer(dialect: options.dialect, diagnosticLimit: keep)
        lexer.tokenize(source.bytes)
        let tokens = lexer.tokens
        let bound = Parser.nodeBound(tokens: tokens.count, keyLike: lexer.keyLikeCount, comments: lexer.commentCount)
        // The arrays start at what a well-formed document needs, with some room for broken
        // input: the proven bound is nearly twice that (every string counted as a key), and
        // the language server, which holds two versions' trees, paid for the difference in
        // resident memory. Input that needs more is parsed again within the bound.
        let expected = Parser.expectedNodeCount(values: lexer.valueStartCount, colons: lexer.colonCount)
        var capacity = min(bound, expected + expected / 16 + 64)
        var nodes: [RawNode] = []
        var kinds: [SyntaxKind] = []
        var parserDiagnostics: [Diagnostic] = []
        var parserTotal = 0
        // The first attempt fits unless the input is broken past the room it was given; the
        // second, at the proven bound (`nodeBound`), always does. The loop only keeps a wrong
        // proof from writing out of bounds.
        while true {
            var overflowed = false
            source.bytes.withUnsafeBufferPointer { bytes in
                tokens.withUnsafeBufferPointer { tokenBuffer in
                    kinds = [SyntaxKind](unsafeUninitializedCapacity: capacity) { kindBuffer, kindCount in
                        nodes = [RawNode](unsafeUninitializedCapacity: capacity) { nodeBuffer, nodeCount in
                            var parser = Parser(
                                source: source, bytes: bytes, tokens: tokenBuffer, nodes: nodeBuffer,
                                kinds: kindBuffer, options: options, diagnosticLimit: keep,
                                endsInsideToken: lexer.endsInsideToken, keysMayHaveEscapes: lexer.sawEscape)
                            parser.parseDocument()
                            nodeCount = parser.nodeCount
                            overflowed = parser.overflowed
                            parserDiagnostics = parser.diagnostics
                            parserTotal = parser.diagnosticTotal
                        }
                        kindCount = nodes.count
                    }
                }
            }
            if !overflowed { break }
            // The bound is proven, so a second parse always fits; doubling past it only
            // keeps a wrong proof from looping.
            capacity = capacity < bound ? bound : Int(clamping: Int64(capacity) * 2)
        }
        let diagnostics = mergeDiagnostics(
            lexer: lexer.diagnostics, lexerTotal: lexer.diagnosticTotal,
            parser: parserDiagnostics, parserTotal: parserTotal,
            limit: limit
        )
        return SyntaxTree(
            source: source,
            tokens: tokens,
            nodes: nodes,
            kinds: kinds,
            diagnostics: diagnostics,
            dialect: options.dialect
        )
    }

    /// Parses a string (convenience for tests and small inputs).
    public static func parse(_ text: String, options: ParseOptions = ParseOptions()) -> SyntaxTree {
        parse(SourceText(text), options: options)
    }

    /// Puts the lexer's and the parser's findings in document order and applies the cap.
    ///
    /// Each list holds the first findings of its stage in document order, so the first
    /// `limit` of the merged list are the first `limit` of the whole document.
    static func mergeDiagnostics(
        lexer: [Diagnostic], lexerTotal: Int,
        parser: [Diagnostic], parserTotal: Int,
        limit: Int
    ) -> [Diagnostic] {
        // The sort is made stable by the original index so that at one offset the lexer's
        // finding (about the token itself) comes before the parser's (about its place).
        let merged = (lexer + parser).enumerated().sorted { lhs, rhs in
            if lhs.element.range.start != rhs.element.range.start {
                return lhs.element.range.start < rhs.element.range.start
            }
            return lhs.offset < rhs.offset
        }.map { $0.element }
        let total = lexerTotal + parserTotal
        guard total > limit else { return merged }
        var kept = Array(merged.prefix(limit))
        let omitted = total - limit
        let at = merged.count > limit ? merged[limit].range : (kept.last?.range ?? .empty(at: 0))
        kept.append(
            Diagnostic(
                .syntaxError,
                "too many syntax errors: \(omitted) more \(omitted == 1 ? "was" : "were") not reported",
                at: at,
                help: ["fix the errors above first; the file may not be JSON at all"]
            ))
        return kept
    }
}

/// The parser's state: a cursor over the tokens and the node arena being built.
///
/// The parser works on buffers that `JSONParser.parse` keeps alive for the whole parse:
/// every token read and node written is a plain load or store, where the arrays they come
/// from cost a reference count, a uniqueness check and a bounds check each time (a fifth
/// of the parse of a 2 MB config).
struct Parser {
    let source: SourceText
    /// The source's bytes.
    let bytes: UnsafeBufferPointer<UInt8>
    /// The tokens; the last one is always `.endOfInput`.
    let tokens: UnsafeBufferPointer<Token>
    let options: ParseOptions
    /// The nodes built so far (the first `nodeCount`), in document order.
    let nodes: UnsafeMutableBufferPointer<RawNode>
    /// The kind of each node in `nodes`.
    let kinds: UnsafeMutableBufferPointer<SyntaxKind>
    /// How many nodes are built.
    var nodeCount = 0
    /// Set when a node did not fit in `nodes`, which `nodeBound` rules out; the parse
    /// is then repeated with more room.
    var overflowed = false
    /// Whether any string has an escape (see ``KeyTracker``).
    let keysMayHaveEscapes: Bool
    /// The keys of the objects being parsed (see ``KeyTracker``).
    var keyScratch: [KeyTracker.SmallKey] = []
    /// The first `diagnosticLimit` findings; the rest are only counted.
    var diagnostics: [Diagnostic] = []
    /// How many findings there were, kept or not.
    var diagnosticTotal = 0
    let diagnosticLimit: Int
    var position = 0
    var depth = 0
    var reportedUnclosedAtEnd = false
    /// The index of a closing bracket already reported as closing the wrong container, so
    /// that the enclosing level does not report the same token again.
    var reportedCloser = -1
    /// For each token index, how many more closing than opening brackets follow it;
    /// built on the first mismatched closer only.
    var closersAfter: [Int32] = []

    init(
        source: SourceText, bytes: UnsafeBufferPointer<UInt8>, tokens: UnsafeBufferPointer<Token>,
        nodes: UnsafeMutableBufferPointer<RawNode>, kinds: UnsafeMutableBufferPointer<SyntaxKind>,
        options: ParseOptions, diagnosticLimit: Int, endsInsideToken: Bool, keysMayHaveEscapes: Bool
    ) {
        self.source = source
        self.bytes = bytes
        self.tokens = tokens
        self.nodes = nodes
        self.kinds = kinds
        self.options = options
        self.diagnosticLimit = diagnosticLimit
        // When the input ends inside an unterminated string or comment, the lexer's report
        // already explains why the containers are open at the end.
        self.reportedUnclosedAtEnd = endsInsideToken
        self.keysMayHaveEscapes = keysMayHaveEscapes
    }

    /// The node count of a well-formed document with `values` tokens that start a value
    /// and `colons` colons: the document, a node per value, and a member per colon.
    static func expectedNodeCount(values: Int, colons: Int) -> Int {
        // In 64 bits, as in `nodeBound`.
        Int(clamping: 1 + Int64(values) + Int64(colons))
    }

    /// The most nodes any parse of `tokens` tokens builds: the document, plus two for a
    /// token that can be a key (its member and itself) and one for any other token but a
    /// comment or the end. Every node but the document starts at a token the parser then
    /// moves past, and only a key starts two.
    static func nodeBound(tokens: Int, keyLike: Int, comments: Int) -> Int {
        // In 64 bits: on wasm32 `Int` is 32 bits and the sum could overflow.
        let others = Int64(tokens) - 1 - Int64(keyLike) - Int64(comments)
        return Int(clamping: max(1, 1 + 2 * Int64(keyLike) + others))
    }

    // MARK: Document

    mutating func parseDocument() {
        let document = startNode(.document, at: 0, parent: -1)
        skipTrivia()
        let first = current
        if first.kind == .endOfInput {
            report("expected a JSON value, found end of input", first.range)
        } else {
            if !startsValue(first) {
                // Junk before the value is reported once and skipped, so that `} {...}`
                // still yields the object.
                if first.kind != .unknown {
                    report("expected a JSON value, found \(describe(first))", first.range)
                }
                let junk = startNode(.error, at: first.range.start, parent: document)
                while current.kind != .endOfInput, !startsValue(current) {
                    advance()
                    skipTrivia()
                }
                finishNode(junk, at: lastNonTriviaEnd(before: position))
            }
            if startsValue(current) {
                parseValue(parent: document)
            }
        }
        skipTrivia()
        if current.kind != .endOfInput {
            let junkStart = current.range.start
            // A closer already reported as closing the wrong container, or a token the
            // lexer already complained about, needs no second message.
            if position != reportedCloser, current.kind != .unknown {
                report(
                    "unexpected \(describe(current)) after the end of the document", current.range,
                    help: ["a document holds exactly one value; wrap several values in an array"])
            }
            let junk = startNode(.error, at: junkStart, parent: document)
            position = tokens.count - 1
            finishNode(junk, at: lastNonTriviaEnd(before: position))
        }
        finishNode(document, at: source.count)
    }

    // MARK: Values

    /// Parses one value starting at the current token, which must start a value.
    mutating func parseValue(parent: Int32) {
        let token = current
        switch token.kind {
        case .leftBrace:
            if depth >= options.maxDepth { skipTooDeep(parent: parent) } else { parseObject(parent: parent) }
        case .leftBracket:
            if depth >= options.maxDepth { skipTooDeep(parent: parent) } else { parseArray(parent: parent) }
        case .string: leaf(.string, token, parent: parent)
        case .number: leaf(.number, token, parent: parent)
        case .trueKeyword: leaf(.trueLiteral, token, parent: parent)
        case .falseKeyword: leaf(.falseLiteral, token, parent: parent)
        case .nullKeyword: leaf(.nullLiteral, token, parent: parent)
        case .unknown:
            // The lexer has already explained this token (a single-quoted string).
            leaf(.error, token, parent: parent)
        default:
            reportWord(token)
            leaf(.error, token, parent: parent)
        }
    }

    mutating func leaf(_ kind: SyntaxKind, _ token: Token, parent: Int32) {
        let node = startNode(kind, at: Int(token.start), parent: parent)
        finishNode(node, at: Int(token.end))
        advance()
    }

    mutating func parseObject(parent: Int32) {
        let open = current
        let object = startNode(.object, at: Int(open.start), parent: parent)
        depth += 1
        defer { depth -= 1 }
        advance()
        var seenKeys = KeyTracker(base: keyScratch.count)
        defer { keyScratch.removeLast(keyScratch.count - seenKeys.base) }
        var lastComma: Token?
        loop: while true {
            skipTrivia()
            let token = current
            switch token.kind {
            case .rightBrace:
                if let comma = lastComma { trailingComma(comma) }
                advance()
                finishNode(object, at: Int(token.end))
                return
            case _ where startsKey(token):
                lastComma = nil
                parseMember(object: object, seenKeys: &seenKeys)
                skipTrivia()
                switch current.kind {
                case .comma:
                    lastComma = current
                    advance()
                case .rightBrace, .endOfInput, .rightBracket:
                    break
                case _ where current.kind == .string || (startsKey(current) && peekKind(after: position) == .colon):
                    // The next property has begun, so only the comma is missing, unless an
                    // unterminated string swallowed it (already reported).
                    if !followsUnterminatedString() {
                        report(
                            "expected ',' between properties, found \(describe(current))", current.range,
                            fixes: [
                                Fix(
                                    title: "Insert ','",
                                    edits: [
                                        TextEdit(range: .empty(at: lastNonTriviaEnd(before: position)), newText: ",")
                                    ])
                            ])
                    }
                default:
                    if current.kind != .unknown {
                        report("expected ',' or '}' after a property, found \(describe(current))", current.range)
                    }
                    skipJunk(parent: object, stopAt: [.comma, .rightBrace, .rightBracket, .string])
                }
            case .comma:
                report("expected a property, found ','", token.range)
                // This comma is already reported; it must not be reported again as trailing.
                lastComma = nil
                advance()
            case .rightBracket where closerIsTypo():
                wrongCloser(open, expected: "}", at: token)
                advance()
                finishNode(object, at: Int(token.end))
                return
            case .endOfInput, .rightBracket:
                unclosed(open, expected: "}", at: token)
                finishNode(object, at: lastNonTriviaEnd(before: position))
                return
            default:
                if token.kind != .unknown {
                    report("expected a property name in double quotes, found \(describe(token))", token.range)
                }
                lastComma = nil
                skipJunk(parent: object, stopAt: [.comma, .rightBrace, .rightBracket, .string])
            }
            continue loop
        }
    }

    mutating func parseMember(object: Int32, seenKeys: inout KeyTracker) {
        let keyToken = current
        let member = startNode(.member, at: Int(keyToken.start), parent: object)
        if keyToken.kind == .word {
            report(
                "property names must be in double quotes: found \(describe(keyToken))", keyToken.range,
                fixes: [
                    Fix(
                        title: "Quote the property name",
                        edits: [TextEdit(range: keyToken.range, newText: "\"\(source.text(in: keyToken.range))\"")])
                ])
            leaf(.error, keyToken, parent: member)
        } else if keyToken.kind == .unknown {
            // A single-quoted key, which the lexer has already reported with a fix.
            leaf(.error, keyToken, parent: member)
        } else {
            leaf(.string, keyToken, parent: member)
            checkDuplicate(keyToken, seenKeys: &seenKeys)
        }
        skipTrivia()
        if current.kind == .colon {
            advance()
            skipTrivia()
        } else if startsValue(current) {
            report(
                "expected ':' after the property name", ByteRange.empty(at: Int(keyToken.end)),
                fixes: [Fix(title: "Insert ':'", edits: [TextEdit(range: .empty(at: Int(keyToken.end)), newText: ":")])]
            )
        } else if current.kind == .unknown, startsValue(tokens[peekIndex(after: position)]) {
            // A stray character in place of the colon (`"a" = 1`) is already reported by the
            // lexer; it stands in for the colon so that the value is kept.
            advance()
            skipTrivia()
        } else {
            report("expected ':' and a value after the property name, found \(describe(current))", current.range)
            finishNode(member, at: Int(keyToken.end))
            return
        }
        if !startsValue(current), !Self.endsMember(current.kind) {
            // Junk between the colon and the value (`"a": : 1`, `"a": @ 1`) is reported
            // once and skipped; the value after it is still the member's value.
            if current.kind != .unknown {
                report("expected a value, found \(describe(current))", current.range)
            }
            while !startsValue(current), !Self.endsMember(current.kind) {
                advance()
                skipTrivia()
            }
            if startsValue(current) { parseValue(parent: member) }
        } else if startsValue(current) {
            parseValue(parent: member)
        } else {
            report("expected a value, found \(describe(current))", current.range)
        }
        finishNode(member, at: lastNonTriviaEnd(before: position))
    }

    mutating func parseArray(parent: Int32) {
        let open = current
        let array = startNode(.array, at: Int(open.start), parent: parent)
        depth += 1
        defer { depth -= 1 }
        advance()
        var lastComma: Token?
        var expectingValue = true
        while true {
            skipTrivia()
            let token = current
            switch token.kind {
            case .rightBracket:
                if let comma = lastComma { trailingComma(comma) }
                advance()
                finishNode(array, at: Int(token.end))
                return
            case .rightBrace where closerIsTypo():
                wrongCloser(open, expected: "]", at: token)
                advance()
                finishNode(array, at: Int(token.end))
                return
            case .endOfInput, .rightBrace:
                unclosed(open, expected: "]", at: token)
                finishNode(array, at: lastNonTriviaEnd(before: position))
                return
            case .comma:
                if expectingValue {
                    report("expected a value, found ','", token.range)
                }
                // A comma already reported as missing its value must not be reported
                // again as trailing.
                lastComma = expectingValue ? nil : token
                expectingValue = true
                advance()
            case _ where startsValue(token):
                if !expectingValue, !followsUnterminatedString() {
                    report(
                        "expected ',' between elements, found \(describe(token))", token.range,
                        fixes: [
                            Fix(
                                title: "Insert ','",
                                edits: [TextEdit(range: .empty(at: lastNonTriviaEnd(before: position)), newText: ",")])
                        ])
                }
                lastComma = nil
                expectingValue = false
                parseValue(parent: array)
            default:
                // Junk where a separator belongs (`[1; 2]`, `["a": 1]`) stands in for the
                // separator, so the value after it is not reported a second time.
                if token.kind != .unknown {
                    report(
                        expectingValue
                            ? "expected a value, found \(describe(token))"
                            : "expected ',' or ']' after an element, found \(describe(token))",
                        token.range)
                }
                lastComma = nil
                expectingValue = true
                leaf(.error, token, parent: array)
            }
        }
    }

    /// Consumes a container nested past the depth limit without recursing, so that even
    /// a 100,000-deep `[[[[` file parses in bounded stack space.
    mutating func skipTooDeep(parent: Int32) {
        let open = current
        report("nesting is deeper than \(options.maxDepth) levels", open.range, code: .nestingTooDeep)
        let node = startNode(.error, at: Int(open.start), parent: parent)
        var level = 0
        while current.kind != .endOfInput {
            switch current.kind {
            case .leftBrace, .leftBracket: level += 1
            case .rightBrace, .rightBracket: level -= 1
            default: break
            }
            advance()
            if level == 0 { break }
        }
        finishNode(node, at: lastNonTriviaEnd(before: position))
    }

    /// Wraps tokens in an `.error` node up to (not including) a token that recovery can resume at.
    mutating func skipJunk(parent: Int32, stopAt stops: Set<TokenKind>) {
        let node = startNode(.error, at: current.range.start, parent: parent)
        var level = 0
        while current.kind != .endOfInput {
            let kind = current.kind
            if level == 0, stops.contains(kind) { break }
            if kind == .leftBrace || kind == .leftBracket { level += 1 }
            if kind == .rightBrace || kind == .rightBracket {
                if level == 0 { break }
                level -= 1
            }
            advance()
            skipTrivia()
        }
        finishNode(node, at: max(nodeStart(node), lastNonTriviaEnd(before: position)))
    }

}
