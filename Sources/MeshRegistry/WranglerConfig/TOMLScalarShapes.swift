/// The shapes of TOML 1.0's unquoted values (booleans, integers, floats, dates and
/// times), for ``TOMLSyntaxCheck``. Ranges (month 13, hour 25) are left to toml++, which
/// reports them as errors rather than asserting.
enum TOMLScalarShapes {
    static func isValid(_ token: [UInt8]) -> Bool {
        let text = String(decoding: token, as: UTF8.self)
        if ["true", "false", "inf", "+inf", "-inf", "nan", "+nan", "-nan"].contains(text) { return true }
        return isPrefixedInteger(token) || isDecimalNumber(token) || isDateTime(token)
    }

    /// `0x`, `0o` and `0b` integers: no sign, `_` only between digits.
    static func isPrefixedInteger(_ token: [UInt8]) -> Bool {
        guard token.count > 2, token[0] == UInt8(ascii: "0") else { return false }
        let digit: (UInt8) -> Bool
        switch token[1] {
        case UInt8(ascii: "x"): digit = { TOMLSyntaxCheck.hexValue($0) != nil }
        case UInt8(ascii: "o"): digit = { $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "7") }
        case UInt8(ascii: "b"): digit = { $0 == UInt8(ascii: "0") || $0 == UInt8(ascii: "1") }
        default: return false
        }
        return isDigitRun(token[2...], digit: digit)
    }

    /// `[+-]` then `0` or a digit run without a leading zero, then an optional fraction
    /// and exponent.
    static func isDecimalNumber(_ token: [UInt8]) -> Bool {
        var rest = token[...]
        if let first = rest.first, first == UInt8(ascii: "+") || first == UInt8(ascii: "-") { rest = rest.dropFirst() }
        let integerEnd = rest.firstIndex { $0 == UInt8(ascii: ".") || $0 | 0x20 == UInt8(ascii: "e") } ?? rest.endIndex
        let integer = rest[..<integerEnd]
        guard isDigitRun(integer, digit: TOMLSyntaxCheck.isDigit) else { return false }
        if integer.count > 1, integer.first == UInt8(ascii: "0") { return false }
        rest = rest[integerEnd...]
        if rest.first == UInt8(ascii: ".") {
            rest = rest.dropFirst()
            let fractionEnd = rest.firstIndex { $0 | 0x20 == UInt8(ascii: "e") } ?? rest.endIndex
            guard isDigitRun(rest[..<fractionEnd], digit: TOMLSyntaxCheck.isDigit) else { return false }
            rest = rest[fractionEnd...]
        }
        if let e = rest.first, e | 0x20 == UInt8(ascii: "e") {
            rest = rest.dropFirst()
            if let sign = rest.first, sign == UInt8(ascii: "+") || sign == UInt8(ascii: "-") { rest = rest.dropFirst() }
            return isDigitRun(rest, digit: TOMLSyntaxCheck.isDigit)
        }
        return rest.isEmpty
    }

    /// One or more digits with single `_` only between digits.
    static func isDigitRun(_ run: ArraySlice<UInt8>, digit: (UInt8) -> Bool) -> Bool {
        guard let first = run.first, let last = run.last, digit(first), digit(last) else { return false }
        var previousUnderscore = false
        for byte in run {
            if byte == UInt8(ascii: "_") {
                if previousUnderscore { return false }
                previousUnderscore = true
            } else if digit(byte) {
                previousUnderscore = false
            } else {
                return false
            }
        }
        return true
    }

    /// Offset and local date-times, local dates and local times.
    static func isDateTime(_ token: [UInt8]) -> Bool {
        if isFullDate(token) { return true }
        if isPartialTime(token[...]) { return true }
        guard token.count > 11, isFullDate(Array(token[0..<10])) else { return false }
        let separator = token[10]
        guard separator == UInt8(ascii: "T") || separator == UInt8(ascii: "t") || separator == UInt8(ascii: " ") else {
            return false
        }
        var time = token[11...]
        if let last = time.last, last == UInt8(ascii: "Z") || last == UInt8(ascii: "z") {
            time = time.dropLast()
        } else if time.count > 6 {
            let offset = time.suffix(6)
            let sign = offset[offset.startIndex]
            if sign == UInt8(ascii: "+") || sign == UInt8(ascii: "-") {
                guard matches(offset.dropFirst(), "dd:dd") else { return false }
                time = time.dropLast(6)
            }
        }
        return isPartialTime(time)
    }

    /// `YYYY-MM-DD`.
    static func isFullDate(_ token: [UInt8]) -> Bool {
        token.count == 10 && matches(token[...], "dddd-dd-dd")
    }

    /// `HH:MM:SS` with an optional fraction of one or more digits.
    static func isPartialTime(_ token: ArraySlice<UInt8>) -> Bool {
        guard token.count >= 8, matches(token.prefix(8), "dd:dd:dd") else { return false }
        let fraction = token.dropFirst(8)
        if fraction.isEmpty { return true }
        return fraction.first == UInt8(ascii: ".") && fraction.count > 1
            && fraction.dropFirst().allSatisfy(TOMLSyntaxCheck.isDigit)
    }

    /// Whether `token` has `pattern`'s shape, `d` standing for any digit.
    private static func matches(_ token: ArraySlice<UInt8>, _ pattern: String) -> Bool {
        let pattern = Array(pattern.utf8)
        guard token.count == pattern.count else { return false }
        return zip(token, pattern).allSatisfy { byte, expected in
            expected == UInt8(ascii: "d") ? TOMLSyntaxCheck.isDigit(byte) : byte == expected
        }
    }
}
