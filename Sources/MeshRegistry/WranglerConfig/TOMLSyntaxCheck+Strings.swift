/// Strings and comments of TOML 1.0, for ``TOMLSyntaxCheck``.
extension TOMLSyntaxCheck {
    /// After the opening quote of a one-line string: basic (`"`, with escapes) or literal
    /// (`'`, without).
    mutating func oneLineString(quote: UInt8, escapes: Bool) throws(Failure) {
        while let byte = peek() {
            switch byte {
            case quote:
                index += 1
                return
            case UInt8(ascii: "\\") where escapes:
                try escape()
            case UInt8(ascii: "\t"):
                index += 1
            case UInt8(ascii: "\n"), UInt8(ascii: "\r"):
                throw failure("unterminated string")
            case 0x00...0x1F, 0x7F:
                throw failure("control character in a string")
            default:
                index += 1
            }
        }
        throw failure("unterminated string")
    }

    /// After the opening `"""` or `'''`; up to two quotes may precede the closing three.
    mutating func multilineString(quote: UInt8, escapes: Bool) throws(Failure) {
        while let byte = peek() {
            switch byte {
            case quote:
                var run = 0
                while peek() == quote {
                    run += 1
                    index += 1
                }
                if run >= 3 {
                    guard run <= 5 else { throw failure("too many quotes at the end of a multi-line string") }
                    return
                }
            case UInt8(ascii: "\\") where escapes:
                if try !lineEndingBackslash() { try escape() }
            case UInt8(ascii: "\t"), UInt8(ascii: "\n"):
                index += 1
            case UInt8(ascii: "\r"):
                try newline(expected: "a line feed after a carriage return")
            case 0x00...0x1F, 0x7F:
                throw failure("control character in a string")
            default:
                index += 1
            }
        }
        throw failure("unterminated multi-line string")
    }

    /// A backslash followed by whitespace up to the end of the line trims the line break
    /// and the whitespace after it; true when that is what follows.
    mutating func lineEndingBackslash() throws(Failure) -> Bool {
        var probe = index + 1
        while probe < bytes.count, bytes[probe] == UInt8(ascii: " ") || bytes[probe] == UInt8(ascii: "\t") {
            probe += 1
        }
        guard probe < bytes.count, bytes[probe] == UInt8(ascii: "\n") || bytes[probe] == UInt8(ascii: "\r") else {
            return false
        }
        index = probe
        while let byte = peek() {
            switch byte {
            case UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "\n"): index += 1
            case UInt8(ascii: "\r"): try newline(expected: "a line feed after a carriage return")
            default: return true
            }
        }
        return true
    }

    mutating func escape() throws(Failure) {
        index += 1
        guard let byte = peek() else { throw failure("unterminated string") }
        switch byte {
        case UInt8(ascii: "b"), UInt8(ascii: "t"), UInt8(ascii: "n"), UInt8(ascii: "f"), UInt8(ascii: "r"),
            UInt8(ascii: "\""), UInt8(ascii: "\\"):
            index += 1
        case UInt8(ascii: "u"), UInt8(ascii: "U"):
            let count = byte == UInt8(ascii: "u") ? 4 : 8
            index += 1
            var scalar: UInt32 = 0
            for _ in 0..<count {
                guard let digit = peek(), let value = Self.hexValue(digit) else {
                    throw failure("expected \(count) hex digits in a \\\(Character(Unicode.Scalar(byte))) escape")
                }
                scalar = scalar << 4 | UInt32(value)
                index += 1
            }
            guard Unicode.Scalar(scalar) != nil else { throw failure("the escape is not a Unicode scalar value") }
        default:
            throw failure("invalid escape sequence")
        }
    }

    // MARK: Lexical pieces

    mutating func comment() throws(Failure) {
        index += 1
        while let byte = peek() {
            switch byte {
            case UInt8(ascii: "\n"), UInt8(ascii: "\r"): return
            case UInt8(ascii: "\t"): index += 1
            case 0x00...0x1F, 0x7F: throw failure("control character in a comment")
            default: index += 1
            }
        }
    }
}
