/// Numbers, keywords and bare words, and runs of bytes that start no token.
extension Lexer {
    mutating func scanWord(_ buffer: UnsafeBufferPointer<UInt8>, from start: Int) -> Int {
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
    mutating func scanSingleQuoted(_ buffer: UnsafeBufferPointer<UInt8>, from start: Int) -> Int {
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
        report(
            "strings must be in double quotes: found "
                + "\(Self.quoted(UnsafeBufferPointer(rebasing: buffer[start..<end]), quote: ""))",
            start, end,
            fixes: [
                Fix(
                    title: "Use double quotes",
                    edits: [TextEdit(range: ByteRange(start: start, end: end), newText: replacement)])
            ])
        emit(.unknown, start, end)
        return end
    }

    /// Groups a run of bytes that cannot start a token into one `.unknown` token, so
    /// binary junk yields one diagnostic per run rather than one per byte.
    mutating func scanUnknown(_ buffer: UnsafeBufferPointer<UInt8>, from start: Int) -> Int {
        let count = buffer.count
        var end = start
        var invalidUTF8 = false
        while end < count {
            let byte = buffer[end]
            if byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D || byte == UInt8(ascii: "\"")
                || byte == UInt8(ascii: "{") || byte == UInt8(ascii: "}") || byte == UInt8(ascii: "[")
                || byte == UInt8(ascii: "]") || byte == UInt8(ascii: ":") || byte == UInt8(ascii: ",")
                || byte == UInt8(ascii: "/") || byte == UInt8(ascii: "'") || Self.isWordByte(byte)
            {
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
}
