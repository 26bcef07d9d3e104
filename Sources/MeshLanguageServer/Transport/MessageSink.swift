import Foundation
import WireJSON

/// Where the server writes protocol messages.
///
/// Sending is synchronous and serialised by the sink, so that messages leave in the
/// order the server decides on them (a `publishDiagnostics` for version 6 never
/// overtakes the one for version 5).
public protocol MessageSink: Sendable {
    /// Frames and writes one message.
    func send(_ message: JSONValue)
}

/// Frames messages with `Content-Length` and writes them to a file descriptor (stdout).
public final class FileDescriptorSink: MessageSink {
    private let descriptor: Int32
    /// Guards the descriptor so that two messages never interleave.
    private let lock = LockedValue(())

    /// Writes to `descriptor`.
    public init(descriptor: Int32) {
        self.descriptor = descriptor
    }

    public func send(_ message: JSONValue) {
        let bytes = MessageEncoding.frame(message)
        lock.withLock { _ in
            var offset = 0
            bytes.withUnsafeBytes { buffer in
                while offset < buffer.count {
                    let written = Foundation.write(
                        descriptor, buffer.baseAddress.map { $0 + offset }, buffer.count - offset)
                    if written > 0 {
                        offset += written
                    } else if written < 0, errno == EINTR {
                        continue
                    } else {
                        // The client is gone (EPIPE with SIGPIPE ignored): nothing to do.
                        return
                    }
                }
            }
        }
    }
}

/// The outgoing half of the base protocol.
enum MessageEncoding {
    /// `Content-Length: N\r\n\r\n` followed by the compact JSON of `message`.
    static func frame(_ message: JSONValue) -> [UInt8] {
        let body = Array(WireJSON.serialize(message).utf8)
        return Array("Content-Length: \(body.count)\r\n\r\n".utf8) + body
    }
}
