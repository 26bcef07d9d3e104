/// Decoding of JSON string tokens into Swift strings.
enum StringDecoding {
    /// Decodes the string token in `range` (quotes included, the closing one possibly
    /// missing). Invalid escapes are kept literally; lone surrogates become U+FFFD.
    static func decode(_ buffer: UnsafeBufferPointer<UInt8>, range: ByteRange) -> String {
        var start = range.start + 1
        var end = range.end
        if end > start, buffer[end - 1] == UInt8(ascii: "\"") { end -= 1 }
        start = min(start, end)
        let body = UnsafeBufferPointer(rebasing: buffer[start..<end])
        guard body.contains(UInt8(ascii: "\\")) else {
            return String(decoding: body, as: UTF8.self)
        }
        // The text is gathered as UTF-8 and decoded once: an escaped code point is written as
        // its own complete UTF-8 sequence, which never begins with a continuation byte, so bad
        // bytes before it are repaired as they would be on their own.
        var bytes: [UInt8] = []
        bytes.reserveCapacity(body.count)
        var index = 0
        func append(_ scalar: Unicode.Scalar) {
            UTF8.encode(scalar) { bytes.append($0) }
        }
        while index < body.count {
            let byte = body[index]
            guard byte == UInt8(ascii: "\\"), index + 1 < body.count else {
                bytes.append(byte)
                index += 1
                continue
            }
            let escape = body[index + 1]
            index += 2
            switch escape {
            case UInt8(ascii: "b"): bytes.append(0x08)
            case UInt8(ascii: "f"): bytes.append(0x0C)
            case UInt8(ascii: "n"): bytes.append(0x0A)
            case UInt8(ascii: "r"): bytes.append(0x0D)
            case UInt8(ascii: "t"): bytes.append(0x09)
            case UInt8(ascii: "u"):
                guard let high = hex4(body, at: index) else {
                    bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "u")])
                    continue
                }
                index += 4
                if (0xD800...0xDBFF).contains(high), index + 1 < body.count,
                    body[index] == UInt8(ascii: "\\"), body[index + 1] == UInt8(ascii: "u"),
                    let low = hex4(body, at: index + 2), (0xDC00...0xDFFF).contains(low)
                {
                    index += 6
                    let value = 0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00)
                    append(Unicode.Scalar(value) ?? "\u{FFFD}")
                } else {
                    append(Unicode.Scalar(high) ?? "\u{FFFD}")
                }
            case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"):
                bytes.append(escape)
            default:
                // An invalid escape is already reported; it is kept as written so that
                // the value shows what the user typed.
                bytes.append(contentsOf: [UInt8(ascii: "\\"), escape])
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    private static func hex4(_ body: UnsafeBufferPointer<UInt8>, at index: Int) -> UInt32? {
        guard index + 4 <= body.count else { return nil }
        var value: UInt32 = 0
        for offset in 0..<4 {
            guard let digit = Lexer.hexValue(body[index + offset]) else { return nil }
            value = value << 4 | digit
        }
        return value
    }
}
