import MeshSyntax

/// A finding that a `diddy-mesh-ignore` comment suppressed: not shown and not counted,
/// but kept for SARIF, which reports it with its justification.
public struct SuppressedDiagnostic: Sendable, Hashable {
    /// The finding, with the severity the `lint` section gave it.
    public var diagnostic: Diagnostic
    /// The comment's reason, if it gave one.
    public var reason: String?
    /// The comment.
    public var comment: ByteRange
}

/// What applying the suppressions to a list of findings leaves.
public struct SuppressionOutcome: Sendable {
    /// The findings to show, in document order, with the findings about the comments
    /// themselves (DM701-DM703) when they were asked for.
    public var shown: [Diagnostic]
    /// The findings a comment suppressed, in document order.
    public var suppressed: [SuppressedDiagnostic]
}

/// The suppressions of one config: its `diddy-mesh-ignore` comments and its `lint`
/// section (docs/guide/suppressions.md).
///
/// The comments are found once per version, in one pass over the tokens; applying them
/// costs a dictionary lookup per finding, so a config with none costs nothing.
public struct Suppressions: Sendable {
    /// The suppression comments, in document order.
    public let comments: [SuppressionComment]
    /// For each comment of line scope, the 0-based line it covers; nil for a comment of
    /// file scope, or one with no code after it.
    let targetLines: [Int?]
    /// The comments of line scope by the line they cover.
    let commentsByLine: [Int: [Int]]
    /// The comments of file scope.
    let fileComments: [Int]
    /// The `lint` section, the last setting of a code winning.
    let levels: [DiagnosticCode: LintLevel]
    let source: SourceText

    /// No comments and no `lint` section: findings pass through unchanged.
    public var isEmpty: Bool { comments.isEmpty && levels.isEmpty }

    /// Finds the suppression comments of `tree` and reads `lint`. A strict JSON document
    /// has no comments to honour.
    public init(tree: SyntaxTree, lint: [LintSetting]) {
        var levels: [DiagnosticCode: LintLevel] = [:]
        for setting in lint { levels[setting.code.value] = setting.level }
        self.levels = levels
        source = tree.source
        var comments: [SuppressionComment] = []
        var targetLines: [Int?] = []
        if tree.dialect != .strict {
            // Taken at the first comment: the index is built on first use, and a config
            // without comments needs none.
            var lineIndex: LineIndex?
            func lines() -> LineIndex {
                if let lineIndex { return lineIndex }
                let built = tree.source.lineIndex
                lineIndex = built
                return built
            }
            var lastCodeEnd: Int?
            var waiting: [Int] = []
            tree.source.bytes.withUnsafeBufferPointer { bytes in
                for token in tree.tokens {
                    if token.kind.isTrivia {
                        guard let comment = SuppressionComment.parse(bytes, comment: token) else { continue }
                        comments.append(comment)
                        targetLines.append(nil)
                        guard comment.scope == .line else { continue }
                        let line = lines().line(containing: Int(token.start))
                        if let lastCodeEnd, lines().line(containing: lastCodeEnd - 1) == line {
                            targetLines[comments.count - 1] = line
                        } else {
                            waiting.append(comments.count - 1)
                        }
                    } else if token.kind != .endOfInput {
                        if !waiting.isEmpty {
                            let line = lines().line(containing: Int(token.start))
                            for index in waiting { targetLines[index] = line }
                            waiting.removeAll()
                        }
                        lastCodeEnd = Int(token.end)
                    }
                }
            }
        }
        self.comments = comments
        self.targetLines = targetLines
        var byLine: [Int: [Int]] = [:]
        var fileComments: [Int] = []
        for (index, comment) in comments.enumerated() {
            if comment.scope == .file {
                fileComments.append(index)
            } else if let line = targetLines[index] {
                byLine[line, default: []].append(index)
            }
        }
        commentsByLine = byLine
        self.fileComments = fileComments
    }

    /// Applies the `lint` levels and the comments to `diagnostics` (in document order).
    ///
    /// `reportingOnComments` adds the findings about the comments: codes nothing reports
    /// (DM701), missing reasons (DM702) and words that are not codes (DM703). The static
    /// analysis asks for them once it has every static finding; live findings are applied
    /// afterwards without them, and a live code is never judged unused.
    public func apply(to diagnostics: [Diagnostic], reportingOnComments: Bool) -> SuppressionOutcome {
        if isEmpty { return SuppressionOutcome(shown: diagnostics, suppressed: []) }
        var used = comments.map { Array(repeating: false, count: $0.entries.count) }
        var shown: [Diagnostic] = []
        var suppressed: [SuppressedDiagnostic] = []
        for var diagnostic in diagnostics {
            guard regrade(&diagnostic) else { continue }
            if let (comment, entry) = suppressor(of: diagnostic) {
                used[comment][entry] = true
                suppressed.append(
                    SuppressedDiagnostic(
                        diagnostic: diagnostic, reason: comments[comment].reason, comment: comments[comment].range))
            } else {
                shown.append(diagnostic)
            }
        }
        if reportingOnComments {
            var findings: [Diagnostic] = []
            for index in comments.indices { report(comment: index, used: used[index], into: &findings) }
            for var finding in findings where regrade(&finding) { shown.append(finding) }
            shown = shown.sortedForOutput()
        }
        return SuppressionOutcome(shown: shown, suppressed: suppressed)
    }

