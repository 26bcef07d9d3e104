/// A single pass over the raw input that finds what json-c cannot or does not report.
///
/// json-c builds the tree and checks structure, but in 0.16 it treats a NUL byte as the
/// end of input, clamps out-of-range integers, cuts object keys at an escaped U+0000,
/// and even in strict mode accepts `NaN`, `Infinity`, `1.`, `00`, `-01`, raw control
/// characters in strings and some ill-formed UTF-8. This scanner only tokenizes (it
/// knows strings, comments, numbers and bare words) and leaves grammar to json-c.
struct LexicalScanner {
    /// The whole input.
    let bytes: UnsafeBufferPointer<UInt8>
    /// Whether RFC 8259 lexical rules apply; lenient mode only checks what json-c
    /// would silently get wrong (NUL bytes, integer range, NUL in keys).
    let strict: Bool

    /// The first lexical problem in the input, or `nil` when there is none.
    func firstProblem() -> WireJSONError? {
        // A NUL byte ends json-c's reading, so nothing after it is scanned; problems
        // before it are still reported first to keep offsets in input order.
        let nulOffset = bytes.firstIndex(of: 0)
        var cursor = Cursor(bytes: bytes, end: nulOffset ?? bytes.count, strict: strict)
        if let problem = cursor.scanAll() {
            return problem
        }
        return nulOffset.map { WireJSONError(message: "NUL byte in input", offset: $0) }
    }
}

/// The mutable walk behind ``LexicalScanner``.
private struct Cursor {
    let bytes: UnsafeBufferPointer<UInt8>
    /// Scanning stops here: the first NUL byte or the end of input.
    let end: Int
    let strict: Bool
    var index = 0

    /// Walks every token and returns the first problem.
    mutating func scanAll() -> WireJSONError? {
        while index < end {
            let byte = bytes[index]
            let problem: WireJSONError?
            switch byte {
            case UInt8(ascii: "\""):
                problem = scanString()
            case UInt8(ascii: "'") where !strict:
                problem = scanString()
            case UInt8(ascii: "/") where !strict:
                index = afterComment(at: index) ?? index + 1
                problem = nil
            case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
                problem = scanNumber()
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"):
                problem = scanWord()
            case 0x80...0xFF where strict:
                problem = skipUTF8Sequence()
            default:
                index += 1
                problem = nil
            }
            if let problem {
                return problem
            }
        }
        return nil
    }

    /// Scans a string whose opening quote is at `index`, leaving `index` after its close.
    mutating func scanString() -> WireJSONError? {
        let quote = bytes[index]
        var firstNulEscape: Int?
        index += 1
        while index < end {
            let byte = bytes[index]
            if byte == quote {
                index += 1
                break
            }
            if byte == UInt8(ascii: "\\") {
                if isNulEscape(at: index) {
                    firstNulEscape = firstNulEscape ?? index
                }
                // Skipping the escaped byte keeps `\"` from closing the string; json-c
                // validates the escape itself.
                index += 2
                continue
            }
            if strict && byte < 0x20 {
                let hex = String(byte, radix: 16, uppercase: true)
                return problem(
                    "unescaped control character U+\(String(repeating: "0", count: 4 - hex.count))\(hex) in string")
            }
            if strict && byte >= 0x80 {
                if let problem = skipUTF8Sequence() {
                    return problem
                }
                continue
            }
            index += 1
        }
        // json-c stores object keys as C strings, so `{"a\u0000b":1}` would silently
        // become `{"a":1}`; a string followed by `:` is a key.
        if let firstNulEscape, let after = indexAfterTrivia(from: index), after < end,
            bytes[after] == UInt8(ascii: ":")
        {
            return WireJSONError(
                message: "object key contains \\u0000, which json-c cannot keep in keys",
                offset: firstNulEscape)
        }
        return nil
    }

