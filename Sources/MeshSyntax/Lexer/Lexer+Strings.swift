/// Strings and their escapes: the lexer's hottest path, with the recovery rules for
/// unterminated strings and control characters.
extension Lexer {
    /// Scans a string starting at the opening quote and returns the offset after it.
    mutating func scanString(_ buffer: UnsafeBufferPointer<UInt8>, from start: Int) -> Int {
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
                report(
                    "control character \(Self.scalarName(UInt32(byte))) must be escaped in a string", index, index + 1,
                    help: ["write it as \(Self.escapeSuggestion(byte))"])
                index += 1
                continue
            }
            if byte >= 0x80 {
                let length = Self.validUTF8Length(buffer, at: index)
                if length == 0 {
                    if !reportedUTF8 {
                        report(
                            "invalid UTF-8 byte 0x\(Self.hex(byte)) in string", index, index + 1,
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
    mutating func scanEscape(_ buffer: UnsafeBufferPointer<UInt8>, at backslash: Int) -> Int {
        sawEscape = true
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
            let shown = String(
                decoding: UnsafeBufferPointer(rebasing: buffer[(backslash + 1)..<min(count, backslash + 1 + length)]),
                as: UTF8.self)
            report(
                "invalid escape '\\\(shown)' in string", backslash, backslash + 1 + length,
                help: ["valid escapes are \\\" \\\\ \\/ \\b \\f \\n \\r \\t and \\uXXXX"])
            return backslash + 1 + length
        }
    }

    /// Skips whitespace: runs of spaces (indentation) eight at a time, and line breaks and
    /// tabs between them.
    @inline(__always)
    static func skipWhitespace(_ buffer: UnsafeBufferPointer<UInt8>, from start: Int) -> Int {
        var index = start
        let count = buffer.count
        while index < count {
            let byte = buffer[index]
            if byte == 0x20 {
                if let base = buffer.baseAddress {
                    let raw = UnsafeRawPointer(base)
                    while index + 8 <= count,
                        raw.loadUnaligned(fromByteOffset: index, as: UInt64.self) == 0x2020_2020_2020_2020
                    {
                        index += 8
                    }
                }
                while index < count, buffer[index] == 0x20 { index += 1 }
            } else if byte == 0x0A || byte == 0x09 || byte == 0x0D {
                index += 1
            } else {
                break
            }
        }
        return index
    }

    /// Skips string bytes that need no attention (printable ASCII other than `"` and `\`)
    /// eight at a time, with the usual SWAR tests for "some byte is zero / below / above".
    /// Strings are most of a config's bytes, so this is the lexer's hottest loop.
    @inline(__always)
    static func skipPlainStringBytes(_ buffer: UnsafeBufferPointer<UInt8>, from start: Int) -> Int {
        var index = start
        let count = buffer.count
        if let base = buffer.baseAddress {
            let raw = UnsafeRawPointer(base)
            let ones: UInt64 = 0x0101_0101_0101_0101
            let highs: UInt64 = 0x8080_8080_8080_8080
            while index + 8 <= count {
                let word = UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: index, as: UInt64.self))
                let quote = word ^ (ones &* 0x22)
                let backslash = word ^ (ones &* 0x5C)
                let hasQuote = (quote &- ones) & ~quote & highs
                let hasBackslash = (backslash &- ones) & ~backslash & highs
                let hasControl = (word &- ones &* 0x20) & ~word & highs
                let special = hasQuote | hasBackslash | hasControl | (word & highs)
                if special != 0 {
                    // The lowest flagged byte is exact (the tests' false positives only
                    // follow a true one), and the word was read so that it comes first.
                    return index + special.trailingZeroBitCount / 8
                }
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
}
