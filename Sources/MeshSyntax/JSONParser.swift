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
        var parser = Parser(source: source, tokens: lexer.tokens, options: options, diagnosticLimit: keep,
                            endsInsideToken: lexer.endsInsideToken)
        parser.parseDocument()
        let diagnostics = mergeDiagnostics(
            lexer: lexer.diagnostics, lexerTotal: lexer.diagnosticTotal,
            parser: parser.diagnostics, parserTotal: parser.diagnosticTotal,
            limit: limit
        )
        return SyntaxTree(
            source: source,
            tokens: lexer.tokens,
            nodes: parser.nodes,
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
        }.map(\.element)
        let total = lexerTotal + parserTotal
        guard total > limit else { return merged }
        var kept = Array(merged.prefix(limit))
        let omitted = total - limit
        let at = merged.count > limit ? merged[limit].range : (kept.last?.range ?? .empty(at: 0))
        kept.append(Diagnostic(
            .syntaxError,
            "too many syntax errors: \(omitted) more \(omitted == 1 ? "was" : "were") not reported",
            at: at,
            help: ["fix the errors above first; the file may not be JSON at all"]
        ))
        return kept
    }
}

/// The parser's state: a cursor over the tokens and the node arena being built.
struct Parser {
    let source: SourceText
    let tokens: [Token]
    let options: ParseOptions
    private(set) var nodes: [RawNode] = []
    /// The first `diagnosticLimit` findings; the rest are only counted.
    private(set) var diagnostics: [Diagnostic] = []
    /// How many findings there were, kept or not.
    private(set) var diagnosticTotal = 0
    private let diagnosticLimit: Int
    private var position = 0
    private var depth = 0
    private var reportedUnclosedAtEnd = false
    /// The index of a closing bracket already reported as closing the wrong container, so
    /// that the enclosing level does not report the same token again.
    private var reportedCloser = -1
    /// For each token index, how many more closing than opening brackets follow it;
    /// built on the first mismatched closer only.
    private var closersAfter: [Int32] = []

