/// Splits JSONC bytes into tokens, reporting lexical errors (DM101) as it goes.
///
/// The lexer never fails: every byte ends up in a token or in the whitespace between
/// two tokens, and a malformed token is still a token (an unterminated string ends at
/// the end of its line) so the parser can keep the document's structure.
struct Lexer {
    private(set) var tokens: [Token] = []
    /// The first `diagnosticLimit` diagnostics; the rest are only counted, so that a
    /// 50 MB binary file does not build millions of messages nobody will read.
    private(set) var diagnostics: [Diagnostic] = []
    /// How many diagnostics were found, kept or not.
    private(set) var diagnosticTotal = 0
    /// Whether the input ends inside an unterminated string or block comment; the
    /// closing brackets the user wrote are then inside it, so the parser does not report
    /// the containers left open at the end a second time.
    private(set) var endsInsideToken = false
    private let dialect: JSONDialect
    private let diagnosticLimit: Int

    init(dialect: JSONDialect, diagnosticLimit: Int = .max) {
        self.dialect = dialect
        self.diagnosticLimit = max(0, diagnosticLimit)
    }

    /// Tokenizes `bytes`; the last token is always `.endOfInput`.
    mutating func tokenize(_ bytes: [UInt8]) {
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
            case 0x20:
                index = Self.skipSpaces(buffer, from: index + 1)
            case 0x09, 0x0A, 0x0D:
                index += 1
            case UInt8(ascii: "{"): emit(.leftBrace, index, index + 1); index += 1
            case UInt8(ascii: "}"): emit(.rightBrace, index, index + 1); index += 1
            case UInt8(ascii: "["): emit(.leftBracket, index, index + 1); index += 1
            case UInt8(ascii: "]"): emit(.rightBracket, index, index + 1); index += 1
            case UInt8(ascii: ":"): emit(.colon, index, index + 1); index += 1
            case UInt8(ascii: ","): emit(.comma, index, index + 1); index += 1
            case UInt8(ascii: "\""):
                index = scanString(buffer, from: index)
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
    private mutating func emit(_ kind: TokenKind, _ start: Int, _ end: Int) {
        tokens.append(Token(kind: kind, start: Int32(truncatingIfNeeded: start), end: Int32(truncatingIfNeeded: end)))
    }

    private mutating func report(_ message: @autoclosure () -> String, _ start: Int, _ end: Int,
                                 help: [String] = [], fixes: [Fix] = []) {
        diagnosticTotal += 1
        guard diagnostics.count < diagnosticLimit else { return }
        diagnostics.append(Diagnostic(.syntaxError, message(), at: ByteRange(start: start, end: end), help: help, fixes: fixes))
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

    // MARK: Strings

    /// Scans a string starting at the opening quote and returns the offset after it.
    private mutating func scanString(_ buffer: UnsafeBufferPointer<UInt8>, from start: Int) -> Int {
        let count = buffer.count
        var index = start + 1
        var reportedUTF8 = false
        while index < count {
            index = Self.skipPlainStringBytes(buffer, from: index)
            guard index < count else { break }
            let byte = buffer[index]
            if byte == UInt8(ascii: "\"") {
                emit(.string, start, index + 1)
                return index + 1
            }
            if byte == UInt8(ascii: "\\") {
                index = scanEscape(buffer, at: index)
                continue
            }
            if byte == 0x0A || byte == 0x0D {
                // A string cannot span lines, so the most useful recovery is to end it here:
                // the next line is most likely the next key, not more of this string.
                report("unterminated string: add the closing '\"'", start, index)
                emit(.string, start, index)
                return index
            }
            if byte < 0x20 {
                report("control character \(Self.scalarName(UInt32(byte))) must be escaped in a string", index, index + 1,
                       help: ["write it as \(Self.escapeSuggestion(byte))"])
                index += 1
                continue
            }
            if byte >= 0x80 {
                let length = Self.validUTF8Length(buffer, at: index)
                if length == 0 {
                    if !reportedUTF8 {
                        report("invalid UTF-8 byte 0x\(Self.hex(byte)) in string", index, index + 1,
                               help: ["save the file as UTF-8"])
                        reportedUTF8 = true
                    }
                    index += 1
                } else {
                    index += length
                }
                continue
            }
            index += 1
        }
        report("unterminated string: add the closing '\"'", start, count)
        endsInsideToken = true
        emit(.string, start, count)
        return count
    }

    /// Checks the escape sequence at the backslash `at` and returns the offset after it.
    private mutating func scanEscape(_ buffer: UnsafeBufferPointer<UInt8>, at backslash: Int) -> Int {
        let count = buffer.count
        guard backslash + 1 < count else {
            report("unterminated escape sequence at end of input", backslash, count)
            return count
        }
        let next = buffer[backslash + 1]
        switch next {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"), UInt8(ascii: "b"),
             UInt8(ascii: "f"), UInt8(ascii: "n"), UInt8(ascii: "r"), UInt8(ascii: "t"):
            return backslash + 2
        case UInt8(ascii: "u"):
            var index = backslash + 2
            var digits = 0
            while digits < 4, index < count, Self.hexValue(buffer[index]) != nil {
                index += 1
                digits += 1
            }
            if digits < 4 {
                report("invalid unicode escape: '\\u' must be followed by four hex digits", backslash, index)
            }
            return index
        case 0x0A, 0x0D:
            report("invalid escape: a backslash cannot end a line inside a string", backslash, backslash + 1)
            return backslash + 1
        default:
            let length = max(1, Self.validUTF8Length(buffer, at: backslash + 1))
            let shown = String(decoding: UnsafeBufferPointer(rebasing: buffer[(backslash + 1)..<min(count, backslash + 1 + length)]), as: UTF8.self)
            report("invalid escape '\\\(shown)' in string", backslash, backslash + 1 + length,
                   help: ["valid escapes are \\\" \\\\ \\/ \\b \\f \\n \\r \\t and \\uXXXX"])
            return backslash + 1 + length
        }
    }

    /// Skips string bytes that need no attention (printable ASCII other than `"` and `\`)
    /// eight at a time, with the usual SWAR tests for "some byte is zero / below / above".
    /// Strings are most of a config's bytes, so this is the lexer's hottest loop.
    /// Skips a run of spaces (indentation) eight at a time.
    @inline(__always)
    static func skipSpaces(_ buffer: UnsafeBufferPointer<UInt8>, from start: Int) -> Int {
        var index = start
        let count = buffer.count
        if let base = buffer.baseAddress {
            let raw = UnsafeRawPointer(base)
            while index + 8 <= count, raw.loadUnaligned(fromByteOffset: index, as: UInt64.self) == 0x2020_2020_2020_2020 {
                index += 8
            }
        }
        while index < count, buffer[index] == 0x20 { index += 1 }
        return index
    }

    @inline(__always)
    static func skipPlainStringBytes(_ buffer: UnsafeBufferPointer<UInt8>, from start: Int) -> Int {
        var index = start
        let count = buffer.count
        if let base = buffer.baseAddress {
            let raw = UnsafeRawPointer(base)
            let ones: UInt64 = 0x0101_0101_0101_0101
            let highs: UInt64 = 0x8080_8080_8080_8080
            while index + 8 <= count {
                let word = raw.loadUnaligned(fromByteOffset: index, as: UInt64.self)
                let quote = word ^ (ones &* 0x22)
                let backslash = word ^ (ones &* 0x5C)
                let hasQuote = (quote &- ones) & ~quote & highs
                let hasBackslash = (backslash &- ones) & ~backslash & highs
                let hasControl = (word &- ones &* 0x20) & ~word & highs
                if (hasQuote | hasBackslash | hasControl | (word & highs)) != 0 { break }
                index += 8
            }
        }
        while index < count {
            let byte = buffer[index]
            guard byte >= 0x20, byte < 0x80, byte != UInt8(ascii: "\""), byte != UInt8(ascii: "\\") else { break }
            index += 1
        }
        return index
    }

    // MARK: Comments

    private mutating func scanComment(_ buffer: UnsafeBufferPointer<UInt8>, from start: Int) -> Int {
        let count = buffer.count
        guard start + 1 < count else {
            report("unexpected character '/'", start, start + 1)
            emit(.unknown, start, start + 1)
            return start + 1
        }
        let next = buffer[start + 1]
        var end: Int
        let kind: TokenKind
        if next == UInt8(ascii: "/") {
            end = start + 2
            while end < count, buffer[end] != 0x0A, buffer[end] != 0x0D { end += 1 }
            kind = .lineComment
        } else if next == UInt8(ascii: "*") {
            end = start + 2
            var closed = false
            while end + 1 < count {
                if buffer[end] == UInt8(ascii: "*"), buffer[end + 1] == UInt8(ascii: "/") {
                    end += 2
                    closed = true
                    break
                }
                end += 1
            }
            if !closed {
                end = count
                endsInsideToken = true
                report("unterminated block comment: add '*/'", start, start + 2)
            }
            kind = .blockComment
        } else {
            report("unexpected character '/'", start, start + 1)
            emit(.unknown, start, start + 1)
            return start + 1
        }
        if dialect == .strict {
            report("comments are not allowed in strict JSON", start, end)
        }
        emit(kind, start, end)
        return end
    }

    // MARK: Words and numbers

    private mutating func scanWord(_ buffer: UnsafeBufferPointer<UInt8>, from start: Int) -> Int {
        let count = buffer.count
        var end = start + 1
        while end < count, Self.isWordByte(buffer[end]) { end += 1 }
        let word = UnsafeBufferPointer(rebasing: buffer[start..<end])
        if Self.startsNumber(word) {
            if let problem = NumberSyntax.problem(in: word) {
                report("invalid number \(Self.quoted(word)): \(problem)", start, end)
            }
            emit(.number, start, end)
        } else if Self.equals(word, "true") {
            emit(.trueKeyword, start, end)
        } else if Self.equals(word, "false") {
            emit(.falseKeyword, start, end)
        } else if Self.equals(word, "null") {
            emit(.nullKeyword, start, end)
        } else {
            emit(.word, start, end)
        }
        return end
    }

    /// Whether a word is meant as a number: it starts with a digit, or with '-' followed by
    /// something other than a letter. `-Infinity` and `-NaN` stay words so that the parser
    /// can say that JSON has no such values instead of complaining about a missing digit.
    static func startsNumber(_ word: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let first = word.first else { return false }
        if first >= UInt8(ascii: "0") && first <= UInt8(ascii: "9") { return true }
        guard first == UInt8(ascii: "-") else { return false }
        guard word.count > 1 else { return true }
        let second = word[1] | 0x20
        return !(second >= UInt8(ascii: "a") && second <= UInt8(ascii: "z"))
    }

    /// Reads a single-quoted string as one `.unknown` token, up to the closing quote on the
    /// same line, so that `'name'` is one mistake with one fix rather than three tokens.
    private mutating func scanSingleQuoted(_ buffer: UnsafeBufferPointer<UInt8>, from start: Int) -> Int {
        let count = buffer.count
        var end = start + 1
        var closed = false
        while end < count {
            let byte = buffer[end]
            if byte == 0x0A || byte == 0x0D { break }
            if byte == UInt8(ascii: "\\"), end + 1 < count, buffer[end + 1] != 0x0A, buffer[end + 1] != 0x0D {
                end += 2
                continue
            }
            end += 1
            if byte == UInt8(ascii: "'") {
                closed = true
                break
            }
        }
        guard closed else {
            // An unclosed single-quoted string runs to the end of its line, as an unclosed
            // double-quoted one does, so that its words are not reported one by one.
            report("unterminated single-quoted string: JSON strings use double quotes", start, end)
            emit(.unknown, start, end)
            return end
        }
        let body = String(decoding: UnsafeBufferPointer(rebasing: buffer[(start + 1)..<(end - 1)]), as: UTF8.self)
        // Inside double quotes an escaped single quote needs no backslash, and a bare
        // double quote needs one.
        var replacement = "\""
        var pendingBackslash = false
        for character in body {
            if pendingBackslash {
                replacement += character == "'" ? "'" : "\\\(character)"
                pendingBackslash = false
            } else if character == "\\" {
                pendingBackslash = true
            } else if character == "\"" {
                replacement += "\\\""
            } else {
                replacement += String(character)
            }
        }
        if pendingBackslash { replacement += "\\" }
        replacement += "\""
        report("strings must be in double quotes: found \(Self.quoted(UnsafeBufferPointer(rebasing: buffer[start..<end]), quote: ""))",
               start, end, fixes: [Fix(title: "Use double quotes", edits: [TextEdit(range: ByteRange(start: start, end: end), newText: replacement)])])
        emit(.unknown, start, end)
        return end
    }

    /// Groups a run of bytes that cannot start a token into one `.unknown` token, so
    /// binary junk yields one diagnostic per run rather than one per byte.
    private mutating func scanUnknown(_ buffer: UnsafeBufferPointer<UInt8>, from start: Int) -> Int {
        let count = buffer.count
        var end = start
        var invalidUTF8 = false
        while end < count {
            let byte = buffer[end]
            if byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D || byte == UInt8(ascii: "\"")
                || byte == UInt8(ascii: "{") || byte == UInt8(ascii: "}") || byte == UInt8(ascii: "[")
                || byte == UInt8(ascii: "]") || byte == UInt8(ascii: ":") || byte == UInt8(ascii: ",")
                || byte == UInt8(ascii: "/") || byte == UInt8(ascii: "'") || Self.isWordByte(byte) {
                if end > start { break }
            }
            if byte >= 0x80 {
                let length = Self.validUTF8Length(buffer, at: end)
                if length == 0 { invalidUTF8 = true }
                end += max(1, length)
            } else {
                end += 1
            }
        }
        let first = buffer[start]
        let message: String
        var help: [String] = invalidUTF8 ? ["save the file as UTF-8"] : []
        // Separators from other languages get a pointer to the JSON one.
        if end == start + 1, first == UInt8(ascii: ";") {
            help = ["JSON separates values with ','"]
        } else if end == start + 1, first == UInt8(ascii: "=") {
            help = ["JSON separates a property name from its value with ':'"]
        }
        if invalidUTF8 {
            let bad = Self.firstInvalidUTF8(buffer, from: start, to: end)
            message = "invalid UTF-8 byte 0x\(Self.hex(buffer[bad])): the file must be UTF-8"
        } else if first < 0x20 || first == 0x7F {
            message = "unexpected control character \(Self.scalarName(UInt32(first)))"
        } else {
            let text = String(decoding: UnsafeBufferPointer(rebasing: buffer[start..<end]), as: UTF8.self)
            if let scalar = text.unicodeScalars.first, scalar.value >= 0x80 {
                // Non-ASCII characters are often invisible (a word joiner, a no-break
                // space), so the code point is named too.
                message = "unexpected character '\(scalar)' (\(Self.scalarName(scalar.value)))"
            } else {
                message = "unexpected character '\(text.unicodeScalars.first.map { String($0) } ?? text)'"
            }
        }
        report(message, start, end, help: help)
        emit(.unknown, start, end)
        return end
    }

    // MARK: Byte helpers

    static func equals(_ word: UnsafeBufferPointer<UInt8>, _ keyword: StaticString) -> Bool {
        guard word.count == keyword.utf8CodeUnitCount else { return false }
        let pointer = keyword.utf8Start
        for index in 0..<word.count where word[index] != pointer[index] {
            return false
        }
        return true
    }

    /// The length of the valid UTF-8 sequence at `index`, or 0 when it is not valid
    /// (overlong forms, surrogates and code points past U+10FFFF are invalid).
    static func validUTF8Length(_ buffer: UnsafeBufferPointer<UInt8>, at index: Int) -> Int {
        let count = buffer.count
        let lead = buffer[index]
        func continuation(_ offset: Int, _ range: ClosedRange<UInt8> = 0x80...0xBF) -> Bool {
            index + offset < count && range.contains(buffer[index + offset])
        }
        switch lead {
        case 0x00...0x7F: return 1
        case 0xC2...0xDF: return continuation(1) ? 2 : 0
        case 0xE0: return continuation(1, 0xA0...0xBF) && continuation(2) ? 3 : 0
        case 0xE1...0xEC, 0xEE...0xEF: return continuation(1) && continuation(2) ? 3 : 0
        case 0xED: return continuation(1, 0x80...0x9F) && continuation(2) ? 3 : 0
        case 0xF0: return continuation(1, 0x90...0xBF) && continuation(2) && continuation(3) ? 4 : 0
        case 0xF1...0xF3: return continuation(1) && continuation(2) && continuation(3) ? 4 : 0
        case 0xF4: return continuation(1, 0x80...0x8F) && continuation(2) && continuation(3) ? 4 : 0
        default: return 0
        }
    }

    /// The offset of the first byte in `start..<end` that does not begin a valid UTF-8 sequence.
    static func firstInvalidUTF8(_ buffer: UnsafeBufferPointer<UInt8>, from start: Int, to end: Int) -> Int {
        var index = start
        while index < end {
            let length = validUTF8Length(buffer, at: index)
            if length == 0 { return index }
            index += length
        }
        return start
    }

    /// `bytes` as text for a message: quoted, control characters shown as `U+0000`, and
    /// cut after 40 characters so that a 50 MB run of digits does not become a 50 MB message.
    static func quoted(_ bytes: UnsafeBufferPointer<UInt8>, quote: String = "'") -> String {
        let limit = 40
        let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[0..<min(bytes.count, limit * 4)]), as: UTF8.self)
        return quote + displayable(text, limit: limit, truncated: bytes.count > limit * 4) + quote
    }

