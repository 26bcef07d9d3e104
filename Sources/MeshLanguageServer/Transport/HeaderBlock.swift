/// The parsing of one header block (the bytes before the blank line).
enum HeaderBlock {
    /// The content length the block declares, or why it declares none.
    ///
    /// Lines are `Name: value` separated by `\r\n` (a bare `\n` is tolerated); names are
    /// compared case-insensitively. `Content-Type` and unknown headers are ignored, as
    /// the base protocol allows.
    static func parse(_ block: ArraySlice<UInt8>) -> Result<Int, FramingError> {
        var length: Int?
        var lineStart = block.startIndex
        while lineStart < block.endIndex {
            var lineEnd = block[lineStart...].firstIndex(of: UInt8(ascii: "\n")) ?? block.endIndex
            let next = lineEnd == block.endIndex ? lineEnd : lineEnd + 1
            if lineEnd > lineStart, block[lineEnd - 1] == UInt8(ascii: "\r") { lineEnd -= 1 }
            let line = block[lineStart..<lineEnd]
            lineStart = next
            guard let colon = line.firstIndex(of: UInt8(ascii: ":")) else {
                return .failure(.malformedHeader(printable(line)))
            }
            let name = line[line.startIndex..<colon]
            guard !name.isEmpty, name.allSatisfy(isTokenByte) else {
                return .failure(.malformedHeader(printable(line)))
            }
            guard name.map(asciiLowercased).elementsEqual("content-length".utf8) else { continue }
            let value = trimmed(line[(colon + 1)...])
            guard let parsed = parseLength(value) else {
                return .failure(.invalidContentLength(printable(value)))
            }
            if let length, length != parsed {
                return .failure(.invalidContentLength(printable(value)))
            }
            length = parsed
        }
        guard let length else { return .failure(.missingContentLength) }
        return .success(length)
    }

    /// A decimal length; values too long to be a real length saturate at `Int.max` so that
    /// the framer reports them as too large rather than as garbage.
    private static func parseLength(_ digits: ArraySlice<UInt8>) -> Int? {
        guard !digits.isEmpty, digits.allSatisfy({ (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }) else {
            return nil
        }
        var value = 0
        for digit in digits {
            let (shifted, overflow1) = value.multipliedReportingOverflow(by: 10)
            let (sum, overflow2) = shifted.addingReportingOverflow(Int(digit - UInt8(ascii: "0")))
            if overflow1 || overflow2 { return Int.max }
            value = sum
        }
        return value
    }

    private static func trimmed(_ bytes: ArraySlice<UInt8>) -> ArraySlice<UInt8> {
        var slice = bytes
        while let first = slice.first, first == UInt8(ascii: " ") || first == UInt8(ascii: "\t") { slice.removeFirst() }
        while let last = slice.last, last == UInt8(ascii: " ") || last == UInt8(ascii: "\t") { slice.removeLast() }
        return slice
    }

    /// RFC 9110 `tchar`: what a header name may consist of.
    private static func isTokenByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
            UInt8(ascii: "0")...UInt8(ascii: "9"):
            true
        default:
            Array("!#$%&'*+-.^_`|~".utf8).contains(byte)
        }
    }

    /// At most 60 bytes of the offending text, for a log line.
    private static func printable(_ bytes: ArraySlice<UInt8>) -> String {
        let text = String(decoding: bytes.prefix(60), as: UTF8.self)
        return String(text.unicodeScalars.map { $0.value < 0x20 || $0.value == 0x7F ? "?" : Character($0) })
    }
}