    /// Gives `diagnostic` the severity `lint` sets for its code; false when that is `off`.
    private func regrade(_ diagnostic: inout Diagnostic) -> Bool {
        guard let level = levels[diagnostic.code] else { return true }
        guard let severity = level.severity else { return false }
        diagnostic.severity = severity
        return true
    }

    /// The comment and code-list entry that suppress `diagnostic`, if any.
    private func suppressor(of diagnostic: Diagnostic) -> (Int, Int)? {
        guard !comments.isEmpty, diagnostic.code.isConfigurable, !diagnostic.code.isAboutSuppressions else {
            return nil
        }
        let line = source.lineIndex.line(containing: diagnostic.range.start)
        for index in (commentsByLine[line] ?? []) + fileComments {
            if let entry = comments[index].entries.firstIndex(where: { $0.code == diagnostic.code }) {
                return (index, entry)
            }
        }
        return nil
    }

    /// The findings about comment `index`, given which of its entries suppressed something.
    private func report(comment index: Int, used: [Bool], into findings: inout [Diagnostic]) {
        let comment = comments[index]
        guard !comment.entries.isEmpty else {
            findings.append(
                Diagnostic(
                    .invalidSuppression,
                    "this suppression names no code: write the codes it silences, as in "
                        + "'diddy-mesh-ignore DM502: <why>'", at: comment.range))
            return
        }
        var keep: [SuppressionComment.Entry] = []
        var unused: [SuppressionComment.Entry] = []
        for (position, entry) in comment.entries.enumerated() {
            guard let code = entry.code else {
                findings.append(Self.notACode(entry))
                continue
            }
            if !code.isConfigurable || code.isAboutSuppressions {
                findings.append(Self.notSuppressible(entry, code: code))
            } else if used[position] || code.isLive {
                keep.append(entry)
            } else {
                unused.append(entry)
            }
        }
        if !unused.isEmpty {
            findings.append(unusedFinding(comment, target: targetLines[index], unused: unused, keep: keep))
        }
        if comment.reason == nil, !keep.isEmpty || !unused.isEmpty {
            findings.append(
                Diagnostic(
                    .suppressionWithoutReason,
                    "this suppression gives no reason: say why after a colon, as in "
                        + "'diddy-mesh-ignore \(comment.entries[0].text): <why>'",
                    at: comment.range))
        }
    }

    private func unusedFinding(
        _ comment: SuppressionComment, target: Int?, unused: [SuppressionComment.Entry],
        keep: [SuppressionComment.Entry]
    ) -> Diagnostic {
        let codes = unused.map { $0.text }.joined(separator: ", ")
        let message: String
        switch (comment.scope, target) {
        case (.file, _): message = "unused suppression: nothing in this file reports \(codes)"
        case (.line, let line?): message = "unused suppression: nothing on line \(line + 1) reports \(codes)"
        case (.line, nil): message = "unused suppression: no line of config follows it to suppress \(codes) on"
        }
        // A suppression that hides nothing changes nothing when it goes.
        let fix =
            keep.isEmpty
            ? Fix(
                title: "Remove the unused suppression",
                edits: [TextEdit(range: removalRange(of: comment), newText: "")], isSafe: true)
            : Fix(
                title: "Remove \(codes) from the suppression",
                edits: [TextEdit(range: comment.range, newText: comment.rewritten(keeping: keep))], isSafe: true)
        let range =
            keep.isEmpty
            ? comment.range : ByteRange(start: unused[0].range.start, end: unused[unused.count - 1].range.end)
        return Diagnostic(
            .unusedSuppression, message, at: range,
            fixes: [fix], tags: [.unnecessary])
    }

    /// The comment and the blanks before it; its whole line, line break included, when
    /// nothing else is on it.
    private func removalRange(of comment: SuppressionComment) -> ByteRange {
        let bytes = source.bytes
        var start = comment.range.start
        while start > 0, bytes[start - 1] == UInt8(ascii: " ") || bytes[start - 1] == UInt8(ascii: "\t") {
            start -= 1
        }
        var end = comment.range.end
        let aloneOnLine = start == 0 || bytes[start - 1] == UInt8(ascii: "\n")
        if aloneOnLine {
            while end < bytes.count, bytes[end] == UInt8(ascii: " ") || bytes[end] == UInt8(ascii: "\t") { end += 1 }
            if end < bytes.count, bytes[end] == UInt8(ascii: "\r") { end += 1 }
            if end < bytes.count, bytes[end] == UInt8(ascii: "\n") { end += 1 }
        }
        return ByteRange(start: start, end: end)
    }

    private static func notACode(_ entry: SuppressionComment.Entry) -> Diagnostic {
        var help: [String] = []
        if let code = DiagnosticCode(rawValue: entry.text.uppercased()) {
            help.append("codes are written in capitals: \(code.rawValue)")
        } else {
            help.append("the reason goes after a colon: 'diddy-mesh-ignore DM502: <why>'")
        }
        return Diagnostic(
            .invalidSuppression, "'\(entry.text)' is not a diagnostic code", at: entry.range, help: help)
    }

    private static func notSuppressible(_ entry: SuppressionComment.Entry, code: DiagnosticCode) -> Diagnostic {
        let why =
            code.isAboutSuppressions
            ? "findings about suppressions are configured in the lint section, not by a comment"
            : "part of the file was not read, so every other finding may be incomplete"
        return Diagnostic(.invalidSuppression, "\(code.rawValue) cannot be suppressed: \(why)", at: entry.range)
    }
}
