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
