import MeshSyntax

/// The human format of `check`: `path:line:col: severity[CODE]: message`, the source line
/// with a caret underline, `= help:` lines, and a summary line.
public struct TextFormatter: Sendable {
    /// Whether to use ANSI colors (only on a terminal, never with `NO_COLOR`).
    public var color: Bool

    /// Creates a formatter.
    public init(color: Bool) {
        self.color = color
    }

    /// Formats every file's diagnostics followed by the summary line.
    public func format(_ files: [CheckedFile], minimumSeverity: Severity? = nil, summary: Bool = true) -> String {
        var output = ""
        for file in files {
            for diagnostic in file.diagnostics where minimumSeverity.map({ diagnostic.severity >= $0 }) ?? true {
                output += format(diagnostic, in: file)
            }
        }
        if summary {
            output += paint(CheckSummary(files).sentence, .bold) + "\n"
        }
        return output
    }

    /// Formats one diagnostic with its snippet.
    ///
    /// Every piece of text that comes from the config (messages quote names and values,
    /// the snippet is the file's own line) goes through ``TerminalText`` before it is
    /// colored, so the config cannot send escape sequences to the terminal.
    public func format(_ diagnostic: Diagnostic, in file: CheckedFile) -> String {
        let start = OutputPosition(diagnostic.range.start, in: file.source)
        let path = TerminalText.escape(file.path)
        let severity = paint(
            "\(diagnostic.severity)[\(diagnostic.code.rawValue)]", Self.style(for: diagnostic.severity))
        let message = paint(TerminalText.escape(diagnostic.message), .bold)
        var output = "\(path):\(start.line):\(start.column): \(severity): \(message)\n"
        output += snippet(for: diagnostic.range, in: file.source, style: Self.style(for: diagnostic.severity))
        for related in diagnostic.related {
            let position = OutputPosition(related.range.start, in: file.source)
            output +=
                "   = note: \(TerminalText.escape(related.message)) (\(path):\(position.line):\(position.column))\n"
        }
        for help in diagnostic.help {
            output += "   = help: \(TerminalText.escape(help))\n"
        }
        for fix in diagnostic.fixes {
            output += "   = help: \(TerminalText.escape(fix.title))\n"
        }
        return output
    }

    /// The line of `range`'s start with a caret underline under the range (to the end of
    /// that line when the range spans lines). Columns are display cells, so CJK text
    /// and emoji, which take two cells, stay aligned. A long line (a minified config) is
    /// cut to a window around the range, marked with `...`.
    func snippet(for range: ByteRange, in source: SourceText, style: Style) -> String {
        let index = source.lineIndex
        let line = index.line(containing: range.start)
        let content = index.contentRange(ofLine: line)
        let start = min(max(range.start, content.start), content.end)
        let end = min(max(range.end, start), content.end)
        // Bytes are read around the range only, so a 50 MB line costs nothing to show.
        let long = content.length > Self.longLineBytes
        let windowStart =
            long
            ? Self.characterBoundary(in: source.bytes, atOrAfter: max(content.start, start - Self.contextBytes))
            : content.start
        let windowEnd =
            long
            ? Self.characterBoundary(in: source.bytes, atOrAfter: min(content.end, end + Self.contextBytes))
            : content.end
        var before = Self.expandTabs(source.text(in: ByteRange(start: windowStart, end: start)))
        var underlined = Self.expandTabs(
            source.text(in: ByteRange(start: start, end: min(end, start + Self.contextBytes * 4))))
        var after = Self.expandTabs(source.text(in: ByteRange(start: end, end: windowEnd)))
        let cutBefore = long && (windowStart > content.start || before.count > Self.contextCharacters)
        let cutAfter = long && (windowEnd < content.end || after.count > Self.contextCharacters)
        if cutBefore { before = String(before.suffix(Self.contextCharacters)) }
        if long, underlined.count > Self.contextCharacters * 2 {
            underlined = String(underlined.prefix(Self.contextCharacters * 2))
        }
        if cutAfter { after = String(after.prefix(Self.contextCharacters)) }
        let prefix = cutBefore ? "..." : ""
        let suffix = cutAfter ? "..." : ""
        let number = String(line + 1)
        let gutter = String(repeating: " ", count: number.count)
        let padding = String(repeating: " ", count: prefix.count + Self.displayWidth(before))
        let carets = String(repeating: "^", count: max(1, Self.displayWidth(underlined)))
        return
            "\(gutter) |\n\(number) | \(prefix)\(before)\(underlined)\(after)\(suffix)\n\(gutter) | "
            + "\(padding)\(paint(carets, style))\n"
    }

    /// Lines longer than this many bytes are shown as a window around the range.
    static let longLineBytes = 240
    /// How many characters of context a long line keeps on each side of the range.
    static let contextCharacters = 60
    /// How many bytes are read on each side of the range (UTF-8 characters are at most 4 bytes).
    static let contextBytes = 4 * 60

    /// The first offset at or after `offset` that starts a UTF-8 character.
    static func characterBoundary(in bytes: [UInt8], atOrAfter offset: Int) -> Int {
        var offset = offset
        while offset < bytes.count, bytes[offset] & 0xC0 == 0x80 { offset += 1 }
        return offset
    }

    /// A snippet's text with tabs as four spaces and every other control character as its
    /// one-column stand-in (``TerminalText``).
    static func expandTabs(_ text: String) -> String {
        // Most lines have no tab; a character loop (Foundation's replacingOccurrences
        // bridges through NSString) is paid only by those that do.
        guard text.utf8.contains(UInt8(ascii: "\t")) else { return TerminalText.escape(text) }
        var expanded = ""
        expanded.reserveCapacity(text.utf8.count)
        for character in text {
            if character == "\t" { expanded += "    " } else { expanded.append(character) }
        }
        return TerminalText.escape(expanded)
    }

    /// The number of terminal cells `text` takes: East Asian wide characters and emoji take two.
    static func displayWidth(_ text: String) -> Int {
        text.reduce(0) { width, character in
            guard let scalar = character.unicodeScalars.first else { return width }
            let value = scalar.value
            let wide =
                (0x1100...0x115F).contains(value) || (0x2E80...0xA4CF).contains(value)
                || (0xAC00...0xD7A3).contains(value)
                || (0xF900...0xFAFF).contains(value) || (0xFE30...0xFE4F).contains(value)
                || (0xFF00...0xFF60).contains(value)
                || (0xFFE0...0xFFE6).contains(value) || (0x1F300...0x1FAFF).contains(value)
                || (0x20000...0x3FFFD).contains(value)
            return width + (wide ? 2 : 1)
        }
    }

    // MARK: Color

    enum Style: String {
        case bold = "1"
        case red = "1;31"
        case yellow = "1;33"
        case blue = "1;34"
        case cyan = "1;36"
    }

    static func style(for severity: Severity) -> Style {
        switch severity {
        case .error: .red
        case .warning: .yellow
        case .information: .blue
        case .hint: .cyan
        }
    }

    func paint(_ text: String, _ style: Style) -> String {
        color ? "\u{1B}[\(style.rawValue)m\(text)\u{1B}[0m" : text
    }
}