    /// `text` with control characters spelled out and at most `limit` characters kept.
    static func displayable(_ text: String, limit: Int = 40, truncated: Bool = false) -> String {
        var result = ""
        var kept = 0
        for scalar in text.unicodeScalars {
            if kept == limit { return result + "..." }
            if scalar.value < 0x20 || scalar.value == 0x7F {
                result += "<\(scalarName(scalar.value))>"
            } else {
                result.unicodeScalars.append(scalar)
            }
            kept += 1
        }
        return truncated ? result + "..." : result
    }

    static func hexValue(_ byte: UInt8) -> UInt32? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): UInt32(byte - UInt8(ascii: "0"))
        case UInt8(ascii: "a")...UInt8(ascii: "f"): UInt32(byte - UInt8(ascii: "a") + 10)
        case UInt8(ascii: "A")...UInt8(ascii: "F"): UInt32(byte - UInt8(ascii: "A") + 10)
        default: nil
        }
    }

    static func hex(_ byte: UInt8) -> String {
        let digits = Array("0123456789ABCDEF")
        return String([digits[Int(byte >> 4)], digits[Int(byte & 0x0F)]])
    }

    static func scalarName(_ value: UInt32) -> String {
        var digits = String(value, radix: 16, uppercase: true)
        while digits.count < 4 { digits = "0" + digits }
        return "U+" + digits
    }

    static func escapeSuggestion(_ byte: UInt8) -> String {
        switch byte {
        case 0x08: "\\b"
        case 0x09: "\\t"
        case 0x0C: "\\f"
        default: "\\u" + String(scalarName(UInt32(byte)).dropFirst(2))
        }
    }
}
