/// The parser's specific findings: trailing commas, unclosed and mistyped brackets,
/// duplicate keys and bare words, each with the message and fix a user needs.
extension Parser {
    mutating func trailingComma(_ comma: Token) {
        let fix = Fix(
            title: "Remove the trailing comma", edits: [TextEdit(range: comma.range, newText: "")], isSafe: true)
        switch options.dialect {
        case .strict:
            report("trailing commas are not allowed in strict JSON", comma.range, fixes: [fix])
        case .json:
            report("trailing comma", comma.range, code: .trailingComma, fixes: [fix])
        case .jsonc:
            break
        }
    }

    mutating func unclosed(_ open: Token, expected: String, at token: Token) {
        // At the end of input every open container is unclosed; the innermost one is the
        // one the user is editing, so only it is reported.
        if token.kind == .endOfInput {
            if reportedUnclosedAtEnd { return }
            reportedUnclosedAtEnd = true
        }
        if token.kind != .endOfInput { reportedCloser = position }
        let opening = source.lineIndex.position(of: Int(open.start), in: .utf16)
        let found = token.kind == .endOfInput ? "end of input" : describe(token)
        report(
            "expected '\(expected)' to close the \(expected == "}" ? "object" : "array") opened at line "
                + "\(opening.line + 1), found \(found)",
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
    mutating func closerIsTypo() -> Bool {
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

    mutating func wrongCloser(_ open: Token, expected: String, at token: Token) {
        let opening = source.lineIndex.position(of: Int(open.start), in: .utf16)
        let kind = expected == "}" ? "object" : "array"
        report(
            "expected '\(expected)' to close the \(kind) opened at line \(opening.line + 1), found \(describe(token))",
            token.range,
            related: [RelatedInformation(message: "the \(kind) opened here", range: open.range)],
            fixes: [Fix(title: "Replace with '\(expected)'", edits: [TextEdit(range: token.range, newText: expected)])])
    }

    mutating func checkDuplicate(_ keyToken: Token, seenKeys: inout KeyTracker) {
        guard options.dialect != .strict else { return }
        let range = keyToken.range
        guard let first = seenKeys.insert(range, in: bytes, mayHaveEscapes: keysMayHaveEscapes, scratch: &keyScratch)
        else { return }
        let name = StringDecoding.decode(bytes, range: range)
        let severity: Severity = options.dialect == .json ? .error : .warning
        let shown = Lexer.displayable(name)
        add(
            Diagnostic(
                .duplicateKey, "duplicate key '\(shown)': the later value wins; remove one of them", at: range,
                severity: severity,
                related: [RelatedInformation(message: "'\(shown)' is first defined here", range: first)]))
    }

    mutating func reportWord(_ token: Token) {
        let text = source.text(in: token.range)
        let lowered = text.lowercased()
        let shown = Lexer.displayable(text)
        var help: [String] = []
        var fixes: [Fix] = []
        let message: String
        if ["true", "false", "null"].contains(lowered) {
            message = "unexpected '\(shown)': JSON literals are lower case"
            fixes = [Fix(title: "Replace with '\(lowered)'", edits: [TextEdit(range: token.range, newText: lowered)])]
        } else if ["nan", "-nan", "+nan", "infinity", "-infinity", "+infinity", "inf", "-inf", "+inf", "undefined"]
            .contains(lowered)
        {
            message = "unexpected '\(shown)': JSON has no \(lowered == "undefined" ? "undefined" : "NaN or Infinity")"
            help = ["use null, or a string"]
        } else if let first = text.first, first == "+" || first == "." {
            message = "invalid number '\(shown)': a number cannot start with '\(first)'"
            // The fix is only offered when it yields a valid number.
            let fixed = first == "+" ? String(text.dropFirst()) : "0" + text
            if NumberSyntax.isValid(fixed) {
                fixes = [Fix(title: "Replace with '\(fixed)'", edits: [TextEdit(range: token.range, newText: fixed)])]
            }
        } else if let suggestion = ["true", "false", "null"].first(where: {
            EditDistance.distance(lowered, $0, limit: 2) <= 2
        }) {
            message = "unexpected '\(shown)'; did you mean '\(suggestion)'?"
            fixes = [
                Fix(title: "Replace with '\(suggestion)'", edits: [TextEdit(range: token.range, newText: suggestion)])
            ]
        } else {
            message = "unexpected '\(shown)': strings must be in double quotes"
            fixes = [Fix(title: "Quote it", edits: [TextEdit(range: token.range, newText: "\"\(text)\"")])]
        }
        report(message, token.range, help: help, fixes: fixes)
    }
}