    /// Scans a number token as json-c delimits it and checks its form and range.
    mutating func scanNumber() -> WireJSONError? {
        let start = index
        index += 1
        while index < end && NumberLiteral.isNumberByte(bytes[index]) {
            index += 1
        }
        let token = bytes[start..<index]
        if strict && !NumberLiteral.isRFC8259Number(token) {
            return problem("invalid number literal '\(excerpt(token))'", at: start)
        }
        if NumberLiteral.isInteger(token) {
            if !NumberLiteral.integerFitsInt64(token) {
                return problem("integer literal '\(excerpt(token))' is outside the signed 64-bit range", at: start)
            }
        } else if strict && !NumberLiteral.isFiniteDouble(token) {
            return problem("number literal '\(excerpt(token))' is outside the double range", at: start)
        }
        return nil
    }

    /// Scans a bare word; strict JSON only has `true`, `false` and `null`, while json-c
    /// also takes `NaN` and `Infinity` in strict mode.
    mutating func scanWord() -> WireJSONError? {
        let start = index
        while index < end && isWordByte(bytes[index]) {
            index += 1
        }
        let word = bytes[start..<index]
        guard strict, !Self.literals.contains(where: { word.elementsEqual($0) }) else { return nil }
        return problem("unexpected literal '\(excerpt(word))'", at: start)
    }

    /// The only bare words RFC 8259 has.
    private static let literals = [Array("true".utf8), Array("false".utf8), Array("null".utf8)]

    /// Steps over one UTF-8 sequence at `index`, or reports it as ill-formed.
    mutating func skipUTF8Sequence() -> WireJSONError? {
        // Bytes past `end` (a NUL byte) must not complete a sequence.
        let visible = UnsafeBufferPointer(rebasing: bytes[..<end])
        guard let length = UTF8Validation.sequenceLength(in: visible, at: index) else {
            return problem("invalid UTF-8")
        }
        index += length
        return nil
    }

    /// Whether a `\u0000` escape starts at `position`.
    func isNulEscape(at position: Int) -> Bool {
        position + 6 <= end && bytes[(position + 1)..<(position + 6)].elementsEqual("u0000".utf8)
    }

    /// The first index at or after `position` that is neither JSON whitespace nor, in
    /// lenient mode, part of a comment.
    func indexAfterTrivia(from position: Int) -> Int? {
        var position = position
        while position < end {
            if JSONWhitespace.contains(bytes[position]) {
                position += 1
            } else if !strict, let after = afterComment(at: position) {
                position = after
            } else {
                return position
            }
        }
        return nil
    }

    /// The index after a `/* */` or `//` comment starting at `position`, or `nil` when no
    /// comment starts there. json-c accepts both forms in lenient mode.
    func afterComment(at position: Int) -> Int? {
        guard position + 1 < end, bytes[position] == UInt8(ascii: "/") else { return nil }
        var cursor = position + 2
        switch bytes[position + 1] {
        case UInt8(ascii: "*"):
            while cursor + 1 < end {
                if bytes[cursor] == UInt8(ascii: "*") && bytes[cursor + 1] == UInt8(ascii: "/") {
                    return cursor + 2
                }
                cursor += 1
            }
            return end
        case UInt8(ascii: "/"):
            while cursor < end && bytes[cursor] != UInt8(ascii: "\n") {
                cursor += 1
            }
            return cursor
        default:
            return nil
        }
    }

    /// Whether `byte` continues a bare word; digits are included so `x10` reads as one word.
    func isWordByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
            UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "_"):
            return true
        default:
            return false
        }
    }

    /// A problem at the current index.
    func problem(_ message: String) -> WireJSONError {
        WireJSONError(message: message, offset: index)
    }

    /// A problem at `offset`.
    func problem(_ message: String, at offset: Int) -> WireJSONError {
        WireJSONError(message: message, offset: offset)
    }

    /// The token text for a message, shortened so a huge token cannot flood a log line.
    func excerpt(_ token: UnsafeBufferPointer<UInt8>.SubSequence) -> String {
        let limit = 40
        let text = String(decoding: token.prefix(limit), as: UTF8.self)
        return token.count > limit ? text + "…" : text
    }
}

/// The four whitespace bytes RFC 8259 allows between tokens.
enum JSONWhitespace {
    /// Whether `byte` is space, tab, line feed or carriage return.
    static func contains(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D
    }
}
