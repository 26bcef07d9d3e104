import Testing

@testable import MeshLanguageServer

/// Feeds `input` to a framer in chunks of `chunkSize` and collects every event, then the
/// end-of-input event.
private func frame(
    _ input: [UInt8], chunkSize: Int = .max, maxContentLength: Int = MessageFramer.defaultMaxContentLength
) -> [FramingEvent] {
    var framer = MessageFramer(maxContentLength: maxContentLength)
    var events: [FramingEvent] = []
    var start = 0
    repeat {
        let end = min(input.count, start + max(1, min(chunkSize, input.count - start)))
        framer.append(input[start..<end])
        while let event = framer.next() { events.append(event) }
        start = end
    } while start < input.count
    if let last = framer.finish() { events.append(last) }
    return events
}

private func bytes(_ text: String) -> [UInt8] { Array(text.utf8) }
private func message(_ text: String) -> FramingEvent { .message(bytes(text)) }

@Suite("framing")
struct FramerTests {
    static let two = bytes("Content-Length: 7\r\n\r\n{\"a\":1}Content-Length: 2\r\n\r\n[]")

    @Test("messages split at every possible chunk size frame the same", arguments: [1, 2, 3, 5, 7, 13, 1000])
    func splitReads(chunkSize: Int) {
        #expect(frame(Self.two, chunkSize: chunkSize) == [message("{\"a\":1}"), message("[]")])
    }

    @Test("header variants: any case, Content-Type, extra spaces, unknown headers, bare LF between headers")
    func headerVariants() {
        let cases = [
            "content-length: 2\r\n\r\n{}",
            "CONTENT-LENGTH:2\r\n\r\n{}",
            "Content-Length:   2  \r\n\r\n{}",
            "Content-Type: application/vscode-jsonrpc; charset=utf-8\r\nContent-Length: 2\r\n\r\n{}",
            "Content-Length: 2\r\nContent-Type: application/vscode-jsonrpc; charset=utf8\r\n\r\n{}",
            "X-Custom: yes\r\nContent-Length: 2\r\n\r\n{}",
            "Content-Type: a\nContent-Length: 2\r\n\r\n{}",
            "\r\nContent-Length: 2\r\n\r\n{}",
        ]
        for text in cases {
            #expect(frame(bytes(text)) == [message("{}")], "\(text.debugDescription)")
        }
    }

    @Test("a body may contain anything, including header-like text and NUL bytes")
    func opaqueBodies() {
        let body = "Content-Length: 99\r\n\r\n\u{0}é"
        let input = bytes("Content-Length: \(body.utf8.count)\r\n\r\n\(body)")
        #expect(frame(input, chunkSize: 4) == [message(body)])
    }

    @Test("a header block without Content-Length is reported and the next message still frames")
    func missingLength() {
        let input = bytes("Content-Type: x\r\n\r\n{\"lost\":1}Content-Length: 2\r\n\r\n{}")
        #expect(frame(input, chunkSize: 3) == [.error(.missingContentLength), message("{}")])
    }

    @Test("negative, non-numeric and conflicting lengths are reported and skipped")
    func invalidLengths() {
        for bad in ["-5", "abc", "1e3", ""] {
            let input = bytes("Content-Length: \(bad)\r\n\r\n{}Content-Length: 2\r\n\r\n[]")
            #expect(frame(input) == [.error(.invalidContentLength(bad)), message("[]")], "\(bad)")
        }
        let conflicting = bytes("Content-Length: 2\r\nContent-Length: 3\r\n\r\n{}Content-Length: 2\r\n\r\n[]")
        #expect(frame(conflicting) == [.error(.invalidContentLength("3")), message("[]")])
    }

    @Test("a length above the cap is reported without allocating it")
    func hugeLength() {
        let input = bytes("Content-Length: 99999999999999999999999\r\n\r\nxxxxContent-Length: 2\r\n\r\n[]")
        let events = frame(input, maxContentLength: 1 << 20)
        #expect(events == [.error(.contentLengthTooLarge(Int.max, limit: 1 << 20)), message("[]")])
        let justOver = frame(bytes("Content-Length: 11\r\n\r\n{}"), maxContentLength: 10)
        #expect(justOver == [.error(.contentLengthTooLarge(11, limit: 10))])
    }

