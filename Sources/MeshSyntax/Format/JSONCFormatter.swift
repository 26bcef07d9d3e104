/// Stable pretty-printing of JSONC that keeps every comment.
///
/// The layout is rebuilt from the token list: one member or element per line, indented
/// by structure, `": "` after keys, trailing commas dropped. A container that was written
/// on one line, has no comments and fits in ``Options/maxWidth`` stays on one line
/// (`{ "url": "...", "region": "WEU" }`), so hand-made compact entries survive. Comments
/// stay where they were relative to their neighbours: a comment that shared a line with
/// the token before it still does, one on its own line still is, and one blank line
/// between members is kept. The output of formatting formatted text is the same text.
///
/// The language server's formatting and `diddy-mesh fmt` both call it, so an editor and
/// the command line lay a file out byte for byte alike.
public struct JSONCFormatter {
    /// Layout choices: the editor's `FormattingOptions`, or `fmt`'s defaults.
    public struct Options: Sendable, Equatable {
        /// Spaces per level; ignored when `useTabs`.
        public var indentWidth = 2
        /// Whether a level is one tab.
        public var useTabs = false
        /// The widest line an inline container may make.
        public var maxWidth = 100

        /// The default layout: two spaces, inline containers up to 100 columns.
        public init() {}
    }

    /// The formatted text, or nil when the document has syntax errors (reformatting a
    /// half-parsed file could move text the user has not finished typing).
    public static func format(_ tree: SyntaxTree, options: Options = Options()) -> String? {
        guard !tree.hasErrors,
            !tree.tokens.contains(where: { $0.kind == .word || $0.kind == .unknown })
        else { return nil }
        var formatter = JSONCFormatter(tree: tree, options: options)
        return formatter.run()
    }

    private let bytes: [UInt8]
    private let tokens: [Token]
    private let options: Options
    private let newline: String
    /// For each token, how many line breaks separate it from the token before it.
    private let breaksBefore: [Int]
    /// For each opening bracket, the index of its closing bracket.
    private let closerOf: [Int: Int]
    /// Prefix counts that tell in O(1) whether a range of tokens has comments or breaks.
    private let commentsUpTo: [Int]
    private let breaksUpTo: [Int]

    private var output = ""
    private var column = 0
    private var lineHasContent = false
    /// A `:` was written and the next token goes after a space.
    private var needSpace = false
    /// A line comment was written: the next token must start a new line.
    private var mustBreak = false
    /// The multi-line containers open around the current token (their opening kinds).
    private var frames: [TokenKind] = []
    private var depth: Int { frames.count }
    /// Whether anything but a byte order mark has been written.
    private var started = false
    /// The last significant token handled (commas moved forward count at their place).
    private var previous: TokenKind?
    /// Commas already written right after their value, or dropped as trailing.
    private var consumed = Set<Int>()

    private init(tree: SyntaxTree, options: Options) {
        bytes = tree.source.bytes
        tokens = tree.tokens.filter { $0.kind != .endOfInput }
        self.options = options
        newline = Self.detectNewline(bytes)
        var breaks: [Int] = []
        var comments = [0]
        var breakPrefix = [0]
        var closers: [Int: Int] = [:]
        var openers: [Int] = []
        var previousEnd = 0
        for (index, token) in tokens.enumerated() {
            let gap = Self.lineBreaks(in: bytes, from: previousEnd, to: Int(token.start))
            breaks.append(index == 0 ? 0 : gap)
            previousEnd = Int(token.end)
            comments.append(comments[index] + (token.kind.isTrivia ? 1 : 0))
            breakPrefix.append(breakPrefix[index] + (index > 0 && gap > 0 ? 1 : 0))
            switch token.kind {
            case .leftBrace, .leftBracket: openers.append(index)
            case .rightBrace, .rightBracket: if let open = openers.popLast() { closers[open] = index }
            default: break
            }
        }
        breaksBefore = breaks
        commentsUpTo = comments
        breaksUpTo = breakPrefix
        closerOf = closers
    }

    // MARK: Driver

    private mutating func run() -> String {
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { output = "\u{FEFF}" }
        var index = 0
        while index < tokens.count {
            index = emit(index)
        }
        return output + newline
    }

    /// Writes token `index` (a whole inline container at once) and returns the next index.
    private mutating func emit(_ index: Int) -> Int {
        let token = tokens[index]
        if consumed.contains(index) {
            previous = .comma
            return index + 1
        }
        switch token.kind {
        case .lineComment, .blockComment:
            emitComment(index)
            return index + 1
        case .colon:
            write(":")
            needSpace = true
            previous = .colon
            return index + 1
        case .comma:
            // Every comma is written or dropped by the value before it.
            previous = .comma
            return index + 1
        case .rightBrace, .rightBracket:
            _ = frames.popLast()
            startLine(blankLineBefore: false)
            write(text(token))
            previous = token.kind
            return finishValue(at: index)
        default:
            placeValue(index)
            if token.kind == .leftBrace || token.kind == .leftBracket {
                return emitContainer(index)
            }
            write(text(token))
            let isKey = previous != .colon && frames.last == .leftBrace
            previous = token.kind
            return isKey ? index + 1 : finishValue(at: index)
        }
    }

