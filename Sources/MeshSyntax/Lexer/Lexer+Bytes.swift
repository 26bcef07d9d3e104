/// Byte-level helpers shared by the lexer, the string decoder and the line index.
extension Lexer {
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
        let text = String(
            decoding: UnsafeBufferPointer(rebasing: bytes[0..<min(bytes.count, limit * 4)]), as: UTF8.self)
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

    /// `byte` as two upper-case hexadecimal digits, written from bytes: no `Character`s, which
    /// would link the Unicode tables into the edge router's module.
    static func hex(_ byte: UInt8) -> String {
        let digits: StaticString = "0123456789ABCDEF"
        return String(
            decoding: [digits.utf8Start[Int(byte >> 4)], digits.utf8Start[Int(byte & 0x0F)]], as: UTF8.self)
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