    init(source: SourceText, tokens: [Token], options: ParseOptions, diagnosticLimit: Int, endsInsideToken: Bool) {
        self.source = source
        self.tokens = tokens
        self.options = options
        self.diagnosticLimit = diagnosticLimit
        // When the input ends inside an unterminated string or comment, the lexer's report
        // already explains why the containers are open at the end.
        self.reportedUnclosedAtEnd = endsInsideToken
        nodes.reserveCapacity(tokens.count)
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
                report("unexpected \(describe(current)) after the end of the document", current.range,
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
    private mutating func parseValue(parent: Int32) {
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

    private mutating func leaf(_ kind: SyntaxKind, _ token: Token, parent: Int32) {
        let node = startNode(kind, at: Int(token.start), parent: parent)
        finishNode(node, at: Int(token.end))
        advance()
    }

    private mutating func parseObject(parent: Int32) {
        let open = current
        let object = startNode(.object, at: Int(open.start), parent: parent)
        depth += 1
        defer { depth -= 1 }
        advance()
        var seenKeys = KeyTracker()
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
                        report("expected ',' between properties, found \(describe(current))", current.range,
                               fixes: [Fix(title: "Insert ','", edits: [TextEdit(range: .empty(at: lastNonTriviaEnd(before: position)), newText: ",")])])
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

    private mutating func parseMember(object: Int32, seenKeys: inout KeyTracker) {
        let keyToken = current
        let member = startNode(.member, at: Int(keyToken.start), parent: object)
        if keyToken.kind == .word {
            report("property names must be in double quotes: found \(describe(keyToken))", keyToken.range,
                   fixes: [Fix(title: "Quote the property name", edits: [TextEdit(range: keyToken.range, newText: "\"\(source.text(in: keyToken.range))\"")])])
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
            report("expected ':' after the property name", ByteRange.empty(at: Int(keyToken.end)),
                   fixes: [Fix(title: "Insert ':'", edits: [TextEdit(range: .empty(at: Int(keyToken.end)), newText: ":")])])
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

    private mutating func parseArray(parent: Int32) {
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
                    report("expected ',' between elements, found \(describe(token))", token.range,
                           fixes: [Fix(title: "Insert ','", edits: [TextEdit(range: .empty(at: lastNonTriviaEnd(before: position)), newText: ",")])])
                }
                lastComma = nil
                expectingValue = false
                parseValue(parent: array)
            default:
                // Junk where a separator belongs (`[1; 2]`, `["a": 1]`) stands in for the
                // separator, so the value after it is not reported a second time.
                if token.kind != .unknown {
                    report(expectingValue ? "expected a value, found \(describe(token))"
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
    private mutating func skipTooDeep(parent: Int32) {
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
    private mutating func skipJunk(parent: Int32, stopAt stops: Set<TokenKind>) {
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
        finishNode(node, at: max(nodes[Int(node)].start.asInt, lastNonTriviaEnd(before: position)))
    }

    // MARK: Specific findings

    private mutating func trailingComma(_ comma: Token) {
        let fix = Fix(title: "Remove the trailing comma", edits: [TextEdit(range: comma.range, newText: "")])
        switch options.dialect {
        case .strict:
            report("trailing commas are not allowed in strict JSON", comma.range, fixes: [fix])
        case .json:
            report("trailing comma", comma.range, code: .trailingComma, fixes: [fix])
        case .jsonc:
            break
        }
    }

    private mutating func unclosed(_ open: Token, expected: String, at token: Token) {
        // At the end of input every open container is unclosed; the innermost one is the
        // one the user is editing, so only it is reported.
        if token.kind == .endOfInput {
            if reportedUnclosedAtEnd { return }
            reportedUnclosedAtEnd = true
        }
        if token.kind != .endOfInput { reportedCloser = position }
        let opening = source.lineIndex.position(of: Int(open.start), in: .utf16)
        let found = token.kind == .endOfInput ? "end of input" : describe(token)
        report("expected '\(expected)' to close the \(expected == "}" ? "object" : "array") opened at line \(opening.line + 1), found \(found)",
               token.kind == .endOfInput ? .empty(at: Int(token.start)) : token.range,
               related: [RelatedInformation(message: "the unclosed '\(expected == "}" ? "{" : "[")'", range: open.range)])
    }

    /// Whether the closing bracket at the cursor, which does not match the innermost open
    /// container, is a typo for the right one rather than a sign that the right one is missing.
    ///
    /// The brackets after it decide: if they close exactly the containers that stay open
    /// once this one is closed, the user mistyped this closer (`[1, 2},` in an object
    /// that goes on); otherwise the closer belongs to an enclosing container and this
    /// one was left open (`{"a": [1, 2}` at the end).
    private mutating func closerIsTypo() -> Bool {
        if closersAfter.isEmpty {
            // Computed once, from the end: how many more closers than openers follow each token.
            closersAfter = [Int32](repeating: 0, count: tokens.count)
            var net: Int32 = 0
            for index in stride(from: tokens.count - 1, through: 0, by: -1) {
                closersAfter[index] = net
                switch tokens[index].kind {
                case .rightBrace, .rightBracket: net += 1
                case .leftBrace, .leftBracket: net -= 1
                default: break
                }
            }
        }
        return Int(closersAfter[position]) == depth - 1
    }

    private mutating func wrongCloser(_ open: Token, expected: String, at token: Token) {
        let opening = source.lineIndex.position(of: Int(open.start), in: .utf16)
        let kind = expected == "}" ? "object" : "array"
        report("expected '\(expected)' to close the \(kind) opened at line \(opening.line + 1), found \(describe(token))", token.range,
               related: [RelatedInformation(message: "the \(kind) opened here", range: open.range)],
               fixes: [Fix(title: "Replace with '\(expected)'", edits: [TextEdit(range: token.range, newText: expected)])])
    }

    private mutating func checkDuplicate(_ keyToken: Token, seenKeys: inout KeyTracker) {
        guard options.dialect != .strict else { return }
        let range = keyToken.range
        guard let first = source.bytes.withUnsafeBufferPointer({ seenKeys.insert(range, in: $0) }) else { return }
        let name = source.bytes.withUnsafeBufferPointer { StringDecoding.decode($0, range: range) }
        let severity: Severity = options.dialect == .json ? .error : .warning
        let shown = Lexer.displayable(name)
        add(Diagnostic(.duplicateKey, "duplicate key '\(shown)': the later value wins; remove one of them", at: range, severity: severity,
                       related: [RelatedInformation(message: "'\(shown)' is first defined here", range: first)]))
    }

    private mutating func reportWord(_ token: Token) {
        let text = source.text(in: token.range)
        let lowered = text.lowercased()
        let shown = Lexer.displayable(text)
        var help: [String] = []
        var fixes: [Fix] = []
        let message: String
        if ["true", "false", "null"].contains(lowered) {
            message = "unexpected '\(shown)': JSON literals are lower case"
            fixes = [Fix(title: "Replace with '\(lowered)'", edits: [TextEdit(range: token.range, newText: lowered)])]
        } else if ["nan", "-nan", "+nan", "infinity", "-infinity", "+infinity", "inf", "-inf", "+inf", "undefined"].contains(lowered) {
            message = "unexpected '\(shown)': JSON has no \(lowered == "undefined" ? "undefined" : "NaN or Infinity")"
            help = ["use null, or a string"]
        } else if let first = text.first, first == "+" || first == "." {
            message = "invalid number '\(shown)': a number cannot start with '\(first)'"
            // The fix is only offered when it yields a valid number.
            let fixed = first == "+" ? String(text.dropFirst()) : "0" + text
            if NumberSyntax.isValid(fixed) {
                fixes = [Fix(title: "Replace with '\(fixed)'", edits: [TextEdit(range: token.range, newText: fixed)])]
            }
        } else if let suggestion = ["true", "false", "null"].first(where: { EditDistance.distance(lowered, $0, limit: 2) <= 2 }) {
            message = "unexpected '\(shown)'; did you mean '\(suggestion)'?"
            fixes = [Fix(title: "Replace with '\(suggestion)'", edits: [TextEdit(range: token.range, newText: suggestion)])]
        } else {
            message = "unexpected '\(shown)': strings must be in double quotes"
            fixes = [Fix(title: "Quote it", edits: [TextEdit(range: token.range, newText: "\"\(text)\"")])]
        }
        report(message, token.range, help: help, fixes: fixes)
    }

    // MARK: Cursor

    private var current: Token { tokens[position] }

    /// Whether a value can start at `token`; a single-quoted string counts, so that it is
    /// kept as an (already reported) value rather than skipped as junk.
    private func startsValue(_ token: Token) -> Bool {
        token.kind.startsValue || isSingleQuotedString(token)
    }

    /// Whether a property can start at `token`: a string, or a word or single-quoted
    /// string that the member reports as an unquoted key.
    private func startsKey(_ token: Token) -> Bool {
        token.kind == .string || token.kind == .word || isSingleQuotedString(token)
    }

    /// The lexer makes a whole single-quoted string one `.unknown` token starting with `'`;
    /// any other `.unknown` token never starts with `'`.
    private func isSingleQuotedString(_ token: Token) -> Bool {
        token.kind == .unknown && token.end - token.start >= 2 && source.bytes[Int(token.start)] == UInt8(ascii: "'")
    }

    /// The tokens that end a member whatever came before them.
    private static func endsMember(_ kind: TokenKind) -> Bool {
        kind == .comma || kind == .rightBrace || kind == .rightBracket || kind == .endOfInput
    }

    /// Whether the last non-comment token before the cursor is a string that the lexer
    /// reported as unterminated; a separator after it was probably swallowed by it.
    private func followsUnterminatedString() -> Bool {
        var index = position - 1
        while index >= 0, tokens[index].kind.isTrivia { index -= 1 }
        guard index >= 0, tokens[index].kind == .string else { return false }
        let token = tokens[index]
        return token.end - token.start < 2 || source.bytes[Int(token.end) - 1] != UInt8(ascii: "\"")
            || Self.endsWithEscapedQuote(source.bytes, start: Int(token.start), end: Int(token.end))
    }

    /// Whether the quote that ends `start..<end` is escaped (`"abc\"` at a line end is unterminated).
    private static func endsWithEscapedQuote(_ bytes: [UInt8], start: Int, end: Int) -> Bool {
        var backslashes = 0
        var index = end - 2
        while index > start, bytes[index] == UInt8(ascii: "\\") {
            backslashes += 1
            index -= 1
        }
        return backslashes % 2 == 1
    }

    /// The kind of the first non-comment token after token index `index`.
    private func peekKind(after index: Int) -> TokenKind {
        tokens[peekIndex(after: index)].kind
    }

    /// The index of the first non-comment token after token index `index` (the end of
    /// input token when there is none).
    private func peekIndex(after index: Int) -> Int {
        var next = min(index + 1, tokens.count - 1)
        while next < tokens.count - 1, tokens[next].kind.isTrivia { next += 1 }
        return next
    }

    private mutating func advance() {
        if position < tokens.count - 1 { position += 1 }
    }

    private mutating func skipTrivia() {
        while tokens[position].kind.isTrivia { position += 1 }
    }

    /// The end of the last non-comment token before token index `index`, so that nodes
    /// never swallow the comments that follow them.
    private func lastNonTriviaEnd(before index: Int) -> Int {
        var candidate = index - 1
        while candidate >= 0 {
            if !tokens[candidate].kind.isTrivia { return Int(tokens[candidate].end) }
            candidate -= 1
        }
        return 0
    }

    private func describe(_ token: Token) -> String {
        switch token.kind {
        case .endOfInput: return "end of input"
        case .string:
            let text = source.text(in: ByteRange(start: token.range.start, end: min(token.range.end, token.range.start + 200)))
            var shown = Lexer.displayable(text, limit: 40)
            if shown.hasSuffix("...") { shown += "\"" }
            return "string \(shown)"
        case .number: return "number \(Lexer.displayable(source.text(in: token.range)))"
        default:
            return "'\(Lexer.displayable(source.text(in: token.range)))'"
        }
    }

    // MARK: Arena

    private mutating func startNode(_ kind: SyntaxKind, at start: Int, parent: Int32) -> Int32 {
        let id = Int32(truncatingIfNeeded: nodes.count)
        nodes.append(RawNode(kind: kind, start: Int32(truncatingIfNeeded: start), end: Int32(truncatingIfNeeded: start), parent: parent))
        if parent >= 0 {
            let parentIndex = Int(parent)
            let previous = nodes[parentIndex].lastChild
            if previous >= 0 {
                nodes[Int(previous)].nextSibling = id
            } else {
                nodes[parentIndex].firstChild = id
            }
            nodes[parentIndex].lastChild = id
        }
        return id
    }

    private mutating func finishNode(_ node: Int32, at end: Int) {
        let index = Int(node)
        nodes[index].end = Int32(truncatingIfNeeded: max(Int(nodes[index].start), end))
    }

    // MARK: Diagnostics

    private mutating func report(
        _ message: String,
        _ range: ByteRange,
        code: DiagnosticCode = .syntaxError,
        related: [RelatedInformation] = [],
        help: [String] = [],
        fixes: [Fix] = []
    ) {
        add(Diagnostic(code, message, at: range, related: related, help: help, fixes: fixes))
    }

    private mutating func add(_ diagnostic: Diagnostic) {
        diagnosticTotal += 1
        if diagnostics.count < diagnosticLimit {
            diagnostics.append(diagnostic)
        }
    }
}

/// Remembers the keys of one object to find duplicates; small objects use a linear scan
/// because most config objects have a handful of keys.
struct KeyTracker {
    private var small: [ByteRange] = []
    private var large: [UInt64: [ByteRange]] = [:]
    /// Set once a key with an escape appears: from then on keys are compared decoded,
    /// since `"a"` and `"\u0061"` are the same key.
    private var decoded: [String: ByteRange]?

    /// Records the key token at `range`; returns the range of an earlier equal key, if any.
    ///
    /// Keys are compared as raw bytes, which needs no allocation; most configs never
    /// escape a key, and the `services` object can have thousands of them.
    mutating func insert(_ range: ByteRange, in buffer: UnsafeBufferPointer<UInt8>) -> ByteRange? {
        let bytes = UnsafeBufferPointer(rebasing: buffer[range.start..<range.end])
        if decoded == nil, bytes.contains(UInt8(ascii: "\\")) {
            var map: [String: ByteRange] = [:]
            for earlier in small + large.values.flatMap({ $0 }) where map[StringDecoding.decode(buffer, range: earlier)] == nil {
                map[StringDecoding.decode(buffer, range: earlier)] = earlier
            }
            decoded = map
        }
        if decoded != nil {
            let name = StringDecoding.decode(buffer, range: range)
            if let existing = decoded?[name] { return existing }
            decoded?[name] = range
            return nil
        }
        if large.isEmpty {
            for earlier in small where Self.equal(buffer, earlier, bytes) { return earlier }
            small.append(range)
            if small.count > 16 {
                for earlier in small { large[Self.hash(UnsafeBufferPointer(rebasing: buffer[earlier.start..<earlier.end])), default: []].append(earlier) }
                small.removeAll()
            }
            return nil
        }
        let hash = Self.hash(bytes)
        if let candidates = large[hash] {
            for earlier in candidates where Self.equal(buffer, earlier, bytes) { return earlier }
        }
        large[hash, default: []].append(range)
        return nil
    }

    private static func equal(_ buffer: UnsafeBufferPointer<UInt8>, _ range: ByteRange, _ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        guard range.length == bytes.count else { return false }
        for offset in 0..<bytes.count where buffer[range.start + offset] != bytes[offset] {
            return false
        }
        return true
    }

    /// FNV-1a, enough to spread keys over buckets; equality is always checked on the bytes.
    private static func hash(_ bytes: UnsafeBufferPointer<UInt8>) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in bytes {
            hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01B3
        }
        return hash
    }
}

extension Int32 {
    var asInt: Int { Int(self) }
}