    private mutating func emitContainer(_ open: Int) -> Int {
        guard let close = closerOf[open] else {
            write(text(tokens[open]))
            return open + 1
        }
        let hasComments = commentsUpTo[close] - commentsUpTo[open + 1] > 0
        if close == open + 1 {
            write(text(tokens[open]) + text(tokens[close]))
            previous = tokens[close].kind
            return finishValue(at: close)
        }
        if !hasComments, breaksUpTo[close + 1] - breaksUpTo[open + 1] == 0 {
            let inline = inlineText(open, close)
            let comma = nextSignificant(after: close).map { tokens[$0].kind == .comma } ?? false
            if column + inline.unicodeScalars.count + (comma ? 1 : 0) <= options.maxWidth {
                write(inline)
                previous = tokens[close].kind
                return finishValue(at: close)
            }
        }
        write(text(tokens[open]))
        previous = tokens[open].kind
        frames.append(tokens[open].kind)
        return open + 1
    }

    /// Starts a member or element on its own line, or puts a value after its key.
    private mutating func placeValue(_ index: Int) {
        if previous == .colon && !mustBreak {
            if needSpace { write(" ") }
        } else if previous == .colon || depth > 0 || started {
            let first = previous == .leftBrace || previous == .leftBracket
            startLine(blankLineBefore: !first && breaksBefore[index] >= 2)
        }
        needSpace = false
    }

    /// After a value: writes the comma that follows it right away (so it precedes any
    /// comment between them), or drops it when only a closing bracket follows.
    private mutating func finishValue(at index: Int) -> Int {
        guard let comma = nextSignificant(after: index), tokens[comma].kind == .comma else { return index + 1 }
        consumed.insert(comma)
        let after = nextSignificant(after: comma).map { tokens[$0].kind }
        if after != .rightBrace && after != .rightBracket && after != nil {
            write(",")
        }
        return index + 1
    }

    private mutating func emitComment(_ index: Int) {
        let token = tokens[index]
        if breaksBefore[index] == 0 && lineHasContent && !mustBreak {
            write(" " + text(token))
        } else {
            let first = previous == .leftBrace || previous == .leftBracket || !started
            startLine(blankLineBefore: !first && breaksBefore[index] >= 2)
            write(text(token))
        }
        if token.kind == .lineComment {
            mustBreak = true
        } else {
            needSpace = true
        }
    }

    // MARK: Inline containers

    /// A comment-free container on one line: `{ "a": 1, "b": [1, 2] }`.
    private func inlineText(_ open: Int, _ close: Int) -> String {
        var text = ""
        var index = open
        while index <= close {
            let token = tokens[index]
            switch token.kind {
            case .leftBrace:
                text += nextSignificant(after: index).map({ tokens[$0].kind == .rightBrace }) == true ? "{" : "{ "
            case .rightBrace:
                text += previousSignificant(before: index).map({ tokens[$0].kind == .leftBrace }) == true ? "}" : " }"
            case .colon:
                text += ": "
            case .comma:
                let after = nextSignificant(after: index).map { tokens[$0].kind }
                if after != .rightBrace && after != .rightBracket { text += ", " }
            default:
                text += self.text(token)
            }
            index += 1
        }
        // A dropped trailing comma before a closing brace leaves `1  }`; the space before
        // `}` is written by the brace itself.
        return text
    }

    // MARK: Helpers

    private mutating func startLine(blankLineBefore: Bool) {
        if started {
            output += blankLineBefore ? newline + newline : newline
        }
        let indent =
            options.useTabs
            ? String(repeating: "\t", count: max(0, depth))
            : String(repeating: " ", count: max(0, depth) * options.indentWidth)
        output += indent
        column = indent.count
        lineHasContent = false
        mustBreak = false
    }

    private mutating func write(_ text: String) {
        if mustBreak { startLine(blankLineBefore: false) }
        output += text
        started = true
        // Block comments may span lines; the column continues from their last line.
        if let lastBreak = text.lastIndex(where: { $0 == "\n" || $0 == "\r" }) {
            column = text[text.index(after: lastBreak)...].unicodeScalars.count
        } else {
            column += text.unicodeScalars.count
        }
        lineHasContent = true
    }

    private func text(_ token: Token) -> String {
        String(decoding: bytes[Int(token.start)..<Int(token.end)], as: UTF8.self)
    }

    private func nextSignificant(after index: Int) -> Int? {
        var current = index + 1
        while current < tokens.count {
            if !tokens[current].kind.isTrivia { return current }
            current += 1
        }
        return nil
    }

    private func previousSignificant(before index: Int) -> Int? {
        var current = index - 1
        while current >= 0 {
            if !tokens[current].kind.isTrivia { return current }
            current -= 1
        }
        return nil
    }

    private static func lineBreaks(in bytes: [UInt8], from start: Int, to end: Int) -> Int {
        guard start < end else { return 0 }
        var count = 0
        var index = start
        while index < end {
            if bytes[index] == UInt8(ascii: "\n") {
                count += 1
            } else if bytes[index] == UInt8(ascii: "\r"), index + 1 >= end || bytes[index + 1] != UInt8(ascii: "\n") {
                count += 1
            }
            index += 1
        }
        return count
    }

    private static func detectNewline(_ bytes: [UInt8]) -> String {
        guard let first = bytes.firstIndex(where: { $0 == UInt8(ascii: "\n") || $0 == UInt8(ascii: "\r") }) else {
            return "\n"
        }
        return bytes[first] == UInt8(ascii: "\r") && first + 1 < bytes.count && bytes[first + 1] == UInt8(ascii: "\n")
            ? "\r\n" : "\n"
    }
}