    @Test("garbage before a header is reported once and skipped")
    func garbage() {
        let input = bytes("\u{1}garbage!!\r\n\r\nContent-Length: 2\r\n\r\n{}")
        #expect(frame(input, chunkSize: 2) == [.error(.malformedHeader("?garbage!!")), message("{}")])
        // Garbage glued to the header name: the search finds the header inside it.
        let glued = bytes("xyzContent-Length: 2\r\n\r\n{}")
        #expect(frame(glued) == [.error(.missingContentLength), message("{}")])
    }

    @Test("endless garbage without a blank line is reported and memory stays bounded")
    func endlessGarbage() {
        var framer = MessageFramer()
        var errors = 0
        for _ in 0..<1000 {
            framer.append(Array(repeating: UInt8(ascii: "x"), count: 1000))
            while let event = framer.next() {
                if case .error = event { errors += 1 }
            }
            #expect(framer.bufferedByteCount < 2 * MessageFramer.maxHeaderBytes)
        }
        #expect(errors >= 1)
        framer.append(bytes("Content-Length: 2\r\n\r\n{}"))
        var framed: [FramingEvent] = []
        while let event = framer.next() { framed.append(event) }
        #expect(framed.last == message("{}"))
    }

    @Test("a truncated body or header at end of input is reported")
    func truncated() {
        #expect(frame(bytes("Content-Length: 10\r\n\r\n{\"a\"")) == [.error(.truncatedBody(expected: 10, received: 4))])
        #expect(frame(bytes("Content-Length: 2\r\n\r\n{}Content-Len")) == [message("{}"), .error(.truncatedHeader)])
        #expect(frame(bytes("Content-Length: 2\r\n\r\n{}\r\n")) == [message("{}")])
        #expect(frame([]) == [])
    }

    @Test("consumed bytes are released as messages are framed")
    func boundedBuffer() {
        var framer = MessageFramer()
        let one = bytes("Content-Length: 2\r\n\r\n{}")
        for _ in 0..<10_000 {
            framer.append(one)
            while framer.next() != nil {}
        }
        #expect(framer.bufferedByteCount == 0)
    }

    /// A body of `size` bytes (above the framer's large-body threshold when large), with a
    /// pattern that shows a shifted or truncated copy.
    static func body(size: Int) -> String {
        String((0..<size).map { Character(UnicodeScalar(UInt8(97 + $0 % 26))) })
    }

    @Test(
        "large bodies frame the same at any chunk size, with small messages before and after",
        arguments: [1, 4_093, 65_536, 70_000, 1 << 20])
    func largeBodies(chunkSize: Int) {
        let large = Self.body(size: MessageFramer.largeBody * 3 + 17)
        let exact = Self.body(size: MessageFramer.largeBody)
        let input = bytes(
            "Content-Length: 2\r\n\r\n{}Content-Length: \(large.utf8.count)\r\n\r\n\(large)"
                + "Content-Length: \(exact.utf8.count)\r\n\r\n\(exact)Content-Length: 2\r\n\r\n[]")
        #expect(frame(input, chunkSize: chunkSize) == [message("{}"), message(large), message(exact), message("[]")])
    }

    @Test("a large message's buffer is let go once it is framed")
    func largeBufferReleased() {
        var framer = MessageFramer()
        let large = Self.body(size: MessageFramer.largeBody * 8)
        let input = bytes("Content-Length: \(large.utf8.count)\r\n\r\n\(large)")
        var offset = 0
        var framed: [FramingEvent] = []
        while offset < input.count {
            let end = min(input.count, offset + 4_096)
            framer.append(input[offset..<end])
            while let event = framer.next() { framed.append(event) }
            offset = end
        }
        #expect(framed == [message(large)])
        framer.append(bytes("Content-Length: 2\r\n\r\n{}"))
        #expect(framer.next() == message("{}"))
        #expect(framer.bufferCapacity < MessageFramer.largeBody)
    }
}
