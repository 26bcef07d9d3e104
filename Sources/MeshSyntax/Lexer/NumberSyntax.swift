/// The JSON number grammar (RFC 8259 section 6), checked on a token's bytes.
enum NumberSyntax {
    /// Nil when `bytes` is a valid JSON number, else what is wrong with it in words.
    static func problem(in bytes: UnsafeBufferPointer<UInt8>) -> String? {
        var index = 0
        let count = bytes.count
        func digit(_ at: Int) -> Bool {
            at < count && bytes[at] >= UInt8(ascii: "0") && bytes[at] <= UInt8(ascii: "9")
        }
        if index < count, bytes[index] == UInt8(ascii: "-") { index += 1 }
        guard digit(index) else {
            return index < count && bytes[index] == UInt8(ascii: ".")
                ? "a digit must come before the decimal point" : "a digit must follow '-'"
        }
        if bytes[index] == UInt8(ascii: "0") {
            index += 1
            if digit(index) { return "leading zeros are not allowed" }
        } else {
            while digit(index) { index += 1 }
        }
        if index < count, bytes[index] == UInt8(ascii: ".") {
            index += 1
            guard digit(index) else { return "a digit must follow the decimal point" }
            while digit(index) { index += 1 }
        }
        if index < count, bytes[index] == UInt8(ascii: "e") || bytes[index] == UInt8(ascii: "E") {
            index += 1
            if index < count, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") { index += 1 }
            guard digit(index) else { return "the exponent needs at least one digit" }
            while digit(index) { index += 1 }
        }
        if index < count {
            return
                "unexpected "
                + "'\(String(decoding: UnsafeBufferPointer(rebasing: bytes[index..<(index + 1)]), as: UTF8.self))' "
                + "in number"
        }
        return nil
    }
}

/// A JSON number read from text, as a number token of the strict dialect is read.
public enum JSONNumber {
    /// The value of `text` when it is one JSON number (RFC 8259: no `+`, no leading zeros,
    /// no `nan`, `Infinity` or hex), with JSON whitespace around it allowed as in a document
    /// of its own; nil otherwise.
    public static func value(of text: String) -> Double? {
        text.withUTF8Bytes { bytes in
            value(ofToken: UnsafeBufferPointer(rebasing: bytes[bytes.untrimmed(where: isJSONWhitespace)]))
        }
    }

    /// The value of a number token (its bytes, no whitespace): plain integers from their digits
    /// (``plainInteger(_:)``), any other spelling through the number grammar and `strtod`; nil
    /// when the grammar refuses it.
    static func value(ofToken token: UnsafeBufferPointer<UInt8>) -> Double? {
        if let whole = plainInteger(token) { return Double(whole) }
        guard NumberSyntax.problem(in: token) == nil else { return nil }
        return Double(String(decoding: token, as: UTF8.self))
    }

    /// The most digits ``plainInteger(_:)`` reads: every integer of up to 15 digits is
    /// exactly a `Double`, and fits in the `Int64` it is summed in.
    public static let plainDigitLimit = 15

    /// The value of `bytes` when they spell an integer in plain digits (`0`, `-12`; no
    /// fraction, exponent, leading zero or `-0`) of at most ``plainDigitLimit`` digits;
    /// nil otherwise, including for every text that is not a JSON number, and for a value
    /// outside `Int` (on a 32-bit platform).
    public static func plainInteger(_ bytes: UnsafeBufferPointer<UInt8>) -> Int? {
        var index = 0
        let negative = !bytes.isEmpty && bytes[0] == UInt8(ascii: "-")
        if negative { index = 1 }
        let digits = bytes.count - index
        guard digits > 0, digits <= plainDigitLimit else { return nil }
        // A leading zero is only the number zero itself (`-0` keeps its sign elsewhere).
        if bytes[index] == UInt8(ascii: "0") {
            return digits == 1 && !negative ? 0 : nil
        }
        var value: Int64 = 0
        while index < bytes.count {
            let digit = bytes[index] &- UInt8(ascii: "0")
            guard digit <= 9 else { return nil }
            value = value * 10 + Int64(digit)
            index += 1
        }
        return Int(exactly: negative ? -value : value)
    }

    private static func isJSONWhitespace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D
    }
}
