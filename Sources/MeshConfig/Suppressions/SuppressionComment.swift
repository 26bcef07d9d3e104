import MeshSyntax

/// One `diddy-mesh-ignore` or `diddy-mesh-ignore-file` comment, as written
/// (docs/guide/suppressions.md):
///
///     // diddy-mesh-ignore DM502, DM302: the internal endpoint has no TLS
///     /* diddy-mesh-ignore-file DM302: services kept for the next release */
///
/// After the directive come the codes, separated by commas or spaces, then a colon and
/// the reason. Anything before the colon that is not a code is reported (DM703), so a
/// reason written without its colon is caught rather than read as a list of codes.
public struct SuppressionComment: Sendable, Hashable {
    /// Which findings the comment covers.
    public enum Scope: Sendable, Hashable {
        /// The findings that start on one line: the comment's own line when code comes
        /// before it there, else the next line with code.
        case line
        /// Every finding of the file.
        case file
    }

    /// One word of the code list, with where it is so that a finding can point at it.
    public struct Entry: Sendable, Hashable {
        /// The word as written.
        public var text: String
        /// The code it names; nil when it names none.
        public var code: DiagnosticCode?
        /// The word's bytes.
        public var range: ByteRange
    }

    /// The directive's scope.
    public var scope: Scope
    /// The code list, in order.
    public var entries: [Entry]
    /// The text after the colon, trimmed; nil when there is none.
    public var reason: String?
    /// The whole comment token.
    public var range: ByteRange
    /// Whether the comment is a block comment (`/* ... */`).
    public var isBlock: Bool

    static let lineDirective = Array("diddy-mesh-ignore".utf8)
    static let fileDirective = Array("diddy-mesh-ignore-file".utf8)

    /// Reads the comment token `comment` of `bytes`; nil when it is not a suppression.
    ///
    /// The cost is one pass over the comment; a comment that does not start with the
    /// directive is rejected after a few bytes, so ordinary comments cost next to nothing.
    static func parse(_ bytes: UnsafeBufferPointer<UInt8>, comment: Token) -> SuppressionComment? {
        let isBlock = comment.kind == .blockComment
        var index = Int(comment.start) + 2
        var end = Int(comment.end)
        if isBlock, end - index >= 2, bytes[end - 2] == UInt8(ascii: "*"), bytes[end - 1] == UInt8(ascii: "/") {
            end -= 2
        }
        while index < end, isSpace(bytes[index]) { index += 1 }
        let scope: Scope
        if hasWord(fileDirective, in: bytes, at: index, end: end) {
            scope = .file
            index += fileDirective.count
        } else if hasWord(lineDirective, in: bytes, at: index, end: end) {
            scope = .line
            index += lineDirective.count
        } else {
            return nil
        }
        var entries: [Entry] = []
        var reason: String?
        while index < end {
            let byte = bytes[index]
            if byte == UInt8(ascii: ":") {
                reason = trimmedText(bytes, from: index + 1, to: end)
                break
            }
            if isSpace(byte) || byte == UInt8(ascii: ",") {
                index += 1
                continue
            }
            let start = index
            while index < end, !isSpace(bytes[index]), bytes[index] != UInt8(ascii: ","),
                bytes[index] != UInt8(ascii: ":")
            {
                index += 1
            }
            let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self)
            entries.append(
                Entry(text: text, code: DiagnosticCode(rawValue: text), range: ByteRange(start: start, end: index)))
        }
        return SuppressionComment(
            scope: scope, entries: entries, reason: reason,
            range: comment.range, isBlock: isBlock)
    }

    /// The comment rewritten to name only `codes`, keeping its kind, scope and reason: the
    /// quick fix for a comment some of whose codes are unused.
    func rewritten(keeping codes: [Entry]) -> String {
        let directive = scope == .file ? "diddy-mesh-ignore-file" : "diddy-mesh-ignore"
        var body = directive + " " + codes.map { $0.text }.joined(separator: ", ")
        if let reason { body += ": " + reason }
        return isBlock ? "/* " + body + " */" : "// " + body
    }

    private static func isSpace(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") || byte == UInt8(ascii: "\n")
            || byte == UInt8(ascii: "\r")
    }

    /// Whether `word` is at `index` and ends there: followed by a space, a colon or the
    /// comment's end (so `diddy-mesh-ignored` is an ordinary comment).
    private static func hasWord(_ word: [UInt8], in bytes: UnsafeBufferPointer<UInt8>, at index: Int, end: Int) -> Bool
    {
        guard end - index >= word.count else { return false }
        for offset in word.indices where bytes[index + offset] != word[offset] { return false }
        let after = index + word.count
        return after == end || isSpace(bytes[after]) || bytes[after] == UInt8(ascii: ":")
    }

    private static func trimmedText(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int, to end: Int) -> String? {
        var start = start
        var end = end
        while start < end, isSpace(bytes[start]) { start += 1 }
        while end > start, isSpace(bytes[end - 1]) { end -= 1 }
        guard start < end else { return nil }
        return String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<end]), as: UTF8.self)
    }
}

extension SuppressionComment {
    /// The editor's "Suppress DM502 on this line" action: a `diddy-mesh-ignore` comment on
    /// a new line above the finding's line, indented like it. The comment has no reason
    /// yet, so DM702 asks for one; it is never applied by `check --fix`, which applies only
    /// fixes that resolve a finding.
    public static func insertion(suppressing diagnostic: Diagnostic, in source: SourceText) -> Fix? {
        guard diagnostic.code.isConfigurable, !diagnostic.code.isAboutSuppressions else { return nil }
        let lines = source.lineIndex
        let line = lines.line(containing: diagnostic.range.start)
        let lineStart = lines.lineStarts[line]
        var indentEnd = lineStart
        let bytes = source.bytes
        while indentEnd < bytes.count, bytes[indentEnd] == UInt8(ascii: " ") || bytes[indentEnd] == UInt8(ascii: "\t") {
            indentEnd += 1
        }
        let indent = String(decoding: bytes[lineStart..<indentEnd], as: UTF8.self)
        let code = diagnostic.code.rawValue
        return Fix(
            title: "Suppress \(code) on this line",
            edits: [TextEdit(range: .empty(at: lineStart), newText: indent + "// diddy-mesh-ignore \(code)\n")])
    }
}
