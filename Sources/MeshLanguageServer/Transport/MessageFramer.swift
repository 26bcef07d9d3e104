/// The `Content-Length` framing of the base protocol as a pure state machine.
///
/// Bytes arrive in chunks split anywhere (inside a header name, between `\r` and `\n`,
/// inside a body); ``append(_:)`` buffers them and ``next()`` hands out one event at a
/// time, so the caller can stop at `exit` without framing what follows. Header names are
/// case-insensitive, `Content-Type` is accepted and ignored, `Content-Length` is required.
///
/// A bad header is an ``FramingEvent/error(_:)`` event, never a thrown error or a trap:
/// the framer then resynchronises by skipping to the next `Content-Length` it can find, so
/// one broken message does not end the session.
struct MessageFramer: Sendable {
    /// The largest body accepted; larger lengths are reported and skipped, so that a
    /// hostile or corrupted header cannot make the server allocate without bound.
    static let defaultMaxContentLength = 64 << 20
    /// Real header blocks are a few dozen bytes; past this, the input is not LSP.
    static let maxHeaderBytes = 8 << 10
    /// From this length on, a body is read into a buffer of its exact size and handed out
    /// without a copy, and the buffer is not kept afterwards: a full-text `didChange` of a
    /// 2 MB config otherwise cost a doubled 4 MB buffer plus a 2 MB copy, for the session.
    static let largeBody = 64 << 10

    private enum State: Sendable, Equatable {
        /// Reading a header block up to the blank line.
        case header
        /// Reading a body of the given length.
        case body(Int)
        /// Skipping bytes up to the next `Content-Length` after an error.
        case resync
    }

    private static let headerName = Array("content-length".utf8)
    private static let terminator = Array("\r\n\r\n".utf8)

    /// The body size limit of this framer.
    let maxContentLength: Int
    private var buffer: [UInt8] = []
    /// The bytes before `cursor` are consumed.
    private var cursor = 0
    /// Where the search for the header terminator resumes, so that a header arriving
    /// byte by byte is not rescanned from its start on every chunk.
    private var scanFrom = 0
    private var state = State.header

    /// Creates a framer with the given body size limit.
    init(maxContentLength: Int = MessageFramer.defaultMaxContentLength) {
        self.maxContentLength = maxContentLength
    }

    /// The bytes buffered but not yet framed (for tests of bounded memory).
    var bufferedByteCount: Int { buffer.count - cursor }

    /// The bytes the buffer holds on to (for tests of bounded memory).
    var bufferCapacity: Int { buffer.capacity }

    /// Adds bytes read from the stream.
    mutating func append(_ bytes: some Collection<UInt8>) {
        compact()
        buffer.append(contentsOf: bytes)
    }

    /// The next complete event, or nil when more bytes are needed.
    mutating func next() -> FramingEvent? {
        while true {
            switch state {
            case .header:
                skipLineBreaks()
                guard let end = find(Self.terminator, from: max(cursor, scanFrom)) else {
                    if buffer.count - cursor > Self.maxHeaderBytes {
                        // Skip at least one byte, or a long run starting with a valid
                        // header name would be reported again and again.
                        resync(from: cursor + 1)
                        return .error(.headerTooLong(limit: Self.maxHeaderBytes))
                    }
                    scanFrom = max(cursor, buffer.count - (Self.terminator.count - 1))
                    return nil
                }
                let blockStart = cursor
                let headers = HeaderBlock.parse(buffer[blockStart..<end])
                cursor = end + Self.terminator.count
                scanFrom = cursor
                switch headers {
                case .success(let length) where length > maxContentLength:
                    resync(from: cursor)
                    return .error(.contentLengthTooLarge(length, limit: maxContentLength))
                case .success(let length):
                    state = .body(length)
                case .failure(let error):
                    // An invalid length already names the message's own header, so the
                    // search resumes after the block; otherwise the block may hide a
                    // valid header behind garbage ("junk\r\nContent-Length: 2\r\n\r\n").
                    if case .invalidContentLength = error {
                        resync(from: cursor)
                    } else {
                        resync(from: blockStart + 1)
                    }
                    return .error(error)
                }
            case .body(let length):
                guard buffer.count - cursor >= length else {
                    makeRoom(forBody: length)
                    return nil
                }
                let body = takeBody(length)
                scanFrom = cursor
                state = .header
                return .message(body)
            case .resync:
                if let found = findHeaderName(from: cursor) {
                    cursor = found
                    scanFrom = found
                    state = .header
                } else {
                    // Keep a tail that could be the start of a split `Content-Length`.
                    cursor = max(cursor, buffer.count - (Self.headerName.count - 1))
                    scanFrom = cursor
                    return nil
                }
            }
        }
    }

