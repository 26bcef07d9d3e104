/// Checks on the text of one number token, used by ``LexicalScanner``.
///
/// json-c does not keep the text of integers and clamps out-of-range ones to the
/// int64/uint64 limits (even in strict mode, 0.16), so range is checked here on the
/// original digits instead.
enum NumberLiteral {
    /// Whether the token is `-?[0-9]+`, i.e. json-c will treat it as an integer.
    static func isInteger(_ token: UnsafeBufferPointer<UInt8>.SubSequence) -> Bool {
        let digits = token.first == UInt8(ascii: "-") ? token.dropFirst() : token[...]
        return !digits.isEmpty && digits.allSatisfy(isDigit)
    }

    /// Whether an integer token (see ``isInteger(_:)``) fits `Int64`.
    static func integerFitsInt64(_ token: UnsafeBufferPointer<UInt8>.SubSequence) -> Bool {
        let negative = token.first == UInt8(ascii: "-")
        let digits = (negative ? token.dropFirst() : token[...]).drop { $0 == UInt8(ascii: "0") }
        // Int64.max is 9223372036854775807 and Int64.min is -9223372036854775808, both
        // 19 digits, so length decides except at exactly 19 digits.
        if digits.count != 19 {
            return digits.count < 19
        }
        let limit = negative ? int64MinMagnitude : int64MaxMagnitude
        return !limit.lexicographicallyPrecedes(digits)
    }

    /// The digits of `Int64.max`.
    private static let int64MaxMagnitude = Array("9223372036854775807".utf8)
    /// The digits of the magnitude of `Int64.min`.
    private static let int64MinMagnitude = Array("9223372036854775808".utf8)

    /// Whether the token matches RFC 8259's `number` production:
    /// `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?`.
    static func isRFC8259Number(_ token: UnsafeBufferPointer<UInt8>.SubSequence) -> Bool {
        var rest = token[...]
        if rest.first == UInt8(ascii: "-") { rest = rest.dropFirst() }
        guard let first = rest.first, isDigit(first) else { return false }
        if first == UInt8(ascii: "0") {
            rest = rest.dropFirst()
        } else {
            rest = rest.drop(while: isDigit)
        }
        if rest.first == UInt8(ascii: ".") {
            rest = rest.dropFirst()
            guard let digit = rest.first, isDigit(digit) else { return false }
            rest = rest.drop(while: isDigit)
        }
        if rest.first == UInt8(ascii: "e") || rest.first == UInt8(ascii: "E") {
            rest = rest.dropFirst()
            if rest.first == UInt8(ascii: "+") || rest.first == UInt8(ascii: "-") {
                rest = rest.dropFirst()
            }
            guard let digit = rest.first, isDigit(digit) else { return false }
            rest = rest.drop(while: isDigit)
        }
        return rest.isEmpty
    }

    /// Whether a non-integer RFC 8259 token denotes a finite `Double`.
    ///
    /// strtod turns `1e400` into infinity, which JSON output cannot carry, so strict
    /// parsing rejects it. Only tokens with an exponent or more than 308 digits can
    /// overflow, so the cheap test spares the decimal conversion for ordinary numbers.
    static func isFiniteDouble(_ token: UnsafeBufferPointer<UInt8>.SubSequence) -> Bool {
        let hasExponent = token.contains { $0 == UInt8(ascii: "e") || $0 == UInt8(ascii: "E") }
        guard hasExponent || token.count > 308 else { return true }
        guard let value = Double(String(decoding: token, as: UTF8.self)) else { return false }
        return value.isFinite
    }

    /// Whether `byte` can continue a number token as json-c reads one.
    static func isNumberByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "."), UInt8(ascii: "e"),
            UInt8(ascii: "E"), UInt8(ascii: "+"), UInt8(ascii: "-"):
            return true
        default:
            return false
        }
    }

    /// Whether `byte` is an ASCII decimal digit.
    static func isDigit(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
    }
}
