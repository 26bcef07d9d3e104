/// UTF-8 well-formedness per Unicode Table 3-7.
///
/// json-c's `JSON_TOKENER_VALIDATE_UTF8` (0.16) only checks lead and continuation byte
/// shapes, so it lets through overlong forms (`C0 AF`), encoded surrogates (`ED A0 80`)
/// and code points above U+10FFFF (`F4 90 80 80`). Strict parsing needs the full rule.
enum UTF8Validation {
    /// The length of the well-formed sequence starting at `start`, or `nil` when the bytes
    /// there are not well-formed UTF-8 (including a sequence cut off by the end of input).
    static func sequenceLength(in bytes: UnsafeBufferPointer<UInt8>, at start: Int) -> Int? {
        let lead = bytes[start]
        let length: Int
        // The allowed range of the second byte depends on the lead; this is what rules out
        // overlong forms, surrogates and values beyond U+10FFFF.
        let secondRange: ClosedRange<UInt8>
        switch lead {
        case 0x00...0x7F: return 1
        case 0xC2...0xDF:
            length = 2
            secondRange = 0x80...0xBF
        case 0xE0:
            length = 3
            secondRange = 0xA0...0xBF
        case 0xE1...0xEC, 0xEE...0xEF:
            length = 3
            secondRange = 0x80...0xBF
        case 0xED:
            length = 3
            secondRange = 0x80...0x9F
        case 0xF0:
            length = 4
            secondRange = 0x90...0xBF
        case 0xF1...0xF3:
            length = 4
            secondRange = 0x80...0xBF
        case 0xF4:
            length = 4
            secondRange = 0x80...0x8F
        default: return nil
        }
        guard start + length <= bytes.count, secondRange.contains(bytes[start + 1]) else {
            return nil
        }
        for index in (start + 2)..<(start + length) where !(0x80...0xBF).contains(bytes[index]) {
            return nil
        }
        return length
    }
}