    /// Reports what is left at the end of input: a partial body or header block.
    mutating func finish() -> FramingEvent? {
        defer {
            buffer = []
            cursor = 0
            scanFrom = 0
            state = .header
        }
        switch state {
        case .body(let length):
            return .error(.truncatedBody(expected: length, received: buffer.count - cursor))
        case .header:
            skipLineBreaks()
            return cursor < buffer.count ? .error(.truncatedHeader) : nil
        case .resync:
            return nil
        }
    }

    // MARK: Bodies

    /// Before a large body's remaining bytes arrive: moves its start to the front and
    /// reserves exactly its length, so that the appends do not double the buffer.
    private mutating func makeRoom(forBody length: Int) {
        guard length >= Self.largeBody, buffer.capacity - cursor < length else { return }
        buffer.removeFirst(cursor)
        scanFrom = max(0, scanFrom - cursor)
        cursor = 0
        buffer.reserveCapacity(length)
    }

    /// Hands out the `length` bytes at `cursor`. A large body at the front of the buffer is
    /// the buffer itself (only what follows it is copied); a small one is copied out.
    private mutating func takeBody(_ length: Int) -> [UInt8] {
        guard cursor == 0, length >= Self.largeBody else {
            let body = Array(buffer[cursor..<cursor + length])
            cursor += length
            return body
        }
        let rest = Array(buffer[length...])
        buffer.removeSubrange(length...)
        let body = buffer
        buffer = rest
        return body
    }

    // MARK: Scanning

    private mutating func resync(from offset: Int) {
        cursor = min(offset, buffer.count)
        scanFrom = cursor
        state = .resync
    }

    /// Line breaks between messages are tolerated: some clients end bodies with one.
    private mutating func skipLineBreaks() {
        while cursor < buffer.count, buffer[cursor] == UInt8(ascii: "\r") || buffer[cursor] == UInt8(ascii: "\n") {
            cursor += 1
        }
    }

    private func find(_ needle: [UInt8], from start: Int) -> Int? {
        guard buffer.count >= needle.count, start <= buffer.count - needle.count else { return nil }
        return buffer.withUnsafeBufferPointer { bytes -> Int? in
            var index = start
            let last = bytes.count - needle.count
            while index <= last {
                if bytes[index] == needle[0] {
                    var matched = 1
                    while matched < needle.count, bytes[index + matched] == needle[matched] { matched += 1 }
                    if matched == needle.count { return index }
                }
                index += 1
            }
            return nil
        }
    }

    /// The offset of the next `content-length`, compared case-insensitively.
    private func findHeaderName(from start: Int) -> Int? {
        let needle = Self.headerName
        guard buffer.count >= needle.count, start <= buffer.count - needle.count else { return nil }
        return buffer.withUnsafeBufferPointer { bytes -> Int? in
            let last = bytes.count - needle.count
            var index = start
            while index <= last {
                var matched = 0
                while matched < needle.count, asciiLowercased(bytes[index + matched]) == needle[matched] {
                    matched += 1
                }
                if matched == needle.count { return index }
                index += 1
            }
            return nil
        }
    }

    /// Drops consumed bytes once they dominate the buffer, keeping appends amortised O(1)
    /// and memory proportional to what is still unframed.
    private mutating func compact() {
        if cursor == buffer.count, buffer.capacity >= Self.largeBody {
            // Everything was framed: a large buffer left by a large message is let go.
            buffer = []
            cursor = 0
            scanFrom = 0
            return
        }
        guard cursor > 0, cursor >= 4096, cursor * 2 >= buffer.count else { return }
        buffer.removeFirst(cursor)
        scanFrom = max(0, scanFrom - cursor)
        cursor = 0
    }
}

@inline(__always)
func asciiLowercased(_ byte: UInt8) -> UInt8 {
    (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte) ? byte + 32 : byte
}
