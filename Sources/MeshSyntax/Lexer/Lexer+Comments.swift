/// `//` and `/* */` comments, errors only in strict JSON.
extension Lexer {
    mutating func scanComment(_ buffer: UnsafeBufferPointer<UInt8>, from start: Int) -> Int {
        let count = buffer.count
        guard start + 1 < count else {
            report("unexpected character '/'", start, start + 1)
            emit(.unknown, start, start + 1)
            return start + 1
        }
        let next = buffer[start + 1]
        var end: Int
        let kind: TokenKind
        if next == UInt8(ascii: "/") {
            end = start + 2
            while end < count, buffer[end] != 0x0A, buffer[end] != 0x0D { end += 1 }
            kind = .lineComment
        } else if next == UInt8(ascii: "*") {
            end = start + 2
            var closed = false
            while end + 1 < count {
                if buffer[end] == UInt8(ascii: "*"), buffer[end + 1] == UInt8(ascii: "/") {
                    end += 2
                    closed = true
                    break
                }
                end += 1
            }
            if !closed {
                end = count
                endsInsideToken = true
                report("unterminated block comment: add '*/'", start, start + 2)
            }
            kind = .blockComment
        } else {
            report("unexpected character '/'", start, start + 1)
            emit(.unknown, start, start + 1)
            return start + 1
        }
        if dialect == .strict {
            report("comments are not allowed in strict JSON", start, end)
        }
        emit(kind, start, end)
        return end
    }
}
